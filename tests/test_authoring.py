"""Authoring: new-case, event add, set. Real YAML with comments, real git, real atomic writes."""

from __future__ import annotations

import difflib
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from cattool.cli import app

runner = CliRunner()

NEW_CASE_OPTIONS = [
    "new-case",
    "--country",
    "KG",
    "--region",
    "chui",
    "--org",
    "vof",
    "--source",
    "relative",
    "--violation",
    "torture",
    "--victim-name",
    "Canary Victimname",
    "--sex",
    "male",
    "--birth-date",
    "1994-07-02",
    "--incident-date",
    "2016-03-10",
    "--intake-date",
    "2016-03-14",
    "--place",
    "police_station",
    "--methods",
    "beating,asphyxiation_bag",
    "--narrative",
    "Canary narrative text",
    "--no-input",
]


def git(repo: Path, *args: str) -> str:
    result = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=True)
    return result.stdout


@pytest.fixture
def repo(make_repo, model_case_text: str) -> Path:
    root = make_repo({"cases/KG/KG-2016-0001.yaml": model_case_text})
    git(root, "init", "--quiet")
    git(root, "add", "--all")
    git(root, "commit", "--quiet", "-m", "start")
    return root


def event_add(repo: Path, case: str, *options: str, input: str | None = None) -> Any:
    """Run ``cattool event add CASE OPTIONS --repo REPO``, with ``input`` as the terminal's."""
    return runner.invoke(app, ["event", "add", case, *options, "--repo", str(repo)], input=input)


def added_lines(before: str, after: str) -> list[str]:
    """Lines the edit added; fails the test if it changed or removed any line."""
    diff = list(difflib.ndiff(before.splitlines(), after.splitlines()))
    assert [d for d in diff if d.startswith("- ")] == [], "an existing line was changed"
    return [d[2:] for d in diff if d.startswith("+ ")]


# --- event add -----------------------------------------------------------------------------------


def test_event_add_keeps_every_byte_of_the_file(repo: Path, model_case_text: str) -> None:
    case = repo / "cases" / "KG" / "KG-2016-0001.yaml"
    result = event_add(
        repo,
        "KG-2016-0001",
        "--type",
        "response_received",
        "--date",
        "2016-05-10",
        "--authority",
        "Chui regional procuracy",
        "--level",
        "regional",
        "--responds-to",
        "e4",
        "--their-ref",
        "12/345",
    )
    assert result.exit_code == 0, result.output
    assert result.stdout == f"{case}: added e5 (response_received, 2016-05-10)\n"
    after = case.read_text(encoding="utf-8")
    assert added_lines(model_case_text, after) == [
        "  - event_id: e5",
        "    date: 2016-05-10",
        "    type: response_received",
        "    authority: {name: Chui regional procuracy, level: regional}",
        "    their_ref: 12/345",
        "    responds_to: e4",
    ]
    # The section comment that followed the timeline still heads the consent section.
    assert "    responds_to: e4\n\n# --- Consent" in after


def test_event_add_inserts_in_date_order(repo: Path, model_case_text: str) -> None:
    case = repo / "cases" / "KG" / "KG-2016-0001.yaml"
    result = event_add(repo, str(case), "--type", "forensic_done", "--date", "2016-03-22")
    assert result.exit_code == 0, result.output
    after = case.read_text(encoding="utf-8")
    assert added_lines(model_case_text, after) == [
        "  - event_id: e5",
        "    date: 2016-03-22",
        "    type: forensic_done",
    ]
    assert after.index("date: 2016-03-22") < after.index("date: 2016-04-11")


def test_event_add_keeps_crlf_and_bom(make_repo, model_case_text: str) -> None:
    raw = ("\ufeff" + model_case_text.replace("\n", "\r\n")).encode("utf-8")
    root = make_repo({"cases/KG/KG-2016-0001.yaml": raw})
    result = event_add(root, "KG-2016-0001", "--type", "other", "--date", "2016-06-01")
    assert result.exit_code == 0, result.output
    after = (root / "cases" / "KG" / "KG-2016-0001.yaml").read_bytes()
    assert after.startswith(b"\xef\xbb\xbf")
    assert after.count(b"\n") == after.count(b"\r\n")
    text = after.replace(b"\r\n", b"\n").decode("utf-8-sig")
    assert added_lines(model_case_text, text) == [
        "  - event_id: e5",
        "    date: 2016-06-01",
        "    type: other",
    ]


