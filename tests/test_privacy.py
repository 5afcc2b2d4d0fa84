"""No value of a sensitive field ever reaches cattool's output.

A distinctive canary goes into every field the schema marks "x-sensitive" (found by walking
``sensitive_patterns``, so a field marked later is covered without touching this test). The fields
are also broken in ways that make cattool talk about them (wrong type, bad date, date in the
future...). Then ``cattool validate`` runs as text and as JSON, and no canary may appear.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from cattool.cli import app
from cattool.loading import CaseLoader
from cattool.privacy import ANY_ITEM, as_pattern, is_sensitive, sensitive_patterns
from cattool.repo import builtin_dir

SCHEMA: dict[str, Any] = json.loads(
    (builtin_dir() / "schemas" / "case.schema.json").read_text("utf-8")
)
PATTERNS = sensitive_patterns(SCHEMA)
runner = CliRunner()


# --- is_sensitive --------------------------------------------------------------------------------


def test_schema_marks_the_fields_the_format_promises_to_protect() -> None:
    expected = {
        ("source_contact",),
        ("notes",),
        ("victims", ANY_ITEM, "full_name"),
        ("victims", ANY_ITEM, "date_of_birth"),
        ("victims", ANY_ITEM, "contacts"),
        ("victims", ANY_ITEM, "current_location"),
        ("victims", ANY_ITEM, "representative", "name"),
        ("incidents", ANY_ITEM, "narrative"),
        ("incidents", ANY_ITEM, "witnesses", ANY_ITEM, "name"),
        ("incidents", ANY_ITEM, "witnesses", ANY_ITEM, "contact"),
        ("perpetrators", ANY_ITEM, "name"),
        ("consent", ANY_ITEM, "given_by", "name"),
        ("victims", ANY_ITEM, "date_of_death"),
        ("victims", ANY_ITEM, "full_name_latin"),
        ("applicant", "name"),
    }
    assert expected <= PATTERNS
    assert ("victims", ANY_ITEM, "public_label") not in PATTERNS
    assert ("incidents", ANY_ITEM, "narrative_public") not in PATTERNS


@pytest.mark.parametrize(
    ("yaml_path", "sensitive"),
    [
        (("victims", 0, "full_name"), True),
        (("victims", 3, "full_name"), True),
        (("victims", 0, "contacts", "phone"), True),  # below a marked field
        (("victims", 0, "contacts"), True),
        (("victims", 0), True),  # a container that holds sensitive fields
        (("victims",), True),
        ((), True),
        (("incidents", 1, "witnesses", 0, "contact"), True),
        (("notes",), True),
        (("victims", 0, "public_label"), False),
        (("victims", 0, "age_group"), False),
        (("incidents", 0, "narrative_public"), False),
        (("incidents", 0, "methods", 0), False),
        (("case_id",), False),
        (("legal_actions", 0, "qualification", "article"), False),
        (("legal_actions", 0, "outcome_note"), True),
    ],
)
def test_is_sensitive(yaml_path: tuple[str | int, ...], sensitive: bool) -> None:
    assert is_sensitive(yaml_path, PATTERNS) is sensitive


def test_as_pattern() -> None:
    assert as_pattern(("victims", 2, "contacts", "phone")) == ("victims", "[]", "contacts", "phone")


def test_sensitive_patterns_follow_refs_and_items() -> None:
    schema = {
        "$defs": {
            "person": {
                "type": "object",
                "properties": {"name": {"x-sensitive": True}, "role": {"type": "string"}},
            }
        },
        "properties": {
            "people": {"type": "array", "items": {"$ref": "#/$defs/person"}},
            "boss": {"$ref": "#/$defs/person"},
            "secret": {"x-sensitive": True, "properties": {"inner": {"x-sensitive": True}}},
        },
    }
    assert sensitive_patterns(schema) == {("people", "[]", "name"), ("boss", "name"), ("secret",)}


# --- canaries ------------------------------------------------------------------------------------


def subschema(pattern: tuple[str, ...]) -> dict[str, Any]:
    node: dict[str, Any] = SCHEMA
    for part in pattern:
        while "$ref" in node:
            node = SCHEMA["$defs"][node["$ref"].removeprefix("#/$defs/")]
        node = node["items"] if part == ANY_ITEM else node["properties"][part]
    return node


def put(data: dict[str, Any], pattern: tuple[str, ...], value: Any) -> None:
    """Set the field at ``pattern`` (first item of every list), creating what is missing."""
    node: Any = data
    for part, following in zip(pattern, [*pattern[1:], None], strict=True):
        if following is None:
            node[part] = value
            return
        empty: Any = [] if following == ANY_ITEM else {}
        if part == ANY_ITEM:
            if not node:
                node.append(empty)
            node = node[0]
        else:
            node = node.setdefault(part, empty)


def canary(n: int) -> str:
    return f"CANARY{n:02d}QZX"


def model(text: str, case_id: str) -> dict[str, Any]:
    data = yaml.load(text, Loader=CaseLoader)  # dates stay text
    data["case_id"] = case_id
    return data


def dump(data: dict[str, Any]) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def valid_canaries(data: dict[str, Any]) -> list[str]:
    """Canaries in every sensitive field, in values the schema accepts."""
    used = []
    for n, pattern in enumerate(sorted(PATTERNS)):
        node = subschema(pattern)
        text = canary(n)
        if node.get("format") == "date":
            text = "1987-11-23"
            value: Any = text
        elif node.get("type") == "array":
            value = [text]
        elif node.get("type") == "object":
            props = [p for p, s in node.get("properties", {}).items() if s.get("type") == "string"]
            value = {p: f"{text}{p}" for p in props}
        else:
            value = text
        put(data, pattern, value)
        used.append(text)
    return used


def broken_canaries(data: dict[str, Any], style: str) -> list[str]:
    """Canaries in every sensitive field, in values the schema rejects: messages name the field."""
    used = []
    for n, pattern in enumerate(sorted(PATTERNS)):
        node = subschema(pattern)
        text = canary(50 + n) if style == "list" else canary(70 + n)
        if node.get("format") == "date":
            value: Any = text  # fails pattern and format
        elif node.get("type") == "string" or "string" in node.get("type", []):
            # A number (shown in messages for other fields) or a list holding the canary.
            value = 9_000_000_000 + n if style == "number" else [text]
            if style == "number":
                text = str(value)
        elif node.get("type") == "object":
            value = text if style == "list" else {"phone": 9_100_000_000 + n, "x_note": text}
            if style == "number":
                used.append(str(9_100_000_000 + n))
        else:  # an array: give a single text, or a list of numbers
            value = text if style == "list" else [9_200_000_000 + n]
            if style == "number":
                text = str(9_200_000_000 + n)
        put(data, pattern, value)
        used.append(text)
    return used


@pytest.fixture
def canary_repo(make_repo: Callable[..., Path], model_case_text: str) -> tuple[Path, list[str]]:
    files: dict[str, str | bytes] = {}
    canaries: list[str] = []

    data = model(model_case_text, "KG-2016-0001")
    canaries += valid_canaries(data)
    files["cases/KG/KG-2016-0001.yaml"] = dump(data)

    for case_id, style in (("KG-2016-0002", "list"), ("KG-2016-0003", "number")):
        data = model(model_case_text, case_id)
        canaries += broken_canaries(data, style)
        files[f"cases/KG/{case_id}.yaml"] = dump(data)

    # Dates of birth that the semantic checks talk about: in the future, after the incident,
    # making an "adult" a child, and one that does not exist.
    data = model(model_case_text, "KG-2016-0004")
    data["victims"] = [copy.deepcopy(data["victims"][0]) for _ in range(4)]
    for i, (vid, born) in enumerate(
        zip(
            ("v1", "v2", "v3", "v4"),
            ("2093-11-17", "2016-03-11", "2003-05-19", "1986-02-30"),
            strict=True,
        )
    ):
        data["victims"][i].update({"victim_id": vid, "date_of_birth": born})
        canaries.append(born)
    data["incidents"][0]["victim_ids"] = ["v1", "v2", "v3", "v4"]
    files["cases/KG/KG-2016-0004.yaml"] = dump(data)

    # Sensitive values inside a file that cannot be parsed, or holds a duplicate key.
    files["cases/KG/KG-2016-0005.yaml"] = model_case_text.replace(
        "KG-2016-0001", "KG-2016-0005"
    ).replace("  - victim_id: v1\n", '  - victim_id: v1\n    full_name: "CANARY90QZX\n', 1)
    files["cases/KG/KG-2016-0006.yaml"] = model_case_text.replace(
        "KG-2016-0001", "KG-2016-0006"
    ).replace("  - victim_id: v1\n", "  - victim_id: v1\n    full_name: CANARY91QZX\n", 1)
    canaries += ["CANARY90QZX", "CANARY91QZX"]

    root = make_repo(files)
    assert all(c in "".join(str(v) for v in files.values()) for c in canaries)
    return root, canaries


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_no_canary_in_any_output(
    canary_repo: tuple[Path, list[str]], monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    root, canaries = canary_repo
    monkeypatch.chdir(root)
    result = runner.invoke(app, ["validate", "--format", fmt])
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    leaked = [c for c in canaries if c in result.stdout or c in result.stderr]
    assert leaked == []


def test_broken_sensitive_fields_are_reported_by_path(
    canary_repo: tuple[Path, list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The canary test is only worth something if cattool talks about those fields."""
    root, _ = canary_repo
    monkeypatch.chdir(root)
    result = runner.invoke(app, ["validate", "--format", "json"])
    report = json.loads(result.stdout)
    by_file: dict[str, set[str]] = {}
    for problem in report["problems"]:
        by_file.setdefault(problem["path"], set()).add(problem["yaml_path"])
    for name in ("cases/KG/KG-2016-0002.yaml", "cases/KG/KG-2016-0003.yaml"):
        reported = by_file[name]
        for pattern in PATTERNS:
            shown = ".".join(pattern).replace(".[]", "[0]")
            assert any(
                r == shown or r.startswith(shown + ".") or r.startswith(shown + "[")
                for r in reported
            ), (name, shown)
    codes = {(p["path"], p["yaml_path"], p["code"]) for p in report["problems"]}
    assert {
        ("cases/KG/KG-2016-0004.yaml", "victims[0].date_of_birth", "future-date"),
        ("cases/KG/KG-2016-0004.yaml", "victims[1].date_of_birth", "date-order"),
        ("cases/KG/KG-2016-0004.yaml", "victims[2].age_group", "age-group"),
        ("cases/KG/KG-2016-0004.yaml", "victims[3].date_of_birth", "format"),
        ("cases/KG/KG-2016-0005.yaml", "(file)", "yaml-syntax"),
        ("cases/KG/KG-2016-0006.yaml", "victims[0].full_name", "duplicate-key"),
    } <= codes


