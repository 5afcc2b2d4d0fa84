"""cattool diff and cattool log: real git repositories in tmp_path, with commits on branches.

Every case file starts as the model case; the edits are made on its text, as a lawyer would.
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from cattool.cli import app

runner = CliRunner()
CASE = "cases/KG/KG-2016-0001.yaml"

# The model case's sensitive values, and the new ones the tests write.
OLD_NAME = "Фиктионов Тимур Бакирович"
NEW_NAME = "Canary Newname"
OLD_PHONE = "+996 555 000 222"
NEW_PHONE = "+996 700 123 456"
OLD_SOURCE = "Sister of the victim, +996 555 000 111"
NEW_SOURCE = "Brother of the victim, +996 777 000 999"
OLD_NARRATIVE = "Fictional account. T.F. says two officers"
NEW_NARRATIVE = "Corrected account. T.F. says three officers"
OLD_OFFICER = "Officer Oldcanary"
NEW_OFFICER = "Officer Newcanary"
WITNESS = "Witness Canaryeva"
ADDRESS = "Fictional street 1, Sokuluk"
SECRETS = [OLD_NAME, NEW_NAME, OLD_PHONE, NEW_PHONE, OLD_SOURCE, NEW_SOURCE, OLD_NARRATIVE,
           NEW_NARRATIVE, OLD_OFFICER, NEW_OFFICER, WITNESS, ADDRESS, "+996"]  # fmt: skip


def git(repo: Path, *args: str, date: str = "2024-05-01T10:00:00") -> str:
    env = {**os.environ, "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
    done = subprocess.run(
        ["git", *args], cwd=repo, capture_output=True, text=True, check=False, env=env
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def commit(repo: Path, message: str, date: str = "2024-05-01T10:00:00") -> None:
    git(repo, "add", "--all")
    git(repo, "commit", "--quiet", "-m", message, date=date)


def edit(repo: Path, path: str, *pairs: tuple[str, str]) -> None:
    """Replace each (old, new) text once in the file at ``path``."""
    file = repo / path
    text = file.read_text(encoding="utf-8")
    for old, new in pairs:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    file.write_text(text, encoding="utf-8")


def write(repo: Path, path: str, text: str | bytes) -> None:
    file = repo / path
    file.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        file.write_bytes(text)
    else:
        file.write_text(text, encoding="utf-8")


def other_case(model: str, case_id: str, intake: str = "2016-04-02") -> str:
    return model.replace("case_id: KG-2016-0001", f"case_id: {case_id}").replace(
        "intake_date: 2016-03-14", f"intake_date: {intake}"
    )


def diff(repo: Path, *args: str) -> Any:
    return runner.invoke(app, ["diff", *args, "--repo", str(repo)])


def out(repo: Path, *args: str) -> str:
    result = diff(repo, *args)
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    return result.stdout  # type: ignore[no-any-return]


@pytest.fixture
def repo(make_repo: Callable[..., Path], model_case_text: str) -> Path:
    """The model case committed on main; the work branch checked out."""
    root = make_repo({CASE: model_case_text})
    git(root, "init", "--quiet")
    commit(root, "Add the case", date="2024-01-10T09:00:00")
    git(root, "checkout", "--quiet", "-b", "work")
    return root


NEW_EVENT = """  - event_id: e5
    date: 2016-05-10
    type: response_received
    authority: {name: Chui regional procuracy, level: regional}
    direction: incoming
    responds_to: e4

# --- Consent"""

REMOVED_E4 = """  - event_id: e4
    date: 2016-04-20
    type: appeal_filed
    authority: {name: {ru: Прокуратура Чуйской области, en: Chui regional procuracy}, level: regional, office: chui}
    direction: outgoing
    our_ref: "VOF-16/044"
    responds_to: e3
"""


# --- 1. each kind of change -----------------------------------------------------------------------


