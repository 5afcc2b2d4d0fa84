"""No leaks, and hostile input.

1. A canary in every sensitive field of a case; every command of the CLI, with normal and failing
   inputs, on a plain and on an encrypted repository: no canary on stdout, stderr, or in any file
   written, except the letters and revealed views that were asked for (which must show it).
2. Hostile case files and arguments: each a clear error with a documented exit code, never a
   traceback, and nothing read or written outside the repository.
3. A property test: whatever a case file holds, validate exits 0 or 1 without a traceback.
"""

from __future__ import annotations

import copy
import os
import re
import subprocess
import sys
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import docx
import pytest
import yaml
from cases_builder import CANARY_DATE, dump, leaks, load_model, values_at
from demo_settings import VOF_SETTINGS
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from cattool.cli import app
from cattool.privacy import sensitive_patterns
from cattool.repo import builtin_dir

runner = CliRunner()
PROJECT = Path(__file__).resolve().parent.parent
CASE = "cases/KG/KG-2016-0001.yaml"
GAP_CASE = "cases/KG/KG-2016-0002.yaml"
C, G = "KG-2016-0001", "KG-2016-0002"
CONFIG = VOF_SETTINGS
REQUIRED = CONFIG + "encryption:\n  required: true\n"
CANARY = "CANARY"
EXIT_CODES = {0, 1, 2, 3, 4}  # README "Exit codes", without 70 (internal error) and 130


# --- the canary case ---------------------------------------------------------------------------------


def canary_case(model: dict[str, Any], tag: str = "", day: str = CANARY_DATE) -> dict[str, Any]:
    """The model case with a distinct canary in every field the schema marks sensitive."""
    case = copy.deepcopy(model)
    mark = f"{CANARY}{tag}"
    case["source_contact"] = f"{mark}-source-contact"
    case["notes"] = f"{mark}-notes"
    victim = case["victims"][0]
    victim.update(
        full_name=f"{mark}-full-name",
        date_of_birth=day,
        age_group="unknown",
        contacts={"phone": f"{mark}-phone", "address": f"{mark}-address"},
        current_location=f"{mark}-location",
        representative={
            "type": "lawyer",
            "name": f"{mark}-representative",
            "authorization_file": f"{mark}-authorization.pdf",
        },
    )
    incident = case["incidents"][0]
    incident["narrative"] = {"ru": f"{mark}-narrative-ru", "en": f"{mark}-narrative"}
    incident["witnesses"] = [
        {"name": f"{mark}-witness", "contact": f"{mark}-witness-contact", "role": "neighbour"}
    ]
    case["perpetrators"][0]["name"] = f"{mark}-perpetrator"
    case["medical_evidence"][0]["files"] = [f"{mark}-photo.jpg"]
    for n, event in enumerate(case["legal_actions"]):
        event["outcome_note"] = f"{mark}-outcome-{n}"
    case["consent"][0]["given_by"] = {"role": "relative", "name": f"{mark}-given-by"}
    victim["full_name_latin"] = f"{mark}-latin-name"
    # the refusal is not appealed yet, so that every document of the case can be written
    case["legal_actions"] = [e for e in case["legal_actions"] if e["type"] != "appeal_filed"]
    victim["date_of_death"] = "1901-12-31"
    case["applicant"] = {
        "role": "relative",
        "relationship": "mother",
        "name": f"{mark}-applicant",
        "power_of_attorney": f"{mark}-power-of-attorney.pdf",
    }
    return case


def gap_case(case: dict[str, Any]) -> dict[str, Any]:
    """A valid case that a complaint letter cannot be written from (the place is unknown)."""
    gap = copy.deepcopy(case)
    gap["case_id"] = G
    gap["incidents"][0]["place_type"] = "unknown"
    return gap


def file_text(path: Path) -> str:
    """A file's text; for a zip (docx, xlsx) the text of every member."""
    raw = path.read_bytes()
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            raw = b"\n".join(archive.read(name) for name in archive.namelist())
    return raw.decode("utf-8", errors="replace")


@pytest.fixture(scope="module")
def model() -> dict[str, Any]:
    return load_model((PROJECT / CASE).read_text(encoding="utf-8"))


def test_the_canary_case_fills_every_sensitive_field(model: dict[str, Any]) -> None:
    import json

    schema = json.loads((builtin_dir() / "schemas" / "case.schema.json").read_text("utf-8"))
    patterns = sensitive_patterns(schema)
    assert len(patterns) >= 15
    case = canary_case(model)
    for pattern in patterns:
        found = values_at(case, pattern)
        assert found, f"add a canary for {pattern}"
        assert all(leaks(yaml.safe_dump(v)) for v in found), pattern
    texts = [yaml.safe_dump(v) for p in patterns for v in values_at(case, p)]
    assert len(set(texts)) == len(texts)  # each canary is distinct


