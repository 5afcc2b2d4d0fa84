"""One track per UN communication: where it stands on a date, from the dates the file records."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Any

from cattool.dates import parse_date

TREATY_BODIES = ("ccpr", "cat")
SPECIAL_PROCEDURES = ("sr_torture", "special_procedure_other", "wgad")
# Outcomes that are a decision of the body (Views, a decision on admissibility, discontinuance).
DECISIONS = ("violation", "no_violation", "inadmissible", "discontinued")
FOLLOW_UP_TYPES = (
    "state_follow_up_reply",
    "our_comments",
    "implementation_request",
    "committee_follow_up",
)


class UnStage(str, Enum):
    SUBMITTED = "submitted"
    REGISTERED = "registered"
    TRANSMITTED = "transmitted"
    STATE_REPLIED = "state_replied"
    DECIDED = "decided"
    FOLLOW_UP = "follow_up"


# The dates that move a communication on, in the order they happen.
_DATES = (
    ("submitted_on", UnStage.SUBMITTED),
    ("registered_on", UnStage.REGISTERED),
    ("transmitted_to_state_on", UnStage.TRANSMITTED),
    ("state_reply_on", UnStage.STATE_REPLIED),
    ("decided_on", UnStage.DECIDED),
)


@dataclass(frozen=True, slots=True)
class FollowUp:
    index: int
    date: dt.date
    type: str


@dataclass(frozen=True)
class UnTrack:
    index: int  # position in un_communications
    comm_id: str | None
    body: str
    kind: str | None
    stage: UnStage
    since: dt.date
    dates: Mapping[str, dt.date]  # the dates known on the day asked about
    outcome: str | None  # known only once decided
    follow_up: tuple[FollowUp, ...] = ()
    victim_ids: tuple[str, ...] = ()
    reference: str | None = None  # the body's number for it (un_reference)

    @property
    def path(self) -> str:
        return f"un_communications[{self.index}]"

    @property
    def decided(self) -> bool:
        return self.stage in (UnStage.DECIDED, UnStage.FOLLOW_UP)

    @property
    def decided_on(self) -> dt.date | None:
        return self.dates.get("decided_on")

    @property
    def found_violation(self) -> bool:
        return self.decided and self.outcome == "violation"

    @property
    def treaty_body(self) -> bool:
        return self.body in TREATY_BODIES

    def last_follow_up(self, kind: str) -> FollowUp | None:
        found = [f for f in self.follow_up if f.type == kind]
        return found[-1] if found else None


def un_tracks(case: Mapping[str, Any], as_of: dt.date) -> tuple[UnTrack, ...]:
    """Every UN communication submitted on or before ``as_of``, as it stood that day."""
    raw = case.get("un_communications")
    if not isinstance(raw, list):
        return ()
    found = []
    for index, comm in enumerate(raw):
        if not isinstance(comm, Mapping):
            continue
        known = {
            key: day
            for key, _ in _DATES
            if (day := parse_date(comm.get(key))) is not None and day <= as_of
        }
        if "submitted_on" not in known:
            continue
        stage, since = UnStage.SUBMITTED, known["submitted_on"]
        for key, step in _DATES:
            if key in known and known[key] >= since:
                stage, since = step, known[key]
        follow = []
        for i, item in enumerate(comm.get("follow_up") or []):
            if not isinstance(item, Mapping):
                continue
            day = parse_date(item.get("date"))
            kind = item.get("type")
            if day is not None and day <= as_of and isinstance(kind, str):
                follow.append(FollowUp(i, day, kind))
        follow.sort(key=lambda f: (f.date, f.index))
        if follow and "decided_on" in known:
            stage, since = UnStage.FOLLOW_UP, follow[-1].date
        outcome = comm.get("outcome")
        if "decided_on" not in known:
            if outcome in DECISIONS and parse_date(comm.get("decided_on")) is None:
                # an older file records the decision without its day
                stage = UnStage.DECIDED
            elif outcome == "government_replied" and stage is not UnStage.STATE_REPLIED:
                stage = UnStage.STATE_REPLIED
            elif outcome not in ("government_replied", "no_reply") or comm.get("decided_on"):
                outcome = None
        body = comm.get("body")
        kind = comm.get("kind")
        ids = comm.get("victim_ids")
        found.append(
            UnTrack(
                index=index,
                comm_id=comm.get("comm_id") if isinstance(comm.get("comm_id"), str) else None,
                body=body if isinstance(body, str) else "",
                kind=kind if isinstance(kind, str) else None,
                stage=stage,
                since=since,
                dates=known,
                outcome=outcome if isinstance(outcome, str) else None,
                follow_up=tuple(follow),
                victim_ids=tuple(str(v) for v in ids) if isinstance(ids, list) else (),
                reference=str(comm["un_reference"]) if comm.get("un_reference") else None,
            )
        )
    return tuple(found)