def test_a_new_case_with_its_id_country_and_intake_date(repo: Path, model_case_text: str) -> None:
    write(repo, "cases/KG/KG-2016-0002.yaml", other_case(model_case_text, "KG-2016-0002"))
    commit(repo, "New case")
    assert out(repo, "main..work") == (
        "KG-2016-0002 (cases/KG/KG-2016-0002.yaml)\n"
        "  new case KG-2016-0002: KG, intake 2016-04-02, Torture, 1 victim(s), member "
        "organisation vof\n"
    )


def test_every_kind_of_change_in_words_consent_first(repo: Path) -> None:
    edit(
        repo,
        CASE,
        ("priority: high", "priority: normal"),  # a field
        ("methods: [beating, asphyxiation_bag]", "methods: [beating, electric_shock]"),  # a list
        ("    identification: described", "    identification: named"),  # nested
        ("    consent_photos: false\n", ""),  # a field removed
        (REMOVED_E4, ""),  # an event removed
        ("\n# --- Consent", "\n" + NEW_EVENT),  # an event added
        # consent: a scope taken away and a withdrawal
        (
            "scopes: [domestic_complaint, anonymised_statistics, un_special_procedures]",
            "scopes: [domestic_complaint, anonymised_statistics]\n    withdrawn_on: 2016-06-01",
        ),
    )
    commit(repo, "Update the case")
    assert out(repo, "main..work").splitlines() == [
        "KG-2016-0001 (cases/KG/KG-2016-0001.yaml) — consent changed",
        "  ⚠ consent: consent[0].scopes: removed un_special_procedures",
        "  ⚠ consent: consent[0].withdrawn_on: CONSENT WITHDRAWN on 2016-06-01",
        "  priority: high → normal",
        "  incidents[0].methods: added electric_shock",
        "  incidents[0].methods: removed asphyxiation_bag",
        "  perpetrators[0].identification: described → named",
        "  removed medical_evidence[0].consent_photos (was false)",
        "  new event e5: Response received, 2016-05-10, Chui regional procuracy",
        "  removed e4: Appeal filed, 2016-04-20, Chui regional procuracy",
    ]


def test_a_changed_event_field_and_a_new_consent_record(repo: Path) -> None:
    edit(
        repo,
        CASE,
        ('    their_ref: "02-17/516"', '    their_ref: "02-17/600"'),
        (
            "    given_on: 2016-03-14",
            "    given_on: 2016-03-14\n  - person_id: v1\n    scopes: [media]\n"
            "    form: written\n    given_on: 2016-05-02",
        ),
    )
    commit(repo, "Reference and a new consent")
    assert out(repo, "main..work").splitlines() == [
        "KG-2016-0001 (cases/KG/KG-2016-0001.yaml) — consent changed",
        "  ⚠ consent: new consent record consent[1]: for v1, Media, given 2016-05-02",
        "  legal_actions[2].their_ref: 02-17/516 → 02-17/600",
    ]


