"""cattool stats: the yearly figures, checked against a crafted repository counted by hand."""

from __future__ import annotations

import copy
import datetime as dt
import functools
import json
import os
import subprocess
import sys
from html import escape as html_escape
from html import unescape as html_unescape
from pathlib import Path
from typing import Any

import pytest
import yaml
from cases_builder import dump
from typer.testing import CliRunner

from cattool.cli import app

runner = CliRunner()
PROJECT = Path(__file__).resolve().parent.parent
MODEL_CASE = PROJECT / "cases" / "KG" / "KG-2016-0001.yaml"
REPO_CONFIG = 'cattool:\n  schema_version: "1.1"\n'


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def ev(event_id: str, date: str, kind: str, **extra: Any) -> dict[str, Any]:
    return {"event_id": event_id, "date": d(date), "type": kind, **extra}


def victim(model: dict[str, Any], vid: str, **changes: Any) -> dict[str, Any]:
    v = copy.deepcopy(model["victims"][0])
    v["victim_id"] = vid
    v.update(changes)
    return {k: x for k, x in v.items() if x is not None}


def case_from_model(
    model: dict[str, Any],
    case_id: str,
    intake: str,
    *,
    region: str,
    org: str,
    methods: list[str],
    agency: str = "police_mvd",
    victims: list[dict[str, Any]] | None = None,
    incident: str | None = None,
    place: str = "police_station",
    context: str = "interrogation",
    actions: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """The model case under another id, country, intake date and facts; dates kept coherent."""
    case = copy.deepcopy(model)
    country = case_id.split("-")[0]
    intake_day = d(intake)
    start = d(incident) if incident else intake_day - dt.timedelta(days=4)
    people = victims or [victim(model, "v1")]
    case.update(
        case_id=case_id, country=country, region=region, member_org=org, intake_date=intake_day
    )
    inc = case["incidents"][0]
    inc.update(
        date_start=start,
        de_facto_detention_at=f"{start} 09:30",
        detention_recorded_at=f"{start} 21:00",
        region=region,
        place_type=place,
        context=context,
        methods=methods,
        victim_ids=[v["victim_id"] for v in people],
    )
    case["victims"] = people
    case["perpetrators"][0]["agency"] = agency
    case.pop("medical_evidence")
    case["legal_actions"] = actions or []
    if not case["legal_actions"]:
        case.pop("legal_actions")
    consent = case["consent"][0]
    case["consent"] = []
    for v in people:
        record = {**copy.deepcopy(consent), "person_id": v["victim_id"], "given_on": intake_day}
        if v.get("age_group") == "child" or v["victim_id"] == "v2":
            record.update(
                form="guardian", given_by={"role": "guardian", "name": "Parent (fictional)"}
            )
        case["consent"].append(record)
    return case


def crafted_cases(model: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Nine valid cases; the figures each test expects are worked out from this table by hand.

    case          intake      region        org     victims              methods                 stage (furthest)
    KG-2016-0001  2016-03-14  chui          vof     1 male adult         beating, asphyx._bag    complaint_sent (refusal: no_corpus_delicti); CCPR decided 2018-03-15
    KG-2016-0002  2016-08-20  osh_city      adilet  male adult + female  beating, electric_shock registered in KG in 2016: NOT opened (refusal, no grounds)
                                                    17 at the incident (child by age)
    KZ-2016-0001  2016-02-10  almaty_city   kibhr   1 male adult         electric_shock          KZ 'registered' = investigation_opened (discontinued: reconciliation)
    KZ-2016-0002  2016-05-05  astana        kibhr   1 female adult       beating                 opened 2016-06-01, court 2016-10-01, conviction 2017-03-01
    KZ-2016-0003  2016-04-01  almaty_city   kibhr   1 male adult         beating                 none (no legal action)
    TJ-2016-0001  2016-11-11  dushanbe      nota    1 male child (group) beating, stress_position complaint_sent (refusal: no_event)
    KG-2015-0001  2015-06-01  chui          vof     1 male adult         beating                 none
    KZ-2015-0001  2015-12-01  almaty_city   kibhr   1 male adult         asphyxiation_bag        complaint_sent (refusal: no_corpus_delicti)
    KG-2019-0001  2019-03-01  chui          vof     1 male adult         beating                 KG 'registered' in 2019 = investigation_opened
    """
    out = "outgoing"
    inc = "incoming"
    cases = [
        # The model case itself, plus a UN communication decided after 2017.
        {
            **copy.deepcopy(model),
            "consent": [
                {
                    **model["consent"][0],
                    "scopes": [*model["consent"][0]["scopes"], "un_treaty_body"],
                }
            ],
            "un_communications": [
                {
                    "comm_id": "u1",
                    "body": "ccpr",
                    "kind": "individual_complaint",
                    "submitted_on": d("2016-12-01"),
                    "decided_on": d("2018-03-15"),
                    "outcome": "violation",
                }
            ],
        },
        case_from_model(
            model,
            "KG-2016-0002",
            "2016-08-20",
            region="osh_city",
            org="adilet",
            methods=["beating", "electric_shock"],
            incident="2016-06-10",
            victims=[
                victim(model, "v1"),
                # age_group unknown: a child only by her age on 2016-06-10 (17; 18 at intake)
                victim(
                    model,
                    "v2",
                    sex="female",
                    age_group="unknown",
                    date_of_birth=d("1998-07-01"),
                    public_label="A.B.",
                    full_name="Aida Fictionovna Second",
                ),
            ],
            actions=[
                ev("e1", "2016-08-22", "complaint_sent", direction=out),
                ev("e2", "2016-09-01", "registered", direction=inc, responds_to="e1"),
                ev("e3", "2016-09-20", "refusal_to_open", direction=inc),
            ],
        ),
        case_from_model(
            model,
            "KZ-2016-0001",
            "2016-02-10",
            region="almaty_city",
            org="kibhr",
            methods=["electric_shock"],
            agency="national_security",
            place="national_security_facility",
            context="arrest",
            actions=[
                ev("e1", "2016-02-12", "complaint_sent", direction=out),
                ev("e2", "2016-02-15", "registered", direction=inc, responds_to="e1"),
                ev(
                    "e3",
                    "2016-07-01",
                    "investigation_discontinued",
                    direction=inc,
                    grounds="reconciliation",
                ),
            ],
        ),
        case_from_model(
            model,
            "KZ-2016-0002",
            "2016-05-05",
            region="astana",
            org="kibhr",
            methods=["beating"],
            victims=[victim(model, "v1", sex="female", date_of_birth=d("1990-01-01"))],
            actions=[
                ev("e1", "2016-05-06", "complaint_sent", direction=out),
                ev("e2", "2016-06-01", "investigation_opened", direction=inc, responds_to="e1"),
                ev("e3", "2016-10-01", "sent_to_court", direction=inc),
                ev("e4", "2017-02-01", "civil_claim", direction=out, amount=500000, currency="KZT"),
                ev("e5", "2017-03-01", "conviction", direction=inc),
                ev(
                    "e6",
                    "2017-03-01",
                    "compensation_awarded",
                    direction=inc,
                    amount=100000,
                    currency="KZT",
                ),
            ],
        ),
        case_from_model(
            model,
            "KZ-2016-0003",
            "2016-04-01",
            region="almaty_city",
            org="kibhr",
            methods=["beating"],
        ),
        case_from_model(
            model,
            "TJ-2016-0001",
            "2016-11-11",
            region="dushanbe",
            org="nota",
            methods=["beating", "stress_position"],
            agency="penitentiary",
            place="colony_prison",
            context="prison",
            victims=[
                victim(model, "v1", age_group="child", date_of_birth=None, age_at_incident=16)
            ],
            actions=[
                ev("e1", "2016-11-12", "complaint_sent", direction=out),
                ev("e2", "2016-11-20", "refusal_to_open", direction=inc, grounds="no_event"),
            ],
        ),
        case_from_model(
            model, "KG-2015-0001", "2015-06-01", region="chui", org="vof", methods=["beating"]
        ),
        case_from_model(
            model,
            "KZ-2015-0001",
            "2015-12-01",
            region="almaty_city",
            org="kibhr",
            methods=["asphyxiation_bag"],
            actions=[
                ev("e1", "2015-12-02", "complaint_sent", direction=out),
                ev(
                    "e2",
                    "2015-12-10",
                    "refusal_to_open",
                    direction=inc,
                    grounds="no_corpus_delicti",
                ),
            ],
        ),
        case_from_model(
            model,
            "KG-2019-0001",
            "2019-03-01",
            region="chui",
            org="vof",
            methods=["beating"],
            actions=[
                ev("e1", "2019-03-02", "complaint_sent", direction=out),
                ev("e2", "2019-03-04", "registered", direction=inc, responds_to="e1"),
            ],
        ),
    ]
    return {f"cases/{c['country']}/{c['case_id']}.yaml": c for c in cases}


def git_env(home: Path) -> dict[str, str]:
    """An isolated git identity (as conftest's _isolated_git), for module-scoped fixtures."""
    config = home / ".gitconfig"
    config.write_text(
        "[user]\n\tname = Test Lawyer\n\temail = lawyer@example.org\n"
        "[init]\n\tdefaultBranch = main\n[commit]\n\tgpgsign = false\n",
        encoding="utf-8",
    )
    return {**os.environ, "GIT_CONFIG_GLOBAL": str(config), "GIT_CONFIG_NOSYSTEM": "1",
            "HOME": str(home)}  # fmt: skip


def invoke(repo: Path, *args: str) -> Any:
    return runner.invoke(app, [*args, "--repo", str(repo)])


BROKEN = "cases/KG/KG-2016-0099.yaml"


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The crafted repository, committed with git, plus one broken case file (committed too)."""
    model = yaml.safe_load(MODEL_CASE.read_text(encoding="utf-8"))
    root = tmp_path_factory.mktemp("crafted") / "repo"
    (root / "cases").mkdir(parents=True)
    (root / "cattool.yaml").write_text(REPO_CONFIG, encoding="utf-8")
    for name, case in crafted_cases(model).items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(dump(case), encoding="utf-8")
    valid = invoke(root, "validate")
    assert valid.exit_code == 0, valid.output
    # A 2016 case that would count in Kyrgyzstan, were it not invalid (unknown violation_type).
    broken = copy.deepcopy(model)
    broken.update(case_id="KG-2016-0099", violation_type="tortured")
    (root / BROKEN).write_text(dump(broken), encoding="utf-8")
    env = git_env(tmp_path_factory.mktemp("githome"))
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "cases"]):
        subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True)
    return root


@functools.cache
def _cached(repo: Path, args: tuple[str, ...]) -> tuple[int, str, str]:
    result = invoke(repo, *args)
    return result.exit_code, result.stdout, result.stderr


def stats_json(repo: Path, *args: str) -> dict[str, Any]:
    """``cattool stats ARGS --format json``, parsed (each distinct command runs once)."""
    code, stdout, stderr = _cached(repo, ("stats", *args, "--format", "json"))
    assert code == 0, stderr
    return json.loads(stdout)


def table(data: dict[str, Any], key: str) -> dict[str, Any]:
    return next(t for t in data["tables"] if t["key"] == key)


def rows(data: dict[str, Any], key: str) -> dict[str, list[Any]]:
    """{row label: values} of one table, in the table's order."""
    return {r["label"]: r["values"] for r in table(data, key)["rows"]}


def columns(data: dict[str, Any], key: str) -> list[str]:
    return table(data, key)["columns"]


TABLE_KEYS = [
    "new_by_country",
    "by_region",
    "by_org",
    "by_violation",
    "by_agency",
    "by_place",
    "by_context",
    "by_method",
    "victims_sex",
    "victims_age",
    "victims_vulnerability",
    "funnel",
    "refusals",
    "answer_days",
    "un",
    "compensation",
]
UNIT_CASES = "Unit: cases (one case may concern several victims)."
UNIT_VICTIMS = "Unit: victims (a case may concern several people)."
MULTI = "A case can have several values: the rows add up to more than the cases."
SUPPRESSED = (
    "Counts below 3 are shown as <3 to protect victims (--public); a figure that would give "
    "one away is shown as –."
)
FUNNEL_LABELS = [
    "Complaint sent",
    "Report registered",
    "Criminal case opened",
    "Sent to court",
    "Conviction",
]


def funnel(data: dict[str, Any]) -> list[tuple[str, list[Any]]]:
    return list(rows(data, "funnel").items())


# --- the crafted repository itself ----------------------------------------------------------------


def test_the_crafted_repository_is_valid_but_for_the_one_broken_file(repo: Path) -> None:
    result = invoke(repo, "validate")
    assert result.exit_code == 1
    assert "KG-2016-0099.yaml" in result.stdout
    assert "'tortured' is not a violation type" in result.stdout
    assert "1 problem in 1 of 10 case files" in result.stderr


# --- new cases: a year, a range, half-years, periods, units, filters --------------------------


def test_new_cases_per_country_region_org_and_agency_for_a_year(repo: Path) -> None:
    data = stats_json(repo, "2016")
    assert [t["key"] for t in data["tables"]] == TABLE_KEYS
    assert columns(data, "new_by_country") == ["2016"]
    # 2016 intakes: KZ-2016-0001/0002/0003, KG-2016-0001/0002, TJ-2016-0001; KG-2016-0099 is
    # invalid and skipped, the 2015 and 2019 cases are outside the year.
    assert rows(data, "new_by_country") == {"Kazakhstan": [3], "Kyrgyzstan": [2], "Tajikistan": [1]}
    assert table(data, "new_by_country")["notes"] == [UNIT_CASES]
    # almaty_city: KZ-2016-0001 and 0003; the rest one each; ties in the order of the codes.
    assert rows(data, "by_region") == {
        "Kazakhstan: Almaty": [2],
        "Kyrgyzstan: Chui Region": [1],
        "Kyrgyzstan: Osh (city)": [1],
        "Kazakhstan: Astana": [1],
        "Tajikistan: Dushanbe": [1],
    }
    # kibhr: the three KZ cases; adilet KG-2016-0002, nota TJ-2016-0001, vof KG-2016-0001.
    assert rows(data, "by_org") == {"kibhr": [3], "adilet": [1], "nota": [1], "vof": [1]}
    assert rows(data, "by_violation") == {"Torture": [6]}
    # police in four cases; national security KZ-2016-0001; penitentiary TJ-2016-0001.
    assert rows(data, "by_agency") == {
        "Police (Interior Ministry)": [4],
        "National security service": [1],
        "Penitentiary service": [1],
    }
    assert rows(data, "by_place") == {
        "Police station": [4],
        "Penal colony or prison": [1],
        "National security facility": [1],
    }
    assert rows(data, "by_context") == {"Interrogation": [4], "Arrest": [1], "Prison": [1]}
    assert data["headlines"][0] == (
        "In 2016 the coalitions registered 3 new cases in Kazakhstan, 2 in Kyrgyzstan and "
        "1 in Tajikistan."
    )


def test_a_range_has_a_column_per_year_a_total_and_the_change(repo: Path) -> None:
    data = stats_json(repo, "2015-2016")
    assert columns(data, "new_by_country") == ["2015", "2016", "Total", "Change"]
    # 2015: KZ-2015-0001 and KG-2015-0001; Change = 2016 - 2015.
    assert rows(data, "new_by_country") == {
        "Kazakhstan": [1, 3, 4, 2],
        "Kyrgyzstan": [1, 2, 3, 1],
        "Tajikistan": [0, 1, 1, 1],
    }
    assert data["headlines"][0] == (
        "In 2015–2016 the coalitions registered 4 new cases in Kazakhstan, 3 in Kyrgyzstan and "
        "1 in Tajikistan."
    )
    # The refusal of KZ-2015-0001 (no_corpus_delicti) joins that of KG-2016-0001.
    assert rows(data, "refusals")["No elements of a crime"] == [1, 1, 2, 0]
    assert data["provenance"]["period"] == "2015-2016"


def test_the_terminal_tables_of_a_range(repo: Path) -> None:
    code, stdout, _ = _cached(repo, ("stats", "2015-2016"))
    assert code == 0
    assert stdout.startswith("In 2015–2016 the coalitions registered 4 new cases in Kazakhstan")
    assert "New cases by country" in stdout
    assert "Change" in stdout and "Total" in stdout
    assert UNIT_CASES in stdout


@pytest.mark.parametrize(
    ("half", "column", "expected"),
    [
        # Jan-Jun by intake: KZ-2016-0001 (02-10), 0003 (04-01), 0002 (05-05); KG-2016-0001 (03-14).
        ("1", "2016 H1", {"Kazakhstan": [3], "Kyrgyzstan": [1]}),
        # Jul-Dec: KG-2016-0002 (08-20), TJ-2016-0001 (11-11).
        ("2", "2016 H2", {"Kyrgyzstan": [1], "Tajikistan": [1]}),
    ],
)
def test_half_years_by_intake_date(
    repo: Path, half: str, column: str, expected: dict[str, list[int]]
) -> None:
    data = stats_json(repo, "2016", "--half", half)
    assert columns(data, "new_by_country") == [column]
    assert rows(data, "new_by_country") == expected
    assert data["provenance"]["period"] == column


def test_from_and_to_are_inclusive(repo: Path) -> None:
    data = stats_json(repo, "--from", "2015-12-01", "--to", "2016-03-14")
    # KZ-2015-0001 taken in on the first day, KZ-2016-0001 (02-10), KG-2016-0001 on the last day.
    assert columns(data, "new_by_country") == ["2015-12-01..2016-03-14"]
    assert rows(data, "new_by_country") == {"Kazakhstan": [2], "Kyrgyzstan": [1]}
    data = stats_json(repo, "--from", "2015-12-02", "--to", "2016-03-13")
    assert rows(data, "new_by_country") == {"Kazakhstan": [1]}


def test_unit_victims_counts_both_victims_of_a_case(repo: Path) -> None:
    data = stats_json(repo, "2016", "--unit", "victims")
    # KG-2016-0002 concerns two people: Kyrgyzstan 1 + 2 = 3 victims; the rest one each.
    assert rows(data, "new_by_country") == {"Kazakhstan": [3], "Kyrgyzstan": [3], "Tajikistan": [1]}
    assert table(data, "new_by_country")["notes"] == [UNIT_VICTIMS]
    assert data["provenance"]["unit"] == "victims"
    assert data["headlines"][0] == (
        "In 2016 the coalitions documented 3 new victims in Kazakhstan, 3 in Kyrgyzstan and "
        "1 in Tajikistan."
    )
    # beating: KG-2016-0001 1 + KG-2016-0002 2 + KZ-2016-0002 1 + KZ-2016-0003 1 + TJ 1 = 6;
    # electric shock: KG-2016-0002 2 + KZ-2016-0001 1 = 3.
    assert rows(data, "by_method") == {
        "Beating": [6],
        "Electric shock": [3],
        "Asphyxiation (bag or gas mask)": [1],
        "Stress position": [1],
    }
    # complaints: 1 + 2 + 1 + 1 + 1 = 6 victims; registered: KG-2016-0002 (2) + the two KZ = 4.
    assert funnel(data) == [
        ("Complaint sent", [6, 100]),
        ("Report registered", [4, 67]),
        ("Criminal case opened", [2, 33]),
        ("Sent to court", [1, 17]),
        ("Conviction", [1, 17]),
    ]
    cases = stats_json(repo, "2016")
    assert rows(cases, "new_by_country")["Kyrgyzstan"] == [2]


def test_a_case_with_two_methods_counts_under_both_and_the_note_says_so(repo: Path) -> None:
    data = stats_json(repo, "2016")
    # beating in 5 of the 6 cases (not KZ-2016-0001); electric shock KG-2016-0002, KZ-2016-0001;
    # 9 method rows for 6 cases.
    assert rows(data, "by_method") == {
        "Beating": [5],
        "Electric shock": [2],
        "Asphyxiation (bag or gas mask)": [1],
        "Stress position": [1],
    }
    assert sum(v[0] for v in rows(data, "by_method").values()) == 9
    assert table(data, "by_method")["notes"] == [UNIT_CASES, MULTI]
    # The model case alone: beating and a bag, once each.
    model_only = stats_json(repo, "2016", "--org", "vof")
    assert rows(model_only, "by_method") == {
        "Beating": [1],
        "Asphyxiation (bag or gas mask)": [1],
    }
    assert rows(model_only, "new_by_country") == {"Kyrgyzstan": [1]}


def test_victims_by_sex_and_by_age_at_the_incident(repo: Path) -> None:
    data = stats_json(repo, "2016")
    # seven victims in six cases; women: KG-2016-0002 v2 and KZ-2016-0002.
    assert rows(data, "victims_sex") == {"Male": [5], "Female": [2]}
    # children: KG-2016-0002 v2 (born 1998-07-01, 17 on 2016-06-10 though 18 at intake, group
    # 'unknown') and TJ-2016-0001 (age_group child).
    assert rows(data, "victims_age") == {"Child (under 18 at the incident)": [2], "Adult": [5]}
    assert table(data, "victims_age")["notes"] == [UNIT_VICTIMS]
    assert rows(data, "victims_vulnerability") == {}
    one_case = stats_json(repo, "2016", "--org", "adilet")
    assert rows(one_case, "victims_age") == {"Child (under 18 at the incident)": [1], "Adult": [1]}
    assert rows(one_case, "victims_sex") == {"Male": [1], "Female": [1]}


@pytest.mark.parametrize(
    ("filters", "expected", "provenance"),
    [
        (["--country", "KG"], {"Kyrgyzstan": [2]}, ("KG", "all")),
        (["--country", "kz", "--country", "TJ"], {"Kazakhstan": [3], "Tajikistan": [1]},
         ("KZ,TJ", "all")),
        (["--org", "kibhr"], {"Kazakhstan": [3]}, ("all", "kibhr")),
        (["--org", "vof", "--org", "adilet"], {"Kyrgyzstan": [2]}, ("all", "vof,adilet")),
        (["--country", "KZ", "--org", "vof"], {}, ("KZ", "vof")),
    ],
)  # fmt: skip
def test_country_and_org_filters(
    repo: Path, filters: list[str], expected: dict[str, list[int]], provenance: tuple[str, str]
) -> None:
    data = stats_json(repo, "2016", *filters)
    assert rows(data, "new_by_country") == expected
    assert (data["provenance"]["countries"], data["provenance"]["organisations"]) == provenance
    assert data["provenance"]["cases_counted"] == sum(v[0] for v in expected.values())
    if not expected:
        assert data["headlines"] == ["In 2016 no new cases were registered."]


# --- how far the cases went ---------------------------------------------------------------------


def test_the_funnel_uses_the_furthest_stage_and_the_country_mapping(repo: Path) -> None:
    data = stats_json(repo, "2016")
    assert columns(data, "funnel") == ["2016", "% of complaints"]
    # complaint sent: all 2016 cases but KZ-2016-0003 (no legal action) = 5;
    # registered or beyond: KG-2016-0002, KZ-2016-0001, KZ-2016-0002 = 3 (60%);
    # criminal case opened: KZ-2016-0001 (its 'registered' counts in KZ) and KZ-2016-0002 = 2,
    # not KG-2016-0002 (registered in Kyrgyzstan in 2016) (40%);
    # sent to court and conviction: KZ-2016-0002 = 1 (20%).
    assert funnel(data) == [
        ("Complaint sent", [5, 100]),
        ("Report registered", [3, 60]),
        ("Criminal case opened", [2, 40]),
        ("Sent to court", [1, 20]),
        ("Conviction", [1, 20]),
    ]
    assert data["headlines"][1] == (
        "Criminal cases were opened in 2 of the 5 cases in which a complaint was sent (40%)."
    )
    kz = stats_json(repo, "2016", "--country", "KZ")
    assert funnel(kz) == [
        ("Complaint sent", [2, 100]),
        ("Report registered", [2, 100]),
        ("Criminal case opened", [2, 100]),
        ("Sent to court", [1, 50]),
        ("Conviction", [1, 50]),
    ]
    kg_2016 = stats_json(repo, "2016", "--country", "KG")
    assert funnel(kg_2016) == [
        ("Complaint sent", [2, 100]),
        ("Report registered", [1, 50]),
        ("Criminal case opened", [0, 0]),
        ("Sent to court", [0, 0]),
        ("Conviction", [0, 0]),
    ]
    # The same Kyrgyz event in 2019 opens a criminal case (stage_mapping from: 2019-01-01).
    kg_2019 = stats_json(repo, "2019", "--country", "KG")
    assert funnel(kg_2019)[:3] == [
        ("Complaint sent", [1, 100]),
        ("Report registered", [1, 100]),
        ("Criminal case opened", [1, 100]),
    ]


def test_funnel_of_a_range_takes_the_percentage_of_the_total(repo: Path) -> None:
    data = stats_json(repo, "2015-2016")
    assert columns(data, "funnel") == ["2015", "2016", "Total", "Change", "% of complaints"]
    # 2015: only KZ-2015-0001 sent a complaint; 2 of 6 = 33%, 1 of 6 = 17%.
    assert funnel(data) == [
        ("Complaint sent", [1, 5, 6, 4, 100]),
        ("Report registered", [0, 3, 3, 3, 50]),
        ("Criminal case opened", [0, 2, 2, 2, 33]),
        ("Sent to court", [0, 1, 1, 1, 17]),
        ("Conviction", [0, 1, 1, 1, 17]),
    ]


def test_refusals_by_grounds_answer_times_un_and_compensation(repo: Path) -> None:
    data = stats_json(repo, "2016")
    # KG-2016-0001 refusal no_corpus_delicti; TJ-2016-0001 no_event; KG-2016-0002 a refusal with
    # no grounds; KZ-2016-0001 investigation discontinued for reconciliation.
    assert rows(data, "refusals") == {
        "Cases with a refusal (any grounds)": [4],
        "No elements of a crime": [1],
        "No event of a crime": [1],
        "Not recorded": [1],
        "Reconciliation": [1],
    }
    # days to the first incoming document: KZ 3 (0001) and 26 (0002) -> 14.5; KG 1 (the model's
    # forensic order) and 10 (0002) -> 5.5; TJ 8.
    assert columns(data, "answer_days") == ["Median days", "Cases measured"]
    assert rows(data, "answer_days") == {
        "Kazakhstan": [14.5, 2],
        "Kyrgyzstan": [5.5, 2],
        "Tajikistan": [8, 1],
    }
    assert rows(data, "un") == {"Human Rights Committee — Violation found": [1]}
    assert columns(data, "compensation") == ["Claimed", "Awarded", "Cases"]
    assert rows(data, "compensation") == {"KZT": [500000, 100000, 1]}


# --- as of a date -------------------------------------------------------------------------------


def test_as_of_a_criminal_case_opened_later_counts_as_a_complaint_only(repo: Path) -> None:
    # KZ-2016-0002: complaint 2016-05-06, criminal case opened 2016-06-01.
    before = stats_json(repo, "2016", "--country", "KZ", "--as-of", "2016-05-31")
    # KZ-2016-0001 (registered 02-15) and KZ-2016-0002 sent complaints; only 0001 was opened.
    assert funnel(before) == [
        ("Complaint sent", [2, 100]),
        ("Report registered", [1, 50]),
        ("Criminal case opened", [1, 50]),
        ("Sent to court", [0, 0]),
        ("Conviction", [0, 0]),
    ]
    assert before["headlines"][1] == (
        "Criminal cases were opened in 1 of the 2 cases in which a complaint was sent (50%)."
    )
    assert before["provenance"]["as_of"] == "2016-05-31"
    on_the_day = stats_json(repo, "2016", "--country", "KZ", "--as-of", "2016-06-01")
    assert funnel(on_the_day)[2] == ("Criminal case opened", [2, 100])
    # At the end of 2016: sent to court (10-01) but not yet convicted (2017-03-01).
    year_end = stats_json(repo, "2016", "--country", "KZ", "--as-of", "2016-12-31")
    assert funnel(year_end)[3:] == [("Sent to court", [1, 50]), ("Conviction", [0, 0])]
    assert rows(year_end, "compensation") == {}  # claimed and awarded in 2017


def test_as_of_ignores_cases_taken_in_later(repo: Path) -> None:
    data = stats_json(repo, "2016", "--as-of", "2016-06-30")
    # KG-2016-0002 (08-20) and TJ-2016-0001 (11-11) were not known yet.
    assert rows(data, "new_by_country") == {"Kazakhstan": [3], "Kyrgyzstan": [1]}
    assert data["provenance"]["cases_counted"] == 4


def test_as_of_a_un_communication_decided_later_has_no_outcome_yet(repo: Path) -> None:
    # KG-2016-0001: submitted to the Committee 2016-12-01, decided 2018-03-15.
    assert rows(stats_json(repo, "2016"), "un") == {"Human Rights Committee — Violation found": [1]}
    pending = stats_json(repo, "2016", "--as-of", "2017-12-31")
    assert rows(pending, "un") == {"Human Rights Committee — pending": [1]}
    not_sent = stats_json(repo, "2016", "--as-of", "2016-11-30")
    assert rows(not_sent, "un") == {}


# --- invalid files --------------------------------------------------------------------------------


def test_invalid_case_files_are_reported_and_skipped_with_a_count(repo: Path) -> None:
    code, stdout, stderr = _cached(repo, ("stats", "2016", "--format", "json"))
    assert code == 0
    assert "1 case file(s) with errors were skipped" in stderr
    assert "KG-2016-0099.yaml" in stderr
    assert "cattool validate" in stderr
    data = json.loads(stdout)
    assert data["provenance"]["case_files_skipped"] == 1
    assert data["provenance"]["case_files_read"] == 10
    assert data["provenance"]["cases_counted"] == 6
    assert [Path(p).name for p in data["skipped_files"]] == ["KG-2016-0099.yaml"]
    assert rows(data, "new_by_country")["Kyrgyzstan"] == [2]  # not 3: the broken one is out


# --- formats --------------------------------------------------------------------------------------

PROVENANCE_KEYS = {
    "cattool_version",
    "generated_on",
    "repository_commit",
    "case_files_read",
    "cases_counted",
    "case_files_skipped",
    "period",
    "as_of",
    "countries",
    "organisations",
    "unit",
    "public",
    "suppression_threshold",
}


def head_commit(root: Path) -> str:
    return subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True, check=True
    ).stdout.strip()


def test_json_has_every_table_its_columns_and_the_provenance(repo: Path) -> None:
    data = stats_json(repo, "2016")
    assert set(data) == {"headlines", "provenance", "skipped_files", "tables"}
    for t in data["tables"]:
        assert set(t) == {"key", "title", "notes", "columns", "rows"}
        assert all(len(r["values"]) == len(t["columns"]) for r in t["rows"])
    assert table(data, "new_by_country")["title"] == "New cases by country"
    provenance = data["provenance"]
    assert set(provenance) == PROVENANCE_KEYS
    assert provenance["repository_commit"] == head_commit(repo)
    assert len(provenance["repository_commit"]) == 40
    assert provenance["generated_on"] == dt.date.today().isoformat()
    assert provenance["as_of"] == dt.date.today().isoformat()  # the day, never the word "today"
    assert (provenance["countries"], provenance["organisations"]) == ("all", "all")
    assert provenance["public"] is False
    assert provenance["suppression_threshold"] is None
    assert provenance["period"] == "2016"


def test_provenance_says_when_cases_have_uncommitted_changes(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil

    copy_root = tmp_path / "copy"
    shutil.copytree(repo, copy_root)
    edited = copy_root / "cases/TJ/TJ-2016-0001.yaml"
    edited.write_text(edited.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    result = invoke(copy_root, "stats", "2016", "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["provenance"]["repository_commit"] == (
        f"{head_commit(copy_root)} (with uncommitted changes in cases/)"
    )


def test_csv_stream_has_a_title_line_before_each_table(repo: Path) -> None:
    code, stdout, _ = _cached(repo, ("stats", "2016", "--format", "csv"))
    assert code == 0
    lines = stdout.splitlines()
    assert lines[:5] == ["# New cases by country", ",2016", "Kazakhstan,3", "Kyrgyzstan,2",
                         "Tajikistan,1"]  # fmt: skip
    start = lines.index("# How far the cases went (furthest stage reached)")
    assert lines[start + 1 : start + 3] == [",2016,% of complaints", "Complaint sent,5,100"]
    assert sum(line.startswith("# ") for line in lines) == len(TABLE_KEYS) + 1
    assert lines[-1].startswith("# Made with cattool ")
    assert "10 case files read, 6 cases counted, 1 skipped for errors" in lines[-1]


def test_markdown_tables_and_notes(repo: Path) -> None:
    code, stdout, _ = _cached(repo, ("stats", "2016", "--format", "md"))
    assert code == 0
    lines = [line.rstrip() for line in stdout.splitlines()]
    start = lines.index("### New cases by country")
    assert lines[start + 2 : start + 9] == [
        "|  | 2016 |",
        "|---|---:|",
        "| Kazakhstan | 3 |",
        "| Kyrgyzstan | 2 |",
        "| Tajikistan | 1 |",
        "",
        f"*{UNIT_CASES}*",
    ]
    assert "| Criminal case opened | 2 | 40 |" in lines
    assert lines[0].startswith("In 2016 the coalitions registered 3 new cases in Kazakhstan")
    assert lines[-1].startswith("*Made with cattool ")


@pytest.fixture(scope="module")
def made(repo: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Files written once for the format and privacy tests: plain, public and Russian."""
    out = tmp_path_factory.mktemp("made")
    runs = {
        "plain": ["2016", "-f", "xlsx", "-o", "{d}/stats.xlsx", "--charts", "{d}/charts"],
        "plain_csv": ["2016", "-f", "csv", "-o", "{d}/csv"],
        "public": ["2016", "--public", "-f", "xlsx", "-o", "{d}/stats.xlsx", "--report",
                   "{d}/report"],
        "public_csv": ["2015-2016", "--public", "-f", "csv", "-o", "{d}/csv"],
        "ru": ["2016", "--lang", "ru", "-f", "md", "-o", "{d}/stats.md", "--report",
               "{d}/report"],
    }  # fmt: skip
    folders = {}
    for name, args in runs.items():
        folder = out / name
        folder.mkdir()  # an output never makes a missing folder on the way
        result = invoke(repo, "stats", *(a.format(d=folder) for a in args))
        assert result.exit_code == 0, result.output
        folders[name] = folder
    return folders


def test_csv_folder_has_one_file_per_table_and_the_provenance(made: dict[str, Path]) -> None:
    import csv

    folder = made["plain_csv"] / "csv"
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        [f"{k}.csv" for k in TABLE_KEYS] + ["provenance.json"]
    )
    raw = (folder / "new_by_country.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # a BOM, for Excel
    with (folder / "funnel.csv").open(encoding="utf-8-sig", newline="") as f:
        assert list(csv.reader(f)) == [
            ["", "2016", "% of complaints"],
            ["Complaint sent", "5", "100"],
            ["Report registered", "3", "60"],
            ["Criminal case opened", "2", "40"],
            ["Sent to court", "1", "20"],
            ["Conviction", "1", "20"],
        ]
    provenance = json.loads((folder / "provenance.json").read_text(encoding="utf-8"))
    assert set(provenance) == PROVENANCE_KEYS
    assert provenance["case_files_skipped"] == 1


def test_xlsx_has_one_sheet_per_table_bold_headers_and_numbers(made: dict[str, Path]) -> None:
    from openpyxl import load_workbook

    book = load_workbook(made["plain"] / "stats.xlsx")
    assert book.sheetnames == ["Summary", *TABLE_KEYS]
    summary = book["Summary"]
    assert summary["A1"].value == (
        "In 2016 the coalitions registered 3 new cases in Kazakhstan, 2 in Kyrgyzstan and "
        "1 in Tajikistan."
    )
    assert str(summary["A4"].value).startswith("Made with cattool ")
    sheet = book["new_by_country"]
    assert sheet["A1"].value == "New cases by country"
    assert [c.value for c in sheet[2]] == [None, "2016"]
    assert all(c.font.b for c in sheet[2])
    assert [[c.value for c in row] for row in sheet.iter_rows(min_row=3, max_row=5)] == [
        ["Kazakhstan", 3],
        ["Kyrgyzstan", 2],
        ["Tajikistan", 1],
    ]
    assert sheet["A7"].value == UNIT_CASES
    funnel_sheet = book["funnel"]
    values = [[c.value for c in row] for row in funnel_sheet.iter_rows(min_row=3, max_row=7)]
    assert values[2] == ["Criminal case opened", 2, 40]
    assert all(isinstance(v, int) for row in values for v in row[1:])
    days = book["answer_days"]
    assert [c.value for c in days[3]] == ["Kazakhstan", 14.5, 2]


PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
CHARTS = ("new_cases_by_country", "funnel", "agencies", "methods")


def test_charts_png_and_svg(made: dict[str, Path]) -> None:
    import matplotlib.image

    folder = made["plain"] / "charts"
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        f"{name}.{ext}" for name in CHARTS for ext in ("png", "svg")
    )
    for name in CHARTS:
        png = folder / f"{name}.png"
        assert png.read_bytes().startswith(PNG_SIGNATURE)
        image = matplotlib.image.imread(png)
        assert image.ndim == 3 and image.shape[0] > 100 and image.shape[1] > 100
        svg = (folder / f"{name}.svg").read_text(encoding="utf-8")
        assert "<svg" in svg and svg.rstrip().endswith("</svg>")
    # the chart speaks the table's language: the title is drawn as text in the SVG
    assert "New cases by country" in (folder / "new_cases_by_country.svg").read_text("utf-8")


def test_report_markdown_and_html_with_the_headline_tables_and_charts(
    made: dict[str, Path],
) -> None:
    folder = made["public"] / "report"  # the report a coalition publishes
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        ["report.en.md", "report.en.html"]
        + [f"{name}.{ext}" for name in CHARTS for ext in ("png", "svg")]
    )
    headline = (
        "In 2016 the coalitions registered 3 new cases in Kazakhstan, &lt;3 in Kyrgyzstan and "
        "&lt;3 in Tajikistan."
    )
    html = (folder / "report.en.html").read_text(encoding="utf-8")
    assert html.lstrip().startswith("<!DOCTYPE html>")
    assert html.rstrip().endswith("</html>")
    assert "<title>Torture and ill-treatment: figures for 2016</title>" in html
    assert f'<p class="headline">{headline}</p>' in html
    # one page: the headline tables only; the rest are in the full outputs
    from cattool.stats_output import REPORT_TABLES

    assert html.count("<table>") == html.count("</table>") == len(REPORT_TABLES) == 4
    assert "All tables: cattool stats with --format xlsx, csv or md." in html
    assert html.count("<tr>") == html.count("</tr>")
    assert '<td>Kazakhstan</td><td class="n">3</td>' in html
    assert "<footer>Made with cattool " in html
    for name in CHARTS:
        assert f'src="{name}.svg"' in html
        assert (folder / f"{name}.png").read_bytes().startswith(PNG_SIGNATURE)
        assert "<svg" in (folder / f"{name}.svg").read_text(encoding="utf-8")
    markdown = (folder / "report.en.md").read_text(encoding="utf-8")
    assert markdown.startswith("# Torture and ill-treatment: figures for 2016")
    assert html_unescape(headline) in markdown.splitlines()
    assert "| Kazakhstan | 3 |" in markdown.splitlines()
    assert "![funnel.svg](funnel.svg)" in markdown.splitlines()
    assert "Made with cattool" in markdown


def test_russian_titles_labels_and_headline(repo: Path, made: dict[str, Path]) -> None:
    data = stats_json(repo, "2016", "--lang", "ru")
    assert table(data, "new_by_country")["title"] == "Новые дела по странам"
    assert rows(data, "new_by_country") == {"Казахстан": [3], "Кыргызстан": [2], "Таджикистан": [1]}
    assert data["headlines"] == [
        "В 2016 г. коалиции зарегистрировали новых дел: 3 — Казахстан; 2 — Кыргызстан; "
        "1 — Таджикистан.",
        "Уголовные дела возбуждены по 2 из 5 дел, по которым подана жалоба (40%).",
    ]
    assert columns(data, "funnel") == ["2016", "% от жалоб"]
    assert [label for label, _ in funnel(data)] == [
        "Жалоба подана",
        "Сообщение зарегистрировано",
        "Возбуждено уголовное дело",
        "Направлено в суд",
        "Обвинительный приговор",
    ]
    assert table(data, "funnel")["title"] == (
        "Как далеко продвинулись дела (высшая достигнутая стадия)"
    )
    assert rows(data, "un") == {"Комитет по правам человека — Установлено нарушение": [1]}
    report = made["ru"] / "report"
    assert (report / "report.ru.html").is_file()
    markdown = (report / "report.ru.md").read_text(encoding="utf-8")
    assert markdown.startswith("# Пытки и жестокое обращение: данные за 2016")
    assert "В 2016 г. коалиции зарегистрировали новых дел" in markdown
    assert "## Новые дела по странам" in markdown
    assert "Новые дела по странам" in (report / "new_cases_by_country.svg").read_text("utf-8")
    written = (made["ru"] / "stats.md").read_text(encoding="utf-8")
    assert "### Новые дела по странам" in written


def test_russian_provenance_line_is_all_russian(made: dict[str, Path]) -> None:
    markdown = (made["ru"] / "report" / "report.ru.md").read_text(encoding="utf-8")
    line = next(x for x in markdown.splitlines() if x.startswith("Подготовлено cattool"))
    for english in ("today", ": all", "единица: cases"):
        assert english not in line


# --- public outputs -------------------------------------------------------------------------------


def test_public_shows_counts_of_one_and_two_as_less_than_three(repo: Path) -> None:
    data = stats_json(repo, "2016", "--public")
    assert rows(data, "new_by_country") == {
        "Kazakhstan": [3],
        "Kyrgyzstan": ["<3"],
        "Tajikistan": ["<3"],
    }
    assert table(data, "new_by_country")["notes"] == [UNIT_CASES, SUPPRESSED]
    assert rows(data, "by_violation") == {"Torture": [6]}
    assert SUPPRESSED not in table(data, "by_violation")["notes"]  # nothing hidden there
    assert rows(data, "victims_sex") == {"Male": [5], "Female": ["<3"]}
    # a median over fewer than three cases is as telling as the cases themselves
    assert rows(data, "answer_days")["Kazakhstan"] == ["–", "<3"]
    assert data["headlines"][0] == (
        "In 2016 the coalitions registered 3 new cases in Kazakhstan, <3 in Kyrgyzstan and "
        "<3 in Tajikistan."
    )
    assert data["provenance"]["public"] is True
    assert data["provenance"]["suppression_threshold"] == 3
    code, md, _ = _cached(repo, ("stats", "2016", "--public", "--format", "md"))
    assert code == 0
    lines = [line.rstrip() for line in md.splitlines()]
    assert "| Kyrgyzstan | <3 |" in lines
    assert f"*{SUPPRESSED}*" in lines


def test_public_range_keeps_zeros_and_drops_the_change_column(repo: Path) -> None:
    data = stats_json(repo, "2015-2016", "--public")
    assert columns(data, "new_by_country") == ["2015", "2016", "Total"]
    assert rows(data, "new_by_country")["Tajikistan"] == [0, "<3", "<3"]
    assert SUPPRESSED in table(data, "new_by_country")["notes"]
    # Nothing to hide (3 in 2016, none in 2017): the Change stays.
    kz = stats_json(repo, "2016-2017", "--country", "KZ", "--public")
    assert columns(kz, "new_by_country") == ["2016", "2017", "Total", "Change"]
    assert rows(kz, "new_by_country") == {"Kazakhstan": [3, 0, 3, -3]}
    assert SUPPRESSED not in table(kz, "new_by_country")["notes"]


def test_public_files_hold_the_suppressed_cells(made: dict[str, Path]) -> None:
    from openpyxl import load_workbook

    book = load_workbook(made["public"] / "stats.xlsx")
    sheet = book["new_by_country"]
    assert [[c.value for c in row] for row in sheet.iter_rows(min_row=3, max_row=5)] == [
        ["Kazakhstan", 3],
        ["Kyrgyzstan", "<3"],
        ["Tajikistan", "<3"],
    ]
    assert sheet["A8"].value == SUPPRESSED
    html = (made["public"] / "report" / "report.en.html").read_text(encoding="utf-8")
    assert '<td>Kyrgyzstan</td><td class="n">&lt;3</td>' in html
    assert html_escape(SUPPRESSED) in html


def test_public_percentages_do_not_give_a_hidden_count_away(repo: Path) -> None:
    data = stats_json(repo, "2016", "--public")
    for label, (count, percent) in funnel(data):
        if count == "<3":
            assert not isinstance(percent, int), f"{label}: <3 but {percent}% of 5 complaints"


def test_public_headline_rate_does_not_give_a_hidden_count_away(repo: Path) -> None:
    line = stats_json(repo, "2016", "--public")["headlines"][1]
    assert "<3 of the 5" in line
    assert "(40%)" not in line


def test_public_total_does_not_give_a_hidden_year_away(repo: Path) -> None:
    data = stats_json(repo, "2015-2016", "--public")
    for label, values in rows(data, "new_by_country").items():
        years, total = values[:2], values[2]
        if sum(v == "<3" for v in years) == 1 and isinstance(total, int):
            visible = sum(v for v in years if isinstance(v, int))
            pytest.fail(f"{label}: the hidden year is {total - visible}")


SENSITIVE = (
    "Timur Bakirovich Fictionov",
    "+996 555 000 222",
    "Fictional account",
    "+996 555 000 111",
    "Fictional street",
    "Aida Fictionovna Second",
    "Parent of the victim",
    "1994-07-02",
    "1998-07-01",
)


def _texts_of(folder: Path) -> list[tuple[str, str]]:
    from openpyxl import load_workbook

    found = []
    for path in sorted(folder.rglob("*")):
        if path.suffix == ".xlsx":
            book = load_workbook(path)
            cells = [str(c.value) for ws in book for row in ws.iter_rows() for c in row]
            found.append((str(path), "\n".join(cells)))
        elif path.is_file() and path.suffix != ".png":
            found.append((str(path), path.read_text(encoding="utf-8-sig")))
    return found


@pytest.mark.parametrize("public", [False, True])
def test_no_name_narrative_or_phone_in_any_output(
    repo: Path, made: dict[str, Path], public: bool
) -> None:
    flags = ("--public",) if public else ()
    outputs = []
    for fmt in ("text", "json", "csv", "md"):
        code, stdout, stderr = _cached(repo, ("stats", "2016", *flags, "--format", fmt))
        assert code == 0
        outputs += [(f"{fmt} stdout", stdout), (f"{fmt} stderr", stderr)]
    names = ("public", "public_csv") if public else ("plain", "plain_csv", "ru")
    for name in names:
        outputs += _texts_of(made[name])
    assert len(outputs) > 20
    for where, text in outputs:
        assert text.strip(), where
        leaked = [value for value in SENSITIVE if value in text]
        assert leaked == [], f"{where} holds {leaked}"


# --- never overwrite ------------------------------------------------------------------------------


def test_an_existing_output_file_is_refused_then_replaced_with_force(
    repo: Path, tmp_path: Path
) -> None:
    target = tmp_path / "stats.json"
    target.write_text("my earlier figures\n", encoding="utf-8")
    refused = invoke(repo, "stats", "2016", "--format", "json", "-o", str(target))
    assert refused.exit_code == 4
    assert "exists already; nothing was written" in refused.stderr
    assert "--force" in refused.stderr
    assert target.read_text(encoding="utf-8") == "my earlier figures\n"
    forced = invoke(repo, "stats", "2016", "--format", "json", "-o", str(target), "--force")
    assert forced.exit_code == 0, forced.output
    assert rows(json.loads(target.read_text(encoding="utf-8")), "new_by_country") == {
        "Kazakhstan": [3],
        "Kyrgyzstan": [2],
        "Tajikistan": [1],
    }


@pytest.mark.parametrize(
    ("existing", "args"),
    [
        ("out.xlsx", ["-f", "xlsx", "-o", "{d}/out.xlsx"]),
        ("out.md", ["-f", "md", "-o", "{d}/out.md"]),
        ("csv/funnel.csv", ["-f", "csv", "-o", "{d}/csv"]),
        ("charts/funnel.png", ["-f", "json", "--charts", "{d}/charts"]),
        ("report/report.en.md", ["-f", "json", "--report", "{d}/report"]),
    ],
)
def test_every_output_refuses_to_overwrite(
    repo: Path, tmp_path: Path, existing: str, args: list[str]
) -> None:
    path = tmp_path / existing
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"earlier")
    result = invoke(repo, "stats", "2016", *(a.format(d=tmp_path) for a in args))
    assert result.exit_code == 4, result.output
    assert path.read_bytes() == b"earlier"
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]  # nothing else written


def test_csv_folder_does_not_replace_an_existing_provenance_file(
    repo: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "csv"
    folder.mkdir()
    (folder / "provenance.json").write_text('{"mine": true}', encoding="utf-8")
    result = invoke(repo, "stats", "2016", "-f", "csv", "-o", str(folder))
    assert (folder / "provenance.json").read_text(encoding="utf-8") == '{"mine": true}'
    assert result.exit_code == 4


def test_report_does_not_replace_the_charts_of_another_report(
    repo: Path, made: dict[str, Path], tmp_path: Path
) -> None:
    import shutil

    folder = tmp_path / "report"
    shutil.copytree(made["ru"] / "report", folder)  # a Russian report with Russian charts
    russian_chart = (folder / "funnel.svg").read_bytes()
    english = invoke(repo, "stats", "2016", "-f", "json", "--report", str(folder))
    assert (folder / "funnel.svg").read_bytes() == russian_chart
    assert english.exit_code == 4


# --- usage errors ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "2016"),
        (["20x6"], "cattool: '20x6' is not a year or a range of years; write 2016 or 2013-2016"),
        (["2016", "--half", "3"], "cattool: --half is 1 or 2, with a single year"),
        (["2015-2016", "--half", "1"], "cattool: --half is 1 or 2, with a single year"),
        (["2016", "--country", "XX"], "cattool: --country: XX is not KZ, KG or TJ"),
        (["2016-2015"], "cattool: '2016-2015': the range ends before it starts"),
        (["--from", "2016-01-01"], "cattool: --from and --to go together"),
        (["2016", "--from", "2016-01-01", "--to", "2016-02-01"],
         "cattool: give a YEAR or --from/--to, not both"),
        (["--from", "2016-02-01", "--to", "2016-01-01"], "cattool: --to is before --from"),
        (["2016", "--as-of", "2016-13-01"],
         "cattool: --as-of: '2016-13-01' is not a date; write YYYY-MM-DD"),
        (["2016", "--unit", "people"], "Invalid value for '--unit'"),
        (["2016", "-o", "stats.txt"], "--output needs --format csv, xlsx, json or md"),
    ],
)  # fmt: skip
def test_usage_errors_exit_2_with_a_clear_message(
    repo: Path, args: list[str], message: str
) -> None:
    result = invoke(repo, "stats", *args)
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize("args", [[], ["--half", "1"]])
def test_no_period_names_what_to_give(repo: Path, args: list[str]) -> None:
    result = invoke(repo, "stats", *args)
    assert result.exit_code == 2
    assert "None" not in result.stderr
    assert "give a YEAR" in result.stderr


def test_half_with_from_and_to_is_a_usage_error(repo: Path) -> None:
    result = invoke(
        repo, "stats", "--from", "2016-01-01", "--to", "2016-12-31", "--half", "1", "-f", "json"
    )
    assert result.exit_code == 2


# --- a generated repository of known composition -------------------------------------------------


def test_a_generated_repository_gives_the_counts_of_its_files(tmp_path: Path) -> None:
    out = tmp_path / "generated"
    subprocess.run(
        [sys.executable, str(PROJECT / "bench" / "generate.py"), str(out), "--n", "200",
         "--seed", "3", "--invalid", "0"],
        check=True,
        capture_output=True,
    )  # fmt: skip
    # Counted independently: intake year and country of every file, read with PyYAML's safe
    # loader (its C version when there is one: the same rules, eight times faster).
    safe_loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    years = list(range(2013, 2026))
    expected: dict[str, list[int]] = {code: [0] * len(years) for code in ("KZ", "KG", "TJ")}
    files = sorted((out / "cases").rglob("*.yaml"))
    assert len(files) == 200
    for path in files:
        case = yaml.load(path.read_text(encoding="utf-8"), Loader=safe_loader)
        expected[case["country"]][int(str(case["intake_date"])[:4]) - 2013] += 1
    assert all(sum(counts) > 0 for counts in expected.values())  # every country is there

    result = invoke(out, "stats", "2013-2025", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert columns(data, "new_by_country") == [*map(str, years), "Total", "Change"]
    codes = {"Kazakhstan": "KZ", "Kyrgyzstan": "KG", "Tajikistan": "TJ"}
    got = {codes[label]: values for label, values in rows(data, "new_by_country").items()}
    assert got == {
        code: [*counts, sum(counts), counts[-1] - counts[0]] for code, counts in expected.items()
    }
    provenance = data["provenance"]
    assert (provenance["case_files_read"], provenance["cases_counted"]) == (200, 200)
    assert provenance["case_files_skipped"] == 0
    assert provenance["repository_commit"] == "not a git repository"
    assert result.stderr == ""


# --- cattool.stats, unit by unit ------------------------------------------------------------------


def test_period_parse() -> None:
    from cattool.stats import Period

    year = Period.parse("2016")
    assert (year.start, year.end, year.label, year.by_year) == (
        d("2016-01-01"), d("2016-12-31"), "2016", True
    )  # fmt: skip
    assert year.columns == ["2016"]
    span = Period.parse("2013-2016")
    assert span.columns == ["2013", "2014", "2015", "2016"]
    assert span.column(d("2014-07-01")) == "2014"
    assert Period.parse(" 2013–2016 ").columns == span.columns  # an en dash, spaces
    first = Period.parse("2015", half=1)
    assert (first.start, first.end, first.label, first.columns) == (
        d("2015-01-01"), d("2015-06-30"), "2015 H1", ["2015 H1"]
    )  # fmt: skip
    second = Period.parse("2015", half=2)
    assert (second.start, second.end, second.column(d("2015-12-31"))) == (
        d("2015-07-01"), d("2015-12-31"), "2015 H2"
    )  # fmt: skip
    custom = Period.parse(None, start=d("2015-12-01"), end=d("2016-03-14"))
    assert (custom.label, custom.by_year, custom.years) == (
        "2015-12-01..2016-03-14", False, [2015, 2016]
    )  # fmt: skip


@pytest.mark.parametrize(
    ("text", "kwargs"),
    [
        ("20x6", {}),
        ("2016-2015", {}),
        ("2016", {"half": 3}),
        ("2015-2016", {"half": 1}),
        (None, {"start": d("2016-01-01")}),
        ("2016", {"start": d("2016-01-01"), "end": d("2016-02-01")}),
        (None, {"start": d("2016-02-01"), "end": d("2016-01-01")}),
    ],
)
def test_period_parse_refuses(text: str | None, kwargs: dict[str, Any]) -> None:
    from cattool.errors import CattoolError, ExitCode
    from cattool.stats import Period

    with pytest.raises(CattoolError) as raised:
        Period.parse(text, **kwargs)
    assert raised.value.exit_code == ExitCode.USAGE


@pytest.fixture(scope="module")
def case_format(repo: Path) -> Any:
    from cattool.caseformat import CaseFormat
    from cattool.repo import find_repo

    return CaseFormat.for_repo(find_repo(repo))


def loaded(repo: Path, case_id: str) -> dict[str, Any]:
    """A case as cattool reads it (dates stay text)."""
    from cattool.loading import read_case

    case = read_case(repo / "cases" / case_id[:2] / f"{case_id}.yaml")
    assert not isinstance(case, list)
    return case.data


def test_case_facts_follow_the_as_of_date(repo: Path, case_format: Any) -> None:
    from cattool.facts import case_facts

    case = loaded(repo, "KZ-2016-0002")
    today = case_facts(case, case_format, None)
    assert (today.stage, today.conviction, today.answer_days) == ("verdict", True, 26)
    assert (today.claimed, today.awarded) == ([(500000.0, "KZT")], [(100000.0, "KZT")])
    before = case_facts(case, case_format, d("2016-05-31"))
    # the criminal case (2016-06-01) was not opened yet, nor was the complaint answered
    assert (before.stage, before.conviction, before.answer_days) == ("complaint_sent", False, None)
    year_end = case_facts(case, case_format, d("2016-12-31"))
    assert (year_end.stage, year_end.conviction, year_end.claimed) == ("sent_to_court", False, [])
    assert len(case["legal_actions"]) == 6  # the case itself is not cut down


def test_case_facts_stage_mapping_refusals_and_ages(repo: Path, case_format: Any) -> None:
    from cattool.facts import case_facts

    kz = case_facts(loaded(repo, "KZ-2016-0001"), case_format, None)
    assert (kz.stage, kz.refused, kz.refusal_grounds) == (
        "investigation_opened", True, ["reconciliation"]
    )  # fmt: skip
    kg = case_facts(loaded(repo, "KG-2016-0002"), case_format, None)
    assert (kg.stage, kg.refusal_grounds, kg.answer_days, kg.n_victims) == (
        "registered", ["not_recorded"], 10, 2
    )  # fmt: skip
    assert [(v["sex"], v["age"]) for v in kg.victims] == [("male", "adult"), ("female", "child")]
    assert kg.methods == {"beating", "electric_shock"}
    kg_2019 = case_facts(loaded(repo, "KG-2019-0001"), case_format, None)
    assert kg_2019.stage == "investigation_opened"
    tj = case_facts(loaded(repo, "TJ-2016-0001"), case_format, None)
    assert [v["age"] for v in tj.victims] == ["child"]


def test_a_un_communication_as_known_on_a_date(repo: Path) -> None:
    from cattool.facts import as_known_on

    case = loaded(repo, "KG-2016-0001")
    assert as_known_on(case, d("2018-03-15"))["un_communications"][0]["outcome"] == "violation"
    pending = as_known_on(case, d("2018-03-14"))["un_communications"]
    assert len(pending) == 1 and "outcome" not in pending[0]
    assert as_known_on(case, d("2016-11-30"))["un_communications"] == []
    assert [e["event_id"] for e in as_known_on(case, d("2016-04-11"))["legal_actions"]] == [
        "e1", "e2", "e3"
    ]  # fmt: skip
    assert case["un_communications"][0]["outcome"] == "violation"  # not changed in place


def test_compute_stats_through_the_api(repo: Path, case_format: Any) -> None:
    from cattool.errors import CattoolError, ExitCode
    from cattool.repo import find_repo
    from cattool.stats import Period, StatsQuery, collect, compute_stats

    case_repo = find_repo(repo)
    query = StatsQuery(Period.parse("2015-2016"), countries=("KG",), unit="victims")
    collected = collect(case_repo, case_format, query, jobs=1)
    assert collected.files_read == 10
    assert [p.name for p in collected.skipped] == ["KG-2016-0099.yaml"]
    assert sorted(f.case_id for f in collected.facts) == [
        "KG-2015-0001", "KG-2016-0001", "KG-2016-0002"
    ]  # fmt: skip
    result = compute_stats(case_repo, case_format, query, collected=collected)
    frame = result.tables[0].frame
    # victims: 2015 one (KG-2015-0001); 2016 one + two
    assert frame.to_dict(orient="index") == {
        "Kyrgyzstan": {"2015": 1, "2016": 3, "Total": 4, "Change": 2}
    }
    with pytest.raises(CattoolError) as raised:
        compute_stats(case_repo, case_format, StatsQuery(Period.parse("2016"), unit="people"))
    assert raised.value.exit_code == ExitCode.USAGE
