"""The criminal and the civil track of a case, worked out event by event as of a date.

One walk over the timeline, in date order, moves each track from stage to stage. What an event
refers to is read from the event itself: ``decision_annulled`` names the decision it sets aside
(``annuls``), an appeal names the decision it appeals (``responds_to``), an appeal's decision names
the appeal. Where an older file leaves that out, the event refers to the standing decision of its
track, and the track records the inference (``inferred``) so that ``validate`` can say so.

An annulled decision stops being the standing decision: it is never again "the latest refusal".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from enum import Enum
from typing import TypeVar

from cattool.procedure.events import (
    CIVIL_DECISIONS,
    CLOSURES,
    CRIMINAL_DECISIONS,
    REFUSALS,
    REQUESTS,
    SUSPENSIONS,
    VERDICTS,
    Event,
)


class Criminal(str, Enum):
    """Where the criminal proceedings stand (docs/proceedings.md has the table)."""

    NO_COMPLAINT = "no_complaint"
    COMPLAINT_PENDING = "complaint_pending"
    CHECK = "check"
    REFUSED = "refused"
    REFUSAL_APPEALED = "refusal_appealed"
    INVESTIGATION = "investigation"
    SUSPENDED = "suspended"
    DISCONTINUED = "discontinued"
    DISCONTINUANCE_APPEALED = "discontinuance_appealed"
    INDICTED = "indicted"
    TRIAL = "trial"
    VERDICT = "verdict"
    VERDICT_APPEALED = "verdict_appealed"
    FINAL = "final"


class Civil(str, Enum):
    """Where a claim for compensation stands."""

    NONE = "none"
    CLAIM_FILED = "claim_filed"
    AWARDED = "awarded"
    REJECTED = "rejected"
    APPEALED = "appealed"
    FINAL = "final"
    PAID = "paid"


class Remedies(str, Enum):
    """Whether domestic remedies are exhausted, as a UN body asks."""

    NOT_PURSUED = "not_pursued"
    AWAITING_ANSWER = "awaiting_answer"
    REFUSAL_NOT_APPEALED = "refusal_not_appealed"
    APPEAL_PENDING = "appeal_pending"
    PENDING = "pending"
    EXHAUSTED = "exhausted"


# Stages at which an investigation or a trial is live: the proceedings go on at home.
LIVE = frozenset(
    {
        Criminal.CHECK,
        Criminal.INVESTIGATION,
        Criminal.SUSPENDED,
        Criminal.INDICTED,
        Criminal.TRIAL,
    }
)
APPEALED = {
    Criminal.REFUSED: Criminal.REFUSAL_APPEALED,
    Criminal.DISCONTINUED: Criminal.DISCONTINUANCE_APPEALED,
    Criminal.VERDICT: Criminal.VERDICT_APPEALED,
}
PRE_TRIAL = frozenset(
    {
        Criminal.NO_COMPLAINT,
        Criminal.COMPLAINT_PENDING,
        Criminal.CHECK,
        Criminal.REFUSED,
        Criminal.REFUSAL_APPEALED,
        Criminal.INVESTIGATION,
        Criminal.SUSPENDED,
        Criminal.DISCONTINUED,
        Criminal.DISCONTINUANCE_APPEALED,
    }
)


@dataclass(frozen=True, slots=True)
class Step:
    """One move of a track: the stage it entered, on which day, because of which event."""

    stage: str
    date: dt.date
    event: Event


@dataclass(frozen=True, slots=True)
class Annulment:
    decision: Event  # the decision set aside
    by: Event  # the decision_annulled (or granted appeal) that set it aside


@dataclass(frozen=True, slots=True)
class Inference:
    """An event whose target the file does not name: the model took the standing decision."""

    event: Event
    target: Event
    key: str  # the key that would name it: annuls or responds_to


@dataclass(frozen=True)
class CriminalTrack:
    stage: Criminal = Criminal.NO_COMPLAINT
    since: dt.date | None = None
    complaints: tuple[Event, ...] = ()  # every complaint and reminder sent, in date order
    decision: Event | None = (
        None  # the standing refusal, closure or verdict (never an annulled one)
    )
    appeal: Event | None = None  # our appeal pending against the standing decision
    appeal_rejected: Event | None = None  # the decision rejecting an appeal against it
    annulments: tuple[Annulment, ...] = ()
    history: tuple[Step, ...] = ()
    answered: tuple[Event, ...] = ()  # answers received (response_received and decisions)

    @property
    def complaint(self) -> Event | None:
        """The first complaint sent: what a reminder or an appeal cites."""
        sent = [e for e in self.complaints if e.type == "complaint_sent"]
        return sent[0] if sent else (self.complaints[0] if self.complaints else None)

    @property
    def verdict(self) -> Event | None:
        if self.decision is not None and self.decision.type in VERDICTS:
            return self.decision
        return None

    @property
    def live(self) -> bool:
        """An investigation, a check or a trial is under way."""
        return self.stage in LIVE

    @property
    def convicted(self) -> bool:
        verdict = self.verdict
        return verdict is not None and verdict.type == "conviction"

    def annulled(self, event: Event) -> Annulment | None:
        return next((a for a in self.annulments if a.decision.index == event.index), None)

    def ever(self, *stages: Criminal) -> bool:
        return any(step.stage in stages for step in self.history)


@dataclass(frozen=True)
class CivilTrack:
    stage: Civil = Civil.NONE
    since: dt.date | None = None
    claim: Event | None = None
    decision: Event | None = None  # the standing award or rejection
    appeal: Event | None = None
    paid: Event | None = None
    history: tuple[Step, ...] = ()

    @property
    def amount(self) -> tuple[float, str | None] | None:
        """The amount of the standing award, with its currency."""
        if self.decision is None or self.decision.type != "compensation_awarded":
            return None
        value = self.decision.raw.get("amount")
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return None
        currency = self.decision.raw.get("currency")
        return float(value), currency if isinstance(currency, str) else None


Track = TypeVar("Track", CriminalTrack, CivilTrack)


def _moved(track: Track, stage: Enum, event: Event, changes: dict[str, object]) -> Track:
    """``track`` after ``event`` put it in ``stage`` (with the other fields ``changes`` sets)."""
    step = Step(str(stage.value), event.date, event)
    fields: dict[str, object] = {"stage": stage, "since": event.date, **changes}
    return replace(track, history=(*track.history, step), **fields)  # type: ignore[arg-type]


@dataclass
class _Walk:
    """The state of both tracks while the timeline is read; frozen into the tracks at the end."""

    registration_opens: Callable[[dt.date], bool]
    criminal: CriminalTrack = field(default_factory=CriminalTrack)
    civil: CivilTrack = field(default_factory=CivilTrack)
    by_id: dict[str, Event] = field(default_factory=dict)
    inferred: list[Inference] = field(default_factory=list)

    # --- moves --------------------------------------------------------------------------------

    def move(self, stage: Criminal, event: Event, **changes: object) -> None:
        self.criminal = _moved(self.criminal, stage, event, changes)

    def move_civil(self, stage: Civil, event: Event, **changes: object) -> None:
        self.civil = _moved(self.civil, stage, event, changes)

    # --- what an event refers to --------------------------------------------------------------

    def named(self, event_id: str | None) -> Event | None:
        return self.by_id.get(event_id) if event_id else None

    def standing(self) -> Event | None:
        """The decision an unlinked appeal or annulment is about: the latest standing one."""
        found = [d for d in (self.criminal.decision, self.civil.decision) if d is not None]
        return max(found, key=lambda e: (e.date, e.index)) if found else None

    def target(self, event: Event, key: str) -> Event | None:
        """The decision ``event`` names by ``key``, or (inferred) the standing decision.

        An event that names something other than a decision of a track (an annulled order for
        an expert examination) moves no track; only an event that names nothing is inferred.
        """
        name = event.annuls if key == "annuls" else event.responds_to
        if key == "annuls" and name is None:
            name = event.responds_to  # "annulled in answer to our appeal e6"
        named = self.named(name)
        if named is not None and named.type == "appeal_filed":
            named = self.named(named.responds_to) or self.appealed_by(named)
        if named is not None:
            return named if named.type in CRIMINAL_DECISIONS + CIVIL_DECISIONS else None
        found = self.standing()
        if found is not None:
            self.inferred.append(Inference(event, found, key))
        return found

    def appealed_by(self, appeal: Event) -> Event | None:
        for track in (self.criminal, self.civil):
            if track.appeal is not None and track.appeal.index == appeal.index:
                return track.decision
        return None

    # --- reading one event --------------------------------------------------------------------

    def read(self, event: Event) -> None:
        if event.event_id:
            self.by_id[event.event_id] = event
        kind = event.type
        track = self.criminal
        stage = track.stage
        if kind in REQUESTS or kind in ("complaint_received", "transferred"):
            if kind in REQUESTS:
                self.criminal = replace(track, complaints=(*track.complaints, event))
            if stage is Criminal.NO_COMPLAINT:
                self.move(Criminal.COMPLAINT_PENDING, event)
        elif kind == "response_received":
            self.criminal = replace(track, answered=(*track.answered, event))
        elif kind == "registered":
            if stage in (Criminal.NO_COMPLAINT, Criminal.COMPLAINT_PENDING, Criminal.CHECK):
                opens = self.registration_opens(event.date)
                self.move(Criminal.INVESTIGATION if opens else Criminal.CHECK, event)
        elif kind == "check_extended":
            if stage in (Criminal.NO_COMPLAINT, Criminal.COMPLAINT_PENDING):
                self.move(Criminal.CHECK, event)
        elif kind in REFUSALS:
            if stage in PRE_TRIAL:
                self.decide(Criminal.REFUSED, event)
        elif kind in ("investigation_opened", "investigation_resumed"):
            if stage in PRE_TRIAL:
                self.move(Criminal.INVESTIGATION, event, decision=None, appeal=None)
        elif kind in SUSPENSIONS:
            if stage in PRE_TRIAL:
                self.decide(Criminal.SUSPENDED, event)
        elif kind in CLOSURES:
            if stage in PRE_TRIAL or stage is Criminal.INDICTED:
                self.decide(Criminal.DISCONTINUED, event)
        elif kind == "charges_brought":
            if stage in PRE_TRIAL:
                self.move(Criminal.INDICTED, event, decision=None, appeal=None)
        elif kind == "sent_to_court":
            if stage in PRE_TRIAL or stage is Criminal.INDICTED:
                self.move(Criminal.TRIAL, event, decision=None, appeal=None)
        elif kind in VERDICTS:
            self.decide(Criminal.VERDICT, event)
        elif kind == "verdict_final":
            if track.verdict is not None:
                self.move(Criminal.FINAL, event, appeal=None)
        elif kind == "appeal_filed":
            self.appeal(event)
        elif kind == "appeal_decided":
            self.appeal_decided(event)
        elif kind == "decision_annulled":
            decision = self.target(event, "annuls")
            if decision is not None:
                self.annul(decision, event)
        elif kind == "civil_claim":
            if self.civil.stage not in (Civil.CLAIM_FILED, Civil.APPEALED):  # a new claim
                self.move_civil(Civil.CLAIM_FILED, event, claim=event, decision=None, paid=None)
        elif kind == "compensation_awarded":
            self.move_civil(Civil.AWARDED, event, decision=event, appeal=None)
        elif kind == "claim_rejected":
            self.move_civil(Civil.REJECTED, event, decision=event, appeal=None)
        elif kind == "judgment_final":
            if self.civil.decision is not None:
                self.move_civil(Civil.FINAL, event, appeal=None)
        elif kind == "compensation_paid":
            self.move_civil(Civil.PAID, event, paid=event, appeal=None)

    def decide(self, stage: Criminal, event: Event) -> None:
        track = self.criminal
        self.move(
            stage,
            event,
            decision=event,
            appeal=None,
            appeal_rejected=None,
            answered=(*track.answered, event),
        )

    def appeal(self, event: Event) -> None:
        decision = self.target(event, "responds_to")
        if decision is None:
            return  # an appeal against inaction: the stage does not change
        if decision.type in CIVIL_DECISIONS:
            if self.civil.decision is not None and self.civil.decision.index == decision.index:
                self.move_civil(Civil.APPEALED, event, appeal=event)
            return
        track = self.criminal
        if track.decision is None or track.decision.index != decision.index:
            return  # an appeal against a decision already set aside
        if track.stage is Criminal.FINAL:
            # a supervisory (cassation) appeal against a final verdict: the verdict stays final
            self.criminal = replace(track, appeal=event)
            return
        appealed = APPEALED.get(track.stage)
        if appealed is not None:
            self.move(appealed, event, appeal=event)
        elif track.decision.type in SUSPENSIONS:
            # a complaint against a suspension: the investigation stays suspended meanwhile
            self.criminal = replace(track, appeal=event)

    def appeal_decided(self, event: Event) -> None:
        appeal = self.named(event.responds_to)
        if appeal is None or appeal.type != "appeal_filed":
            pending = [t.appeal for t in (self.criminal, self.civil) if t.appeal is not None]
            appeal = max(pending, key=lambda e: (e.date, e.index)) if pending else None
            if appeal is not None:
                self.inferred.append(Inference(event, appeal, "responds_to"))
        if appeal is None:
            return
        if self.civil.appeal is not None and self.civil.appeal.index == appeal.index:
            self.move_civil(Civil.FINAL, event, appeal=None)
            return
        track = self.criminal
        if track.appeal is None or track.appeal.index != appeal.index or track.decision is None:
            return
        if event.outcome == "granted":
            self.annul(track.decision, event)
        elif track.decision.type in VERDICTS:  # upheld on appeal, or on supervisory review
            self.move(Criminal.FINAL, event, appeal=None)
        else:  # the refusal or closure stands, and our appeal against it was heard
            back = (
                Criminal.REFUSED
                if track.decision.type in REFUSALS
                else Criminal.SUSPENDED
                if track.decision.type in SUSPENSIONS
                else Criminal.DISCONTINUED
            )
            self.move(back, event, appeal=None, appeal_rejected=event)

    def annul(self, decision: Event, event: Event) -> None:
        if decision.type in CIVIL_DECISIONS:
            if self.civil.decision is not None and self.civil.decision.index == decision.index:
                self.move_civil(Civil.CLAIM_FILED, event, decision=None, appeal=None)
            return
        track = self.criminal
        if track.annulled(decision) is not None:
            return
        annulments = (*track.annulments, Annulment(decision, event))
        if track.decision is None or track.decision.index != decision.index:
            # a decision already overtaken (a later one stands): recorded, the stage stays
            self.criminal = replace(track, annulments=annulments)
            return
        if decision.type in REFUSALS:
            back = Criminal.CHECK
        elif decision.type in CLOSURES + SUSPENSIONS:
            back = Criminal.INVESTIGATION
        else:
            back = Criminal.TRIAL
        self.move(
            back, event, decision=None, appeal=None, appeal_rejected=None, annulments=annulments
        )


def walk(
    events: Iterable[Event], registration_opens: Callable[[dt.date], bool]
) -> tuple[CriminalTrack, CivilTrack, tuple[Inference, ...]]:
    """Both tracks after ``events`` (already cut to the day wanted, in date order)."""
    state = _Walk(registration_opens)
    for event in events:
        state.read(event)
    return state.criminal, state.civil, tuple(state.inferred)


@dataclass(frozen=True, slots=True)
class RemediesState:
    status: Remedies
    final_decision: Event | None = None  # what ended the domestic road, if anything

    @property
    def final_decision_on(self) -> dt.date | None:
        return self.final_decision.date if self.final_decision else None


def criminal_remedies(track: CriminalTrack) -> RemediesState:
    """Domestic remedies of the criminal track as a UN body reads them."""
    stage = track.stage
    if stage is Criminal.NO_COMPLAINT:
        return RemediesState(Remedies.NOT_PURSUED)
    if stage is Criminal.COMPLAINT_PENDING:
        return RemediesState(Remedies.AWAITING_ANSWER)
    if stage in (
        Criminal.REFUSAL_APPEALED,
        Criminal.DISCONTINUANCE_APPEALED,
        Criminal.VERDICT_APPEALED,
    ):
        return RemediesState(Remedies.APPEAL_PENDING)
    if stage in (Criminal.REFUSED, Criminal.DISCONTINUED):
        if track.appeal_rejected is not None:
            return RemediesState(Remedies.EXHAUSTED, track.appeal_rejected)
        return RemediesState(Remedies.REFUSAL_NOT_APPEALED)
    if stage is Criminal.VERDICT:
        return RemediesState(Remedies.EXHAUSTED, track.decision)
    if stage is Criminal.FINAL:
        return RemediesState(Remedies.EXHAUSTED, track.history[-1].event)
    return RemediesState(Remedies.PENDING)


def civil_remedies(track: CivilTrack) -> RemediesState:
    """Domestic remedies of a compensation claim (CAT art. 14)."""
    if track.stage is Civil.NONE:
        return RemediesState(Remedies.NOT_PURSUED)
    if track.stage is Civil.CLAIM_FILED:
        return RemediesState(Remedies.PENDING)
    if track.stage is Civil.APPEALED:
        return RemediesState(Remedies.APPEAL_PENDING)
    if track.stage in (Civil.AWARDED, Civil.REJECTED):
        return RemediesState(Remedies.PENDING, track.decision)
    return RemediesState(Remedies.EXHAUSTED, track.history[-1].event if track.history else None)
