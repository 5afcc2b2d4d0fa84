"""Reading commands: show, list, timeline; and the core they share (stages, deadlines)."""

from __future__ import annotations

import copy
import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from cases_builder import CANARY_DATE, events, leaks, load_model, repo_of, values_at, variant
from typer.testing import CliRunner

from cattool.caseformat import CaseFormat
from cattool.cli import app
from cattool.procedure import stage_reached
from cattool.procedure.deadlines import case_deadlines, overdue
from cattool.repo import CaseRepo
from cattool.summary import MASK
from cattool.workdays import due_on

runner = CliRunner()
PROJECT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def fmt() -> CaseFormat:
    return CaseFormat.for_repo(CaseRepo(PROJECT))


@pytest.fixture
def model(model_case_text: str) -> dict[str, Any]:
    """The model case with dates as ``datetime.date`` (see cases_builder)."""
    return load_model(model_case_text)


def invoke(repo: Path, *args: str) -> Any:
    return runner.invoke(app, [*args, "--repo", str(repo)])


def kz_registered(model: dict[str, Any]) -> dict[str, Any]:
    """KZ-2016-0001: a complaint of 15 March 2016, registered the next day."""
    return variant(
        model,
        "KZ-2016-0001",
        legal_actions=events(
            ("e1", "2016-03-15", "complaint_sent"), ("e2", "2016-03-16", "registered")
        ),
    )


# --- stages ---------------------------------------------------------------------------------------


def test_kz_registration_counts_as_an_opened_investigation_and_keeps_the_raw_event(
    model: dict[str, Any], fmt: CaseFormat
) -> None:
    reached = stage_reached(kz_registered(model), fmt.countries["KZ"])
    assert (reached.stage, reached.event_id, reached.event_type, reached.date) == (
        "investigation_opened",
        "e2",
        "registered",
        "2016-03-16",
    )


def test_kg_registration_opens_an_investigation_only_from_2019(
    model: dict[str, Any], fmt: CaseFormat
) -> None:
    before = variant(
        model, "KG-2016-0001", legal_actions=events(("e1", "2018-12-31", "registered"))
    )
    since = variant(model, "KG-2019-0001", legal_actions=events(("e1", "2019-01-01", "registered")))
    assert stage_reached(before, fmt.countries["KG"]).stage == "registered"
    assert stage_reached(since, fmt.countries["KG"]).stage == "investigation_opened"


@pytest.mark.parametrize(
    ("types", "stage", "event_id"),
    [
        ([], "none", None),
        (["forensic_ordered", "appeal_filed"], "none", None),
        (["complaint_sent", "refusal_to_open", "appeal_filed"], "complaint_sent", "e1"),
        (["complaint_sent", "registered", "refusal_to_open"], "registered", "e2"),
        (["complaint_sent", "charges_brought", "sent_to_court"], "sent_to_court", "e3"),
        (["complaint_sent", "sent_to_court", "conviction"], "verdict", "e3"),
        (["complaint_sent", "acquittal", "decision_annulled"], "verdict", "e2"),
    ],
)
def test_the_furthest_stage_is_the_first_event_that_reached_it(
    model: dict[str, Any],
    fmt: CaseFormat,
    types: list[str],
    stage: str,
    event_id: str | None,
) -> None:
    specs = [(f"e{n}", f"2016-0{n}-01", t) for n, t in enumerate(types, start=1)]
    case = variant(model, "KG-2016-0001", legal_actions=events(*specs))
    reached = stage_reached(case, fmt.countries["KG"])
    assert (reached.stage, reached.event_id) == (stage, event_id)


def test_stage_follows_dates_not_the_order_of_the_file(
    model: dict[str, Any], fmt: CaseFormat
) -> None:
    case = variant(
        model,
        "KG-2016-0001",
        legal_actions=events(
            ("e2", "2016-05-01", "investigation_opened"),
            ("e1", "2016-04-01", "investigation_opened"),
        ),
    )
    assert stage_reached(case, fmt.countries["KG"]).event_id == "e1"


