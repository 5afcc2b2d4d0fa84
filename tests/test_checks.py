"""Unit tests of cattool.checks on plain dicts (as loading constructs them: dates are text)."""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable
from pathlib import Path, PurePath
from typing import Any

import pytest

from cattool.checks import (
    CheckContext,
    Finding,
    age_on,
    check_case,
    check_file_placement,
    child_victims,
    parse_date,
)
from cattool.countries import load_country
from cattool.problems import Severity
from cattool.repo import builtin_dir, find_repo
from cattool.validation import validate_paths

COUNTRIES = {
    c: load_country(builtin_dir() / "schemas" / "countries" / f"{c}.yaml")
    for c in ("KZ", "KG", "TJ")
}
TODAY = dt.date(2024, 6, 1)

BASE: dict[str, Any] = {
    "case_id": "KG-2016-0001",
    "country": "KG",
    "region": "chui",
    "member_org": "vof",
    "intake_date": "2016-03-14",
    "victims": [{"victim_id": "v1", "age_group": "adult", "date_of_birth": "1994-07-02"}],
    "incidents": [
        {"incident_id": "i1", "victim_ids": ["v1"], "date_start": "2016-03-10", "region": "chui"}
    ],
    "legal_actions": [
        {"event_id": "e1", "date": "2016-03-15", "type": "complaint_sent"},
        {
            "event_id": "e2",
            "date": "2016-04-11",
            "type": "refusal_to_open",
            "responds_to": "e1",
            "qualification": {"code": "CC-KG-1997", "article": "305-1"},
        },
    ],
    "consent": [
        {
            "person_id": "v1",
            "scopes": ["domestic_complaint"],
            "form": "written",
            "given_on": "2016-03-14",
        }
    ],
}


def case(**changes: Any) -> dict[str, Any]:
    data = copy.deepcopy(BASE)
    data.update(changes)
    return data


def findings(data: dict[str, Any], **ctx: Any) -> list[tuple[tuple[str | int, ...], str, str]]:
    context = CheckContext(COUNTRIES, ctx.get("organisations", {}), ctx.get("today", TODAY))
    return [(f.yaml_path, f.code, f.message) for f in check_case(data, context)]


def codes(data: dict[str, Any], **ctx: Any) -> list[str]:
    return [code for _, code, _ in findings(data, **ctx)]


def test_base_case_is_clean() -> None:
    assert findings(case()) == []


# --- small helpers -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "day"),
    [
        ("2016-03-14", dt.date(2016, 3, 14)),
        ("2016-03-10 09:30", dt.date(2016, 3, 10)),
        ("2016-02-30", None),
        ("2016-03", None),
        (None, None),
        (20160314, None),
    ],
)
def test_parse_date(value: Any, day: dt.date | None) -> None:
    assert parse_date(value) == day


@pytest.mark.parametrize(
    ("birth", "day", "age"),
    [
        (dt.date(2000, 7, 2), dt.date(2018, 7, 1), 17),
        (dt.date(2000, 7, 2), dt.date(2018, 7, 2), 18),
        (dt.date(2000, 2, 29), dt.date(2018, 2, 28), 17),
        (dt.date(2000, 2, 29), dt.date(2018, 3, 1), 18),
    ],
)
def test_age_on(birth: dt.date, day: dt.date, age: int) -> None:
    assert age_on(birth, day) == age


def test_finding_takes_the_severity_of_its_code() -> None:
    assert Finding.of(("a",), "m", "timeline-order").severity is Severity.WARNING
    assert Finding.of(("a",), "m", "date-order").severity is Severity.ERROR


# --- placement -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "relative", "expected"),
    [
        (case(), PurePath("KG/KG-2016-0001.yaml"), []),
        (case(), PurePath("KG/архив/KG-2016-0001.yaml"), []),
        (case(), None, []),
        (case(), PurePath("KG/KG-2016-0002.yml"), [(("case_id",), "file-name")]),
        (case(), PurePath("KZ/KG-2016-0001.yaml"), [(("country",), "wrong-folder")]),
        (case(), PurePath("KG-2016-0001.yaml"), []),  # directly under cases/: no folder to check
        (case(case_id="KZ-2016-0001"), None, [(("case_id",), "id-mismatch")]),
        (case(case_id="KG-2017-0001"), None, [(("case_id",), "id-mismatch")]),
        (case(case_id=2016), PurePath("KG/2016.yaml"), []),  # the schema reports the type
    ],
)
def test_check_file_placement(
    data: dict[str, Any], relative: PurePath | None, expected: list[tuple[tuple[str, ...], str]]
) -> None:
    assert [(f.yaml_path, f.code) for f in check_file_placement(data, relative)] == expected