def test_the_default_is_the_merge_base_with_main_to_the_working_tree(
    repo: Path, model_case_text: str
) -> None:
    edit(repo, CASE, ("priority: high", "priority: normal"))
    commit(repo, "Lower the priority")
    # Main moves on after the branch left it: not this branch's change.
    git(repo, "checkout", "--quiet", "main")
    write(repo, "cases/KG/KG-2016-0003.yaml", other_case(model_case_text, "KG-2016-0003"))
    commit(repo, "Someone else's case")
    git(repo, "checkout", "--quiet", "work")
    # Not committed yet: a change, and a new file not even added to git.
    edit(repo, CASE, ("confirmation: likely", "confirmation: confirmed"))
    write(repo, "cases/KG/KG-2016-0002.yaml", other_case(model_case_text, "KG-2016-0002"))
    text = out(repo)
    assert "KG-2016-0003" not in text
    assert text.splitlines() == [
        "KG-2016-0001 (cases/KG/KG-2016-0001.yaml)",
        "  confirmation: likely → confirmed",
        "  priority: high → normal",
        "",
        "KG-2016-0002 (cases/KG/KG-2016-0002.yaml)",
        "  new case KG-2016-0002: KG, intake 2016-04-02, Torture, 1 victim(s), member "
        "organisation vof",
    ]
    # One revision: from there to the working tree.
    assert out(repo, "work") == (
        "KG-2016-0001 (cases/KG/KG-2016-0001.yaml)\n  confirmation: likely → confirmed\n\n"
        "KG-2016-0002 (cases/KG/KG-2016-0002.yaml)\n  new case KG-2016-0002: KG, intake "
        "2016-04-02, Torture, 1 victim(s), member organisation vof\n"
    )
    # Two revisions compare the two tips, as git diff does: the case main gained since the
    # branch left it reads as deleted by the branch.
    assert out(repo, "main..work").splitlines() == [
        "KG-2016-0001 (cases/KG/KG-2016-0001.yaml)",
        "  priority: high → normal",
        "",
        "KG-2016-0003 (cases/KG/KG-2016-0003.yaml) — DELETED",
        "  ⚠ the case KG-2016-0003 is DELETED: a case is closed with case_status, not deleted; "
        "make sure this is intended",
    ]
    assert out(repo, "work..work") == "No case changed.\n"


def test_a_deleted_case_is_flagged_as_dangerous(repo: Path) -> None:
    git(repo, "rm", "--quiet", CASE)
    commit(repo, "Delete")
    assert out(repo, "main..work") == (
        "KG-2016-0001 (cases/KG/KG-2016-0001.yaml) — DELETED\n"
        "  ⚠ the case KG-2016-0001 is DELETED: a case is closed with case_status, not deleted; "
        "make sure this is intended\n"
    )
    md = out(repo, "main..work", "--format", "md")
    assert "**KG-2016-0001** (`cases/KG/KG-2016-0001.yaml`) — **DELETED**" in md
    assert "- ⚠ the case KG-2016-0001 is DELETED: " in md


def test_a_renamed_case_is_one_case_moved_not_deleted_and_new(repo: Path) -> None:
    git(repo, "mv", CASE, "cases/KG/KG-2016-0002.yaml")
    edit(repo, "cases/KG/KG-2016-0002.yaml", ("case_id: KG-2016-0001", "case_id: KG-2016-0002"))
    commit(repo, "Correct the ID")
    assert out(repo, "main..work") == (
        "KG-2016-0002 (cases/KG/KG-2016-0002.yaml)\n"
        "  moved from cases/KG/KG-2016-0001.yaml\n"
        "  case_id: KG-2016-0001 → KG-2016-0002\n"
    )


def test_an_unreadable_yaml_file_is_reported_not_a_crash(repo: Path, model_case_text: str) -> None:
    edit(repo, CASE, ("priority: high", "priority: [high"))  # broken on the branch
    write(repo, "cases/KG/KG-2016-0009.yaml", "case_id: KG-2016-0009\nvictims: [\n")  # new, broken
    write(repo, "cases/KG/KG-2016-0002.yaml", other_case(model_case_text, "KG-2016-0002"))
    write(repo, "cases/KG/notes.txt", "not a case")  # not YAML: not a case
    commit(repo, "Broken files")
    assert out(repo, "main..work").splitlines() == [
        "KG-2016-0001 (cases/KG/KG-2016-0001.yaml)",
        "  the file cannot be read as YAML: run cattool validate",
        "",
        "KG-2016-0002 (cases/KG/KG-2016-0002.yaml)",
        "  new case KG-2016-0002: KG, intake 2016-04-02, Torture, 1 victim(s), member "
        "organisation vof",
        "",
        "KG-2016-0009 (cases/KG/KG-2016-0009.yaml)",
        "  the file cannot be read as YAML: run cattool validate",
    ]
    md = out(repo, "main..work", "--format", "md")
    assert "**KG-2016-0009** (`cases/KG/KG-2016-0009.yaml`)\n\n- the file cannot be read" in md