# --- deadlines ------------------------------------------------------------------------------------


def test_due_date_counts_working_days_monday_to_friday() -> None:
    monday = dt.date(2024, 3, 4)
    assert due_on(monday, 15, True, None) == dt.date(2024, 3, 25)
    assert due_on(dt.date(2024, 3, 1), 1, True, None) == dt.date(2024, 3, 4)  # Fri->Mon
    assert due_on(dt.date(2024, 3, 1), 1, False, None) == dt.date(2024, 3, 2)
    assert due_on(monday, 0, True, None) == monday


def test_kz_complaint_unanswered_after_15_working_days_is_overdue(
    model: dict[str, Any], fmt: CaseFormat
) -> None:
    case = variant(
        model,
        "KZ-2024-0001",
        legal_actions=events(
            ("e1", "2024-03-04", "complaint_sent"), ("e2", "2024-03-05", "forensic_ordered")
        ),
    )
    kz = fmt.countries["KZ"]
    on_due_day = overdue(case, kz, dt.date(2024, 3, 25))
    assert [o.rule for o in on_due_day] == ["registration"]  # the 1-day rule only
    late = overdue(case, kz, dt.date(2024, 3, 26))
    assert [(o.rule, o.event_id, o.due, o.days_late) for o in late] == [
        ("registration", "e1", dt.date(2024, 3, 5), 21),
        ("procuracy_reply", "e1", dt.date(2024, 3, 25), 1),
    ]


def test_an_answer_meets_a_deadline_only_if_it_came_by_the_as_of_day_and_is_not_for_another(
    model: dict[str, Any], fmt: CaseFormat
) -> None:
    kz = fmt.countries["KZ"]
    answered = variant(
        model,
        "KZ-2024-0001",
        legal_actions=events(
            ("e1", "2024-03-04", "complaint_sent"),
            ("e2", "2024-03-04", "forensic_ordered"),
            ("e3", "2024-03-08", "registered"),
        ),
    )
    assert overdue(answered, kz, dt.date(2024, 6, 1)) == []  # late, but answered
    # Seen as it stood before the answer came, the complaint was overdue.
    before = overdue(answered, kz, dt.date(2024, 3, 7))
    assert [(o.rule, o.due) for o in before] == [("registration", dt.date(2024, 3, 5))]
    other = variant(
        model,
        "KZ-2024-0001",
        legal_actions=events(
            ("e1", "2024-03-04", "complaint_sent"),
            ("e2", "2024-03-04", "forensic_ordered"),
            ("e3", "2024-03-04", "complaint_sent"),
            ("e4", "2024-03-05", "registered"),
            ("e5", "2024-03-05", "forensic_ordered"),
            e4={"responds_to": "e3"},
            e5={"responds_to": "e3"},
        ),
    )
    # e4 answers e3, not e1: but once the report is registered the track is an investigation,
    # and e1's registration and reply rules are closed by it, not overdue
    assert overdue(other, kz, dt.date(2024, 6, 1)) == []
    closed = case_deadlines(other, kz, dt.date(2024, 6, 1), closed=True)
    moved_on = "the proceedings moved on: investigation since e4 (registered, 2024-03-05)"
    assert sorted((o.rule, o.event_id, o.closed_by) for o in closed) == [
        ("procuracy_reply", "e1", moved_on),
        ("registration", "e1", moved_on),
    ]


# --- show -----------------------------------------------------------------------------------------