# --- running commands and watching files --------------------------------------------------------------


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=root, check=True, capture_output=True)


def snapshot(*roots: Path) -> dict[Path, tuple[int, int, int]]:
    found = {}
    for root in roots:
        for path in root.rglob("*"):
            if ".git" in path.relative_to(root).parts or not path.is_file():
                continue
            info = path.stat()
            found[path] = (info.st_mtime_ns, info.st_size, info.st_ino)
    return found


def written(before: dict[Path, Any], after: dict[Path, Any]) -> list[Path]:
    return sorted(p for p, digest in after.items() if before.get(p) != digest)


def new_identity(monkeypatch: pytest.MonkeyPatch, path: Path) -> str:
    monkeypatch.setenv("CATTOOL_IDENTITY", str(path))
    result = runner.invoke(app, ["keys", "init"])
    assert result.exit_code == 0, result.output
    found = re.search(r"public key: (age1\w+)", result.stdout)
    assert found
    return found.group(1)


def write_cases(root: Path, model: dict[str, Any], tag: str = "", day: str = CANARY_DATE) -> None:
    case = canary_case(model, tag, day)
    (root / CASE).write_text(dump(case), encoding="utf-8")
    (root / GAP_CASE).write_text(dump(gap_case(case)), encoding="utf-8")


