"""`cattool validate` and `cattool explain` as a user runs them; stdout and stderr apart."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cattool.cli import app
from cattool.problems import CODES
from cattool.repo import builtin_dir, find_repo
from cattool.validation import validate_paths

runner = CliRunner()
EXAMPLES = Path(__file__).parent / "examples"
MakeRepo = Callable[..., Path]


def example(name: str, case_id: str | None = None) -> str:
    """An invalid example (its case_id is KG-2016-0001), optionally under another case_id."""
    text = (EXAMPLES / "invalid" / f"{name}.yaml").read_text(encoding="utf-8")
    return text.replace("KG-2016-0001", case_id) if case_id else text


def case_with_id(model_case_text: str, case_id: str) -> str:
    return model_case_text.replace("KG-2016-0001", case_id)


@pytest.fixture
def mixed_repo(make_repo: MakeRepo, model_case_text: str) -> Path:
    """Three cases: one valid, one with 2 errors (enum), one with a warning (wrong folder)."""
    return make_repo(
        {
            "cases/KG/KG-2016-0001.yaml": model_case_text,
            "cases/KG/KG-2016-0002.yaml": example("enum", "KG-2016-0002"),
            "cases/KZ/KG-2016-0003.yaml": case_with_id(model_case_text, "KG-2016-0003"),
        }
    )


ENUM_LINES = [
    "KG-2016-0002.yaml:10:17: violation_type: 'torure' is not a violation type; "
    "did you mean 'torture'? [enum]",
    "KG-2016-0002.yaml:11:11: priority: 'asap' is not a priority; "
    "use one of: urgent, high, normal [enum]",
]
WARNING_LINE = (
    "KG-2016-0003.yaml:4:10: warning: country: a KG case is in cases/KZ/; "
    "move it to cases/KG/ [wrong-folder]"
)


# --- finding the repository ----------------------------------------------------------------------


def test_validate_from_the_repository_root(
    mixed_repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(mixed_repo)
    result = runner.invoke(app, ["validate"])
    assert result.stdout.splitlines() == [
        *[f"cases/KG/{line}" for line in ENUM_LINES],
        f"cases/KZ/{WARNING_LINE}",
    ]
    assert result.stderr == "2 problems and 1 warning in 2 of 3 case files\n"
    assert result.exit_code == 1


def test_validate_from_a_subfolder_finds_the_repository(
    mixed_repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(mixed_repo / "cases" / "KG")
    result = runner.invoke(app, ["validate"])
    # Every case of the repository is checked; paths are shown from where the user stands.
    assert result.stdout.splitlines() == [f"../KZ/{WARNING_LINE}", *ENUM_LINES]
    assert result.stderr == "2 problems and 1 warning in 2 of 3 case files\n"
    assert result.exit_code == 1


def test_validate_with_repo_option_from_elsewhere(
    mixed_repo: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["validate", "--repo", str(mixed_repo)])
    assert result.stdout.splitlines() == [
        *[f"repo/cases/KG/{line}" for line in ENUM_LINES],
        f"repo/cases/KZ/{WARNING_LINE}",
    ]
    assert result.exit_code == 1


def test_validate_one_file_and_one_folder(
    mixed_repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(mixed_repo)
    result = runner.invoke(app, ["validate", "cases/KG/KG-2016-0001.yaml"])
    assert (result.exit_code, result.stdout, result.stderr) == (
        0,
        "",
        "1 case file checked: all valid\n",
    )
    result = runner.invoke(app, ["validate", "cases/KZ"])
    assert (result.exit_code, result.stdout) == (0, f"cases/KZ/{WARNING_LINE}\n")
    assert result.stderr == "1 warning in 1 of 1 case file\n"


def test_outside_any_repository(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["validate"])
    assert result.exit_code == 3
    assert result.stdout == ""
    assert result.stderr == (
        f"cattool: {tmp_path.resolve()} is not inside a case repository (no cattool.yaml here or "
        "in any parent folder). Run the command inside one, pass --repo PATH, or create one with: "
        "cattool init PATH\n"
    )
    assert "Traceback" not in result.stderr


def test_nonexistent_path_is_a_usage_error(
    mixed_repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(mixed_repo)
    result = runner.invoke(app, ["validate", "cases/KG/KG-2099-0000.yaml"])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == "cattool: cases/KG/KG-2099-0000.yaml: no such file or folder\n"


def test_nonexistent_repo_is_a_usage_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["validate", "--repo", "missing"])
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == "cattool: missing: no such folder\n"


@pytest.mark.parametrize("args", [["--jobs", "0"], ["--format", "xml"], ["--no-such-option"]])
def test_bad_options_exit_2(
    mixed_repo: Path, monkeypatch: pytest.MonkeyPatch, args: list[str]
) -> None:
    monkeypatch.chdir(mixed_repo)
    result = runner.invoke(app, ["validate", *args])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith("Usage: cattool validate [OPTIONS] [paths]...\n")


def test_empty_repository(make_repo: MakeRepo, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_repo({})
    (root / "cases" / "KG").mkdir(parents=True)
    monkeypatch.chdir(root)
    result = runner.invoke(app, ["validate"])
    assert (result.exit_code, result.stdout, result.stderr) == (
        0,
        "",
        "0 case files checked: all valid\n",
    )


# --- broken set-up: exit 3 -----------------------------------------------------------------------


def builtin_schema() -> dict[str, object]:
    return json.loads((builtin_dir() / "schemas" / "case.schema.json").read_text(encoding="utf-8"))


def test_schema_override_that_is_not_json(
    make_repo: MakeRepo, model_case_text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_repo(
        {
            "cases/KG/KG-2016-0001.yaml": model_case_text,
            "schemas/case.schema.json": '{"type": "object",\n',
        }
    )
    monkeypatch.chdir(root)
    result = runner.invoke(app, ["validate"])
    assert (result.exit_code, result.stdout) == (3, "")
    assert result.stderr.startswith(
        f"cattool: {root / 'schemas' / 'case.schema.json'}: cannot read the case schema: "
    )
    assert result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr


def test_schema_override_that_is_not_a_json_schema(
    make_repo: MakeRepo, model_case_text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    schema = builtin_schema()
    schema["properties"]["case_id"]["type"] = "text"  # type: ignore[index]
    root = make_repo(
        {
            "cases/KG/KG-2016-0001.yaml": model_case_text,
            "schemas/case.schema.json": json.dumps(schema),
        }
    )
    monkeypatch.chdir(root)
    result = runner.invoke(app, ["validate"])
    assert (result.exit_code, result.stdout) == (3, "")
    assert result.stderr.startswith(
        f"cattool: {root / 'schemas' / 'case.schema.json'}: the case schema is not a valid JSON "
        "Schema at properties/case_id/type: "
    )


def test_schema_enum_drifting_from_the_vocabularies(
    make_repo: MakeRepo, model_case_text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    schema = builtin_schema()
    schema["$defs"]["priority"]["enum"].append("someday")  # type: ignore[index]
    root = make_repo(
        {
            "cases/KG/KG-2016-0001.yaml": model_case_text,
            "schemas/case.schema.json": json.dumps(schema),
        }
    )
    monkeypatch.chdir(root)
    result = runner.invoke(app, ["validate"])
    assert (result.exit_code, result.stdout) == (3, "")
    vocabularies = builtin_dir() / "schemas" / "vocabularies.yaml"
    assert result.stderr == (
        f"cattool: {root / 'schemas' / 'case.schema.json'} and {vocabularies} disagree: "
        "vocabulary 'priority' has no labels for someday. Add each value to both files.\n"
    )


def test_unreadable_repository_settings(
    make_repo: MakeRepo, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_repo({"cattool.yaml": "cattool: [\n"})
    monkeypatch.chdir(root)
    result = runner.invoke(app, ["validate"])
    assert (result.exit_code, result.stdout) == (3, "")
    assert result.stderr.startswith(
        f"cattool: {root / 'cattool.yaml'}: cannot read the repository settings: "
    )


# --- output formats and options ------------------------------------------------------------------


def test_json_output_equals_the_library_report(
    mixed_repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(mixed_repo)
    result = runner.invoke(app, ["validate", "--format", "json"])
    assert result.exit_code == 1
    assert result.stderr == ""
    report = validate_paths(find_repo(mixed_repo), [mixed_repo / "cases"], display_root=mixed_repo)
    assert json.loads(result.stdout) == report.to_dict()
    assert json.loads(result.stdout)["problems"][2] == {
        "path": "cases/KZ/KG-2016-0003.yaml",
        "line": 4,
        "column": 10,
        "yaml_path": "country",
        "message": "a KG case is in cases/KZ/; move it to cases/KG/",
        "code": "wrong-folder",
        "severity": "warning",
    }
    assert {k: v for k, v in json.loads(result.stdout).items() if k != "problems"} == {
        "files_checked": 3,
        "errors": 2,
        "warnings": 1,
    }


def test_json_output_of_a_valid_repository(
    make_repo: MakeRepo, model_case_text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(make_repo({"cases/KG/KG-2016-0001.yaml": model_case_text}))
    result = runner.invoke(app, ["validate", "-f", "json"])
    assert result.exit_code == 0
    assert json.loads(result.stdout) == {
        "files_checked": 1,
        "errors": 0,
        "warnings": 0,
        "problems": [],
    }


def test_strict_fails_on_warnings_only(
    make_repo: MakeRepo, model_case_text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(make_repo({"cases/KZ/KG-2016-0001.yaml": model_case_text}))
    plain = runner.invoke(app, ["validate"])
    strict = runner.invoke(app, ["validate", "--strict"])
    line = (
        "cases/KZ/KG-2016-0001.yaml:4:10: warning: country: a KG case is in cases/KZ/; "
        "move it to cases/KG/ [wrong-folder]\n"
    )
    assert (plain.exit_code, plain.stdout) == (0, line)
    assert (strict.exit_code, strict.stdout) == (1, line)
    assert plain.stderr == strict.stderr == "1 warning in 1 of 1 case file\n"


def test_strict_on_a_valid_repository(
    make_repo: MakeRepo, model_case_text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(make_repo({"cases/KG/KG-2016-0001.yaml": model_case_text}))
    assert runner.invoke(app, ["validate", "--strict"]).exit_code == 0


@pytest.mark.parametrize(
    ("files", "summary"),
    [
        (
            {
                "cases/KG/KG-2016-0001.yaml": "x",
                "cases/KG/KG-2016-0002.yaml": "v",
                "cases/KG/KG-2016-0003.yaml": "v",
            },
            "1 problem in 1 of 3 case files",
        ),
        (
            {
                "cases/KG/KG-2016-0001.yaml": "e",
                "cases/KG/KG-2016-0002.yaml": "v",
                "cases/KG/KG-2016-0003.yaml": "v",
            },
            "2 problems in 1 of 3 case files",
        ),
        (
            {"cases/KG/KG-2016-0001.yaml": "e", "cases/KG/KG-2016-0002.yaml": "x"},
            "3 problems in 2 of 2 case files",
        ),
        ({"cases/KG/KG-2016-0001.yaml": "w"}, "1 warning in 1 of 1 case file"),
        (
            {"cases/KG/KG-2016-0001.yaml": "v", "cases/KG/KG-2016-0002.yaml": "v"},
            "2 case files checked: all valid",
        ),
    ],
)
def test_summary_line(
    make_repo: MakeRepo,
    model_case_text: str,
    monkeypatch: pytest.MonkeyPatch,
    files: dict[str, str],
    summary: str,
) -> None:
    kinds = {
        "v": lambda cid: case_with_id(model_case_text, cid),
        "e": lambda cid: example("enum", cid),  # 2 errors
        "x": lambda cid: "",  # empty file: 1 error
        "w": lambda cid: example("timeline-order", cid),  # 1 warning
    }
    tree = {path: kinds[kind](Path(path).stem) for path, kind in files.items()}
    monkeypatch.chdir(make_repo(tree))
    result = runner.invoke(app, ["validate"])
    assert result.stderr == summary + "\n"
    shown = 0 if summary.endswith("all valid") else int(summary.split()[0])
    assert len(result.stdout.splitlines()) == shown
    assert result.exit_code == (1 if "problem" in summary else 0)


def test_jobs_give_the_same_output_in_the_same_order(
    make_repo: MakeRepo, model_case_text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    names = sorted((EXAMPLES / "invalid").glob("*.yaml"))
    tree: dict[str, str | bytes] = {}
    for i in range(40):
        case_id = f"KG-2016-{i:04d}"
        if i % 2:
            tree[f"cases/KG/{case_id}.yaml"] = case_with_id(model_case_text, case_id)
        else:
            source = names[i % len(names)].read_bytes()
            tree[f"cases/KG/{case_id}.yaml"] = source.replace(b"KG-2016-0001", case_id.encode())
    monkeypatch.chdir(make_repo(tree))
    one = runner.invoke(app, ["validate", "--jobs", "1"])
    two = runner.invoke(app, ["validate", "--jobs", "2"])
    assert one.stdout.count("\n") > 20
    assert (two.exit_code, two.stdout, two.stderr) == (one.exit_code, one.stdout, one.stderr)
    assert one.stderr.endswith(" of 40 case files\n")
    default = runner.invoke(app, ["validate"])
    assert default.stdout == one.stdout


def test_duplicate_case_id_across_files(
    make_repo: MakeRepo, model_case_text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(
        make_repo(
            {
                "cases/KG/KG-2016-0001.yaml": model_case_text,
                "cases/KG/2016/KG-2016-0001.yaml": model_case_text,
            }
        )
    )
    result = runner.invoke(app, ["validate"])
    assert result.stdout.splitlines() == [
        "cases/KG/2016/KG-2016-0001.yaml:3:10: case_id: KG-2016-0001 is also the case_id of "
        "cases/KG/KG-2016-0001.yaml; give one of them a new id [duplicate-case-id]",
        "cases/KG/KG-2016-0001.yaml:3:10: case_id: KG-2016-0001 is also the case_id of "
        "cases/KG/2016/KG-2016-0001.yaml; give one of them a new id [duplicate-case-id]",
    ]
    assert result.exit_code == 1
    assert result.stderr == "2 problems in 2 of 2 case files\n"


# --- accepted input ------------------------------------------------------------------------------


def test_bom_and_crlf_file_passes(
    make_repo: MakeRepo, model_case_text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = b"\xef\xbb\xbf" + model_case_text.replace("\n", "\r\n").encode("utf-8")
    monkeypatch.chdir(make_repo({"cases/KG/KG-2016-0001.yaml": data}))
    result = runner.invoke(app, ["validate", "--strict"])
    assert (result.exit_code, result.stdout, result.stderr) == (
        0,
        "",
        "1 case file checked: all valid\n",
    )


def test_bom_and_crlf_keep_line_numbers(
    make_repo: MakeRepo, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = b"\xef\xbb\xbf" + example("enum").replace("\n", "\r\n").encode("utf-8")
    monkeypatch.chdir(make_repo({"cases/KG/KG-2016-0001.yaml": data}))
    result = runner.invoke(app, ["validate"])
    assert result.stdout == (EXAMPLES / "invalid" / "enum.expected").read_text(encoding="utf-8")


def test_cyrillic_folder_name(
    make_repo: MakeRepo, model_case_text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_repo({"cases/KG/архив/KG-2016-0001.yaml": model_case_text})
    monkeypatch.chdir(root)
    result = runner.invoke(app, ["validate"])
    assert (result.exit_code, result.stdout, result.stderr) == (
        0,
        "",
        "1 case file checked: all valid\n",
    )
    monkeypatch.chdir(root / "cases" / "KG" / "архив")
    assert runner.invoke(app, ["validate", "KG-2016-0001.yaml"]).exit_code == 0


def test_cyrillic_file_name_gives_only_the_file_name_problem(
    make_repo: MakeRepo, model_case_text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_repo({"cases/KG/дело Фиктивного.yaml": model_case_text})
    monkeypatch.chdir(root)
    for args in (["validate"], ["validate", "cases/KG/дело Фиктивного.yaml"]):
        result = runner.invoke(app, args)
        assert result.stdout == (
            "cases/KG/дело Фиктивного.yaml:3:10: case_id: the file is named 'дело Фиктивного.yaml' "
            "but the case_id is KG-2016-0001; rename the file to KG-2016-0001.yaml [file-name]\n"
        )
        assert result.stderr == "1 problem in 1 of 1 case file\n"
        assert result.exit_code == 1


def test_yml_and_hidden_files(
    make_repo: MakeRepo, model_case_text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """.yml files are cases too; hidden files and folders (editor backups, .git) are not."""
    monkeypatch.chdir(
        make_repo(
            {
                "cases/KG/KG-2016-0001.yml": model_case_text,
                "cases/KG/.KG-2016-0001.yaml.swp.yaml": "not: [yaml",
                "cases/.git/x.yaml": "not: [yaml",
                "cases/KG/notes.txt": "not: [yaml",
            }
        )
    )
    result = runner.invoke(app, ["validate"])
    assert (result.exit_code, result.stdout, result.stderr) == (
        0,
        "",
        "1 case file checked: all valid\n",
    )


# --- explain, help, version ----------------------------------------------------------------------


def test_explain_a_code() -> None:
    result = runner.invoke(app, ["explain", "enum"])
    assert (result.exit_code, result.stderr) == (0, "")
    assert (
        result.stdout == "enum (error): A value that is not in the vocabulary.\n"
        "Fix: Use one of the values listed.\n"
    )


def test_explain_a_warning_code() -> None:
    result = runner.invoke(app, ["explain", "wrong-folder"])
    assert result.stdout.splitlines() == [
        "wrong-folder (warning): The case file is not in the folder of its country.",
        "Fix: Move it to cases/<COUNTRY>/.",
    ]


@pytest.mark.parametrize(
    ("code", "hint"),
    [
        ("enm", "; did you mean 'enum'?"),
        ("consent-mising", "; did you mean 'consent-missing'?"),
        ("zzzzzz", "; run cattool explain for the list"),
    ],
)
def test_explain_an_unknown_code(code: str, hint: str) -> None:
    result = runner.invoke(app, ["explain", code])
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == f"cattool: no problem code '{code}'{hint}\n"


def test_explain_lists_every_code() -> None:
    result = runner.invoke(app, ["explain"])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert [line.split()[0] for line in lines] == list(CODES)
    assert "enum                 A value that is not in the vocabulary" in lines


def test_help() -> None:
    result = runner.invoke(app, ["--help"])
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout.startswith("Usage: cattool [OPTIONS] COMMAND [ARGS]...\n")
    assert "Start with: cattool validate" in result.stdout
    commands = [
        line.split()[0] for line in result.stdout.split("Commands:\n", 1)[1].splitlines() if line
    ]
    assert {"validate", "explain", "init"} <= set(commands)


def test_no_arguments_shows_help() -> None:
    result = runner.invoke(app, [])
    assert "Usage: cattool [OPTIONS] COMMAND [ARGS]..." in result.stdout + result.stderr


@pytest.mark.parametrize("option", ["--help", "-h"])
def test_validate_help(option: str) -> None:
    result = runner.invoke(app, ["validate", option])
    assert (result.exit_code, result.stderr) == (0, "")
    lines = [line.strip() for line in result.stdout.splitlines()]
    assert lines[0] == "Usage: cattool validate [OPTIONS] [paths]..."
    assert "Examples:" in lines
    assert "cattool validate cases/KG/            # one country" in lines
    assert "cattool validate --format json > report.json" in lines


def test_explain_help() -> None:
    result = runner.invoke(app, ["explain", "--help"])
    assert result.exit_code == 0
    assert "Example: cattool explain consent-missing" in [
        ln.strip() for ln in result.stdout.splitlines()
    ]


def test_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert (result.exit_code, result.stdout) == (0, "cattool 0.1.0\n")


# --- import cost ---------------------------------------------------------------------------------


def test_importing_the_cli_loads_neither_jsonschema_nor_pandas() -> None:
    code = (
        "import sys, cattool.cli; "
        "print(sorted(m for m in ('jsonschema', 'pandas') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout == "[]\n"
    assert result.stderr == ""


def test_the_check_above_would_see_jsonschema() -> None:
    code = "import sys, cattool.validation, jsonschema; print('jsonschema' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout == "True\n"


def test_a_repository_without_a_cases_folder_has_no_cases(tmp_path: Path) -> None:
    (tmp_path / "cattool.yaml").write_text("schema_version: '1.0'\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["validate", "--repo", str(tmp_path)])
    assert (result.exit_code, result.stderr) == (0, "0 case files checked: all valid\n")


def test_the_built_in_schema_is_a_valid_json_schema() -> None:
    from jsonschema import Draft202012Validator

    schema = json.loads((builtin_dir() / "schemas" / "case.schema.json").read_text("utf-8"))
    Draft202012Validator.check_schema(schema)  # cattool skips this check for the built-in schema


def test_a_repository_schema_that_is_not_a_json_schema_is_a_config_error(
    make_repo: Callable[..., Path],
) -> None:
    schema = json.loads((builtin_dir() / "schemas" / "case.schema.json").read_text("utf-8"))
    schema["properties"]["priority"]["type"] = "text"  # not a JSON Schema type
    root = make_repo({"schemas/case.schema.json": json.dumps(schema)})
    result = CliRunner().invoke(app, ["validate", "--repo", str(root)])
    assert result.exit_code == 3
    assert "the case schema is not a valid JSON Schema at properties/priority/type" in result.stderr