def test_show_text_of_the_model_case(make_repo: Callable[..., Path], model_case_text: str) -> None:
    repo = make_repo({"cases/KG/KG-2016-0001.yaml": model_case_text})
    result = invoke(repo, "show", "KG-2016-0001", "--as-of", "2016-05-01")
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    lines = result.stdout.splitlines()
    assert lines[0] == "KG-2016-0001 · Torture · Kyrgyzstan (fictional)"
    assert lines[2] == "source: A relative; contact: <hidden: use --reveal>"
    assert lines[lines.index("Who") + 1 : lines.index("What") - 1] == [
        "  v1 T.F.: Male, Adult, vulnerabilities: none, status at incident: Suspect, "
        "current status: Free, reprisal risk: Medium",
        "    name: <hidden: use --reveal>",
        "    date of birth: <hidden: use --reveal>",
        "    contacts: <hidden: use --reveal>",
        "  alleged perpetrator p1: Police (Interior Ministry), role: Direct perpetrator, "
        "identified: Described, position: operative officer, now: Still in post",
    ]
    assert (
        "  i1: Police station, Sokuluk district police department (ROVD), Sokuluk, Chui Region"
        in lines
    )
    assert "  i1: 2016-03-10 (exact)" in lines
    assert "  intake: 2016-03-14" in lines
    at = lines.index("Stage reached")
    assert lines[at + 1 : at + 3] == [
        "  furthest stage: Complaint sent (complaint_sent), reached by e1 on 2016-03-15: "
        "Complaint sent (complaint_sent)",
        # where the proceedings stand on the as-of day: the appeal e4 of the refusal is pending
        "  now: criminal proceedings: refusal appealed since 2016-04-20; domestic remedies: "
        "appeal pending",
    ]
    assert lines[lines.index("Overdue as of 2016-05-01") + 1] == "  nothing overdue"
    assert lines[lines.index("Consent") + 1 :] == [
        "  v1 T.F.: Complaints to national authorities, Anonymised statistics, UN Special "
        "Procedures; form: Written; given on: 2016-03-14; not withdrawn",
        "    name to the government: yes",
        "    name in public reports: Initials only",
    ]


def test_show_overdue_with_as_of_and_russian_labels(
    make_repo: Callable[..., Path], model: dict[str, Any]
) -> None:
    case = variant(
        model,
        "KZ-2024-0001",
        legal_actions=events(
            ("e1", "2024-03-04", "complaint_sent"),
            ("e2", "2024-03-04", "forensic_ordered"),
            ("e3", "2024-03-05", "transferred"),
        ),
    )
    repo = repo_of(make_repo, case)
    # 15 working days from Monday 4 March 2024: 8 March (Women's Day) and Nauryz (21, 22 and
    # 25 March) are public holidays in Kazakhstan, so the 15th working day is Friday 29 March,
    # not Monday 25 as Monday-to-Friday counting would say.
    result = invoke(repo, "show", "KZ-2024-0001", "--as-of", "2024-03-30")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    start = lines.index("Overdue as of 2024-03-30")
    assert lines[start + 1 : lines.index("Consent") - 1] == [
        "  Reply to a complaint: nothing meets e1 (Complaint sent, 2024-03-04) within 15 working "
        "days; due 2024-03-29, 1 day overdue (basis: APPK art. 76)"
    ]
    on_time = invoke(repo, "show", "KZ-2024-0001", "--as-of", "2024-03-29")
    assert "  nothing overdue" in on_time.stdout.splitlines()

    ru = invoke(repo, "show", "KZ-2024-0001", "--as-of", "2024-03-30", "--lang", "ru")
    assert ru.stdout.splitlines()[0] == "KZ-2024-0001 · Пытки · Казахстан (fictional)"
    assert (
        "  Ответ на обращение: nothing meets e1 (Направлено заявление, 2024-03-04) within 15 "
        "working days; due 2024-03-29, 1 day overdue (basis: APPK art. 76)"
    ) in ru.stdout.splitlines()


def test_show_json_gives_codes_labels_and_the_raw_stage_event(
    make_repo: Callable[..., Path], model: dict[str, Any]
) -> None:
    repo = repo_of(make_repo, kz_registered(model))
    result = invoke(repo, "show", "KZ-2016-0001", "--format", "json", "--as-of", "2016-03-19")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["stage"] == {
        "stage": {"code": "investigation_opened", "label": "Criminal case opened"},
        "event": {
            "event_id": "e2",
            "type": {"code": "registered", "label": "Report registered"},
            "date": "2016-03-16",
        },
        "compensation_awarded": False,
    }
    assert data["victims"][0]["full_name"] == MASK
    assert data["incidents"][0]["methods"] == [
        {"code": "beating", "label": "Beating"},
        {"code": "asphyxiation_bag", "label": "Asphyxiation (bag or gas mask)"},
    ]
    assert [o["rule"] for o in data["overdue"]] == ["forensic_order"]
    assert data["overdue"][0]["due_date"] == "2016-03-18"