# --- ids -----------------------------------------------------------------------------------------


def test_duplicate_and_dangling_ids() -> None:
    data = case(
        victims=[{"victim_id": "v1"}, {"victim_id": "v1"}],
        perpetrators=[{"perpetrator_id": "p1", "incident_ids": ["i1", "i2"]}],
    )
    data["consent"][0]["person_id"] = "v9"
    assert findings(data) == [
        (
            ("victims", 1, "victim_id"),
            "duplicate-id",
            "the id 'v1' is used twice in victims; give each its own id",
        ),
        (
            ("perpetrators", 0, "incident_ids", 1),
            "dangling-reference",
            "there is no incident 'i2' in this case (known: i1)",
        ),
        (
            ("consent", 0, "person_id"),
            "dangling-reference",
            "there is no victim 'v9' in this case (known: v1)",
        ),
    ]


def test_checks_survive_wrong_shapes() -> None:
    """The schema reports wrong types; the checks must not crash on them."""
    weird = case(
        victims="v1",
        incidents=[None, 3, {"victim_ids": None}],
        legal_actions={"a": 1},
        consent=[[]],
        intake_date=20160314,
        un_communications=[{"body": ["cat"]}],
    )
    assert isinstance(findings(weird), list)


# --- dates ---------------------------------------------------------------------------------------


def test_future_dates_use_the_context_today() -> None:
    data = case(intake_date="2024-06-02")
    assert findings(data) == [
        (("intake_date",), "future-date", "intake_date 2024-06-02 is in the future")
    ]
    assert findings(data, today=dt.date(2024, 6, 2)) == []


def test_timeline_order_is_a_warning() -> None:
    data = case()
    data["legal_actions"].insert(0, {"event_id": "e0", "date": "2016-05-01", "type": "other"})
    context = CheckContext(COUNTRIES, {}, TODAY)
    found = [(f.yaml_path, f.code, f.severity) for f in check_case(data, context)]
    assert found == [
        (("legal_actions", 1, "date"), "timeline-order", Severity.WARNING),
        (("legal_actions", 2, "date"), "timeline-order", Severity.WARNING),
    ]


def test_detention_recorded_before_it_began() -> None:
    data = case()
    data["incidents"][0].update(
        {"de_facto_detention_at": "2016-03-10 09:30", "detention_recorded_at": "2016-03-10 08:00"}
    )
    assert findings(data) == [
        (
            ("incidents", 0, "detention_recorded_at"),
            "date-order",
            "the detention is recorded before it actually began; swap the two times?",
        ),
    ]
    data["incidents"][0]["detention_recorded_at"] = "2016-03-10 21:00"
    assert codes(data) == []


def test_detention_times_with_t_and_space() -> None:
    data = case()
    data["incidents"][0].update(
        {"de_facto_detention_at": "2016-03-10 09:30", "detention_recorded_at": "2016-03-10T08:00"}
    )
    assert codes(data) == ["date-order"]


# --- age and consent -----------------------------------------------------------------------------


def four_victims() -> dict[str, Any]:
    """One incident, four victims; v3 was 15 and his mother consented for him."""
    return case(
        victims=[
            {"victim_id": "v1", "age_group": "adult", "date_of_birth": "1990-01-01"},
            {"victim_id": "v2", "age_group": "adult", "age_at_incident": 40},
            {"victim_id": "v3", "age_group": "child", "date_of_birth": "2000-07-02"},
            {"victim_id": "v4", "age_group": "unknown"},
        ],
        incidents=[
            {
                "incident_id": "i1",
                "victim_ids": ["v1", "v2", "v3", "v4"],
                "date_start": "2016-03-10",
                "region": "chui",
            }
        ],
        consent=[
            {
                "person_id": v,
                "scopes": ["domestic_complaint"],
                "form": "written",
                "given_on": "2016-03-14",
            }
            for v in ("v1", "v2", "v4")
        ]
        + [
            {
                "person_id": "v3",
                "scopes": ["domestic_complaint"],
                "form": "guardian",
                "given_by": {"role": "guardian", "relationship": "mother"},
                "given_on": "2016-03-14",
            }
        ],
    )


def test_four_victims_one_child_with_guardian_consent() -> None:
    data = four_victims()
    assert child_victims(data) == {"v3"}
    assert findings(data) == []


def test_four_victims_child_without_guardian_consent() -> None:
    data = four_victims()
    data["consent"][3]["form"] = "relative"
    data["consent"][3]["given_by"] = {"role": "relative", "relationship": "aunt"}
    assert findings(data) == [
        (
            ("victims", 2, "victim_id"),
            "child-consent",
            "victim 'v3' is a child: add a consent record for 'v3' given by a parent or guardian "
            "(given_by: {role: guardian})",
        ),
    ]


