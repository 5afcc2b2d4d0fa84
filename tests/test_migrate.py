"""cattool migrate: a coalition's repository in format 1.0 keeps working after an upgrade.

The files in tests/examples/format-1.0/ are demo cases as they were written before format 1.1
(comments, flow mappings, a consent given by a guardian or a relative as text). Through the CLI as
a user runs it: validate tells an old file to migrate; the dry run writes nothing; --write
changes only the lines the migration is about; a second run finds nothing to do.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cattool.cli import app

OLD = Path(__file__).parent / "examples" / "format-1.0"
runner = CliRunner()


def old_repo(make_repo: Callable[..., Path], *, crlf: bool = False) -> Path:
    root = make_repo({"cattool.yaml": 'cattool:\n  schema_version: "1.0"  # the format\n'})
    for path in OLD.glob("*.yaml"):
        folder = root / "cases" / path.name[:2]
        folder.mkdir(parents=True, exist_ok=True)
        data = path.read_bytes()
        if crlf:
            data = data.replace(b"\n", b"\r\n")
        (folder / path.name).write_bytes(data)
    return root


def changed_lines(before: bytes, after: bytes) -> list[str]:
    old = before.decode("utf-8").splitlines(keepends=True)
    new = after.decode("utf-8").splitlines(keepends=True)
    return [
        line
        for line in difflib.unified_diff(old, new, n=0)
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]


def test_validate_tells_an_old_file_to_migrate(make_repo: Callable[..., Path]) -> None:
    root = old_repo(make_repo)
    result = runner.invoke(app, ["validate", "--repo", str(root), str(root / "cases" / "KG")])
    assert result.exit_code == 1
    [line] = result.stdout.splitlines()
    assert line.endswith(
        ":2:17: schema_version: the file is in format 1.0; run cattool migrate --write to "
        "upgrade it to 1.1 [old-format]"
    )


def test_the_dry_run_lists_every_change_and_writes_nothing(make_repo: Callable[..., Path]) -> None:
    root = old_repo(make_repo)
    before = {p: p.read_bytes() for p in root.rglob("*.yaml")}
    result = runner.invoke(app, ["migrate", "--repo", str(root)])
    assert result.exit_code == 0, result.output
    assert {p: p.read_bytes() for p in root.rglob("*.yaml")} == before
    out = result.stdout
    assert "KZ-2016-BHK5.yaml: 1.0 -> 1.1\n  schema_version: 1.0 -> 1.1\n" in out
    assert "  consent[0].given_by: text -> {role: relative, name: ...}\n" in out
    assert "  consent[0].given_by: text -> {role: guardian, name: ...}\n" in out
    assert "Zaure" not in result.output  # the given_by text is sensitive: never printed
    assert (
        result.stderr.strip() == "3 of 3 file(s) need upgrading to 1.1: run cattool migrate --write"
    )


@pytest.mark.parametrize("crlf", [False, True])
def test_write_changes_only_the_migrated_lines(make_repo: Callable[..., Path], crlf: bool) -> None:
    root = old_repo(make_repo, crlf=crlf)
    before = {p.name: p.read_bytes() for p in (root / "cases").rglob("*.yaml")}
    result = runner.invoke(app, ["migrate", "--write", "--repo", str(root)])
    assert result.exit_code == 0, result.output
    assert result.stderr.strip() == "3 file(s) upgraded to 1.1; 0 already current"
    after = {p.name: p.read_bytes() for p in (root / "cases").rglob("*.yaml")}
    eol = "\r\n" if crlf else "\n"
    assert changed_lines(before["KZ-2016-BHK5.yaml"], after["KZ-2016-BHK5.yaml"]) == [
        f'-schema_version: "1.0"{eol}',
        f'+schema_version: "1.1"{eol}',
        f"-    given_by: Zaure Dummyeva, mother (fictional){eol}",
        f'+    given_by: {{role: relative, name: "Zaure Dummyeva, mother (fictional)"}}{eol}',
    ]
    assert changed_lines(before["KG-2016-0001.yaml"], after["KG-2016-0001.yaml"]) == [
        f'-schema_version: "1.0"{eol}',
        f'+schema_version: "1.1"{eol}',
    ]
    assert (
        root / "cattool.yaml"
    ).read_text() == 'cattool:\n  schema_version: "1.1"  # the format\n'
    valid = runner.invoke(app, ["validate", "--strict", "--repo", str(root)])
    assert valid.exit_code == 0, valid.output
    again = runner.invoke(app, ["migrate", "--write", "--repo", str(root)])
    assert again.stderr.strip() == "0 file(s) upgraded to 1.1; 3 already current"
    assert {p.name: p.read_bytes() for p in (root / "cases").rglob("*.yaml")} == after


OLD_LINKS = """\
schema_version: '1.0'
case_id: KG-2014-4X7Q
country: KG
legal_actions:
  - event_id: e1
    date: 2014-01-10
    type: complaint_sent
  - event_id: e2
    date: 2014-02-01
    type: refusal_to_open   # the first refusal
    grounds: no_corpus_delicti
  - {event_id: e3, date: 2014-03-01, type: decision_annulled}
  - event_id: e4
    date: 2014-04-01
    type: refusal_to_open
  - event_id: e5
    date: 2014-04-10
    type: appeal_filed
    our_ref: "14/7"
"""


def test_an_unlinked_event_gets_the_link_the_model_read_and_says_so(tmp_path: Path) -> None:
    import yaml

    from cattool.countries import load_country
    from cattool.loading import CaseLoader
    from cattool.migrate import apply, plan

    data = yaml.load(OLD_LINKS, Loader=CaseLoader)
    kg = load_country(Path(__file__).parents[1] / "schemas" / "countries" / "KG.yaml")
    migration = plan(OLD_LINKS, data, kg)
    assert migration.changes == [
        "schema_version: 1.0 -> 1.1",
        "legal_actions[2].annuls: e2 (the file did not say which decision e3 is about; check it)",
        "legal_actions[4].responds_to: e4 (the file did not say which decision e5 is about; "
        "check it)",
    ]
    new = apply(OLD_LINKS, migration)
    assert new == OLD_LINKS.replace("'1.0'", "'1.1'").replace(
        "type: decision_annulled}", "type: decision_annulled, annuls: e2}"
    ).replace("    type: appeal_filed\n", "    type: appeal_filed\n    responds_to: e4\n")
    assert plan(new, yaml.load(new, Loader=CaseLoader), kg).changes == []


def test_a_file_of_an_unknown_version_is_reported_and_left_alone(
    make_repo: Callable[..., Path],
) -> None:
    root = old_repo(make_repo)
    path = root / "cases" / "KG" / "KG-2016-0001.yaml"
    text = path.read_text().replace('"1.0"', '"7.3"', 1)
    path.write_text(text)
    result = runner.invoke(app, ["migrate", "--write", "--repo", str(root)])
    assert result.exit_code == 1
    assert (
        "KG-2016-0001.yaml: not migrated: schema_version is '7.3'; cattool knows 1.0, 1.1: "
        "upgrade cattool or fix the file" in result.stderr
    )
    assert path.read_text() == text
    assert "2 file(s) upgraded to 1.1" in result.stderr


def test_the_demo_and_example_cases_are_at_the_current_format() -> None:
    root = Path(__file__).parents[1]
    count = len(list((root / "cases").rglob("*.yaml")))
    result = runner.invoke(app, ["migrate", "--repo", str(root)])
    assert result.exit_code == 0
    assert result.stderr.strip() == f"all {count} case file(s) are at format 1.1"
