"""The timeline of a case as typed events, in the order the proceedings happened."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from cattool.dates import parse_date

# Decisions of the criminal track: what an appeal can be against and an annulment can set aside.
REFUSALS = ("refusal_to_open", "registration_refused")
CLOSURES = ("investigation_discontinued",)
SUSPENSIONS = ("investigation_suspended",)  # a decision too: it can be appealed
VERDICTS = ("conviction", "acquittal", "released_by_court")
CRIMINAL_DECISIONS = REFUSALS + CLOSURES + SUSPENSIONS + VERDICTS
# Decisions of the civil track (a compensation claim).
CIVIL_DECISIONS = ("compensation_awarded", "claim_rejected")
# What we send that asks the authorities to act on a crime report.
REQUESTS = ("complaint_sent", "reminder_sent")


@dataclass(frozen=True, slots=True)
class Event:
    """One entry of ``legal_actions`` with a date and a type (others are the schema's business)."""

    index: int  # position in legal_actions: the YAML path is legal_actions[index]
    type: str
    date: dt.date
    event_id: str | None = None
    responds_to: str | None = None
    annuls: str | None = None
    outcome: str | None = None  # of an appeal: granted, rejected, partly_granted
    grounds: str | None = None
    received_on: dt.date | None = None  # a decision received later than it is dated
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @property
    def known_on(self) -> dt.date:
        """The day we knew of it: the day received, else its date. A document dated before
        that day does not yet see it, and a deadline it starts runs from then."""
        return self.received_on if self.received_on and self.received_on > self.date else self.date

    @property
    def path(self) -> str:
        return f"legal_actions[{self.index}]"

    @property
    def authority(self) -> Mapping[str, Any]:
        found = self.raw.get("authority")
        return found if isinstance(found, Mapping) else {}

    def describe(self) -> str:
        """``e4 (refusal_to_open, 2013-04-02)``: how messages name an event, never its content."""
        name = self.event_id or self.path
        return f"{name} ({self.type}, {self.date.isoformat()})"


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def timeline(case: Mapping[str, Any]) -> tuple[Event, ...]:
    """The case's legal_actions that have a type and a real date, by date then file order."""
    raw = case.get("legal_actions")
    if not isinstance(raw, list):
        return ()
    found = []
    for index, item in enumerate(raw):
        if not isinstance(item, Mapping):
            continue
        day = parse_date(item.get("date"))
        kind = _text(item.get("type"))
        if day is None or kind is None:
            continue
        found.append(
            Event(
                index=index,
                type=kind,
                date=day,
                event_id=_text(item.get("event_id")),
                responds_to=_text(item.get("responds_to")),
                annuls=_text(item.get("annuls")),
                outcome=_text(item.get("outcome")),
                grounds=_text(item.get("grounds")),
                received_on=parse_date(item.get("received_on")),
                raw=item,
            )
        )
    found.sort(key=lambda e: (e.date, e.index))
    return tuple(found)
