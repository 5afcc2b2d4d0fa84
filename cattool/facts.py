"""What the yearly figures count of one case: its facts as plain values.

Kept apart from ``cattool.stats`` (which counts them) so that the checking of case files, which
keeps each case's facts in the cache, needs nothing of the figures: imports run one way.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from cattool.checks import child_victims
from cattool.dates import parse_date
from cattool.procedure import CLOSURES, REFUSALS, stage_reached

if TYPE_CHECKING:
    from cattool.caseformat import CaseFormat

# What the figures count as a refusal: a refusal to register or open a case, or a closure.
REFUSED = REFUSALS + CLOSURES


@dataclass
class CaseFacts:
    case_id: str
    country: str
    region: str
    org: str
    intake: dt.date
    violation: str
    n_victims: int
    agencies: set[str] = field(default_factory=set)
    places: set[str] = field(default_factory=set)
    contexts: set[str] = field(default_factory=set)
    methods: set[str] = field(default_factory=set)
    victims: list[dict[str, Any]] = field(default_factory=list)  # sex, age, vulnerabilities
    stage: str = "none"
    conviction: bool = False
    refusal_grounds: list[str] = field(default_factory=list)
    refused: bool = False
    answer_days: int | None = None
    un: list[tuple[str, str]] = field(default_factory=list)  # (body, outcome)
    claimed: list[tuple[float, str]] = field(default_factory=list)
    awarded: list[tuple[float, str]] = field(default_factory=list)

    def to_plain(self) -> tuple[Any, ...]:
        """The facts as plain values (what the cache keeps, and workers send back)."""
        return (
            self.case_id, self.country, self.region, self.org, self.intake.toordinal(),
            self.violation, self.n_victims, sorted(self.agencies), sorted(self.places),
            sorted(self.contexts), sorted(self.methods),
            [(v["sex"], v["age"], list(v["vulnerabilities"])) for v in self.victims],
            self.stage, self.conviction, list(self.refusal_grounds), self.refused,
            self.answer_days, [tuple(u) for u in self.un],
            [tuple(c) for c in self.claimed], [tuple(a) for a in self.awarded],
        )  # fmt: skip

    @classmethod
    def from_plain(cls, plain: Any) -> CaseFacts:
        """The facts back from ``to_plain`` (lists stand in for the sets: they are only read)."""
        facts = cls.__new__(cls)
        values = dict(zip(_FACT_FIELDS, plain, strict=True))
        values["intake"] = dt.date.fromordinal(values["intake"])
        values["victims"] = [
            {"sex": s, "age": a, "vulnerabilities": v} for s, a, v in values["victims"]
        ]
        facts.__dict__.update(values)
        return facts


_FACT_FIELDS = (
    "case_id",
    "country",
    "region",
    "org",
    "intake",
    "violation",
    "n_victims",
    "agencies",
    "places",
    "contexts",
    "methods",
    "victims",
    "stage",
    "conviction",
    "refusal_grounds",
    "refused",
    "answer_days",
    "un",
    "claimed",
    "awarded",
)  # fmt: skip, the order of CaseFacts.to_plain


def as_known_on(case: dict[str, Any], as_of: dt.date | None) -> dict[str, Any]:
    """The case as it was known on ``as_of``: later events and UN steps removed."""
    if as_of is None:
        return case
    known = dict(case)
    events = case.get("legal_actions")
    if isinstance(events, list):
        known["legal_actions"] = [
            e
            for e in events
            if isinstance(e, dict) and (parse_date(e.get("date")) or dt.date.max) <= as_of
        ]
    comms = case.get("un_communications")
    if isinstance(comms, list):
        kept = []
        for c in comms:
            if (
                not isinstance(c, dict)
                or (parse_date(c.get("submitted_on")) or dt.date.max) > as_of
            ):
                continue
            decided = parse_date(c.get("decided_on"))
            if c.get("outcome") and (decided is None or decided > as_of):
                c = {k: v for k, v in c.items() if k != "outcome"}
            kept.append(c)
        known["un_communications"] = kept
    return known


def case_facts(case: dict[str, Any], fmt: CaseFormat, as_of: dt.date | None) -> CaseFacts:
    case = as_known_on(case, as_of)
    country = fmt.countries.get(str(case.get("country")))
    incidents = [i for i in case.get("incidents") or [] if isinstance(i, dict)]
    victims = [v for v in case.get("victims") or [] if isinstance(v, dict)]
    perpetrators = [p for p in case.get("perpetrators") or [] if isinstance(p, dict)]
    events = [e for e in case.get("legal_actions") or [] if isinstance(e, dict)]
    intake = parse_date(case.get("intake_date"))
    assert intake is not None  # valid cases only

    facts = CaseFacts(
        case_id=str(case.get("case_id")),
        country=str(case.get("country")),
        region=str(case.get("region") or "unknown"),
        org=str(case.get("member_org") or ""),
        intake=intake,
        violation=str(case.get("violation_type") or ""),
        n_victims=max(1, len(victims)),
    )
    facts.agencies = {str(p["agency"]) for p in perpetrators if p.get("agency")}
    for inc in incidents:
        if inc.get("place_type"):
            facts.places.add(str(inc["place_type"]))
        if inc.get("context"):
            facts.contexts.add(str(inc["context"]))
        facts.methods.update(str(m) for m in inc.get("methods") or [])

    children = child_victims(case)
    for v in victims:
        vid = v.get("victim_id")
        if vid in children:
            age = "child"
        elif (
            v.get("age_group") == "adult"
            or v.get("date_of_birth")
            or v.get("age_at_incident") is not None
        ):
            age = "adult"
        else:
            age = "age_unknown"
        facts.victims.append(
            {
                "sex": str(v.get("sex") or "unknown"),
                "age": age,
                "vulnerabilities": [str(x) for x in v.get("vulnerabilities") or []],
            }
        )

    facts.stage = stage_reached(case, country).stage
    facts.conviction = any(e.get("type") == "conviction" for e in events)
    for e in events:
        if e.get("type") in REFUSED:
            facts.refused = True
            facts.refusal_grounds.append(str(e.get("grounds") or "not_recorded"))
        if e.get("type") == "civil_claim" and isinstance(e.get("amount"), (int, float)):
            facts.claimed.append((float(e["amount"]), str(e.get("currency") or "")))
        if e.get("type") == "compensation_awarded" and isinstance(e.get("amount"), (int, float)):
            facts.awarded.append((float(e["amount"]), str(e.get("currency") or "")))
    facts.answer_days = _first_answer_days(events)
    facts.un = [
        (str(c.get("body")), str(c.get("outcome") or "pending"))
        for c in case.get("un_communications") or []
        if isinstance(c, dict)
    ]
    return facts


def _first_answer_days(events: list[dict[str, Any]]) -> int | None:
    """Days from the first complaint sent to the first incoming event that answers it."""
    complaints = sorted(
        (parse_date(e.get("date")), e) for e in events if e.get("type") == "complaint_sent"
        and parse_date(e.get("date"))
    )  # fmt: skip
    if not complaints:
        return None
    day, first = complaints[0]
    assert day is not None
    answers = [
        parse_date(e.get("date"))
        for e in events
        if e is not first
        and e.get("direction") == "incoming"
        and (e.get("responds_to") == first.get("event_id") if e.get("responds_to") else True)
        and (parse_date(e.get("date")) or dt.date.min) >= day
    ]
    answers = [a for a in answers if a]
    return (min(answers) - day).days if answers else None  # type: ignore[type-var, operator]