@pytest.fixture(params=["plain", "encrypted"])
def canary_repo(
    request: pytest.FixtureRequest,
    make_repo: Callable[..., Path],
    model: dict[str, Any],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> tuple[Path, bool]:
    """A git repository whose history changes every sensitive field of two canary cases.

    HEAD~1 has the first canaries, HEAD changes every one of them, and the working tree changes
    them again (for diff and log). Encrypted: the repository requires encryption, every value is
    encrypted at every step, and the user holds the key.
    """
    encrypted = request.param == "encrypted"
    root = make_repo({"cattool.yaml": REQUIRED if encrypted else CONFIG})
    (root / "cases" / "KG").mkdir(parents=True)
    monkeypatch.setenv("CATTOOL_IDENTITY", str(tmp_path / "keys" / "nobody.txt"))
    if encrypted:
        public = new_identity(monkeypatch, tmp_path / "keys" / "alice.txt")
        assert (
            runner.invoke(app, ["keys", "add", "alice", public, "--repo", str(root)]).exit_code == 0
        )
    git(root, "init", "-q")
    for step, (tag, day) in enumerate(
        [("", CANARY_DATE), ("-changed", "1901-03-04"), ("-again", "1901-04-05")]
    ):
        write_cases(root, model, tag, day)
        if encrypted:
            sealed = runner.invoke(app, ["encrypt", "--repo", str(root)])
            assert sealed.exit_code == 0, sealed.output
            assert leaks((root / CASE).read_text(encoding="utf-8")) == []
        checked = runner.invoke(app, ["validate", "--repo", str(root)])
        assert checked.exit_code == 0, checked.output
        if step < 2:
            git(root, "add", "-A")
            git(root, "commit", "-qm", f"step {step}")
    return root, encrypted


def commands(out: Path, encrypted: bool) -> list[tuple[list[str], str]]:
    """(arguments, 'ok' or 'fail') for every command that must never show a sensitive value."""
    key_commands: list[tuple[list[str], str]] = (
        [(["encrypt"], "ok"), (["keys", "rotate"], "ok")]
        if encrypted
        else [(["encrypt"], "fail"), (["keys", "rotate"], "fail"), (["decrypt"], "fail")]
    )
    # Commands that never decrypt anything: once, on the plain repository, is enough.
    plain_only: list[tuple[list[str], str]] = (
        []
        if encrypted
        else [
            (["stats", "2016", "--format", "md", "--unit", "victims"], "ok"),
            (["stats", "2016", "--format", "csv", "-o", str(out / "stats-csv")], "ok"),
            (["stats", "2016", "--format", "xlsx", "-o", str(out / "stats.xlsx")], "ok"),
            (["stats", "2016", "--report", str(out / "report"), "--lang", "ru"], "ok"),
            (["stats", "2016", "--charts", str(out / "charts")], "ok"),
            (["deadlines", "--as-of", "2016-04-01", "--format", "csv"], "ok"),
            (["deadlines", "--as-of", "2016-04-01", "--format", "json"], "ok"),
            (["list", "--format", "csv"], "ok"),
            (["export", "--public", "--per", "victim", "--format", "json"], "ok"),
        ]
    )
    return [
        *plain_only,
        (["validate"], "ok"),
        (["validate", "--format", "json"], "ok"),
        (["validate", "--strict", CASE], "any"),
        (["validate", "cases/KG/NOPE.yaml"], "fail"),
        (["list"], "ok"),
        (["list", "--format", "json", "--country", "KG", "--year", "2016"], "ok"),
        (["show", C], "ok"),
        (["show", C, "--format", "json"], "ok"),
        (["show", C, "--format", "md", "--lang", "ru", "--as-of", "2016-05-01"], "ok"),
        (["show", CASE, "--format", "text"], "ok"),
        (["show", "KG-2016-00O1"], "fail"),
        (["show", C, "--format", "xml"], "fail"),
        (["timeline", C], "ok"),
        (["timeline", C, "--format", "md", "--lang", "ru"], "ok"),
        (["stats", "2016"], "ok"),
        (["stats", "2016", "--format", "json"], "ok"),
        (["stats", "2013-2016", "--public", "--country", "KG"], "ok"),
        (["stats", "20x6"], "fail"),
        (["deadlines", "--as-of", "2016-04-01"], "ok"),
        (["deadlines", "--as-of", "2016-04-01", "--format", "ics", "-o", str(out / "d.ics")], "ok"),
        (["deadlines", "--within", "forever"], "fail"),
        (["diff"], "ok"),
        (["diff", "--format", "md"], "ok"),
        (["diff", "HEAD~1..HEAD"], "ok"),
        (["diff", "HEAD~1..HEAD", "--format", "md"], "ok"),
        (["diff", "no-such-branch..HEAD"], "fail"),
        (["log", C], "ok"),
        (["log", "KG-2016-9999"], "fail"),
        (["letter", C, "--check"], "ok"),
        (["letter", C, "--kind", "appeal", "--check"], "ok"),
        (["letter", C, "--kind", "reminder", "--date", "2016-04-05", "--check"], "any"),
        (["letter", G, "--check"], "fail"),
        (["letter", G, "--date", "2016-03-15"], "fail"),
        (["letter", G, "--date", "2016-03-15", "--format", "md", "--stdout"], "fail"),
        (["letter", C, "--format", "odt"], "fail"),
        (["letter", C, "--to", "hrc", "--date", "2016-03-15"], "fail"),
        (["letter", C, "--to", "sr-torture", "--check"], "any"),
        (["letter", C, "--to", "cat", "--check"], "any"),
        (["un-check", C, "--to", "sr-torture"], "any"),
        (["un-check", C, "--to", "hrc"], "any"),
        (["un-check", C, "--to", "cat", "--date", "2017-01-10"], "any"),
        (["offices", "KG"], "ok"),
        (["export", "--public"], "ok"),
        (["export", "--coalition", "-o", str(out / "partners.csv")], "ok"),
        (["export", "--coalition", "--per", "victim", "--format", "json"], "ok"),
        (["export"], "fail"),
        (["keys", "show"], "ok"),
        (["keys", "add", "bad name", "not-a-key"], "fail"),
        *key_commands,
        (
            ["event", "add", C, "--type", "no_such_type", "--note", "CANARY-note", "--no-input"],
            "fail",
        ),
        (
            [
                "event",
                "add",
                C,
                "--type",
                "response_received",
                "--date",
                "2016-13-45",
                "--note",
                "CANARY-note",
                "--no-input",
            ],
            "fail",
        ),
        (["event", "add", C, "--note", "CANARY-note", "--no-input"], "fail"),
        (
            [
                "event",
                "add",
                C,
                "--type",
                "appeal_filed",
                "--responds-to",
                "e99",
                "--date",
                "2016-05-02",
                "--note",
                "CANARY-note",
                "--no-input",
            ],
            "fail",
        ),
        (["set", C, "case_status", "bogus"], "fail"),
        # (in an encrypted repository this is accepted: see test_crypto, an xfail)
        *(
            []
            if encrypted
            else [(["set", C, "victims[0].date_of_birth", "CANARY-not-a-date"], "fail")]
        ),
        (["set", C, "victims[0].full_name", "''"], "fail"),
        (["set", C, "victims[7].full_name", "CANARY-nobody"], "fail"),
        (["set", C, "victims[0].contacts.phone", "CANARY-phone-2"], "any"),
        (["set", C, "victims[0..full_name", "x"], "fail"),
        (
            [
                "new-case",
                "--no-input",
                "--victim-name",
                "CANARY-new-name",
                "--narrative",
                "CANARY-new-narrative",
            ],
            "fail",
        ),
        (
            [
                "new-case",
                "--no-input",
                "--country",
                "KG",
                "--region",
                "nowhere",
                "--org",
                "vof",
                "--source",
                "relative",
                "--violation",
                "torture",
                "--victim-name",
                "CANARY-new-name",
                "--sex",
                "male",
                "--age",
                "30",
                "--incident-date",
                "2016-03-10",
                "--place",
                "police_station",
                "--methods",
                "beating",
                "--narrative",
                "CANARY-new-narrative",
            ],
            "fail",
        ),
        # edits that succeed: the outputs still hide the values
        (
            [
                "event",
                "add",
                C,
                "--type",
                "response_received",
                "--date",
                "2016-05-02",
                "--note",
                "CANARY-event-note",
                "--no-input",
            ],
            "ok",
        ),
        (["set", C, "victims[0].full_name", "CANARY-renamed"], "ok"),
        (["set", C, "case_status", "monitoring"], "ok"),
        (["diff"], "ok"),
        (["show", C], "ok"),
    ]


NO_REPO_OPTION = {"explain", "init"}


def invoke(root: Path, args: list[str]) -> Any:
    extra = [] if args[0] in NO_REPO_OPTION else ["--repo", str(root)]
    return runner.invoke(app, [*args, *extra])


def test_no_canary_leaves_through_any_command(
    canary_repo: tuple[Path, bool], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root, encrypted = canary_repo
    out = tmp_path / "outputs"
    out.mkdir()
    monkeypatch.chdir(root)  # whatever a command writes relative to here is watched too
    home = Path(os.environ["HOME"])
    problems: list[str] = []
    every = [
        *commands(out, encrypted),
        (["explain"], "ok"),
        (["explain", "plain-sensitive"], "ok"),
        (["explain", "no-such-code"], "fail"),
        (["init", str(root)], "fail"),
    ]
    for args, expect in every:
        before = snapshot(tmp_path, home)
        result = invoke(root, args)
        after = snapshot(tmp_path, home)
        shown = " ".join(args)
        code = result.exit_code
        if code not in EXIT_CODES or "Traceback" in result.output:
            problems.append(f"{shown}: exit {code}: {result.output[-300:]}")
        elif expect == "ok" and code != 0:
            problems.append(f"{shown}: expected success, exit {code}: {result.output[-300:]}")
        elif expect == "fail" and code == 0:
            problems.append(f"{shown}: expected an error, exit 0")
        for stream, text in (("stdout", result.stdout), ("stderr", result.stderr)):
            if leaks(text):  # even a sensitive value typed in this very command
                found = sorted(set(re.findall(r"CANARY[\w.-]*|1901[\d-]*", text)))
                problems.append(f"{shown}: {stream} shows {found}")
        for path in written(before, after):
            if path.is_relative_to(root / "cases") and path.exists() and path.suffix == ".yaml":
                if encrypted and leaks(file_text(path)):
                    problems.append(f"{shown}: an edit left a plain value in {path}")
                continue  # a plain repository's own case file holds the canaries by design
            if leaks(file_text(path)):
                problems.append(f"{shown}: wrote {path} with {leaks(file_text(path))}")
    assert problems == []

    # Then what was asked for: the letters and the revealed views do show the values.
    before = snapshot(tmp_path, home)
    letter = invoke(root, ["letter", C, "--date", "2016-03-15", "--format", "docx,md"])
    assert letter.exit_code == 0, letter.output
    assert leaks(letter.output) == []
    new = written(before, snapshot(tmp_path, home))
    assert new and all(p.is_relative_to(root / "out" / C) for p in new), new
    docx_file = next(p for p in new if p.suffix == ".docx")
    text = "\n".join(p.text for p in docx.Document(str(docx_file)).paragraphs)
    assert "CANARY-renamed" in text
    assert "CANARY-renamed" in next(p for p in new if p.suffix == ".md").read_text("utf-8")
    stdout = invoke(root, ["letter", C, "--date", "2016-03-15", "--format", "md", "--stdout"])
    assert "CANARY-renamed" in stdout.stdout
    assert "CANARY-again-narrative" in stdout.stdout
    asked = [["show", C, "--reveal"], ["timeline", C, "--reveal"], ["log", C, "--reveal"]]
    if not encrypted:  # diff --reveal does not decrypt: see test_crypto, an xfail
        asked.append(["diff", "--reveal"])
    for args in asked:
        revealed = invoke(root, args)
        assert revealed.exit_code == 0, (args, revealed.output)
        assert leaks(revealed.stdout), args
    shown = invoke(root, ["show", C, "--reveal"]).stdout
    for value in (
        "CANARY-renamed",
        "CANARY-again-source-contact",
        "1901-04-05",
        "CANARY-again-address",
    ):
        assert value in shown
    if encrypted:
        plain = tmp_path / "plain"
        result = invoke(root, ["decrypt", "--out-dir", str(plain)])
        assert result.exit_code == 0, result.output
        assert leaks(result.output) == []
        assert "CANARY-renamed" in (plain / "KG-2016-0001.yaml").read_text("utf-8")


def test_new_case_never_echoes_a_sensitive_option(make_repo: Callable[..., Path]) -> None:
    root = make_repo({"cattool.yaml": CONFIG})
    result = runner.invoke(
        app,
        [
            "new-case",
            "--no-input",
            "--country",
            "KG",
            "--victim-name",
            "CANARY-name",
            "--birth-date",
            "CANARY-1990-99-99",
            "--narrative",
            "CANARY-story",
            "--repo",
            str(root),
        ],
    )
    assert result.exit_code == 2, result.output
    assert leaks(result.output) == []


def test_a_letter_never_goes_inside_cases(
    make_repo: Callable[..., Path], model: dict[str, Any]
) -> None:
    root = make_repo({"cattool.yaml": CONFIG, CASE: dump(canary_case(model))})
    result = runner.invoke(
        app,
        [
            "letter",
            C,
            "--date",
            "2016-03-15",
            "--format",
            "md",
            "--out-dir",
            str(root / "cases" / "KG"),
            "--repo",
            str(root),
        ],
    )
    assert result.exit_code == 2, result.output
    assert sorted(p.name for p in (root / "cases" / "KG").iterdir()) == ["KG-2016-0001.yaml"]


# --- 2. hostile inputs --------------------------------------------------------------------------------

JINJA = "{{ 'JIN' ~ 'JA' }}{% for x in 'ab' %}LOOP{% endfor %}{# kept #}"
TEXT_FIELDS = [
    ("district",),
    ("source_contact",),
    ("summary_public",),
    ("victims", 0, "full_name"),
    ("victims", 0, "public_label"),
    ("victims", 0, "occupation"),
    ("victims", 0, "contacts", "phone"),
    ("victims", 0, "contacts", "address"),
    ("incidents", 0, "place_name"),
    ("incidents", 0, "settlement"),
    ("incidents", 0, "injuries"),
    ("incidents", 0, "narrative"),
    ("incidents", 0, "narrative_public"),
    ("perpetrators", 0, "rank_position"),
    ("perpetrators", 0, "unit"),
    ("legal_actions", 0, "authority", "name"),
    ("legal_actions", 0, "our_ref"),
    ("legal_actions", 2, "their_ref"),
    ("legal_actions", 3, "authority", "name"),
]


def test_template_syntax_in_every_text_field_is_printed_as_text(
    make_repo: Callable[..., Path], model: dict[str, Any]
) -> None:
    case = copy.deepcopy(model)
    for path in TEXT_FIELDS:
        node: Any = case
        for step in path[:-1]:
            node = node[step]
        value = node[path[-1]]
        if isinstance(value, dict):  # a text in Russian and English: both get the syntax
            node[path[-1]] = {lang: f"{text} {JINJA}" for lang, text in value.items()}
        else:
            node[path[-1]] = f"{value} {JINJA}"
    case["perpetrators"][0]["name"] = f"Officer {JINJA}"
    # the refusal is not appealed yet, so that the appeal letter can be written
    case["legal_actions"] = [e for e in case["legal_actions"] if e["type"] != "appeal_filed"]
    case["incidents"][0]["witnesses"] = [{"name": f"Witness {JINJA}", "role": "neighbour"}]
    root = make_repo({"cattool.yaml": CONFIG, CASE: dump(case)})
    checked = runner.invoke(app, ["validate", "--repo", str(root)])
    assert checked.exit_code == 0, checked.output

    outputs = []
    for extra in (
        ["--format", "md", "--stdout"],
        ["--format", "txt", "--stdout"],
        ["--to", "sr-torture", "--format", "md", "--stdout"],
        ["--kind", "appeal", "--format", "md", "--stdout"],
    ):
        result = runner.invoke(
            app, ["letter", C, "--date", "2016-05-01", *extra, "--repo", str(root)]
        )
        assert result.exit_code == 0, (extra, result.output)
        outputs.append(result.stdout)
    result = runner.invoke(app, ["letter", C, "--date", "2016-05-01", "--repo", str(root)])
    assert result.exit_code == 0, result.output
    document = next((root / "out" / C).glob("*.docx"))
    outputs.append("\n".join(p.text for p in docx.Document(str(document)).paragraphs))
    for text in outputs:
        assert "JINJA" not in text
        assert "LOOPLOOP" not in text
        assert "{{ 'JIN' ~ 'JA' }}" in text
    assert f"Фиктионов Тимур Бакирович {JINJA}" in outputs[0]
    shown = runner.invoke(app, ["show", C, "--reveal", "--repo", str(root)])
    assert shown.exit_code == 0
    assert "JINJA" not in shown.stdout


_OPENED: list[str] | None = None


def _audit(event: str, args: tuple[Any, ...]) -> None:
    if _OPENED is not None and event == "open" and isinstance(args[0], (str, bytes, os.PathLike)):
        _OPENED.append(os.path.realpath(os.fsdecode(args[0])))


sys.addaudithook(_audit)


@contextmanager
def opened_files() -> Iterator[list[str]]:
    """Every file opened meanwhile, as real paths (a symbolic link shows its target)."""
    global _OPENED
    _OPENED = []
    try:
        yield _OPENED
    finally:
        _OPENED = None


@pytest.fixture
def outside(
    make_repo: Callable[..., Path],
    model_case_text: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> tuple[Path, Path]:
    """A repository (the current folder) and, next to it, a valid case file outside any repository."""
    root = make_repo({"cattool.yaml": CONFIG, CASE: model_case_text})
    other = tmp_path / "elsewhere" / "KG-2016-0001.yaml"
    other.parent.mkdir()
    other.write_text(
        model_case_text.replace("summary_public: >-", "summary_public: >-\n  OUTSIDE-MARK"), "utf-8"
    )
    monkeypatch.chdir(root)
    monkeypatch.setenv("CATTOOL_IDENTITY", str(tmp_path / "nobody.txt"))
    return root, other


def read_or_written_outside(other: Path, opened: list[str]) -> list[str]:
    folder = str(other.parent.resolve())
    return [p for p in opened if p.startswith(folder) or p == "/etc/passwd"]


OUTSIDE_COMMANDS = {
    "show": ["show", "{case}"],
    "letter": ["letter", "{case}", "--date", "2016-03-15", "--format", "md"],
    "event-add": [
        "event",
        "add",
        "{case}",
        "--type",
        "response_received",
        "--date",
        "2016-05-02",
        "--no-input",
    ],
}


@pytest.mark.parametrize(
    ("command", "form"),
    [
        (command, form)
        for command in sorted(OUTSIDE_COMMANDS)
        for form in ("relative", "absolute", "not-a-case")
        if not (command == "event-add" and form == "not-a-case")  # never aim a write at /etc
    ],
)
def test_a_case_path_outside_the_repository_is_refused(
    outside: tuple[Path, Path], command: str, form: str
) -> None:
    root, other = outside
    case = {
        "relative": "../elsewhere/KG-2016-0001.yaml",
        "absolute": str(other),
        "not-a-case": "../" * 40 + "etc/passwd",
    }[form]
    before = other.read_bytes()
    args = [a.format(case=case) for a in OUTSIDE_COMMANDS[command]]
    with opened_files() as opened:
        result = runner.invoke(app, [*args, "--repo", str(root)])
    assert result.exit_code in {1, 2, 3}, result.output
    assert "Traceback" not in result.output
    assert "OUTSIDE-MARK" not in result.output
    assert other.read_bytes() == before
    assert sorted(p.name for p in other.parent.iterdir()) == ["KG-2016-0001.yaml"]
    assert read_or_written_outside(other, opened) == []


@pytest.mark.parametrize(
    "case",
    [
        "../elsewhere/KG-2016-0001",
        "KG-2016-0001/../../elsewhere/KG-2016-0001",
        "../../KG-2016-0001",
    ],
)
@pytest.mark.parametrize("command", sorted(OUTSIDE_COMMANDS))
def test_a_case_id_with_dots_names_no_file(
    outside: tuple[Path, Path], command: str, case: str
) -> None:
    root, other = outside
    args = [a.format(case=case) for a in OUTSIDE_COMMANDS[command]]
    with opened_files() as opened:
        result = runner.invoke(app, [*args, "--repo", str(root)])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert read_or_written_outside(other, opened) == []
    assert not any(p.startswith("/etc/") for p in opened)
    assert not (root / "out").exists()


def test_a_case_file_linking_outside_the_repository_is_an_error(
    outside: tuple[Path, Path],
) -> None:
    root, other = outside
    link = root / CASE
    link.unlink()
    link.symlink_to(other)
    with opened_files() as opened:
        result = runner.invoke(app, ["validate", "--repo", str(root)])
    assert result.exit_code == 1, result.output
    assert "KG-2016-0001.yaml" in result.stdout
    assert "Traceback" not in result.output
    shown = runner.invoke(app, ["show", C, "--repo", str(root)])
    assert shown.exit_code in {1, 2, 3}
    assert "OUTSIDE-MARK" not in shown.output
    assert read_or_written_outside(other, opened) == []


def test_an_edit_through_a_symbolic_link_never_writes_outside(outside: tuple[Path, Path]) -> None:
    root, other = outside
    link = root / CASE
    link.unlink()
    link.symlink_to(other)
    before = other.read_bytes()
    for args in (
        ["set", C, "case_status", "closed"],
        ["event", "add", C, "--type", "response_received", "--date", "2016-05-02", "--no-input"],
    ):
        result = runner.invoke(app, [*args, "--repo", str(root)])
        assert result.exit_code in EXIT_CODES, result.output
        assert "Traceback" not in result.output
    assert other.read_bytes() == before


def billion_laughs() -> str:
    lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for previous, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 9) + "]")
    return "case_id: KG-2016-0001\n" + "\n".join(lines) + "\n"


def test_billion_laughs_is_an_error_without_expanding(make_repo: Callable[..., Path]) -> None:
    root = make_repo({CASE: billion_laughs()})
    result = runner.invoke(app, ["validate", "--repo", str(root)])
    assert result.exit_code == 1, result.output
    assert "[alias]" in result.stdout
    assert "Traceback" not in result.output
    for args in (["show", C], ["letter", C, "--check"], ["set", C, "case_status", "closed"]):
        other = runner.invoke(app, [*args, "--repo", str(root)])
        assert other.exit_code == 1, (args, other.output)
        assert "Traceback" not in other.output
    for args in (["list"], ["stats", "2016"], ["export", "--public"], ["deadlines"]):
        other = runner.invoke(app, [*args, "--repo", str(root)])
        assert other.exit_code in {0, 1}, (args, other.output)
        assert "Traceback" not in other.output and "internal error" not in other.output


@pytest.mark.parametrize(
    "text",
    [
        "case_id: " + "[" * 10_000 + "]" * 10_000 + "\n",
        "case_id: " + "{a: " * 10_000 + "1" + "}" * 10_000 + "\n",
        "".join(" " * n + "-\n" for n in range(3000)),
    ],
    ids=["flow-lists", "flow-mappings", "block-lists"],
)
def test_a_deeply_nested_file_is_reported_without_recursion_error(
    make_repo: Callable[..., Path], text: str
) -> None:
    root = make_repo({CASE: text})
    result = runner.invoke(app, ["validate", "--repo", str(root)])
    assert result.exit_code == 1, result.output
    assert "KG-2016-0001.yaml" in result.stdout
    assert "RecursionError" not in result.output and "internal error" not in result.output


def test_a_deep_value_in_a_typed_field_is_a_problem_not_a_crash(
    make_repo: Callable[..., Path], model_case_text: str
) -> None:
    deep = "[" * 990 + "]" * 990
    text = model_case_text.replace("occupation: construction worker", f"occupation: {deep}")
    root = make_repo({CASE: text})
    result = runner.invoke(app, ["validate", "--repo", str(root)])
    assert result.exit_code == 1, result.output
    assert "victims[0].occupation" in result.stdout
    assert "internal error" not in result.output


def test_editing_a_case_with_a_deep_coalition_key_is_no_crash(
    make_repo: Callable[..., Path], model_case_text: str
) -> None:
    text = model_case_text + "x_deep: " + "[" * 300 + "]" * 300 + "\n"
    root = make_repo({CASE: text})
    checked = runner.invoke(app, ["validate", "--repo", str(root)])
    assert checked.exit_code == 1  # nested more than 50 levels: refused before any check
    assert "x_deep[0][0][0]...: the value is nested more than 50 levels deep" in checked.stdout
    result = runner.invoke(app, ["set", C, "case_status", "closed", "--repo", str(root)])
    assert result.exit_code in {0, 1}, result.output
    assert "internal error" not in result.output


# Found by the property test below: each of these ended in an internal error (exit 70).
@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("    victim_ids: [v1]\n", "    victim_ids: 1\n"),
        ("    incident_ids: [i1]\n", "    incident_ids: true\n"),
        ("  - victim_id: v1\n", "  - victim_id: [v1]\n"),
        ("  - evidence_id: m1\n", "  - evidence_id: {id: m1}\n"),
        ("  - event_id: e2\n", "  - event_id:\n"),
    ],
    ids=[
        "victim-ids-number",
        "incident-ids-true",
        "victim-id-list",
        "evidence-id-map",
        "event-id-empty",
    ],
)
def test_a_wrong_type_in_an_id_field_is_a_problem_not_a_crash(
    make_repo: Callable[..., Path], model_case_text: str, old: str, new: str
) -> None:
    assert model_case_text.count(old) == 1
    root = make_repo({CASE: model_case_text.replace(old, new)})
    result = runner.invoke(app, ["validate", "--repo", str(root)])
    assert result.exit_code == 1, result.output
    assert "KG-2016-0001.yaml" in result.stdout
    assert "internal error" not in result.output