@pytest.mark.parametrize("committed", [True, False])
def test_a_case_file_in_windows_1251_is_reported_not_a_crash(repo: Path, committed: bool) -> None:
    write(
        repo,
        "cases/KG/KG-2016-0009.yaml",
        "case_id: KG-2016-0009\nnotes: Привет\n".encode("cp1251"),
    )
    if committed:
        commit(repo, "A file in Windows-1251")
    result = diff(repo, *(["main..work"] if committed else []))
    assert result.exit_code == 0, result.output
    assert "KG-2016-0009 (cases/KG/KG-2016-0009.yaml)" in result.stdout


# --- 2. masking -----------------------------------------------------------------------------------


@pytest.fixture
def sensitive_edits(make_repo: Callable[..., Path], model_case_text: str) -> Path:
    """Main names the officer; the branch changes every kind of sensitive value."""
    named = model_case_text.replace(
        "    identification: described\n", f"    identification: named\n    name: {OLD_OFFICER}\n"
    )
    root = make_repo({CASE: named})
    git(root, "init", "--quiet")
    commit(root, "Add the case")
    git(root, "checkout", "--quiet", "-b", "work")
    edit(
        root,
        CASE,
        (OLD_NAME, NEW_NAME),
        (OLD_PHONE, NEW_PHONE),
        (f"      address: {ADDRESS!r}\n".replace("'", '"'), ""),
        (OLD_SOURCE, NEW_SOURCE),
        (OLD_NARRATIVE, NEW_NARRATIVE),
        (OLD_OFFICER, NEW_OFFICER),
        (
            "    forced_statement: forced_to_sign\n",
            "    forced_statement: forced_to_sign\n    witnesses:\n"
            f'      - {{name: {WITNESS}, contact: "+996 555 111 000", role: neighbour}}\n',
        ),
        (
            "# --- Incidents",
            f"  - victim_id: v2\n    full_name: {WITNESS}\n    public_label: W.C.\n"
            "    sex: female\n\n# --- Incidents",
        ),
    )
    commit(root, "Sensitive edits")
    return root


MASKED = [
    "KG-2016-0001 (cases/KG/KG-2016-0001.yaml)",
    "  source_contact: <source contact changed>",
    "  victims[0].full_name: <name changed>",
    "  victims[0].contacts.phone: <phone changed>",
    "  removed victims[0].contacts.address (was <address removed>)",
    "  new victim v2: W.C., Female",
    "  incidents[0].narrative.en: <narrative changed>",
    "  incidents[0].witnesses: <witnesses added>",
    "  perpetrators[0].name: <name changed>",
]


def test_sensitive_values_are_masked_in_text_and_markdown(sensitive_edits: Path) -> None:
    text = out(sensitive_edits, "main..work")
    assert text.splitlines() == MASKED
    md = out(sensitive_edits, "main..work", "--format", "md")
    # "<name changed>" would be an HTML tag in a comment (and vanish): Markdown escapes it
    assert md.splitlines()[4:] == [
        "- " + line.strip().replace("<", "&lt;").replace(">", "&gt;") for line in MASKED[1:]
    ]
    default = out(sensitive_edits)  # the same changes, committed, from the merge base
    for output in (text, md, default):
        for secret in SECRETS:
            assert secret not in output, secret