def test_show_markdown_has_headings_and_bullets(
    make_repo: Callable[..., Path], model_case_text: str
) -> None:
    repo = make_repo({"cases/KG/KG-2016-0001.yaml": model_case_text})
    result = invoke(repo, "show", "KG-2016-0001", "-f", "md", "--as-of", "2016-05-01")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "# KG-2016-0001 · Torture · Kyrgyzstan (fictional)"
    assert lines[lines.index("## Where") + 2 : lines.index("## When") - 1] == [
        "- Chui Region, district: Sokuluk",
        "- i1: Police station, Sokuluk district police department (ROVD), Sokuluk, Chui Region",
    ]


def test_show_unknown_id_suggests_the_closest(
    make_repo: Callable[..., Path], model: dict[str, Any]
) -> None:
    case = variant(model, "KG-2016-0089")
    repo = repo_of(make_repo, case)
    for command in ("show", "timeline"):
        result = invoke(repo, command, "KG-2016-0099")
        assert result.exit_code == 2
        assert result.stdout == ""
        assert result.stderr == "cattool: no case KG-2016-0099; did you mean KG-2016-0089?\n"


def test_show_by_path_and_an_unreadable_case(
    make_repo: Callable[..., Path], model_case_text: str
) -> None:
    repo = make_repo(
        {
            "cases/KG/KG-2016-0001.yaml": model_case_text,
            "cases/KG/KG-2016-0002.yaml": "case_id: [unclosed\n",
        }
    )
    by_path = invoke(
        repo, "show", str(repo / "cases/KG/KG-2016-0001.yaml"), "--as-of", "2016-05-01"
    )
    assert by_path.exit_code == 0, by_path.output
    assert by_path.stdout.splitlines()[0] == "KG-2016-0001 · Torture · Kyrgyzstan (fictional)"
    bad = invoke(repo, "show", "KG-2016-0002")
    assert bad.exit_code == 1
    assert bad.stdout == ""
    assert bad.stderr.startswith(f"cattool: {repo / 'cases/KG/KG-2016-0002.yaml'}:2:1: ")
    assert bad.stderr.rstrip().endswith("[yaml-syntax]")


def test_as_of_must_be_a_date(make_repo: Callable[..., Path], model_case_text: str) -> None:
    repo = make_repo({"cases/KG/KG-2016-0001.yaml": model_case_text})
    result = invoke(repo, "show", "KG-2016-0001", "--as-of", "2016-13-01")
    assert result.exit_code == 2
    assert "Invalid value for '--as-of'" in result.stderr


# --- no sensitive value leaks ---------------------------------------------------------------------


def canary_case(model: dict[str, Any]) -> dict[str, Any]:
    """The model case with a canary in every field the schema marks sensitive."""
    case = copy.deepcopy(model)
    case["source_contact"] = "CANARY-source-contact"
    case["notes"] = "CANARY-notes"
    victim = case["victims"][0]
    victim.update(
        full_name="CANARY-full-name",
        date_of_birth=CANARY_DATE,
        contacts={"phone": "CANARY-phone", "address": "CANARY-address"},
        current_location="CANARY-location",
        representative={
            "type": "lawyer",
            "name": "CANARY-representative",
            "authorization_file": "CANARY-authorization.pdf",
        },
    )
    victim.pop("age_group")
    victim["age_group"] = "unknown"
    incident = case["incidents"][0]
    incident["narrative"] = {
        "ru": "CANARY-narrative-ru [bold]markup[/bold]",
        "en": "CANARY-narrative [bold]markup[/bold]",
    }
    incident["witnesses"] = [
        {"name": "CANARY-witness", "contact": "CANARY-witness-contact", "role": "neighbour"}
    ]
    case["perpetrators"][0]["name"] = "CANARY-perpetrator"
    case["medical_evidence"][0]["files"] = ["CANARY-photo.jpg"]
    for n, event in enumerate(case["legal_actions"]):
        event["outcome_note"] = f"CANARY-outcome-{n} [red]x[/red]"
    case["consent"][0]["given_by"] = {"role": "relative", "name": "CANARY-given-by"}
    victim["full_name_latin"] = "CANARY-latin-name"
    victim["date_of_death"] = "1901-12-31"
    case["applicant"] = {
        "role": "relative",
        "relationship": "mother",
        "name": "CANARY-applicant",
        "power_of_attorney": "CANARY-power-of-attorney.pdf",
    }
    return case