# --- 3. property: validate never crashes ----------------------------------------------------------------

_MODEL_TEXT = (PROJECT / CASE).read_text(encoding="utf-8")
_KEYS = st.sampled_from(
    [
        "case_id",
        "country",
        "victims",
        "incidents",
        "full_name",
        "date_of_birth",
        "contacts",
        "narrative",
        "legal_actions",
        "consent",
        "person_id",
        "victim_id",
        "scopes",
        "date",
        "type",
        "methods",
        "x_note",
        "<<",
        "? a",
        "- b",
        "&x",
        "*y",
        "!!python/object",
    ]
) | st.text(max_size=12)
_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=40)
    | st.dates().map(str)
    | st.sampled_from(["ENC[age:AAAA]", "ENC[age:", "{{ 7*7 }}", "2016-02-30", "KG-2016-0001"])
)
_TREES = st.recursive(
    _SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_KEYS, inner, max_size=5),
    max_leaves=30,
)


def _dumped(tree: Any) -> str:
    return yaml.safe_dump(tree, allow_unicode=True)


def _spliced(position_and_text: tuple[int, str]) -> str:
    position, text = position_and_text
    return _MODEL_TEXT[:position] + text + _MODEL_TEXT[position:]


def _cut(position_and_length: tuple[int, int]) -> str:
    position, length = position_and_length
    return _MODEL_TEXT[:position] + _MODEL_TEXT[position + length :]