def test_four_victims_child_marked_adult() -> None:
    data = four_victims()
    data["victims"][2]["age_group"] = "adult"
    assert child_victims(data) == {"v3"}  # by the date of birth
    assert findings(data) == [
        (
            ("victims", 2, "age_group"),
            "age-group",
            "the victim was under 18 at the incident, so age_group must be child",
        ),
    ]


def test_age_is_taken_at_the_first_incident() -> None:
    data = four_victims()
    data["intake_date"] = "2019-02-01"
    data["incidents"].append(
        {"incident_id": "i2", "victim_ids": ["v3"], "date_start": "2019-01-01", "region": "chui"}
    )
    assert child_victims(data) == {"v3"}  # 15 at i1, 18 at i2
    assert findings(data) == []


def test_eighteenth_birthday_is_adult() -> None:
    data = case()
    data["victims"][0].update({"date_of_birth": "1998-03-10", "age_group": "adult"})
    assert child_victims(data) == set()
    assert findings(data) == []
    data["victims"][0]["date_of_birth"] = "1998-03-11"
    assert codes(data) == ["age-group", "child-consent"]


def test_un_submission_needs_consent_given_before_it() -> None:
    data = case(
        un_communications=[
            {
                "comm_id": "u1",
                "body": "ccpr",
                "kind": "individual_complaint",
                "submitted_on": "2017-01-10",
                "victim_ids": ["v1"],
            }
        ]
    )
    assert codes(data) == ["consent-missing"]
    data["consent"].append(
        {
            "person_id": "v1",
            "scopes": ["un_treaty_body"],
            "form": "written",
            "given_on": "2017-01-11",
        }
    )
    assert codes(data) == ["consent-missing"]  # given the day after the submission
    data["consent"][1]["given_on"] = "2017-01-10"
    assert codes(data) == []
    data["consent"][1]["withdrawn_on"] = "2017-01-10"
    assert findings(data) == [
        (
            ("un_communications", 0, "submitted_on"),
            "consent-withdrawn",
            "victim 'v1' withdrew consent of scope un_treaty_body before this submission",
        ),
    ]


def test_un_submission_without_victim_ids_concerns_every_victim() -> None:
    data = four_victims()
    data["un_communications"] = [
        {
            "comm_id": "u1",
            "body": "sr_torture",
            "kind": "urgent_appeal_request",
            "submitted_on": "2016-04-01",
        }
    ]
    data["consent"][1]["scopes"].append("un_special_procedures")
    assert [m for _, _, m in findings(data)] == [
        f"no consent of scope un_special_procedures from victim '{v}' given on or before the "
        "submission; record it in consent"
        for v in ("v1", "v3", "v4")
    ]


# --- country data and organisations --------------------------------------------------------------


@pytest.mark.parametrize(
    ("country", "date", "qualification", "expected"),
    [
        ("KZ", "2016-01-10", {"code": "CC-KZ-2014", "article": "146"}, []),
        ("KZ", "2012-01-10", {"code": "CC-KZ-1997", "article": "141-1"}, []),
        (
            "KZ",
            "2012-01-10",
            {"code": "CC-KZ-1997", "article": "347-1"},
            [
                (
                    ("legal_actions", 1, "qualification", "article"),
                    "code-not-in-force",
                    "article 347-1 of CC-KZ-1997 was not in force at the incident date "
                    "(2012-01-10); the torture article then was 141-1 of CC-KZ-1997",
                )
            ],
        ),
        (
            "KZ",
            "2014-06-10",
            {"code": "CC-KZ-2014", "article": "146"},
            [
                (
                    ("legal_actions", 1, "qualification", "code"),
                    "code-not-in-force",
                    "CC-KZ-2014 was not in force at the incident date (2014-06-10); the code in "
                    "force then was CC-KZ-1997",
                )
            ],
        ),
        (
            "KZ",
            "2016-01-10",
            {"code": "CC-KZ-2014", "article": "999"},
            [
                (
                    ("legal_actions", 1, "qualification", "article"),
                    "unknown-article",
                    "article 999 is not listed for CC-KZ-2014 in the country data",
                )
            ],
        ),
        (
            "TJ",
            "2016-01-10",
            {"code": "CC-KZ-2014", "article": "146"},
            [
                (
                    ("legal_actions", 1, "qualification", "code"),
                    "unknown-code",
                    "CC-KZ-2014 is not a Criminal Code edition of TJ (known: CC-TJ-1998)",
                )
            ],
        ),
    ],
)
def test_qualification(
    country: str, date: str, qualification: dict[str, str], expected: list[Any]
) -> None:
    region = {"KZ": "karaganda", "TJ": "sughd"}[country]
    data = case(country=country, region=region, case_id=f"{country}-2016-0001")
    data["incidents"][0].update({"date_start": date, "region": region})
    data["victims"][0]["date_of_birth"] = "1970-01-01"
    data["legal_actions"] = [
        {"event_id": "e1", "date": "2016-03-15", "type": "complaint_sent"},
        {
            "event_id": "e2",
            "date": "2016-04-11",
            "type": "requalified",
            "qualification": qualification,
        },
    ]
    assert findings(data) == expected