def test_the_canary_case_fills_every_sensitive_field(
    model: dict[str, Any], fmt: CaseFormat
) -> None:
    case = canary_case(model)
    empty = [p for p in fmt.sensitive if not values_at(case, p)]
    assert empty == [], "add a canary for these sensitive fields"


@pytest.fixture
def canary_repo(make_repo: Callable[..., Path], model: dict[str, Any]) -> Path:
    repo = repo_of(make_repo, canary_case(model))
    valid = invoke(repo, "validate")
    assert valid.exit_code == 0, valid.output  # a real case, not one show merely chokes on
    return repo


@pytest.mark.parametrize(
    "args",
    [
        ["show", "KG-2016-0001"],
        ["show", "KG-2016-0001", "--format", "json"],
        ["show", "KG-2016-0001", "--format", "md", "--lang", "ru"],
        ["list"],
        ["list", "--format", "csv"],
        ["list", "--format", "json"],
        ["timeline", "KG-2016-0001"],
        ["timeline", "KG-2016-0001", "--format", "md"],
    ],
)
def test_no_canary_reaches_the_output_without_reveal(canary_repo: Path, args: list[str]) -> None:
    result = invoke(canary_repo, *args)
    assert result.exit_code == 0, result.output
    assert result.stdout.strip()
    assert leaks(result.stdout) == []
    assert leaks(result.stderr) == []


def test_reveal_shows_the_sensitive_values(canary_repo: Path) -> None:
    shown = invoke(canary_repo, "show", "KG-2016-0001", "--reveal").stdout
    for value in (
        "CANARY-source-contact",
        "CANARY-notes",
        "name: CANARY-full-name",
        f"date of birth: {CANARY_DATE}",
        "contacts: phone: CANARY-phone; address: CANARY-address",
        "current location: CANARY-location",
        "representative's name: CANARY-representative",
        "narrative: CANARY-narrative [bold]markup[/bold]",
        "name: CANARY-perpetrator",
        "given by: A relative: CANARY-given-by",
    ):
        assert value in shown
    assert MASK not in shown
    timeline = invoke(canary_repo, "timeline", "KG-2016-0001", "--reveal", "--format", "md")
    assert "| CANARY-outcome-3 [red]x[/red] |" in timeline.stdout


def test_timeline_table_prints_user_text_literally(
    canary_repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "250")
    result = invoke(canary_repo, "timeline", "KG-2016-0001", "--reveal", "--as-of", "2016-05-01")
    assert result.exit_code == 0, result.output
    assert "CANARY-outcome-0 [red]x[/red]" in result.stdout  # rich would eat [red] as markup


# --- timeline -------------------------------------------------------------------------------------