def test_event_that_would_make_the_case_invalid_is_refused(
    repo: Path, model_case_text: str
) -> None:
    case = repo / "cases" / "KG" / "KG-2016-0001.yaml"
    result = event_add(
        repo,
        "KG-2016-0001",
        "--type",
        "response_received",
        "--date",
        "2016-05-10",
        "--responds-to",
        "e9",
    )
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        f"cattool: {case} was left unchanged: the edit would make the case invalid:",
        f"{case}:136:18: legal_actions[4].responds_to: there is no event 'e9' in this case "
        "(known: e1, e2, e3, e4, e5) [dangling-reference]",
    ]
    assert case.read_text(encoding="utf-8") == model_case_text
    assert sorted(p.name for p in case.parent.iterdir()) == ["KG-2016-0001.yaml"]


def test_event_add_checks_options_and_names_the_case(repo: Path) -> None:
    wrong = event_add(repo, "KG-2016-0001", "--type", "respnse_received")
    assert wrong.exit_code == 2
    assert wrong.stderr.startswith(
        "cattool: --type: 'respnse_received' is not an event type; did you mean 'response_received'?"
    )
    unknown = event_add(repo, "KG-2016-0002", "--type", "other")
    assert unknown.exit_code == 2
    assert unknown.stderr == "cattool: no case KG-2016-0002; did you mean KG-2016-0001?\n"
    no_type = event_add(repo, "KG-2016-0001")
    assert no_type.exit_code == 2  # input is not a terminal: never prompts
    assert no_type.stderr.startswith("cattool: missing --type")


def test_event_add_interactive_asks_again_after_a_wrong_date(repo: Path) -> None:
    case = repo / "cases" / "KG" / "KG-2016-0001.yaml"
    result = event_add(
        repo,
        "KG-2016-0001",
        "--interactive",
        input="response_received\n2016-13-01\n2016-05-11\nGeneral Prosecutor's Office\n",
    )
    assert result.exit_code == 0, result.output
    assert "Error: '2016-13-01' is not a date; write YYYY-MM-DD" in result.stderr
    text = case.read_text(encoding="utf-8")
    assert "    type: response_received\n    authority: {name: General Prosecutor's Office}" in text
    assert "date: 2016-05-11" in text


