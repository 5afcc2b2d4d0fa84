"""The project as a new user and CI meet it: README commands, CI script, schema in step, the wheel."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import yaml

from cattool.caseformat import CaseFormat
from cattool.repo import CaseRepo
from cattool.vocabularies import load_vocabularies, schema_drift

PROJECT = Path(__file__).resolve().parent.parent


def readme_commands() -> list[str]:
    text = (PROJECT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Two commands", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.+?)\n```", section)


def test_readme_has_two_commands_and_ci_runs_the_test_one() -> None:
    install, tests = readme_commands()
    assert "&& .venv/bin/cattool validate &&" in install
    assert install.endswith("cattool stats 2016")
    ci = (PROJECT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert tests in ci, "the README's test command must be the line .ci/run runs"


def test_committed_schema_is_what_the_builder_makes(tmp_path: Path) -> None:
    """tools/build_schema.py regenerates the enums from the vocabularies: nothing may drift."""
    committed = (PROJECT / "schemas" / "case.schema.json").read_text(encoding="utf-8")
    scratch = tmp_path / "project"
    (scratch / "schemas").mkdir(parents=True)
    (scratch / "tools").mkdir()
    (scratch / "schemas" / "vocabularies.yaml").write_bytes(
        (PROJECT / "schemas" / "vocabularies.yaml").read_bytes()
    )
    (scratch / "tools" / "build_schema.py").write_bytes(
        (PROJECT / "tools" / "build_schema.py").read_bytes()
    )
    subprocess.run([sys.executable, str(scratch / "tools" / "build_schema.py")], check=True)
    assert (scratch / "schemas" / "case.schema.json").read_text(encoding="utf-8") == committed


def test_vocabularies_match_schema_enums_and_have_both_languages() -> None:
    schema = json.loads((PROJECT / "schemas" / "case.schema.json").read_text(encoding="utf-8"))
    vocabs = load_vocabularies(PROJECT / "schemas" / "vocabularies.yaml")
    assert schema_drift(schema, vocabs) == []
    for vocab in vocabs.values():
        for value in vocab.values:
            assert vocab.label(value, "en") and vocab.label(value, "ru"), (vocab.name, value)
    # Every enum-typed property uses a vocabulary def, so no list of values hides elsewhere.
    body = {k: v for k, v in schema.items() if k != "$defs"}
    assert '"enum"' not in json.dumps(body).replace('"enum": ["1.1"]', "")


def test_drift_is_found() -> None:
    schema = json.loads((PROJECT / "schemas" / "case.schema.json").read_text(encoding="utf-8"))
    vocabs = load_vocabularies(PROJECT / "schemas" / "vocabularies.yaml")
    schema["$defs"]["place_type"]["enum"].append("garage")
    del schema["$defs"]["sex"]["enum"][0]
    assert schema_drift(schema, vocabs) == [
        "$defs/sex lacks male",
        "vocabulary 'place_type' has no labels for garage",
    ]


def test_country_data_loads_and_unverified_values_are_marked() -> None:
    fmt = CaseFormat.for_repo(CaseRepo(PROJECT))
    assert sorted(fmt.countries) == ["KG", "KZ", "TJ"]
    kz = fmt.countries["KZ"]
    import datetime as dt

    code, article = kz.torture_article(dt.date(2016, 5, 1)) or (None, None)
    assert (code.code, article.article) == ("CC-KZ-2014", "146")
    kg = fmt.countries["KG"]
    code, article = kg.torture_article(dt.date(2016, 5, 1)) or (None, None)
    assert (code.code, article.article) == ("CC-KG-1997", "305-1")
    assert kz.accepts("cat_art22") and not kg.accepts("cat_art22")
    raw = yaml.safe_load(
        (PROJECT / "schemas" / "countries" / "TJ.yaml").read_text(encoding="utf-8")
    )
    assert all("verified" in art for c in raw["criminal_codes"] for art in c["articles"])


def test_demo_cases_are_all_valid() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "cattool", "validate", "--repo", str(PROJECT)],
        capture_output=True,
        text=True,
        check=False,
        cwd=PROJECT,
    )
    assert result.stdout == ""
    assert result.returncode == 0
    assert re.fullmatch(r"\d+ case files checked: all valid\n", result.stderr)


@pytest.mark.slow
def test_wheel_ships_schemas_and_templates(tmp_path: Path) -> None:
    """Build the wheel and run cattool from it alone: schemas must come from inside the package."""
    build = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "-q",
            "-w",
            str(tmp_path),
            str(PROJECT),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    if build.returncode != 0:
        pytest.skip(f"cannot build a wheel here (no network for hatchling?): {build.stderr[-200:]}")
    wheel = next(tmp_path.glob("cattool-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    for needed in [
        "cattool/_builtin/schemas/case.schema.json",
        "cattool/_builtin/schemas/vocabularies.yaml",
        "cattool/_builtin/schemas/countries/KZ.yaml",
        "cattool/skeleton/pre-commit-config.yaml",
        "cattool/py.typed",
    ]:
        assert needed in names
    unpacked = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(unpacked)
    repo = tmp_path / "repo"
    (repo / "cases" / "KG").mkdir(parents=True)
    (repo / "cattool.yaml").write_text('cattool:\n  schema_version: "1.1"\n', encoding="utf-8")
    (repo / "cases" / "KG" / "KG-2016-0001.yaml").write_bytes(
        (PROJECT / "cases" / "KG" / "KG-2016-0001.yaml").read_bytes()
    )
    run = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; sys.path.insert(0, sys.argv[1]); import cattool.repo as r; "
            "print(r.builtin_dir()); from cattool.cli import main; sys.argv = ['cattool', 'validate']; "
            "main()",
            str(unpacked),
        ],
        capture_output=True,
        text=True,
        check=False,
        cwd=repo,
    )
    assert run.stdout.splitlines()[0] == str(unpacked / "cattool" / "_builtin")
    assert run.returncode == 0, run.stderr
    assert run.stderr == "1 case file checked: all valid\n"


def test_docs_list_every_problem_code() -> None:
    from cattool.problems import codes_markdown

    assert (PROJECT / "docs" / "checks.md").read_text(encoding="utf-8") == codes_markdown()