def test_timeline_markdown_counts_days_to_each_answer_and_days_waiting(
    make_repo: Callable[..., Path], model_case_text: str
) -> None:
    repo = make_repo({"cases/KG/KG-2016-0001.yaml": model_case_text})
    result = invoke(repo, "timeline", "KG-2016-0001", "--format", "md", "--as-of", "2016-05-01")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "## Timeline of KG-2016-0001: stages and days waiting as of 2016-05-01",
        "",
        "| Date | Event | Type | Authority | Refs | Stage after | Days | Note |",
        "|---|---|---|---|---|---|---|---|",
        "| 2016-03-15 | e1 (outgoing) | Complaint sent | Sokuluk district procuracy "
        "| ours: VOF-16/031 | complaint pending |  |  |",
        "| 2016-03-16 | e2 (incoming) | Forensic examination ordered | Sokuluk district procuracy "
        "|  | complaint pending | 1 day after e1 |  |",
        "| 2016-04-11 | e3 (incoming) | Refusal to open a criminal case | Sokuluk district "
        "procuracy | theirs: 02-17/516 | refused | 27 days after e1 | CC-KG-1997 art. 305-1; "
        "grounds: No elements of a crime |",
        "| 2016-04-20 | e4 (outgoing) | Appeal filed | Chui regional procuracy "
        "| ours: VOF-16/044 | refusal appealed; pending | 9 days after e3; waiting 11 days |  |",
        "",
        "- now: criminal proceedings: refusal appealed since 2016-04-20; "
        "domestic remedies: appeal pending",
    ]


def test_timeline_sorts_by_date_and_lists_answers_after_as_of_apart(
    make_repo: Callable[..., Path], model: dict[str, Any]
) -> None:
    case = variant(
        model,
        "KG-2016-0001",
        legal_actions=events(
            ("e2", "2016-04-01", "response_received"),
            ("e1", "2016-03-01", "complaint_sent"),
            e1={"direction": "outgoing", "outcome_note": "a | b"},
            e2={"direction": "incoming", "responds_to": "e1"},
        ),
    )
    repo = repo_of(make_repo, case)
    before = invoke(repo, "timeline", "KG-2016-0001", "-f", "md", "--as-of", "2016-03-11")
    after = invoke(
        repo, "timeline", "KG-2016-0001", "-f", "md", "--as-of", "2016-04-02", "--reveal"
    )
    assert before.stdout.splitlines()[4:] == [
        "| 2016-03-01 | e1 (outgoing) | Complaint sent |  |  | complaint pending "
        "| waiting 10 days | &lt;hidden: use --reveal&gt; |",
        "",
        "### Not counted in the stages: recorded after 2016-03-11",
        "",
        "| Date | Event | Type | Authority | Refs | Stage after | Days | Note |",
        "|---|---|---|---|---|---|---|---|",
        "| 2016-04-01 | e2 (incoming) | Response received |  |  | not counted (after the as-of date) "
        "| 31 days after e1 |  |",
        "",
        "- now: criminal proceedings: complaint pending since 2016-03-01; "
        "domestic remedies: awaiting answer",
    ]
    assert after.stdout.splitlines()[4:6] == [
        "| 2016-03-01 | e1 (outgoing) | Complaint sent |  |  | complaint pending |  | a \\| b |",
        "| 2016-04-01 | e2 (incoming) | Response received |  |  | complaint pending "
        "| 31 days after e1 |  |",
    ]
    assert "Not counted" not in after.stdout


# --- list -----------------------------------------------------------------------------------------


@pytest.fixture
def three_cases(make_repo: Callable[..., Path], model: dict[str, Any]) -> Path:
    kz = variant(
        model,
        "KZ-2017-0001",
        member_org="kibhr",
        legal_actions=events(
            ("e1", "2017-04-01", "complaint_sent"), ("e2", "2017-04-02", "registered")
        ),
    )
    kz["victims"].append({**kz["victims"][0], "victim_id": "v2", "public_label": "B.B."})
    closed = variant(model, "KG-2015-0001", case_status="closed", legal_actions=[])
    return repo_of(make_repo, variant(model, "KG-2016-0001"), closed, kz)


