"""The furthest stage a case reached, for the funnel of the yearly figures.

Normalised stages in the order a case moves through them (domain.md, "Statistics should use"),
each country's ``stage_mapping`` applied by the date of the event. A stage once reached stays
reached: an annulled refusal does not undo the complaint, a reopened case does not undo the trial.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from cattool.countries import CountryData
from cattool.dates import parse_date
from cattool.errors import ConfigError

# Normalised stages, in the order a case moves through them (domain.md, "Statistics should use").
STAGES = (
    "none",
    "complaint_sent",
    "registered",
    "investigation_opened",
    "sent_to_court",
    "verdict",
)
_RANK = {stage: rank for rank, stage in enumerate(STAGES)}

# The stage an event shows the case has reached, before a country's own stage_mapping. Answers to
# a complaint (a refusal, a transfer) prove it was sent; a discontinued investigation or charges
# prove an investigation was opened even when the timeline lacks that event.
EVENT_STAGES = {
    "complaint_sent": "complaint_sent",
    "complaint_received": "complaint_sent",
    "reminder_sent": "complaint_sent",
    "transferred": "complaint_sent",
    "registration_refused": "complaint_sent",
    "refusal_to_open": "complaint_sent",
    "registered": "registered",
    "investigation_opened": "investigation_opened",
    "investigation_suspended": "investigation_opened",
    "investigation_discontinued": "investigation_opened",
    "charges_brought": "investigation_opened",
    "sent_to_court": "sent_to_court",
    "investigation_resumed": "investigation_opened",
    "conviction": "verdict",
    "acquittal": "verdict",
    "released_by_court": "verdict",
    "verdict_final": "verdict",
}

# --- the stage reached --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StageReached:
    """The furthest normalised stage, and the event that first reached it (-1: none)."""

    stage: str
    event_index: int = -1
    event_id: str | None = None
    event_type: str | None = None  # the raw national event, e.g. "registered" in Kazakhstan
    date: str | None = None


def _stage_rules(country: CountryData) -> list[tuple[str, str, dt.date | None, dt.date | None]]:
    """The country's stage_mapping as (event, stage, from, to), checked."""
    raw = country.raw.get("stage_mapping") or []
    where = f"country data for {country.country}: stage_mapping"
    if not isinstance(raw, list):
        raise ConfigError(f"{where} must be a list of {{event, stage}} mappings.")
    rules = []
    for i, rule in enumerate(raw):
        if not isinstance(rule, dict) or not isinstance(rule.get("event"), str):
            raise ConfigError(f"{where}[{i}] needs an 'event' such as registered.")
        if rule.get("stage") not in _RANK:
            raise ConfigError(f"{where}[{i}]: 'stage' must be one of {', '.join(STAGES)}.")
        for key in ("from", "to"):
            if rule.get(key) is not None and not isinstance(rule[key], dt.date):
                raise ConfigError(f"{where}[{i}]: '{key}' must be a date written YYYY-MM-DD.")
        rules.append((rule["event"], rule["stage"], rule.get("from"), rule.get("to")))
    return rules


def event_stage(event: dict[str, Any], country: CountryData | None) -> str | None:
    """The normalised stage one event shows, after the country's stage_mapping; None if none.

    A mapping limited in time (``from``/``to``) applies by the date of the event: in Kyrgyzstan
    registration opens an investigation only since 2019.
    """
    event_type = event.get("type")
    if not isinstance(event_type, str):
        return None
    if country is not None:
        day = parse_date(event.get("date"))
        for mapped_event, stage, start, end in _stage_rules(country):
            if mapped_event != event_type:
                continue
            if (start or end) and day is None:
                continue
            if (start and day and day < start) or (end and day and day > end):
                continue
            return stage
    return EVENT_STAGES.get(event_type)


def stage_reached(case: dict[str, Any], country: CountryData | None) -> StageReached:
    """The furthest stage of the case's legal_actions, with the first event that reached it."""
    events = case.get("legal_actions")
    best = StageReached("none")
    if not isinstance(events, list):
        return best
    ordered = sorted(
        (i for i, e in enumerate(events) if isinstance(e, dict)),
        key=lambda i: (parse_date(events[i].get("date")) or dt.date.max, i),
    )
    for i in ordered:
        event = events[i]
        stage = event_stage(event, country)
        if stage is not None and _RANK[stage] > _RANK[best.stage]:
            date = parse_date(event.get("date"))
            best = StageReached(
                stage,
                i,
                _str_or_none(event.get("event_id")),
                _str_or_none(event.get("type")),
                date.isoformat() if date else None,
            )
    return best


def _str_or_none(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def has_compensation(case: dict[str, Any]) -> bool:
    """Whether compensation was awarded: a flag beside the stage, not a stage."""
    events = case.get("legal_actions")
    return isinstance(events, list) and any(
        isinstance(e, dict) and e.get("type") == "compensation_awarded" for e in events
    )