def test_country_without_data_skips_country_checks() -> None:
    data = case(country="XX", region="nowhere")
    assert findings(data) == []


def test_cat_complaint_against_kazakhstan_is_accepted() -> None:
    data = case(
        country="KZ",
        region="karaganda",
        case_id="KZ-2016-0001",
        un_communications=[
            {
                "comm_id": "u1",
                "body": "cat",
                "kind": "individual_complaint",
                "submitted_on": "2017-01-10",
            }
        ],
    )
    data["incidents"][0]["region"] = "karaganda"
    data["legal_actions"].pop()
    data["consent"][0]["scopes"].append("un_treaty_body")
    assert findings(data) == []
    data["country"], data["region"], data["incidents"][0]["region"] = "TJ", "sughd", "sughd"
    assert codes(data) == ["cat-not-accepted"]


def test_unknown_org_only_when_organisations_are_listed() -> None:
    assert findings(case(member_org="abc")) == []
    assert findings(case(member_org="abc"), organisations={"vof": {}, "kipp": {}}) == [
        (
            ("member_org",),
            "unknown-org",
            "'abc' is not an organisation of cattool.yaml (kipp, vof)",
        ),
    ]
    assert findings(case(), organisations={"vof": {}}) == []


# --- validate_paths across files -----------------------------------------------------------------


def repo_with_a_copy(make_repo: Callable[..., Path], model_case_text: str, copy_at: str) -> Path:
    """A repository with the model case in its place and a copy of it at ``copy_at``."""
    return make_repo({"cases/KG/KG-2016-0001.yaml": model_case_text, copy_at: model_case_text})


def test_duplicate_case_id_in_the_library(
    make_repo: Callable[..., Path], model_case_text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = repo_with_a_copy(make_repo, model_case_text, "cases/KG/old/KG-2016-0001.yaml")
    monkeypatch.chdir(root)
    report = validate_paths(find_repo(root), [root / "cases"], display_root=root, today=TODAY)
    assert [str(p) for p in report] == [
        "cases/KG/KG-2016-0001.yaml:3:10: case_id: KG-2016-0001 is also the case_id of "
        "cases/KG/old/KG-2016-0001.yaml; give one of them a new id [duplicate-case-id]",
        "cases/KG/old/KG-2016-0001.yaml:3:10: case_id: KG-2016-0001 is also the case_id of "
        "cases/KG/KG-2016-0001.yaml; give one of them a new id [duplicate-case-id]",
    ]


def test_duplicate_case_id_against_a_file_not_checked(
    make_repo: Callable[..., Path], model_case_text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Checking one new file still finds the older file of the same case_id elsewhere in cases/."""
    root = repo_with_a_copy(make_repo, model_case_text, "cases/KZ/new.yaml")
    monkeypatch.chdir(root)
    report = validate_paths(
        find_repo(root), [root / "cases/KZ/new.yaml"], display_root=root, today=TODAY
    )
    assert [(str(p.path), p.code) for p in report] == [
        ("cases/KZ/new.yaml", "duplicate-case-id"),
        ("cases/KZ/new.yaml", "file-name"),
        ("cases/KZ/new.yaml", "wrong-folder"),
    ]
    duplicate = next(p for p in report if p.code == "duplicate-case-id")
    assert duplicate.message == (
        "KG-2016-0001 is also the case_id of cases/KG/KG-2016-0001.yaml; give one of them a new id"
    )


def test_duplicate_case_id_paths_follow_display_root(
    make_repo: Callable[..., Path],
    model_case_text: str,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    root = repo_with_a_copy(make_repo, model_case_text, "cases/KG/old/KG-2016-0001.yaml")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    report = validate_paths(find_repo(root), [root / "cases"], display_root=root, today=TODAY)
    assert [p.message for p in report] == [
        "KG-2016-0001 is also the case_id of cases/KG/old/KG-2016-0001.yaml; give one of them a "
        "new id",
        "KG-2016-0001 is also the case_id of cases/KG/KG-2016-0001.yaml; give one of them a new id",
    ]
    assert Path.cwd() == elsewhere