def test_list_text(three_cases: Path) -> None:
    result = invoke(three_cases, "list")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "case_id       country  intake_date  region       member_org  violation_type  stage"
        "                 case_status  victims",
        "KG-2015-0001  KG       2015-03-14   chui         vof         torture         none"
        "                  closed       1",
        "KG-2016-0001  KG       2016-03-14   chui         vof         torture         "
        "complaint_sent        open         1",
        "KZ-2017-0001  KZ       2017-03-14   almaty_city  kibhr       torture         "
        "investigation_opened  open         2",
    ]
    assert result.stderr == "3 of 3 cases\n"


@pytest.mark.parametrize(
    ("filters", "ids"),
    [
        (["--country", "kz"], ["KZ-2017-0001"]),
        (["--country", "KG", "--year", "2016"], ["KG-2016-0001"]),
        (["--year", "2015", "--year", "2017"], ["KG-2015-0001", "KZ-2017-0001"]),
        (["--org", "kibhr"], ["KZ-2017-0001"]),
        (["--status", "closed"], ["KG-2015-0001"]),
        (["--stage", "investigation_opened"], ["KZ-2017-0001"]),
        (["--stage", "none", "--stage", "complaint_sent"], ["KG-2015-0001", "KG-2016-0001"]),
        (["--country", "TJ"], []),
    ],
)
def test_list_filters(three_cases: Path, filters: list[str], ids: list[str]) -> None:
    result = invoke(three_cases, "list", "--format", "json", *filters)
    assert result.exit_code == 0, result.output
    assert [row["case_id"] for row in json.loads(result.stdout)] == ids


def test_list_csv_and_json(three_cases: Path) -> None:
    as_csv = invoke(three_cases, "list", "--format", "csv", "--country", "KZ")
    assert as_csv.stdout.splitlines() == [
        "case_id,country,intake_date,region,member_org,violation_type,stage,case_status,victims",
        "KZ-2017-0001,KZ,2017-03-14,almaty_city,kibhr,torture,investigation_opened,open,2",
    ]
    as_json = invoke(three_cases, "list", "--format", "json", "--country", "KZ")
    rows = json.loads(as_json.stdout)
    assert rows == [
        {
            "case_id": "KZ-2017-0001",
            "country": "KZ",
            "intake_date": "2017-03-14",
            "region": "almaty_city",
            "member_org": "kibhr",
            "violation_type": "torture",
            "stage": "investigation_opened",
            "case_status": "open",
            "victims": 2,
        }
    ]
    assert as_json.stderr == ""  # the count goes with the text table only


def test_list_rejects_an_unknown_status_or_stage(three_cases: Path) -> None:
    result = invoke(three_cases, "list", "--stage", "opened")
    assert result.exit_code == 2
    assert result.stderr == (
        "cattool: --stage opened: use one of none, complaint_sent, registered, "
        "investigation_opened, sent_to_court, verdict\n"
    )
    status = invoke(three_cases, "list", "--status", "pending")
    assert status.exit_code == 2
    assert status.stderr == "cattool: --status pending: use one of open, monitoring, closed\n"


def test_list_skips_unreadable_files_with_one_warning_each(
    three_cases: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (three_cases / "cases/KG/KG-2016-0002.yaml").write_text("case_id: [oops\n", encoding="utf-8")
    (three_cases / "cases/TJ").mkdir()
    (three_cases / "cases/TJ/TJ-2016-0001.yaml").write_bytes(b"\xff\xfe broken")
    monkeypatch.chdir(three_cases)
    result = invoke(three_cases, "list", "--format", "csv")
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [
        "cattool: warning: skipped cases/KG/KG-2016-0002.yaml (yaml-syntax); "
        "run cattool validate cases/KG/KG-2016-0002.yaml",
        "cattool: warning: skipped cases/TJ/TJ-2016-0001.yaml (encoding); "
        "run cattool validate cases/TJ/TJ-2016-0001.yaml",
    ]
    assert len(result.stdout.splitlines()) == 4  # header and the three readable cases


def test_help_of_the_reading_commands_ends_with_examples() -> None:
    for command in ("show", "list", "timeline"):
        result = runner.invoke(app, [command, "--help"])
        assert result.exit_code == 0
        assert f"cattool {command}" in result.stdout.split("Example")[-1]