def _replaced(key_and_tree: tuple[str, Any]) -> str:
    key, tree = key_and_tree
    case = yaml.safe_load(_MODEL_TEXT)
    node: Any = case
    for step in key.split("/")[:-1]:
        node = node[int(step) if step.isdigit() else step]
    last = key.split("/")[-1]
    node[int(last) if last.isdigit() else last] = tree
    return _dumped(case)


_FIELDS = st.sampled_from(
    [
        "case_id",
        "victims",
        "victims/0",
        "victims/0/full_name",
        "victims/0/contacts",
        "victims/0/date_of_birth",
        "incidents/0",
        "incidents/0/victim_ids",
        "incidents/0/date_start",
        "legal_actions",
        "legal_actions/0/responds_to",
        "legal_actions/2/qualification",
        "consent/0/scopes",
        "consent",
        "intake_date",
        "country",
        "x_extra",
    ]
)
# YAML constructs spliced anywhere into the model case (tests/test_hostile_files.py has more)
_CONSTRUCTS = st.sampled_from(
    [
        "!!set {a, b}",
        " !!set ",
        "!!python/object/apply:os.system ['true']",
        " !!binary aGk= ",
        "!custom ",
        " !!int x ",
        "0x_",
        " &a ",
        " *a ",
        "\n---\n",
        "\n...\n",
        "1" * 5000,
        "\x00",
        "\x1b[2J",
        "\u2028",
    ]
)
CONTENT = st.one_of(
    st.binary(max_size=400),
    st.tuples(st.integers(0, len(_MODEL_TEXT)), _CONSTRUCTS).map(_spliced),
    st.text(max_size=400),
    _TREES.map(_dumped),
    st.tuples(_FIELDS, _TREES).map(_replaced),
    st.tuples(st.integers(0, len(_MODEL_TEXT)), st.text(max_size=30)).map(_spliced),
    st.tuples(st.integers(0, len(_MODEL_TEXT)), st.integers(1, 60)).map(_cut),
)


@pytest.fixture(scope="module")
def fuzz_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("fuzz") / "repo"
    (root / "cases" / "KG").mkdir(parents=True)
    (root / "cattool.yaml").write_text(CONFIG, encoding="utf-8")
    return root


@settings(
    max_examples=150,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(content=CONTENT)
def test_validate_never_crashes_whatever_the_file_holds(
    fuzz_repo: Path, content: str | bytes
) -> None:
    case = fuzz_repo / CASE
    if isinstance(content, bytes):
        case.write_bytes(content)
    else:
        case.write_bytes(content.encode("utf-8", errors="surrogatepass"))
    result = runner.invoke(app, ["validate", "--repo", str(fuzz_repo)])
    assert result.exit_code in {0, 1}, result.output
    assert "Traceback" not in result.stderr
    assert "internal error" not in result.stderr