def test_sensitive_messages_read_as_documented(
    canary_repo: tuple[Path, list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    root, _ = canary_repo
    monkeypatch.chdir(root)
    lines = runner.invoke(app, ["validate", "cases/KG/KG-2016-0003.yaml"]).stdout.splitlines()
    full_name = [ln for ln in lines if ": victims[0].full_name: " in ln]
    assert len(full_name) == 1
    assert full_name[0].endswith(
        ": victims[0].full_name: this value must be text; put it in quotes [type]"
    )
    lines = runner.invoke(app, ["validate", "cases/KG/KG-2016-0002.yaml"]).stdout.splitlines()
    birth = sorted(ln.split(": ", 1)[1] for ln in lines if "victims[0].date_of_birth" in ln)
    assert birth == [
        "victims[0].date_of_birth: this value is not a date that exists (write YYYY-MM-DD) "
        "[format]",
        "victims[0].date_of_birth: this value is not in the form YYYY-MM-DD [pattern]",
    ]


def test_unknown_key_inside_a_sensitive_field_is_not_shown(
    make_repo: Callable[..., Path], model_case_text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = model_case_text.replace('      phone: "+996', '      Mother CANARY99QZX: "+996', 1)
    assert "CANARY99QZX" in text
    root = make_repo({"cases/KG/KG-2016-0001.yaml": text})
    monkeypatch.chdir(root)
    result = runner.invoke(app, ["validate"])
    assert result.exit_code == 1
    assert "[unknown-key]" in result.stdout
    assert "CANARY99QZX" not in result.stdout + result.stderr


# --- sensitive_values walks only where a sensitive field can be -----------------------------------


def _every_sensitive_value(data: Any, patterns: frozenset[Any], path: tuple[Any, ...] = ()) -> list:
    """The reference: walk every node and test its path (what sensitive_values must find)."""
    found = []
    items = (
        list(data.items())
        if isinstance(data, dict)
        else list(enumerate(data))
        if isinstance(data, list)
        else []
    )
    for key, value in items:
        here = (*path, key)
        if as_pattern(here) in patterns:
            found.append((here, value))
        else:
            found += _every_sensitive_value(value, patterns, here)
    return found


def test_sensitive_values_finds_what_a_walk_of_every_node_finds() -> None:
    from cattool.crypto import sensitive_values

    schema = json.loads((builtin_dir() / "schemas" / "case.schema.json").read_text("utf-8"))
    patterns = sensitive_patterns(schema)
    project = builtin_dir()
    cases = [
        yaml.load(path.read_text("utf-8"), Loader=CaseLoader)
        for path in sorted((project / "cases").rglob("*.yaml"))
    ]
    odd = {  # keys that are numbers, lists in odd places, a sensitive field holding a mapping
        "victims": [{"full_name": {"given": "X"}, 1: "one", "contacts": [["a"], {"b": 1}]}],
        "source": {"name": "Y", "contact": ["+996"]},
        3: [{"full_name": "Z"}],
    }
    assert len(cases) > 40
    for data in [*cases, odd]:
        expected = _every_sensitive_value(data, patterns)
        got = [(path, value) for path, value, _, _ in sensitive_values(data, patterns)]
        assert got == expected
    assert any(_every_sensitive_value(c, patterns) for c in cases)  # the demo has some to find
