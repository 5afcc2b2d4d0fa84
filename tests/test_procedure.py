"""The procedural model (cattool.procedure): tracks as of a date, supersession, remedies, the
victim's situation and the law in time. Unit tests of the core; the documents that read the model
are tested through the CLI elsewhere."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cattool.countries import load_country
from cattool.procedure import Civil, Criminal, Remedies, UnStage, proceedings
from cattool.procedure.law import provision, qualification, registration_opens_investigation

ROOT = Path(__file__).resolve().parents[1]
D = dt.date.fromisoformat


def country(code: str) -> Any:
    return load_country(ROOT / "schemas" / "countries" / f"{code}.yaml")


def case_with(*events: dict[str, Any], code: str = "KG", **extra: Any) -> dict[str, Any]:
    case: dict[str, Any] = {
        "case_id": f"{code}-2011-M4RC",
        "country": code,
        "violation_type": "torture",
        "victims": [{"victim_id": "v1", "sex": "male", "age_group": "adult"}],
        "incidents": [
            {
                "incident_id": "i1",
                "victim_ids": ["v1"],
                "date_start": "2011-11-21",
                "place_type": "street_public",
            }
        ],
        "legal_actions": list(events),
    }
    case.update(extra)
    return case


def ev(event_id: str, date: str, kind: str, **extra: Any) -> dict[str, Any]:
    return {"event_id": event_id, "date": date, "type": kind, **extra}


def state(case: dict[str, Any], day: str) -> Any:
    return proceedings(case, country(case["country"]), D(day))


# A Kyrgyz case told in seed 004: opened, closed for lack of evidence in April 2013, the closure
# annulled and the case reopened in June 2013, charges, in court from April 2014.
REOPENED = case_with(
    ev("e1", "2011-11-25", "complaint_sent"),
    ev("e2", "2011-12-02", "investigation_opened"),
    ev("e3", "2013-04-10", "investigation_discontinued", grounds="no_corpus_delicti"),
    ev("e4", "2013-05-02", "appeal_filed", responds_to="e3"),
    ev("e5", "2013-06-14", "decision_annulled", annuls="e3"),
    ev("e6", "2013-08-01", "charges_brought"),
    ev("e7", "2014-04-07", "sent_to_court"),
)


@pytest.mark.parametrize(
    ("day", "stage", "remedies"),
    [
        ("2011-11-24", Criminal.NO_COMPLAINT, Remedies.NOT_PURSUED),
        ("2011-11-25", Criminal.COMPLAINT_PENDING, Remedies.AWAITING_ANSWER),
        ("2012-06-01", Criminal.INVESTIGATION, Remedies.PENDING),
        ("2013-04-10", Criminal.DISCONTINUED, Remedies.REFUSAL_NOT_APPEALED),
        ("2013-05-02", Criminal.DISCONTINUANCE_APPEALED, Remedies.APPEAL_PENDING),
        ("2013-06-13", Criminal.DISCONTINUANCE_APPEALED, Remedies.APPEAL_PENDING),
        ("2013-06-14", Criminal.INVESTIGATION, Remedies.PENDING),
        ("2013-08-01", Criminal.INDICTED, Remedies.PENDING),
        ("2014-04-06", Criminal.INDICTED, Remedies.PENDING),
        ("2014-04-07", Criminal.TRIAL, Remedies.PENDING),
        ("2026-01-01", Criminal.TRIAL, Remedies.PENDING),
    ],
)
def test_a_reopened_case_is_a_live_investigation_and_then_a_trial(
    day: str, stage: Criminal, remedies: Remedies
) -> None:
    found = state(REOPENED, day)
    assert found.criminal.stage is stage
    assert found.remedies.status is remedies


def test_an_annulled_decision_is_never_the_standing_decision() -> None:
    found = state(REOPENED, "2013-07-01")
    assert found.criminal.decision is None
    [annulment] = found.criminal.annulments
    assert (annulment.decision.event_id, annulment.by.event_id) == ("e3", "e5")
    # before the annulment the closure stands, and the appeal against it is pending
    before = state(REOPENED, "2013-06-13")
    assert before.criminal.decision is not None and before.criminal.decision.event_id == "e3"
    assert before.criminal.appeal is not None and before.criminal.appeal.event_id == "e4"


def test_as_of_ignores_later_events_and_lists_them() -> None:
    found = state(REOPENED, "2013-04-10")
    assert [e.event_id for e in found.events] == ["e1", "e2", "e3"]
    assert [e.event_id for e in found.later] == ["e4", "e5", "e6", "e7"]


REFUSED = case_with(
    ev("e1", "2016-03-11", "complaint_sent"),
    ev("e2", "2016-03-25", "refusal_to_open", grounds="no_corpus_delicti", responds_to="e1"),
    ev("e3", "2016-04-01", "appeal_filed", responds_to="e2"),
)


def test_an_appeal_rejected_exhausts_the_remedies_and_one_granted_goes_back_to_a_check() -> None:
    rejected = case_with(
        *REFUSED["legal_actions"],
        ev("e4", "2016-05-10", "appeal_decided", responds_to="e3", outcome="rejected"),
    )
    found = state(rejected, "2016-06-01")
    assert found.criminal.stage is Criminal.REFUSED
    assert found.remedies.status is Remedies.EXHAUSTED
    assert found.remedies.final_decision_on == D("2016-05-10")

    granted = case_with(
        *REFUSED["legal_actions"],
        ev("e4", "2016-05-10", "appeal_decided", responds_to="e3", outcome="granted"),
    )
    found = state(granted, "2016-06-01")
    assert found.criminal.stage is Criminal.CHECK
    assert found.criminal.decision is None
    assert found.remedies.status is Remedies.PENDING
    assert [a.decision.event_id for a in found.criminal.annulments] == ["e2"]


def test_a_suspension_is_a_decision_that_can_be_appealed_and_set_aside() -> None:
    """A suspended investigation stays suspended while our complaint against the suspension is
    pending; granted, the investigation is live again; rejected, the suspension stands."""
    base = [
        ev("e1", "2017-02-14", "complaint_sent", direction="outgoing"),
        ev("e2", "2017-02-20", "investigation_opened", responds_to="e1"),
        ev("e3", "2017-06-20", "investigation_suspended"),
        ev("e4", "2017-07-03", "appeal_filed", direction="outgoing", responds_to="e3"),
    ]
    pending = state(case_with(*base), "2017-07-10")
    assert pending.criminal.stage is Criminal.SUSPENDED
    assert pending.criminal.decision is not None and pending.criminal.decision.event_id == "e3"
    assert pending.criminal.appeal is not None and pending.criminal.appeal.event_id == "e4"
    assert pending.remedies.status is Remedies.PENDING
    granted = case_with(
        *base, ev("e5", "2017-08-01", "appeal_decided", responds_to="e4", outcome="granted")
    )
    found = state(granted, "2017-08-02")
    assert found.criminal.stage is Criminal.INVESTIGATION
    assert [a.decision.event_id for a in found.criminal.annulments] == ["e3"]
    rejected = case_with(
        *base, ev("e5", "2017-08-01", "appeal_decided", responds_to="e4", outcome="rejected")
    )
    found = state(rejected, "2017-08-02")
    assert found.criminal.stage is Criminal.SUSPENDED
    assert found.criminal.appeal is None
    assert found.criminal.appeal_rejected is not None
    resumed = case_with(*base, ev("e5", "2017-09-12", "investigation_resumed"))
    found = state(resumed, "2017-09-13")
    assert found.criminal.stage is Criminal.INVESTIGATION and found.criminal.decision is None


def test_the_second_refusal_stands_after_the_first_was_annulled() -> None:
    again = case_with(
        *REFUSED["legal_actions"],
        ev("e4", "2016-05-10", "decision_annulled", annuls="e2"),
        ev("e5", "2016-06-20", "refusal_to_open", grounds="no_event"),
    )
    found = state(again, "2016-07-01")
    assert found.criminal.stage is Criminal.REFUSED
    assert found.criminal.decision is not None and found.criminal.decision.event_id == "e5"
    assert found.remedies.status is Remedies.REFUSAL_NOT_APPEALED
    # an appeal naming the annulled refusal does not make the new one appealed
    late = case_with(
        *again["legal_actions"], ev("e6", "2016-07-02", "appeal_filed", responds_to="e2")
    )
    assert state(late, "2016-07-03").criminal.stage is Criminal.REFUSED


def test_an_unlinked_annulment_takes_the_standing_decision_and_says_so() -> None:
    old = case_with(
        ev("e1", "2014-01-10", "complaint_sent"),
        ev("e2", "2014-02-01", "refusal_to_open"),
        ev("e3", "2014-03-01", "decision_annulled"),
    )
    found = state(old, "2014-04-01")
    assert found.criminal.stage is Criminal.CHECK
    [inferred] = found.inferred
    assert (inferred.event.event_id, inferred.target.event_id, inferred.key) == (
        "e3",
        "e2",
        "annuls",
    )


@pytest.mark.parametrize(
    ("code", "day", "opens"),
    [
        ("KZ", "2014-12-31", False),
        ("KZ", "2015-01-01", True),
        ("KG", "2018-12-31", False),
        ("KG", "2019-01-01", True),
        ("KG", "2019-01-02", True),
        ("TJ", "2020-01-01", False),
    ],
)
def test_registration_opens_an_investigation_only_where_and_when_the_law_says(
    code: str, day: str, opens: bool
) -> None:
    assert registration_opens_investigation(country(code), D(day)) is opens
    case = case_with(ev("e1", day, "complaint_sent"), ev("e2", day, "registered"), code=code)
    expected = Criminal.INVESTIGATION if opens else Criminal.CHECK
    assert state(case, day).criminal.stage is expected


def test_a_verdict_appealed_is_pending_and_final_once_the_appeal_is_rejected() -> None:
    case = case_with(
        ev("e1", "2012-05-01", "complaint_sent"),
        ev("e2", "2012-05-10", "investigation_opened"),
        ev("e3", "2012-08-01", "sent_to_court"),
        ev("e4", "2012-11-20", "acquittal"),
        ev("e5", "2012-12-01", "appeal_filed", responds_to="e4"),
        ev("e6", "2013-02-15", "appeal_decided", responds_to="e5", outcome="rejected"),
    )
    assert state(case, "2012-11-30").criminal.stage is Criminal.VERDICT
    pending = state(case, "2013-01-01")
    assert pending.criminal.stage is Criminal.VERDICT_APPEALED
    assert pending.remedies.status is Remedies.APPEAL_PENDING
    final = state(case, "2013-03-01")
    assert final.criminal.stage is Criminal.FINAL
    assert final.remedies.status is Remedies.EXHAUSTED
    assert final.remedies.final_decision_on == D("2013-02-15")


def test_a_quashed_verdict_sends_the_case_back_to_court() -> None:
    case = case_with(
        ev("e1", "2012-08-01", "sent_to_court"),
        ev("e2", "2012-11-20", "acquittal"),
        ev("e3", "2012-12-01", "appeal_filed", responds_to="e2"),
        ev("e4", "2013-02-15", "appeal_decided", responds_to="e3", outcome="granted"),
    )
    found = state(case, "2013-03-01")
    assert found.criminal.stage is Criminal.TRIAL
    assert found.criminal.verdict is None


def test_the_civil_track_runs_beside_the_criminal_one() -> None:
    case = case_with(
        ev("e1", "2013-01-10", "sent_to_court"),
        ev("e2", "2013-03-01", "conviction"),
        ev("e3", "2013-03-20", "verdict_final"),
        ev("e4", "2014-08-05", "civil_claim", amount=1000000, currency="KZT"),
        ev("e5", "2014-12-03", "compensation_awarded", amount=300000, currency="KZT"),
        ev("e6", "2014-12-20", "appeal_filed", responds_to="e5"),
        code="KZ",
    )
    found = state(case, "2015-01-10")
    assert found.criminal.stage is Criminal.FINAL
    assert found.criminal.convicted
    assert found.civil.stage is Civil.APPEALED
    assert found.civil_remedies.status is Remedies.APPEAL_PENDING
    assert state(case, "2014-12-10").civil.amount == (300000.0, "KZT")
    # the appeal of the award did not touch the criminal track
    assert found.criminal.appeal is None


def test_un_tracks_by_date() -> None:
    case = case_with(
        un_communications=[
            {
                "comm_id": "u1",
                "body": "ccpr",
                "kind": "individual_complaint",
                "submitted_on": "2015-02-01",
                "registered_on": "2015-04-01",
                "transmitted_to_state_on": "2015-04-10",
                "state_reply_on": "2015-10-01",
                "decided_on": "2018-07-20",
                "outcome": "violation",
                "follow_up": [{"date": "2019-02-01", "type": "state_follow_up_reply"}],
            }
        ]
    )
    stages = {
        "2015-01-31": None,
        "2015-02-01": UnStage.SUBMITTED,
        "2015-04-05": UnStage.REGISTERED,
        "2015-06-01": UnStage.TRANSMITTED,
        "2016-01-01": UnStage.STATE_REPLIED,
        "2018-07-20": UnStage.DECIDED,
        "2019-02-01": UnStage.FOLLOW_UP,
    }
    for day, expected in stages.items():
        tracks = state(case, day).un
        assert (tracks[0].stage if tracks else None) is expected, day
    before = state(case, "2018-07-19").un[0]
    assert before.outcome is None and not before.decided  # the outcome is not known before
    assert state(case, "2018-07-20").un_decided("ccpr") is not None
    assert state(case, "2018-07-20").un_decided("cat") is None


def test_a_death_a_minor_and_a_conscript() -> None:
    case = case_with(
        victims=[
            {"victim_id": "v1", "sex": "male", "age_group": "adult", "current_status": "deceased",
             "date_of_death": "2004-06-02"},
            {"victim_id": "v2", "sex": "male", "age_group": "child", "date_of_birth": "1995-01-15"},
            {"victim_id": "v3", "sex": "male", "age_group": "adult", "status_at_incident": "conscript"},
        ],
        incidents=[
            {"incident_id": "i1", "victim_ids": ["v1", "v2"], "date_start": "2004-06-01",
             "place_type": "police_station"},
            {"incident_id": "i2", "victim_ids": ["v3"], "date_start": "2004-06-01",
             "place_type": "military_unit", "context": "army"},
        ],
    )  # fmt: skip
    before_death = state(case, "2004-06-01").victims
    assert not before_death[0].deceased
    later = state(case, "2010-01-01").victims
    assert later[0].deceased and later[0].died_in_custody and "deceased" in later[0].words()
    assert later[1].minor_at_incident and later[1].minor_now  # 18 only on 2013-01-15
    assert state(case, "2013-01-14").victims[1].minor_now
    assert not state(case, "2013-01-15").victims[1].minor_now
    assert later[2].never_detained and not later[0].never_detained


def test_who_consented_and_who_applies() -> None:
    case = case_with(
        consent=[
            {"person_id": "v1", "scopes": ["domestic_complaint"], "form": "written",
             "given_on": "2012-05-01", "given_by": {"role": "guardian", "relationship": "mother"}},
        ],
        applicant={"role": "relative", "relationship": "mother"},
    )  # fmt: skip
    found = state(case, "2012-06-01")
    assert found.victims[0].consent_by is not None
    assert (found.victims[0].consent_by.role, found.victims[0].consent_by.relationship) == (
        "guardian",
        "mother",
    )
    assert found.applicant.role == "relative" and not found.applicant.organisation
    assert state(case_with(), "2012-06-01").applicant.organisation


# --- the law in time ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "article"),
    [("2021-11-30", "143"), ("2021-12-01", "137"), ("2021-12-02", "137")],
)
def test_the_kyrgyz_torture_article_changes_on_the_day_the_2021_code_came_into_force(
    day: str, article: str
) -> None:
    found = qualification(country("KG"), D(day))
    assert found is not None and found.article.article == article
    assert not found.alternatives


def test_a_date_known_only_to_the_year_names_both_articles_across_a_change() -> None:
    found = qualification(country("KG"), D("2021-01-01"), "unknown_month_day")
    assert found is not None
    assert (found.code.code, found.article.article) == ("CC-KG-2017", "143")
    assert [(c.code, a.article) for c, a in found.alternatives] == [("CC-KG-2021", "137")]
    exact = qualification(country("KG"), D("2021-01-01"), "exact")
    assert exact is not None and not exact.alternatives
    month = qualification(country("KG"), D("2021-11-01"), "unknown_day")
    assert month is not None and not month.alternatives  # November 2021: still art. 143


@pytest.mark.parametrize(
    ("day", "article", "fallback"),
    [("2012-03-13", "316", True), ("2012-03-14", "143-1", False), ("2012-03-15", "143-1", False)],
)
def test_before_tajikistan_had_a_torture_article_the_article_that_applied_is_offered(
    day: str, article: str, fallback: bool
) -> None:
    found = qualification(country("TJ"), D(day))
    assert found is not None
    assert (found.article.article, found.fallback) == (article, fallback)


@pytest.mark.parametrize(
    ("code", "day", "present"),
    [("KZ", "2014-12-31", False), ("KZ", "2015-01-01", True), ("KG", "2018-12-31", False),
     ("KG", "2019-01-01", True)],
)  # fmt: skip
def test_the_crime_register_exists_only_from_its_first_day(
    code: str, day: str, present: bool
) -> None:
    found = provision(country(code), "crime_register", D(day))
    assert (found is not None) is present


# --- any timeline -----------------------------------------------------------------------------------

EVENT_TYPES = [
    "complaint_sent", "reminder_sent", "complaint_received", "registered", "registration_refused",
    "transferred", "check_extended", "refusal_to_open", "investigation_opened",
    "investigation_resumed", "investigation_suspended", "investigation_discontinued",
    "appeal_filed", "appeal_decided", "decision_annulled", "charges_brought", "sent_to_court",
    "conviction", "acquittal", "released_by_court", "verdict_final", "civil_claim",
    "compensation_awarded", "claim_rejected", "judgment_final", "compensation_paid",
    "response_received", "reprisal", "other",
]  # fmt: skip

timelines = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=3000),
        st.sampled_from(EVENT_TYPES),
        st.one_of(st.none(), st.integers(min_value=1, max_value=12)),
        st.one_of(st.none(), st.integers(min_value=1, max_value=12)),
        st.sampled_from([None, "granted", "rejected", "partly_granted"]),
    ),
    max_size=14,
)


@settings(max_examples=300, deadline=None)
@given(timelines, st.sampled_from(["KZ", "KG", "TJ"]), st.integers(min_value=-10, max_value=3100))
def test_states_are_defined_at_every_date_and_never_rest_on_a_later_event(
    raw: list[tuple[int, str, int | None, int | None, str | None]], code: str, offset: int
) -> None:
    start = D("2010-01-01")
    events = [
        {
            "event_id": f"e{i + 1}",
            "date": (start + dt.timedelta(days=days)).isoformat(),
            "type": kind,
            **({"responds_to": f"e{link}"} if link else {}),
            **({"annuls": f"e{target}"} if target else {}),
            **({"outcome": outcome} if outcome else {}),
        }
        for i, (days, kind, link, target, outcome) in enumerate(raw)
    ]
    as_of = start + dt.timedelta(days=offset)
    found = proceedings(case_with(*events, code=code), country(code), as_of)
    track = found.criminal
    assert isinstance(track.stage, Criminal) and isinstance(found.civil.stage, Civil)
    assert isinstance(found.remedies.status, Remedies)
    for step in (*track.history, *found.civil.history):
        assert step.date <= as_of
    for event in (track.decision, track.appeal, found.remedies.final_decision):
        assert event is None or event.date <= as_of
    if track.decision is not None:
        assert track.annulled(track.decision) is None
    if track.stage in (Criminal.REFUSED, Criminal.DISCONTINUED, Criminal.VERDICT):
        assert track.decision is not None
    assert all(e.date > as_of for e in found.later)


def test_a_decision_received_later_than_it_is_dated_is_seen_from_its_receipt() -> None:
    """A refusal dated 2017-06-28 and received 2017-07-20: on 2017-07-10 the complaint still
    waits (a reminder fits), from 2017-07-20 the refusal stands, and the time to appeal it runs
    from the receipt."""
    from cattool.procedure.deadlines import case_deadlines

    case = case_with(
        ev("e1", "2017-05-10", "complaint_sent", direction="outgoing"),
        ev("e2", "2017-06-28", "refusal_to_open", responds_to="e1", received_on="2017-07-20"),
        code="TJ",
    )
    before = state(case, "2017-07-10")
    assert before.criminal.stage is Criminal.COMPLAINT_PENDING
    assert [e.event_id for e in before.later] == ["e2"]
    assert state(case, "2017-07-19").criminal.stage is Criminal.COMPLAINT_PENDING  # the day before
    assert state(case, "2017-07-21").criminal.stage is Criminal.REFUSED  # the day after
    after = state(case, "2017-07-20")
    assert after.criminal.stage is Criminal.REFUSED
    assert after.criminal.decision is not None and after.criminal.decision.date == D("2017-06-28")
    appeal = [d for d in case_deadlines(case, country("TJ"), D("2017-07-25")) if d.event_id == "e2"]
    assert appeal and all(d.start == D("2017-07-20") for d in appeal)