def test_interrupted_write_leaves_the_original(
    repo: Path, model_case_text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A failure between writing the temporary file and renaming it changes nothing."""
    case = repo / "cases" / "KG" / "KG-2016-0001.yaml"

    def crash(src: str, dst: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", crash)
    from cattool.editing import load_for_edit
    from cattool.files import write_atomic

    edit = load_for_edit(case)
    edit.data["case_status"] = "closed"
    with pytest.raises(OSError):
        write_atomic(case, edit.dump())
    assert case.read_text(encoding="utf-8") == model_case_text
    assert sorted(p.name for p in case.parent.iterdir()) == ["KG-2016-0001.yaml"]


# --- set -----------------------------------------------------------------------------------------


def test_set_changes_one_line(repo: Path, model_case_text: str) -> None:
    case = repo / "cases" / "KG" / "KG-2016-0001.yaml"
    result = runner.invoke(
        app, ["set", "KG-2016-0001", "case_status", "closed", "--repo", str(repo)]
    )
    assert result.exit_code == 0, result.output
    assert result.stdout == f"{case}: case_status: open -> closed\n"
    after = case.read_text(encoding="utf-8")
    assert after == model_case_text.replace("case_status: open", "case_status: closed")


def test_set_never_prints_a_sensitive_value(repo: Path) -> None:
    result = runner.invoke(
        app, ["set", "KG-2016-0001", "victims[0].full_name", "Canary Newname", "--repo", str(repo)]
    )
    assert result.exit_code == 0, result.output
    assert "Canary" not in result.output and "Fictionov" not in result.output
    assert result.stdout.endswith("victims[0].full_name: changed (sensitive: values not shown)\n")


def test_set_refuses_an_invalid_value(repo: Path, model_case_text: str) -> None:
    case = repo / "cases" / "KG" / "KG-2016-0001.yaml"
    result = runner.invoke(
        app, ["set", "KG-2016-0001", "case_status", "clsed", "--repo", str(repo)]
    )
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == (
        f"{case}:16:14: case_status: 'clsed' is not a case status; did you mean 'closed'? [enum]"
    )
    assert case.read_text(encoding="utf-8") == model_case_text
    bad_path = runner.invoke(
        app, ["set", "KG-2016-0001", "victims[9].sex", "male", "--repo", str(repo)]
    )
    assert bad_path.exit_code == 2


# --- new-case ------------------------------------------------------------------------------------


def test_new_case_by_options_writes_a_valid_commented_file(repo: Path) -> None:
    result = runner.invoke(app, [*NEW_CASE_OPTIONS, "--repo", str(repo)])
    assert result.exit_code == 0, result.output
    created = [p for p in (repo / "cases" / "KG").iterdir() if p.name != "KG-2016-0001.yaml"]
    assert len(created) == 1
    path = created[0]
    assert result.stdout == f"Created {path}\n"
    text = path.read_text(encoding="utf-8")
    assert text.startswith(f"# Case {path.stem}, opened with cattool new-case.")
    for section in (
        "victims",
        "incidents",
        "perpetrators",
        "medical_evidence",
        "legal_actions",
        "un_communications",
        "consent",
    ):
        assert f"\n# {section}: " in text
    assert "public_label: C.V.\n" in text
    check = runner.invoke(app, ["validate", "--repo", str(repo)])
    assert check.exit_code == 0, check.output
    assert check.stderr == "2 case files checked: all valid\n"
    assert git(repo, "status", "--porcelain").strip() == f"?? cases/KG/{path.name}"  # not committed


def test_new_case_without_input_lists_what_is_missing(repo: Path) -> None:
    result = runner.invoke(app, ["new-case", "--country", "KG", "--no-input", "--repo", str(repo)])
    assert result.exit_code == 2
    assert result.stderr == (
        "cattool: missing: --region, --org, --source, --violation, --victim-name, --public-label, "
        "--sex, --incident-date, --place, --methods, --narrative. Give them as options or in a "
        "--from file, or run cattool new-case in a terminal to be asked.\n"
    )
    assert sorted(p.name for p in (repo / "cases" / "KG").iterdir()) == ["KG-2016-0001.yaml"]


def test_new_case_from_file_with_extra_keys(repo: Path, tmp_path: Path) -> None:
    answers = tmp_path / "intake.json"
    answers.write_text(
        '{"country": "KZ", "region": "almaty_city", "member_org": "kib", "source_type": "lawyer",'
        ' "violation_type": "cidt", "victim_name": "Synth Person", "sex": "female", "age_at_incident": 15,'
        ' "incident_date": "2017-02-01", "intake_date": "2017-02-03", "place_type": "ivs",'
        ' "methods": ["beating"], "narrative": "x", "consent_given_by": "Synth Guardian",'
        ' "priority": "urgent"}',
        encoding="utf-8",
    )
    result = runner.invoke(app, ["new-case", "--from", str(answers), "--repo", str(repo)])
    assert result.exit_code == 0, result.output
    path = next((repo / "cases" / "KZ").glob("KZ-2017-*.yaml"))
    text = path.read_text(encoding="utf-8")
    assert "priority: urgent\n" in text
    assert "    age_group: child\n" in text and "    form: guardian\n" in text


def test_new_case_rejects_a_bad_option_before_asking(repo: Path) -> None:
    result = runner.invoke(
        app, [*NEW_CASE_OPTIONS[:4], "chuy", *NEW_CASE_OPTIONS[5:], "--repo", str(repo)]
    )
    assert result.exit_code == 2
    assert result.stderr.startswith("cattool: --region: 'chuy' is not a region of KG; choose from:")


def test_new_case_interactive_with_a_wrong_answer_then_confirm(repo: Path) -> None:
    answers = [
        "KG",  # country (by name)
        "1",  # region: first in the list (bishkek)
        "vof",  # member organisation
        "2016-02-30",  # intake date: does not exist -> asked again
        "2016-03-14",
        "relative",
        "torture",
        "Canary Victimname",
        "",  # name; public label default (initials)
        "male",
        "",
        "22",  # no birth date; age 22
        "2016-03-10",
        "",
        "police_station",
        "beating, 4",
        "Canary narrative text",
        "",
        "",  # consent scopes and form: defaults
        "y",  # confirm
    ]
    result = runner.invoke(
        app, ["new-case", "--interactive", "--repo", str(repo)], input="\n".join(answers) + "\n"
    )
    assert result.exit_code == 0, result.output
    assert "Error: '2016-02-30' is not a date; write YYYY-MM-DD" in result.stderr
    path = next(p for p in (repo / "cases" / "KG").iterdir() if p.name != "KG-2016-0001.yaml")
    text = path.read_text(encoding="utf-8")
    assert "region: bishkek\n" in text
    assert "methods: [beating, asphyxiation_bag]\n" in text
    assert "age_at_incident: 22\n" in text and "public_label: C.V.\n" in text


def test_new_case_declined_or_interrupted_writes_nothing(repo: Path) -> None:
    answers = [
        "KG",
        "1",
        "vof",
        "2016-03-14",
        "relative",
        "torture",
        "A B",
        "",
        "male",
        "",
        "",
        "2016-03-10",
        "",
        "ivs",
        "1",
        "x",
        "",
        "",
        "n",
    ]
    declined = runner.invoke(
        app, ["new-case", "--interactive", "--repo", str(repo)], input="\n".join(answers) + "\n"
    )
    assert declined.exit_code == 0
    assert declined.stderr.endswith("Nothing was written.\n")
    cut_short = runner.invoke(
        app, ["new-case", "--interactive", "--repo", str(repo)], input="KG\n1\n"
    )  # input ends: like Ctrl-D in a terminal
    assert cut_short.exit_code != 0
    assert sorted(p.name for p in (repo / "cases" / "KG").iterdir()) == ["KG-2016-0001.yaml"]


def test_two_branches_create_cases_in_parallel_and_merge(repo: Path) -> None:
    first = runner.invoke(app, [*NEW_CASE_OPTIONS, "--branch", "--repo", str(repo)])
    assert first.exit_code == 0, first.output
    first_branch = git(repo, "branch", "--show-current").strip()
    assert first_branch.startswith("case/KG-2016-")
    git(repo, "switch", "--quiet", "main")
    second = runner.invoke(app, [*NEW_CASE_OPTIONS, "--branch", "--repo", str(repo)])
    assert second.exit_code == 0, second.output
    second_branch = git(repo, "branch", "--show-current").strip()
    assert second_branch != first_branch
    assert git(repo, "log", "-1", "--format=%s").strip() == f"New case {second_branch[5:]}"
    git(repo, "switch", "--quiet", "main")
    git(repo, "merge", "--quiet", "--no-edit", first_branch)
    git(repo, "merge", "--quiet", "--no-edit", second_branch)
    check = runner.invoke(app, ["validate", "--repo", str(repo)])
    assert check.exit_code == 0, check.output
    assert check.stderr == "3 case files checked: all valid\n"


def test_new_ids_avoid_ids_on_other_branches(repo: Path) -> None:
    from cattool.cases import known_case_ids
    from cattool.repo import find_repo

    git(repo, "switch", "--quiet", "-c", "elsewhere")
    other = repo / "cases" / "KZ" / "KZ-2015-7KQ2.yaml"
    other.parent.mkdir(parents=True)
    other.write_text("x: 1\n", encoding="utf-8")
    git(repo, "add", "--all")
    git(repo, "commit", "--quiet", "-m", "other")
    git(repo, "switch", "--quiet", "main")
    assert not other.exists()
    assert "KZ-2015-7KQ2" in known_case_ids(find_repo(repo))


def test_allocated_ids_are_well_formed_and_skip_taken_ones() -> None:
    import random

    from cattool.cases import CASE_ID, allocate_case_id

    rng = random.Random(7)
    first = allocate_case_id("TJ", 2017, set(), random.Random(7))
    again = allocate_case_id("TJ", 2017, {first}, rng)
    assert CASE_ID.match(first) and CASE_ID.match(again)
    assert again != first
