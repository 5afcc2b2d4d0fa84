"""cattool deadlines: working-day calendars, national and UN rules, filters, csv/json/ics, show.

Real repositories in tmp_path built from the model case; every due date is worked out by hand in
a comment next to the assertion.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import cases_builder
import holidays
import pytest
from cases_builder import load_model, repo_of
from typer.testing import CliRunner

from cattool.cli import app
from cattool.procedure.deadlines import Deadline, case_deadlines, un_rules_for
from cattool.repo import CaseRepo
from cattool.workdays import WorkCalendar, due_on

runner = CliRunner()
PROJECT = Path(__file__).resolve().parent.parent
D = dt.date


# --- building cases -----------------------------------------------------------------------------


@pytest.fixture
def model(model_case_text: str) -> dict[str, Any]:
    """The model case as cattool reads it: dates stay text."""
    return load_model(model_case_text, text_dates=True)


# Cases of this module keep dates as text, like the model; every event is addressed to the
# district procuracy unless an event says otherwise.
variant = functools.partial(cases_builder.variant, text_dates=True)
events = functools.partial(
    cases_builder.events,
    authority={"name": "Sokuluk district procuracy", "level": "district"},
)


def run(repo: Path, *args: str) -> Any:
    return runner.invoke(app, ["deadlines", *args, "--repo", str(repo)])


def as_json(repo: Path, *args: str) -> list[dict[str, Any]]:
    result = run(repo, *args, "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    return data["deadlines"]  # type: ignore[no-any-return]


def unanswered(model: dict[str, Any], case_id: str, sent: str, **changes: Any) -> dict[str, Any]:
    """A case whose complaint of ``sent`` got a forensic order and a registration the next day,
    but no reply: only the reply deadline (and the UN ones) can be open."""
    day = (D.fromisoformat(sent) + dt.timedelta(days=1)).isoformat()
    return variant(
        model,
        case_id,
        legal_actions=events(
            ("e1", sent, "complaint_sent"),
            ("e2", day, "forensic_ordered"),
            ("e3", day, "transferred"),
            e2={"responds_to": "e1"},
            e3={"responds_to": "e1"},
        ),
        **changes,
    )


# --- 1. working days ------------------------------------------------------------------------------


def test_kz_15_working_days_skip_womens_day_and_nauryz() -> None:
    kz = WorkCalendar("KZ")
    # From Monday 4 March 2024: 5, 6, 7 (3), Fri 8 March is Women's Day, 11-15 (8), 18-20 (11),
    # 21 and 22 March are Nauryz, 23-24 the weekend, Mon 25 March the Nauryz day moved off the
    # Saturday, then 26, 27, 28, 29 (15): Friday 29 March.
    assert kz.add_working_days(D(2024, 3, 4), 15) == D(2024, 3, 29)
    assert [kz.is_working(D(2024, 3, d)) for d in (7, 8, 20, 21, 22, 25, 26)] == [
        True, False, True, False, False, False, True,
    ]  # fmt: skip
    assert kz.holiday_name(D(2024, 3, 8)) and kz.holiday_name(D(2024, 3, 7)) is None
    # Without a country only weekends count: the 15th working day would be Monday 25 March.
    assert due_on(D(2024, 3, 4), 15, True, None) == D(2024, 3, 25)
    assert due_on(D(2024, 3, 4), 15, True, kz) == D(2024, 3, 29)


def test_across_a_month_end_and_a_weekend() -> None:
    kz = WorkCalendar("KZ")
    # Mon 27 May 2024 + 5 working days: 28, 29, 30, 31 May (4), 1-2 June weekend, Mon 3 June (5).
    assert kz.add_working_days(D(2024, 5, 27), 5) == D(2024, 6, 3)
    # Friday + 1 working day is Monday; 0 days is the start itself.
    assert kz.add_working_days(D(2024, 5, 31), 1) == D(2024, 6, 3)
    assert kz.add_working_days(D(2024, 5, 31), 0) == D(2024, 5, 31)
    # Calendar days (Kyrgyzstan's 14-day reply) run through weekends and 29 February.
    assert due_on(D(2024, 2, 20), 14, False, WorkCalendar("KG")) == D(2024, 3, 5)
    assert due_on(D(2023, 2, 20), 14, False, WorkCalendar("KG")) == D(2023, 3, 6)
    assert due_on(D(2016, 12, 25), 14, False, None) == D(2017, 1, 8)


def test_a_kyrgyz_public_holiday_is_not_a_working_day() -> None:
    kg_2024 = holidays.country_holidays("KG", years=2024)
    assert D(2024, 2, 23) in kg_2024  # Fatherland Defender's Day, a Friday
    kg = WorkCalendar("KG")
    # Wed 21 Feb 2024 + 3: Thu 22 (1), Fri 23 holiday, 24-25 weekend, Mon 26 (2), Tue 27 (3).
    assert kg.add_working_days(D(2024, 2, 21), 3) == D(2024, 2, 27)
    assert WorkCalendar("").add_working_days(D(2024, 2, 21), 3) == D(2024, 2, 26)
    # The holiday is Kyrgyz, not Kazakh: Kazakhstan works on 23 February.
    assert not kg.is_working(D(2024, 2, 23)) and WorkCalendar("KZ").is_working(D(2024, 2, 23))


def test_a_tajik_public_holiday_is_not_a_working_day() -> None:
    tj_2024 = holidays.country_holidays("TJ", years=2024)
    assert D(2024, 6, 27) in tj_2024  # National Unity Day, a Thursday
    assert D(2024, 9, 9) in tj_2024  # Independence Day, a Monday
    tj = WorkCalendar("TJ")
    # Tue 25 June 2024 + 3: Wed 26 (1), Thu 27 holiday, Fri 28 (2), weekend, Mon 1 July (3).
    assert tj.add_working_days(D(2024, 6, 25), 3) == D(2024, 7, 1)
    # Fri 6 Sep 2024 + 1: the weekend, then Mon 9 Sep is Independence Day: Tue 10 Sep.
    assert tj.add_working_days(D(2024, 9, 6), 1) == D(2024, 9, 10)


def test_a_saturday_the_holidays_package_moves_to_a_working_day_counts() -> None:
    assert D(2024, 5, 4) in holidays.country_holidays("KZ", years=2024).weekend_workdays
    kz = WorkCalendar("KZ")
    assert kz.is_working(D(2024, 5, 4))
    # Mon 29 Apr 2024 + 15: 30 Apr (1), 1 May holiday, 2, 3 (3), Sat 4 May worked (4), 6 (5),
    # 7, 8, 9 May off, 10 (6), 13-17 (11), 20, 21, 22, 23 (15): Thursday 23 May.
    assert kz.add_working_days(D(2024, 4, 29), 15) == D(2024, 5, 23)


KZ_CALENDARS = {
    # no file: Friday 29 March (see above)
    None: "2024-03-29",
    # Saturday 9 March made a working day: one day earlier.
    "working_days: [2024-03-09]   # a Saturday worked by decree\n": "2024-03-28",
    # Tuesday 12 March made a day off: the 15th working day moves over the weekend to 1 April.
    "days_off: [2024-03-12]\n": "2024-04-01",
    # both: they cancel out.
    "# decree of the Government\ndays_off: [2024-03-12]\nworking_days: [2024-03-09]\n": "2024-03-29",
}


@pytest.mark.parametrize(("calendar", "due"), KZ_CALENDARS.items())
def test_a_decree_calendar_in_the_repository_moves_the_due_date(
    make_repo: Callable[..., Path], model: dict[str, Any], calendar: str | None, due: str
) -> None:
    case = unanswered(model, "KZ-2024-0001", "2024-03-04")
    files = {"schemas/calendars/KZ.yaml": calendar} if calendar else {}
    repo = repo_of(make_repo, case, files=files)
    found = as_json(repo, "--as-of", "2024-03-20", "--within", "30d")
    reply = [d for d in found if d["rule"] == "procuracy_reply"]
    assert [(d["case_id"], d["due"], d["started"]) for d in reply] == [
        ("KZ-2024-0001", due, "2024-03-04")
    ]
    assert reply[0]["days_late"] == (D(2024, 3, 20) - D.fromisoformat(due)).days


def test_a_decree_calendar_of_another_country_leaves_kazakhstan_alone(
    make_repo: Callable[..., Path], model: dict[str, Any]
) -> None:
    case = unanswered(model, "KZ-2024-0001", "2024-03-04")
    repo = repo_of(make_repo, case, files={"schemas/calendars/KG.yaml": "days_off: [2024-03-12]\n"})
    found = as_json(repo, "--as-of", "2024-03-20", "--within", "30d")
    assert [d["due"] for d in found if d["rule"] == "procuracy_reply"] == ["2024-03-29"]


@pytest.mark.parametrize(
    "text",
    [
        "days_off: 2024-03-12\n",  # not a list
        "working_days: [next saturday]\n",  # not dates
        'days_off: ["2024-03-12"]\n',  # quoted: text, not a date
        "- 2024-03-09\n",  # a list, not a mapping
        "days_off: [2024-03-12\n",  # not YAML
    ],
)
def test_a_broken_calendar_file_stops_with_exit_3_naming_it(
    make_repo: Callable[..., Path], model: dict[str, Any], text: str
) -> None:
    case = unanswered(model, "KZ-2024-0001", "2024-03-04")
    repo = repo_of(make_repo, case, files={"schemas/calendars/KZ.yaml": text})
    calendar = repo / "schemas" / "calendars" / "KZ.yaml"
    result = run(repo, "--as-of", "2024-03-20")
    assert result.exit_code == 3, result.output
    assert str(calendar) in result.stderr
    assert "Traceback" not in result.output
    assert result.stdout == ""


# --- 2. cattool deadlines -------------------------------------------------------------------------


def test_an_overdue_reply_is_listed_with_days_late_rule_due_date_and_the_reminder(
    make_repo: Callable[..., Path], model: dict[str, Any]
) -> None:
    repo = repo_of(make_repo, unanswered(model, "KG-2016-0012", "2016-03-15"))
    result = run(repo, "--as-of", "2016-04-05")
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    # Kyrgyzstan: 14 calendar days from 15 March 2016 is 29 March; 5 April is 7 days later.
    assert result.stdout.splitlines() == [
        "Deadlines as of 2016-04-05 (overdue, and due within 14 days):",
        "",
        "KG-2016-0012  7 days overdue    due 2016-03-29  Reply to an appeal  [lawyer-asanova]",
        "    send a reminder: cattool letter --to procuracy --kind reminder KG-2016-0012",
        "    basis: Law No. 67 of 2007 on citizens' appeals (not verified); criminal track, from e1 "
        "(complaint_sent, 2016-03-15)",
        "",
        "1 overdue, 0 due soon",
    ]
    [item] = as_json(repo, "--as-of", "2016-04-05")
    assert item == {
        "case_id": "KG-2016-0012",
        "assignee": "lawyer-asanova",
        "rule": "procuracy_reply",
        "title": "Reply to an appeal",
        "started": "2016-03-15",
        "due": "2016-03-29",
        "days_late": 7,
        "status": "7 days overdue",
        "action": "send a reminder: cattool letter --to procuracy --kind reminder KG-2016-0012",
        "basis": "Law No. 67 of 2007 on citizens' appeals (not verified)",
        "where": "legal_actions[0]",
        "track": "criminal",
        "counts_from": "e1 (complaint_sent, 2016-03-15)",
        "closed_by": "",
    }


def test_a_later_response_to_the_complaint_clears_it(
    make_repo: Callable[..., Path], model: dict[str, Any]
) -> None:
    case = unanswered(model, "KG-2016-0012", "2016-03-15")
    case["legal_actions"] += events(
        ("e4", "2016-04-01", "response_received"), e4={"responds_to": "e1"}
    )
    repo = repo_of(make_repo, case)
    assert as_json(repo, "--as-of", "2016-04-05") == []
    result = run(repo, "--as-of", "2016-04-05")
    assert result.stdout == "Nothing overdue or due within 14 days as of 2016-04-05.\n"
    # Seen as it stood before the answer came (31 March), the reply was 2 days late.
    before = as_json(repo, "--as-of", "2016-03-31")
    assert [(d["rule"], d["days_late"]) for d in before] == [("procuracy_reply", 2)]


def test_an_unlinked_response_counts_only_if_it_is_not_older_than_the_complaint(
    make_repo: Callable[..., Path], model: dict[str, Any]
) -> None:
    older = unanswered(model, "KG-2016-0012", "2016-03-15")
    # An answer to something earlier (14 March: the day before the complaint), linked to nothing.
    older["legal_actions"].insert(0, events(("e0", "2016-03-14", "response_received"))[0])
    newer = unanswered(model, "KG-2016-0013", "2016-03-15")
    newer["legal_actions"] += events(("e4", "2016-03-30", "response_received"))
    repo = repo_of(make_repo, older, newer)
    found = as_json(repo, "--as-of", "2016-04-05")
    assert [(d["case_id"], d["rule"], d["where"]) for d in found] == [
        ("KG-2016-0012", "procuracy_reply", "legal_actions[1]")
    ]


def test_within_lists_what_falls_due_soon_and_not_later(
    make_repo: Callable[..., Path], model: dict[str, Any]
) -> None:
    # 27 April + 14 days = 11 May: 10 days after 1 May.
    soon = unanswered(model, "KG-2016-0012", "2016-04-27")
    # The Special Rapporteur's 60 days from 22 March: 9 (March) + 30 (April) + 21 = 21 May,
    # 20 days after 1 May.
    later = variant(
        model,
        "KG-2016-0013",
        legal_actions=[],
        un_communications=[
            {
                "comm_id": "u1",
                "body": "sr_torture",
                "kind": "allegation_request",
                "submitted_on": "2016-03-16",
                "transmitted_to_state_on": "2016-03-22",
            }
        ],
    )
    repo = repo_of(make_repo, soon, later)

    def due(*args: str) -> list[tuple[str, str, int]]:
        found = as_json(repo, "--as-of", "2016-05-01", *args)
        return [(d["case_id"], d["due"], d["days_late"]) for d in found]

    assert due("--within", "14d") == [("KG-2016-0012", "2016-05-11", -10)]
    assert due() == due("--within", "2w") == due("--within", "14")
    assert due("--within", "9d") == []
    assert due("--within", "20d") == [
        ("KG-2016-0012", "2016-05-11", -10),
        ("KG-2016-0013", "2016-05-21", -20),
    ]
    text = run(repo, "--as-of", "2016-05-01").stdout.splitlines()
    assert text[2].startswith("KG-2016-0012  due in 10 days    due 2016-05-11  Reply to an appeal")
    assert text[-1] == "0 overdue, 1 due soon"

    bad = run(repo, "--within", "soon")
    assert bad.exit_code == 2
    assert "--within: 'soon' is not a number of days; write 14d or 2w" in bad.stderr


def test_as_of_sees_the_case_as_it_stood_that_day(
    make_repo: Callable[..., Path], model: dict[str, Any]
) -> None:
    repo = repo_of(make_repo, unanswered(model, "KG-2016-0012", "2016-03-15"))
    # Before the complaint was sent nothing runs; on the due day it is "due today".
    assert as_json(repo, "--as-of", "2016-03-14") == []
    [today] = as_json(repo, "--as-of", "2016-03-29")
    assert (today["days_late"], today["status"]) == (0, "due today")
    [late] = as_json(repo, "--as-of", "2016-03-30")
    assert (late["days_late"], late["status"]) == (1, "1 day overdue")
    bad = run(repo, "--as-of", "2016-02-30")
    assert bad.exit_code == 2, bad.output
    assert "Traceback" not in bad.output


def test_most_urgent_first(make_repo: Callable[..., Path], model: dict[str, Any]) -> None:
    # Nothing met: forensic examination (3 days) and reply (14) run; in 2016 Kyrgyzstan had no
    # register of crimes, so no 24-hour registration rule (it applies from 2019).
    first = variant(
        model, "KG-2016-0012", legal_actions=events(("e1", "2016-03-15", "complaint_sent"))
    )
    second = variant(
        model,
        "KG-2016-0011",
        legal_actions=events(
            ("e1", "2016-03-20", "complaint_sent"),
            ("e2", "2016-03-21", "forensic_ordered"),
            e2={"responds_to": "e1"},
        ),
    )
    repo = repo_of(make_repo, first, second)
    found = as_json(repo, "--as-of", "2016-04-05")
    assert [(d["case_id"], d["rule"], d["due"], d["days_late"]) for d in found] == [
        ("KG-2016-0012", "forensic_order", "2016-03-18", 18),
        ("KG-2016-0012", "procuracy_reply", "2016-03-29", 7),
        # 14 calendar days end on Sunday 3 April: the deadline moves to Monday 4 April
        ("KG-2016-0011", "procuracy_reply", "2016-04-04", 1),
    ]
    text = run(repo, "--as-of", "2016-04-05").stdout
    assert text.splitlines()[-1] == "3 overdue, 0 due soon"
    assert "insist on a forensic examination now: traces fade" in text


@pytest.fixture
def four_cases(make_repo: Callable[..., Path], model: dict[str, Any]) -> Path:
    return repo_of(
        make_repo,
        unanswered(model, "KG-2016-0012", "2016-03-15"),
        unanswered(model, "KZ-2016-0003", "2016-03-15", member_org="kib", assignee="lawyer-ivanova"),
        unanswered(model, "KG-2016-0014", "2016-03-15", case_status="closed"),
        unanswered(model, "KG-2016-0015", "2016-03-15", case_status="monitoring", assignee="lawyer-bek"),
    )  # fmt: skip


@pytest.mark.parametrize(
    ("filters", "ids"),
    [
        ([], ["KG-2016-0012", "KG-2016-0015", "KZ-2016-0003"]),  # never the closed one
        (["--country", "KZ"], ["KZ-2016-0003"]),
        (["--country", "kg"], ["KG-2016-0012", "KG-2016-0015"]),
        (["--country", "KG", "--country", "KZ"], ["KG-2016-0012", "KG-2016-0015", "KZ-2016-0003"]),
        (["--org", "kib"], ["KZ-2016-0003"]),
        (["--org", "vof"], ["KG-2016-0012", "KG-2016-0015"]),
        (["--assignee", "lawyer-asanova"], ["KG-2016-0012"]),
        (["--assignee", "lawyer-bek", "--assignee", "lawyer-ivanova"], ["KG-2016-0015", "KZ-2016-0003"]),
        (["--org", "vof", "--country", "KZ"], []),
        (["--assignee", "nobody"], []),
    ],
)  # fmt: skip
def test_filters_and_closed_cases(four_cases: Path, filters: list[str], ids: list[str]) -> None:
    # As of 5 April 2016, KG replies (29 March) are late; the Kazakh one, 15 working days with
    # Nauryz 21-23 March, falls due on 8 April: within 14 days.
    found = as_json(four_cases, "--as-of", "2016-04-05", *filters)
    assert sorted({d["case_id"] for d in found}) == ids
    assert all(d["rule"] == "procuracy_reply" for d in found)


def test_an_unknown_country_is_a_usage_error(four_cases: Path) -> None:
    result = run(four_cases, "--country", "UZ")
    assert result.exit_code == 2
    assert "--country is KZ, KG or TJ" in result.stderr


def test_kz_reply_in_2016_is_the_2007_law_s_15_calendar_days(four_cases: Path) -> None:
    [kz] = as_json(four_cases, "--as-of", "2016-04-05", "--country", "KZ")
    # Law No. 221 of 2007 (until 30 June 2021): 15 calendar days from 15 March 2016.
    assert (kz["due"], kz["days_late"], kz["status"]) == ("2016-03-30", 6, "6 days overdue")
    assert kz["basis"].startswith("Law No. 221 of 12 January 2007")
    assert (
        kz["action"]
        == "send a reminder: cattool letter --to procuracy --kind reminder KZ-2016-0003"
    )


@pytest.mark.parametrize(
    ("sent", "law", "due"),
    [
        # 15 calendar days under the 2007 law, for a complaint sent on its last day in force
        ("2021-06-30", "Law No. 221", "2021-07-15"),
        # 15 working days under the APPK from 1 July 2021: Saturday 3 July was a working day,
        # 5 and 6 July (Capital Day) and 20 July (Kurban ait) were not
        ("2021-07-01", "APPK art. 76", "2021-07-26"),
        ("2021-07-02", "APPK art. 76", "2021-07-27"),
    ],
)
def test_kz_reply_rule_changes_on_the_day_the_appk_came_into_force(
    make_repo: Callable[..., Path], model: dict[str, Any], sent: str, law: str, due: str
) -> None:
    repo = repo_of(make_repo, unanswered(model, "KZ-2021-0003", sent))
    [kz] = as_json(repo, "--as-of", "2021-08-30", "--country", "KZ")
    assert kz["basis"].startswith(law)
    assert kz["due"] == due


def test_invalid_case_files_are_skipped_with_a_warning(
    make_repo: Callable[..., Path], model: dict[str, Any]
) -> None:
    good = unanswered(model, "KG-2016-0012", "2016-03-15")
    bad = unanswered(model, "KG-2016-0013", "2016-03-15", violation_type="not-a-type")
    repo = repo_of(make_repo, good, bad, files={"cases/KG/KG-2016-0014.yaml": "case_id: [\n"})
    result = run(repo, "--as-of", "2016-04-05", "--format", "json")
    assert result.exit_code == 0, result.output
    assert [d["case_id"] for d in json.loads(result.stdout)["deadlines"]] == ["KG-2016-0012"]
    assert result.stderr == (
        "cattool: warning: 2 case file(s) with errors were skipped (cattool validate shows why); "
        "their deadlines are not listed\n"
    )


def test_csv_and_json_parse_back_to_the_same_rows(
    make_repo: Callable[..., Path], model: dict[str, Any]
) -> None:
    first = variant(
        model, "KG-2019-0012", legal_actions=events(("e1", "2019-03-15", "complaint_sent"))
    )
    repo = repo_of(make_repo, first, unanswered(model, "KZ-2019-0003", "2019-03-15"))
    rows = as_json(repo, "--as-of", "2019-04-05")
    result = run(repo, "--as-of", "2019-04-05", "--format", "csv")
    assert result.exit_code == 0, result.output
    parsed = list(csv.DictReader(io.StringIO(result.stdout)))
    assert parsed == [{k: str(v) for k, v in row.items()} for row in rows]
    assert len(parsed) == 4
    # The basis keeps its text and the "(not verified)" mark survives quoting.
    registration = next(row for row in parsed if row["rule"] == "registration")
    assert registration["basis"] == (
        "CPC 2017 art. 150 (2019-2021); CPC 2021 art. 146(1) (not verified)"
    )
    # one day after Friday 15 March 2019 is a Saturday: the deadline moves to Monday
    assert registration["due"] == "2019-03-18"
    kz = [row for row in parsed if row["case_id"] == "KZ-2019-0003"]
    assert kz[0]["basis"].startswith(
        "Law No. 221 of 12 January 2007 on considering appeals, art. 8"
    )
    empty = run(repo, "--as-of", "2019-03-01", "--format", "csv")
    assert empty.stdout == "case_id\n"
    out = repo / "out" / "deadlines.json"
    written = run(repo, "--as-of", "2019-04-05", "--format", "json", "-o", str(out))
    assert written.stdout == f"wrote {out} (4 deadlines)\n"
    data = json.loads(out.read_text(encoding="utf-8"))
    assert (data["as_of"], data["within_days"], data["deadlines"]) == ("2019-04-05", 14, rows)


# --- 3. UN rules ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def un_rules() -> list[dict[str, Any]]:
    return un_rules_for(CaseRepo(PROJECT).schema_file)


def un_case(model: dict[str, Any], **comm: Any) -> dict[str, Any]:
    """The model case (final domestic decision: refusal of 11 April 2016) with one communication."""
    base = {"comm_id": "u1", "kind": "individual_complaint", "submitted_on": "2016-05-01"}
    return variant(model, "KG-2016-0001", un_communications=[{**base, **comm}] if comm else [])


def un_due(case: dict[str, Any], as_of: dt.date, rules: list[dict[str, Any]]) -> dict[str, Any]:
    return {d.rule: (d.due, d.days_late) for d in case_deadlines(case, None, as_of, un_rules=rules)}


def the_deadline(
    case: dict[str, Any], as_of: dt.date, rules: list[dict[str, Any]], rule: str
) -> Deadline:
    """The one deadline of ``rule`` that ``case`` has as of ``as_of`` (fails if not exactly one)."""
    [item] = [d for d in case_deadlines(case, None, as_of, un_rules=rules) if d.rule == rule]
    return item


@pytest.mark.parametrize(
    ("body", "sent", "due"),
    [
        ("ccpr", "2016-08-31", D(2017, 2, 28)),  # no 31 February: the month's last day
        ("cat", "2019-08-31", D(2020, 2, 29)),  # a leap year
        ("ccpr", "2016-10-31", D(2017, 4, 30)),
        ("ccpr", "2016-07-15", D(2017, 1, 15)),  # across the year end
    ],
)
def test_the_states_reply_to_a_committee_is_due_six_months_later(
    model: dict[str, Any], un_rules: list[dict[str, Any]], body: str, sent: str, due: dt.date
) -> None:
    case = un_case(model, body=body, transmitted_to_state_on=sent)
    assert un_due(case, due, un_rules)["state_reply_treaty"] == (due, 0)
    assert un_due(case, due + dt.timedelta(days=1), un_rules)["state_reply_treaty"] == (due, 1)
    # Not before it was transmitted.
    assert "state_reply_treaty" not in un_due(
        case, D.fromisoformat(sent) - dt.timedelta(1), un_rules
    )


def test_the_states_reply_clears_it_from_the_day_it_came(
    model: dict[str, Any], un_rules: list[dict[str, Any]]
) -> None:
    case = un_case(
        model, body="ccpr", transmitted_to_state_on="2016-08-31", state_reply_on="2017-03-10"
    )
    assert un_due(case, D(2017, 3, 9), un_rules)["state_reply_treaty"] == (D(2017, 2, 28), 9)
    assert "state_reply_treaty" not in un_due(case, D(2017, 3, 10), un_rules)
    item = the_deadline(case, D(2017, 3, 9), un_rules, "state_reply_treaty")
    assert (item.where, item.basis, item.verified) == (
        "un_communications[0]",
        "OP-ICCPR art. 4(2); CAT art. 22(3)",
        True,
    )
    # The Special Rapporteur's 60 days are a different rule: not for a Committee.
    assert "state_reply_special_procedure" not in un_due(case, D(2017, 3, 9), un_rules)


def test_views_follow_up_180_days_after_the_decision_gone_90_days_after_it_fell_due(
    model: dict[str, Any], un_rules: list[dict[str, Any]]
) -> None:
    case = un_case(
        model,
        body="ccpr",
        transmitted_to_state_on="2016-08-31",
        state_reply_on="2016-12-01",
        decided_on="2018-01-10",
        outcome="violation",
    )
    # 10 January 2018 + 180 days: 21 (January) + 28 + 31 + 30 + 31 + 30 = 171 on 30 June, 9 July.
    due = D(2018, 7, 9)
    assert un_due(case, D(2018, 7, 1), un_rules)["views_follow_up_hrc"] == (due, -8)
    assert un_due(case, due + dt.timedelta(days=90), un_rules)["views_follow_up_hrc"] == (due, 90)
    assert "views_follow_up_hrc" not in un_due(case, due + dt.timedelta(days=91), un_rules)
    # The Committee against Torture's follow-up is 90 days.
    cat = un_case(model, body="cat", decided_on="2018-01-10", outcome="violation")
    assert un_due(cat, D(2018, 4, 1), un_rules)["views_follow_up_cat"] == (D(2018, 4, 10), -9)


@pytest.mark.parametrize("outcome", ["inadmissible", "no_violation", "discontinued"])
def test_no_follow_up_deadline_without_a_violation(
    model: dict[str, Any], un_rules: list[dict[str, Any]], outcome: str
) -> None:
    case = un_case(model, body="ccpr", decided_on="2018-01-10", outcome=outcome)
    assert "views_follow_up_hrc" not in un_due(case, D(2018, 7, 1), un_rules)


def test_a_decided_communication_no_longer_waits_for_the_states_reply(
    model: dict[str, Any], un_rules: list[dict[str, Any]]
) -> None:
    case = un_case(
        model,
        body="ccpr",
        transmitted_to_state_on="2016-08-31",
        decided_on="2018-01-10",
        outcome="violation",
    )
    assert "state_reply_treaty" not in un_due(case, D(2020, 1, 10), un_rules)


def test_the_five_year_window_runs_from_the_last_final_domestic_decision(
    model: dict[str, Any], un_rules: list[dict[str, Any]]
) -> None:
    case = un_case(model)
    # The refusal of 11 April 2016 was appealed on 20 April: while the appeal is pending the
    # remedies are not exhausted, and no window runs.
    assert "hrc_window" not in un_due(case, D(2021, 3, 1), un_rules)
    case["legal_actions"] += events(("e5", "2017-06-01", "appeal_decided"))
    # The appeal rejected on 1 June 2017 ends the domestic road: five years to 1 June 2022.
    assert un_due(case, D(2021, 3, 1), un_rules)["hrc_window"] == (D(2022, 6, 1), -457)
    # A decision after the as-of day is not known yet.
    assert "hrc_window" not in un_due(case, D(2017, 5, 1), un_rules)
    # fade_days 90: listed 90 days after the window closed, not 91.
    assert un_due(case, D(2022, 8, 30), un_rules)["hrc_window"] == (D(2022, 6, 1), 90)
    assert "hrc_window" not in un_due(case, D(2022, 8, 31), un_rules)
    item = the_deadline(case, D(2022, 5, 1), un_rules, "hrc_window")
    assert (
        item.action == "decide on an individual complaint: cattool un-check KG-2016-0001 --to hrc"
    )
    assert item.where == "legal_actions[4]"


@pytest.mark.parametrize(
    ("body", "window"), [("ccpr", False), ("cat", False), ("sr_torture", True)]
)
def test_no_five_year_window_once_a_committee_has_the_case(
    model: dict[str, Any], un_rules: list[dict[str, Any]], body: str, window: bool
) -> None:
    case = un_case(model, body=body)
    case["legal_actions"] += events(("e5", "2017-06-01", "appeal_decided"))  # remedies exhausted
    assert ("hrc_window" in un_due(case, D(2021, 3, 1), un_rules)) is window


def test_no_window_without_a_final_decision(
    model: dict[str, Any], un_rules: list[dict[str, Any]]
) -> None:
    case = variant(
        model, "KG-2016-0001", legal_actions=events(("e1", "2016-03-15", "complaint_sent"))
    )
    assert "hrc_window" not in un_due(case, D(2021, 3, 1), un_rules)


def test_a_special_rapporteur_submission_gets_stale_a_year_after_the_incident(
    model: dict[str, Any], un_rules: list[dict[str, Any]]
) -> None:
    case = un_case(model)
    # Incident 10 March 2016: stale on 10 March 2017; no longer listed 365 days after that.
    assert un_due(case, D(2016, 5, 1), un_rules)["sr_stale"] == (D(2017, 3, 10), -313)
    assert un_due(case, D(2018, 3, 10), un_rules)["sr_stale"] == (D(2017, 3, 10), 365)
    assert "sr_stale" not in un_due(case, D(2018, 3, 11), un_rules)
    item = the_deadline(case, D(2016, 5, 1), un_rules, "sr_stale")
    assert item.action == (
        "send it to the Special Rapporteur soon: cattool un-check KG-2016-0001 --to sr-torture"
    )
    written = un_case(model, body="sr_torture", kind="allegation_request")
    assert "sr_stale" not in un_due(written, D(2016, 5, 1), un_rules)
    leap = un_case(model)
    leap["incidents"][0]["date_start"] = "2016-02-29"
    assert un_due(leap, D(2016, 5, 1), un_rules)["sr_stale"] == (D(2017, 2, 28), -303)


def test_sr_stale_names_the_incident_it_counts_from(
    model: dict[str, Any], un_rules: list[dict[str, Any]]
) -> None:
    case = un_case(model)
    earlier = {**case["incidents"][0], "incident_id": "i2", "date_start": "2016-02-01"}
    case["incidents"].append(earlier)
    item = the_deadline(case, D(2016, 5, 1), un_rules, "sr_stale")
    assert item.start == D(2016, 2, 1)
    assert item.where == "incidents[1].date_start"


def test_un_deadlines_through_the_command(
    make_repo: Callable[..., Path], model: dict[str, Any]
) -> None:
    case = un_case(model, body="ccpr", transmitted_to_state_on="2016-08-31")
    case["consent"][0]["scopes"].append("un_treaty_body")
    repo = repo_of(make_repo, case)
    found = as_json(repo, "--as-of", "2017-03-01")
    # The Committee has the case: no five-year window; the Special Rapporteur's year still runs.
    assert [(d["rule"], d["due"], d["days_late"]) for d in found] == [
        ("state_reply_treaty", "2017-02-28", 1),
        ("sr_stale", "2017-03-10", -9),
    ]
    assert found[0]["action"] == (
        "ask the Committee's secretariat whether the State has replied; record it (state_reply_on)"
    )


# --- 4. iCalendar ---------------------------------------------------------------------------------


def unfold(content: str) -> list[str]:
    """The logical lines of an iCalendar file (RFC 5545 3.1)."""
    logical: list[str] = []
    for line in content.split("\r\n")[:-1]:
        if line.startswith(" "):
            logical[-1] += line[1:]
        else:
            logical.append(line)
    return logical


def unescape(value: str) -> str:
    return re.sub(r"\\([\\;,nN])", lambda m: "\n" if m[1] in "nN" else m[1], value)


def vevents(lines: list[str]) -> list[dict[str, str]]:
    found: list[dict[str, str]] = []
    for line in lines:
        if line == "BEGIN:VEVENT":
            found.append({})
        elif line != "END:VEVENT" and found and "END:VEVENT" not in found[-1]:
            name, _, value = line.partition(":")
            found[-1][name] = value
        if line == "END:VEVENT":
            found[-1]["END:VEVENT"] = ""
    return found


@pytest.fixture
def ics_repo(make_repo: Callable[..., Path], model: dict[str, Any]) -> Path:
    kg = (PROJECT / "schemas" / "countries" / "KG.yaml").read_text(encoding="utf-8")
    own = kg.replace(
        "title: {en: Reply to an appeal,",
        'title: {en: "Reply, in writing; to an appeal — ответ на обращение",',
    ).replace(
        "basis: Law No. 67 of 2007 on citizens' appeals",
        'basis: "Law No. 67 of 2007, art. 8; on citizens\' appeals"',
    )
    assert own.count("ответ на обращение") == 1 and own.count("art. 8; on") == 1
    first = variant(
        model, "KG-2019-0012", legal_actions=events(("e1", "2019-03-15", "complaint_sent"))
    )
    return repo_of(make_repo, first, files={"schemas/countries/KG.yaml": own})


def test_ics_is_a_calendar_of_all_day_events_on_the_due_dates(
    ics_repo: Path, model: dict[str, Any]
) -> None:
    out = ics_repo / "out" / "deadlines.ics"
    result = run(ics_repo, "--as-of", "2019-04-05", "--format", "ics", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert result.stdout == f"wrote {out} (3 deadlines)\n"
    content = out.read_bytes().decode("utf-8")
    assert content.endswith("\r\n")
    assert "\n" not in content.replace("\r\n", ""), "every line ends in CRLF"
    physical = content.split("\r\n")[:-1]
    assert all(len(line.encode("utf-8")) <= 75 for line in physical)
    assert any(line.startswith(" ") for line in physical), "long lines are folded"
    lines = unfold(content)
    assert (lines[0], lines[-1]) == ("BEGIN:VCALENDAR", "END:VCALENDAR")
    assert "VERSION:2.0" in lines
    assert lines.count("BEGIN:VEVENT") == lines.count("END:VEVENT") == 3

    rows = as_json(ics_repo, "--as-of", "2019-04-05")
    found = vevents(lines)
    assert [e["DTSTART;VALUE=DATE"] for e in found] == [r["due"].replace("-", "") for r in rows]
    # forensic examination and registration (1 day, from Saturday moved to Monday 18 March),
    # then the reply (14 days)
    assert [e["DTSTART;VALUE=DATE"] for e in found] == ["20190318", "20190318", "20190329"]
    assert [e["DTEND;VALUE=DATE"] for e in found] == ["20190319", "20190319", "20190330"]
    assert [e["CATEGORIES"] for e in found] == ["OVERDUE"] * 3
    reply = found[2]
    # Commas and semicolons are escaped in TEXT values, and nowhere left bare.
    assert re.search(r"(?<!\\)[,;]", reply["SUMMARY"]) is None
    assert re.search(r"(?<!\\)[,;]", reply["DESCRIPTION"]) is None
    assert unescape(reply["SUMMARY"]) == (
        "KG-2019-0012: Reply, in writing; to an appeal — ответ на обращение (7 days overdue)"
    )
    assert unescape(reply["DESCRIPTION"]).splitlines() == [
        "send a reminder: cattool letter --to procuracy --kind reminder KG-2019-0012",
        "Basis: Law No. 67 of 2007, art. 8; on citizens' appeals (not verified)",
        "From legal_actions[0] (2019-03-15)",
    ]
    # No victim name or other sensitive value of the case gets into a calendar.
    victim = model["victims"][0]
    for secret in [
        victim["full_name"],
        "Fictionov",
        victim["contacts"]["phone"],
        victim["contacts"]["address"],
        "1994-07-02",
        model["source_contact"],
        "+996",
        "Fictional account",
        "T.F.",
        "lawyer-asanova",
    ]:
        assert secret not in content, secret


def test_ics_uids_are_stable_and_the_file_is_not_replaced_without_force(ics_repo: Path) -> None:
    out = ics_repo / "deadlines.ics"
    assert run(ics_repo, "--as-of", "2019-04-05", "-f", "ics", "-o", str(out)).exit_code == 0
    first = out.read_bytes().decode("utf-8")
    refused = run(ics_repo, "--as-of", "2019-04-06", "-f", "ics", "-o", str(out))
    assert refused.exit_code == 4
    assert str(out) in refused.stderr and "--force" in refused.stderr
    assert out.read_bytes().decode("utf-8") == first
    replaced = run(ics_repo, "--as-of", "2019-04-06", "-f", "ics", "-o", str(out), "--force")
    assert replaced.exit_code == 0, replaced.output
    second = out.read_bytes().decode("utf-8")
    assert second != first  # a day later: 8 days overdue

    def uids(text: str) -> list[str]:
        return [e["UID"] for e in vevents(unfold(text))]

    assert uids(first) == uids(second)
    assert len(set(uids(first))) == 3
    assert all(u.endswith("@cattool") for u in uids(first))


def test_two_complaints_of_the_same_day_are_two_calendar_events(
    make_repo: Callable[..., Path], model: dict[str, Any]
) -> None:
    case = variant(
        model,
        "KG-2016-0012",
        legal_actions=events(
            ("e1", "2016-03-15", "complaint_sent"),
            ("e2", "2016-03-15", "complaint_sent"),
            ("e3", "2016-03-16", "forensic_ordered"),
            ("e4", "2016-03-16", "transferred"),
            e2={"authority": {"name": "Chui regional procuracy", "level": "regional"}},
        ),
    )
    repo = repo_of(make_repo, case)
    result = run(repo, "--as-of", "2016-04-05", "--format", "ics")
    assert result.exit_code == 0, result.output
    found = vevents(unfold(result.stdout_bytes.decode("utf-8")))
    assert [(e["SUMMARY"], e["DTSTART;VALUE=DATE"]) for e in found] == [
        ("KG-2016-0012: Reply to an appeal (7 days overdue)", "20160329")
    ] * 2
    assert len({e["UID"] for e in found}) == 2


# --- 5. show agrees -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("calendar", "due", "late"),
    [(None, "2024-03-29", "3 days"), ("working_days: [2024-03-09]\n", "2024-03-28", "4 days")],
)
def test_show_reports_the_same_overdue_reply_as_deadlines(
    make_repo: Callable[..., Path],
    model: dict[str, Any],
    calendar: str | None,
    due: str,
    late: str,
) -> None:
    case = unanswered(model, "KZ-2024-0001", "2024-03-04")
    files = {"schemas/calendars/KZ.yaml": calendar} if calendar else {}
    repo = repo_of(make_repo, case, files=files)
    [reply] = [d for d in as_json(repo, "--as-of", "2024-04-01") if d["rule"] == "procuracy_reply"]
    assert (reply["due"], reply["status"]) == (due, f"{late} overdue")

    shown = runner.invoke(
        app, ["show", "KZ-2024-0001", "--as-of", "2024-04-01", "--repo", str(repo)]
    )
    assert shown.exit_code == 0, shown.output
    lines = shown.stdout.splitlines()
    start = lines.index("Overdue as of 2024-04-01")
    assert lines[start + 1 : lines.index("Consent") - 1] == [
        "  Reply to a complaint: nothing meets e1 (Complaint sent, 2024-03-04) within 15 working "
        f"days; due {due}, {late} overdue (basis: APPK art. 76)"
    ]
    data = json.loads(
        runner.invoke(
            app,
            [
                "show",
                "KZ-2024-0001",
                "--as-of",
                "2024-04-01",
                "--format",
                "json",
                "--repo",
                str(repo),
            ],
        ).stdout
    )
    assert [(o["rule"], o["due_date"], o["days_overdue"]) for o in data["overdue"]] == [
        ("procuracy_reply", due, reply["days_late"])
    ]


def test_the_states_follow_up_reply_meets_its_deadline_and_opens_our_comments(
    model: dict[str, Any], un_rules: list[dict[str, Any]]
) -> None:
    """The State's follow-up reply (2018-05-02) meets the 180-day follow-up deadline from that
    day on, and opens our comments: due 60 days later (2018-07-01), met by our_comments of that
    day or later, never by comments sent before the reply."""
    reply = {"date": "2018-05-02", "type": "state_follow_up_reply"}
    base = {
        "body": "ccpr",
        "transmitted_to_state_on": "2016-08-31",
        "state_reply_on": "2016-12-01",
        "decided_on": "2018-01-10",
        "outcome": "violation",
    }
    case = un_case(model, **base, follow_up=[reply])
    assert "views_follow_up_hrc" in un_due(un_case(model, **base), D(2018, 5, 2), un_rules)
    assert "views_follow_up_hrc" not in un_due(case, D(2018, 5, 2), un_rules)
    assert "follow_up_comments" not in un_due(case, D(2018, 5, 1), un_rules)  # no reply yet
    due = D(2018, 7, 1)
    assert un_due(case, due - dt.timedelta(days=1), un_rules)["follow_up_comments"] == (due, -1)
    assert un_due(case, due, un_rules)["follow_up_comments"] == (due, 0)
    assert un_due(case, due + dt.timedelta(days=1), un_rules)["follow_up_comments"] == (due, 1)
    item = the_deadline(case, due, un_rules, "follow_up_comments")
    assert item.action == "cattool letter KG-2016-0001 --to hrc --kind comments"
    ours = {"date": "2018-07-01", "type": "our_comments"}
    assert "follow_up_comments" not in un_due(
        un_case(model, **base, follow_up=[reply, ours]), due, un_rules
    )
    earlier = {"date": "2018-05-01", "type": "our_comments"}  # before the reply: not an answer
    assert "follow_up_comments" in un_due(
        un_case(model, **base, follow_up=[earlier, reply]), due, un_rules
    )
    # only after Views that found a violation
    none = un_case(model, **{**base, "outcome": "no_violation"}, follow_up=[reply])
    assert "follow_up_comments" not in un_due(none, due, un_rules)