def test_reveal_shows_the_sensitive_values(sensitive_edits: Path) -> None:
    text = out(sensitive_edits, "main..work", "--reveal")
    lines = text.splitlines()
    assert f"  source_contact: {OLD_SOURCE} → {NEW_SOURCE}" in lines
    assert f"  victims[0].full_name: {OLD_NAME} → {NEW_NAME}" in lines
    assert f"  victims[0].contacts.phone: {OLD_PHONE} → {NEW_PHONE}" in lines
    assert f"  removed victims[0].contacts.address (was {ADDRESS})" in lines
    assert f"  perpetrators[0].name: {OLD_OFFICER} → {NEW_OFFICER}" in lines
    assert OLD_NARRATIVE in text and NEW_NARRATIVE in text
    assert WITNESS in text
    md = out(sensitive_edits, "main..work", "--reveal", "--format", "md")
    assert f"- victims[0].full_name: {OLD_NAME} → {NEW_NAME}" in md.splitlines()


LONG_EDITS = {
    # The README asks the reviewer to check that nothing identifying went into narrative_public;
    # a name added at the end of it is past the 80 characters the diff shows.
    "narrative_public": (
        "with a plastic bag until he signed a confession.\n",
        "with a plastic bag until he signed a confession to officer Canaryshow.\n",
        [],
    ),
    "narrative --reveal": (
        "over his head until he signed a confession.\n",
        "over his head until he signed a confession on 11 March, Canaryshow says.\n",
        ["--reveal"],
    ),
}


@pytest.mark.parametrize("edit_", LONG_EDITS.values(), ids=LONG_EDITS.keys())
def test_a_change_at_the_end_of_a_long_text_is_visible(
    repo: Path, edit_: tuple[str, str, list[str]]
) -> None:
    old, new, args = edit_
    text = (repo / CASE).read_text(encoding="utf-8")
    assert text.count(old) == 1
    (repo / CASE).write_text(text.replace(old, new), encoding="utf-8")
    commit(repo, "Long text")
    shown = out(repo, "main..work", *args)
    assert len(shown.splitlines()) == 2, shown
    assert "Canaryshow" in shown


# --- 3. Markdown ----------------------------------------------------------------------------------


def test_markdown_is_a_comment_body(repo: Path, model_case_text: str) -> None:
    edit(repo, CASE, ("district: Sokuluk", "district: Sokuluk | Chui"))
    write(repo, "cases/KG/KG-2016-0002.yaml", other_case(model_case_text, "KG-2016-0002"))
    commit(repo, "Two cases")
    md = out(repo, "main..work", "--format", "md")
    assert md.splitlines() == [
        "### Case changes main..work",
        "",
        "**KG-2016-0001** (`cases/KG/KG-2016-0001.yaml`)",
        "",
        "- district: Sokuluk → Sokuluk \\| Chui",
        "",
        "**KG-2016-0002** (`cases/KG/KG-2016-0002.yaml`)",
        "",
        "- new case KG-2016-0002: KG, intake 2016-04-02, Torture, 1 victim(s), member "
        "organisation vof",
    ]
    assert out(repo, "work..work", "--format", "md") == (
        "### Case changes work..work\n\nNo case changed.\n"
    )


def test_markdown_marks_consent_changes_in_the_heading(repo: Path) -> None:
    edit(repo, CASE, ("name_to_government: true", "name_to_government: false"))
    commit(repo, "Consent")
    md = out(repo, "main..work", "-f", "md").splitlines()
    assert md[2] == "**KG-2016-0001** (`cases/KG/KG-2016-0001.yaml`) — **consent changed**"
    assert md[4] == "- ⚠ consent: consent[0].name_to_government: true → false"


def test_a_value_of_several_lines_stays_in_its_bullet(repo: Path) -> None:
    edit(
        repo,
        CASE,
        (
            "      en: Bruises on the back and ribs; pain in the chest.\n",
            "      en: |\n        Bruises on the back.\n        - broken rib\n        # chest pain\n",
        ),
    )
    commit(repo, "Injuries")
    md = out(repo, "main..work", "--format", "md").splitlines()
    changes = md[md.index("**KG-2016-0001** (`cases/KG/KG-2016-0001.yaml`)") + 2 :]
    assert [line for line in changes if line] == [changes[0]]
    assert changes[0].startswith("- incidents[0].injuries.en: ")


# --- 4. log ---------------------------------------------------------------------------------------


@pytest.fixture
def history(repo: Path, model_case_text: str) -> Path:
    edit(repo, CASE, ("priority: high", "priority: normal"))
    commit(repo, "Lower the priority", date="2024-02-01T10:00:00")
    write(repo, "cases/KG/KG-2016-0003.yaml", other_case(model_case_text, "KG-2016-0003"))
    commit(repo, "Another case", date="2024-02-15T10:00:00")
    edit(repo, CASE, ("\n# --- Consent", "\n" + NEW_EVENT), (OLD_NAME, NEW_NAME))
    commit(repo, "Record the reply", date="2024-03-01T10:00:00")
    git(repo, "mv", CASE, "cases/KG/KG-2016-0002.yaml")
    edit(repo, "cases/KG/KG-2016-0002.yaml", ("case_id: KG-2016-0001", "case_id: KG-2016-0002"))
    commit(repo, "Correct the case ID", date="2024-04-01T10:00:00")
    return repo


def log(repo: Path, *args: str) -> list[str]:
    result = runner.invoke(app, ["log", *args, "--repo", str(repo)])
    assert result.exit_code == 0, result.output
    # The commit hashes change with every run: keep their length, not their value.
    return re.sub(r"  [0-9a-f]{10}  ", "  <commit>  ", result.stdout).splitlines()


def test_log_lists_each_commit_touching_the_case_newest_first(history: Path) -> None:
    assert log(history, "KG-2016-0002") == [
        "2024-04-01  <commit>  Test Lawyer: Correct the case ID",
        "    moved from cases/KG/KG-2016-0001.yaml",
        "    case_id: KG-2016-0001 → KG-2016-0002",
        "",
        "2024-03-01  <commit>  Test Lawyer: Record the reply",
        "    victims[0].full_name: <name changed>",
        "    new event e5: Response received, 2016-05-10, Chui regional procuracy",
        "",
        "2024-02-01  <commit>  Test Lawyer: Lower the priority",
        "    priority: high → normal",
        "",
        "2024-01-10  <commit>  Test Lawyer: Add the case",
        "    new case KG-2016-0001: KG, intake 2016-03-14, Torture, 1 victim(s), member "
        "organisation vof",
        "",
    ]
    # The same by path; the other case has its own history.
    by_path = str(history / "cases" / "KG" / "KG-2016-0002.yaml")
    assert log(history, by_path) == log(history, "KG-2016-0002")
    assert log(history, "KG-2016-0003")[:2] == [
        "2024-02-15  <commit>  Test Lawyer: Another case",
        "    new case KG-2016-0003: KG, intake 2016-04-02, Torture, 1 victim(s), member "
        "organisation vof",
    ]
    revealed = "\n".join(log(history, "KG-2016-0002", "--reveal"))
    assert f"victims[0].full_name: {OLD_NAME} → {NEW_NAME}" in revealed
    assert NEW_NAME not in "\n".join(log(history, "KG-2016-0002"))


def test_log_of_an_uncommitted_case(repo: Path, model_case_text: str) -> None:
    write(repo, "cases/KG/KG-2016-0002.yaml", other_case(model_case_text, "KG-2016-0002"))
    assert log(repo, "KG-2016-0002") == ["KG-2016-0002: no commit touches this case yet"]


def test_log_of_a_case_made_by_copying_another_has_only_its_own_commits(history: Path) -> None:
    # git log --follow sees the new file as a copy of the other case: the history stops there
    assert log(history, "KG-2016-0003") == [
        "2024-02-15  <commit>  Test Lawyer: Another case",
        "    new case KG-2016-0003: KG, intake 2016-04-02, Torture, 1 victim(s), member "
        "organisation vof",
        "    made from a copy of cases/KG/KG-2016-0001.yaml",
        "",
    ]


def test_log_says_when_the_file_was_moved(repo: Path) -> None:
    (repo / "cases" / "KZ").mkdir()
    git(repo, "mv", CASE, "cases/KZ/KG-2016-0001.yaml")
    commit(repo, "Move to the wrong folder", date="2024-02-01T10:00:00")
    lines = log(repo, str(repo / "cases" / "KZ" / "KG-2016-0001.yaml"))
    assert lines[0] == "2024-02-01  <commit>  Test Lawyer: Move to the wrong folder"
    assert lines[1] == "    moved from cases/KG/KG-2016-0001.yaml"


# --- 5. what cattool init writes ------------------------------------------------------------------


@pytest.fixture(scope="module")
def initialised(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("init") / "coalition"
    result = runner.invoke(
        app, ["init", str(target), "--coalition", "Test Coalition", "--no-commit"]
    )
    assert result.exit_code == 0, result.output
    return target


def test_github_workflow_writes_the_diff_to_the_step_summary(initialised: Path) -> None:
    text = (initialised / ".github" / "workflows" / "validate.yml").read_text(encoding="utf-8")
    workflow = yaml.safe_load(text)
    assert "pull_request" in workflow[True]  # YAML 1.1 reads the key "on" as true
    steps = workflow["jobs"]["validate"]["steps"]
    assert steps[0]["uses"].startswith("actions/checkout@")
    assert steps[0]["with"]["fetch-depth"] == 0
    runs = [s.get("run", "") for s in steps]
    assert "cattool validate" in runs
    [diff_step] = [s for s in steps if "cattool diff" in s.get("run", "")]
    assert diff_step["if"] == "github.event_name == 'pull_request'"
    assert diff_step["run"] == (
        'cattool diff "origin/${{ github.base_ref }}...HEAD" --format md >> "$GITHUB_STEP_SUMMARY"'
    )
    assert "--reveal" not in text


def test_gitlab_ci_runs_the_diff_on_merge_requests(initialised: Path) -> None:
    text = (initialised / ".gitlab-ci.yml").read_text(encoding="utf-8")
    job = yaml.safe_load(text)["validate-cases"]
    script = "\n".join(job["script"])
    assert "cattool validate" in job["script"]
    assert 'git fetch origin "$CI_MERGE_REQUEST_TARGET_BRANCH_NAME"' in script
    assert 'cattool diff "origin/$CI_MERGE_REQUEST_TARGET_BRANCH_NAME...HEAD" --format md' in script
    assert {"if": '$CI_PIPELINE_SOURCE == "merge_request_event"'} in job["rules"]
    assert "--reveal" not in text


def test_gitlab_diff_shows_only_the_merge_requests_changes(
    initialised: Path, tmp_path: Path, model_case_text: str
) -> None:
    ci = (initialised / ".gitlab-ci.yml").read_text(encoding="utf-8")
    [revisions] = re.findall(r'cattool diff "([^"]+)" --format md', ci)
    revisions = revisions.replace("$CI_MERGE_REQUEST_TARGET_BRANCH_NAME", "main")

    upstream = tmp_path / "upstream"
    assert runner.invoke(app, ["init", str(upstream)]).exit_code == 0
    write(upstream, CASE, model_case_text)
    commit(upstream, "The case")
    git(tmp_path, "clone", "--quiet", str(upstream), "clone")
    clone = tmp_path / "clone"
    git(clone, "checkout", "--quiet", "-b", "work")
    edit(clone, CASE, ("priority: high", "priority: normal"))
    commit(clone, "Lower the priority")
    # Someone else's case is merged into main while the request is open.
    write(upstream, "cases/KG/KG-2016-0002.yaml", other_case(model_case_text, "KG-2016-0002"))
    commit(upstream, "Another case")
    git(clone, "fetch", "--quiet", "origin", "main")

    shown = out(clone, revisions, "--format", "md")
    assert "DELETED" not in shown
    assert "KG-2016-0002" not in shown


def test_the_readme_explains_the_review_routine(initialised: Path) -> None:
    readme = (initialised / "README.md").read_text(encoding="utf-8")
    review = readme[readme.index("## Review") : readme.index("## Changing")]
    assert "`cattool diff`" in review
    assert re.search(r"\*\*consent\*\*.*need a second reviewer", review, re.DOTALL)
    assert "**deleted case**" in review
    assert "`cattool diff --reveal`" in review and "never paste its output" in review
    assert "narrative_public" in review and "summary_public" in review


# --- 6. usage errors ------------------------------------------------------------------------------


@pytest.mark.parametrize("revisions", ["nosuch..work", "main..nosuch", "nosuch"])
def test_an_unknown_revision_is_a_usage_error_with_gits_message(repo: Path, revisions: str) -> None:
    result = diff(repo, revisions)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == "cattool: git diff: fatal: bad revision 'nosuch'\n"
    assert "Traceback" not in result.output


def test_without_a_main_branch_say_what_to_give(
    make_repo: Callable[..., Path], model_case_text: str
) -> None:
    root = make_repo({CASE: model_case_text})
    git(root, "init", "--quiet", "--initial-branch", "trunk")
    commit(root, "Add the case")
    result = diff(root)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        "cattool: no main branch to compare with: give a range, e.g. cattool diff main..HEAD\n"
    )
    edit(root, CASE, ("priority: high", "priority: urgent"))
    assert out(root, "trunk").splitlines()[1:] == ["  priority: high → urgent"]
    assert out(root, "HEAD").splitlines()[1:] == ["  priority: high → urgent"]


def test_a_three_dot_range_works_as_in_git(repo: Path, model_case_text: str) -> None:
    edit(repo, CASE, ("priority: high", "priority: normal"))
    commit(repo, "Lower the priority")
    result = diff(repo, "main...work")
    assert result.exit_code == 0, result.output
    assert result.stdout == out(repo, "main..work")


def test_a_case_repository_in_a_subfolder_of_a_git_repository(
    tmp_path: Path, model_case_text: str
) -> None:
    outer = tmp_path / "outer"
    sub = outer / "coalition"
    write(sub, "cattool.yaml", 'cattool:\n  schema_version: "1.1"\n')
    write(sub, CASE, model_case_text)
    git(outer, "init", "--quiet")
    commit(outer, "Cases in a folder")
    git(outer, "checkout", "--quiet", "-b", "work")
    assert out(sub, "main..work") == "No case changed.\n"
    edit(sub, CASE, ("priority: high", "priority: normal"))
    assert out(sub).splitlines() == [
        "KG-2016-0001 (cases/KG/KG-2016-0001.yaml)",
        "  priority: high → normal",
    ]


# --- problems of the changed cases, through the cache --------------------------------------------


def test_a_change_that_breaks_the_case_is_flagged_with_its_errors(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CATTOOL_NO_CACHE", "")
    edit(repo, CASE, ("priority: high", "priority: medium"))  # not a priority
    text = out(repo, "main")
    assert f"⚠ the case now has 1 error(s): run cattool validate {CASE}" in text
    md = out(repo, "main", "--format", "md")
    assert f"- ⚠ the case now has 1 error(s): run cattool validate {CASE}" in md
    # the working tree's cases are checked through the cache of checked cases
    assert (repo / ".cattool-cache" / "cases.marshal").is_file()
    edit(repo, CASE, ("priority: medium", "priority: normal"))
    assert "error(s)" not in out(repo, "main")  # fixed: changed, but valid


def test_committed_revisions_are_not_checked_for_problems(repo: Path) -> None:
    """Only the working tree is checked (cattool validate reads files, not git history)."""
    edit(repo, CASE, ("priority: high", "priority: medium"))
    commit(repo, "Break the priority")
    assert "error(s)" not in out(repo, "main..work")
    assert "error(s)" in out(repo, "main")  # the same change, seen in the working tree
