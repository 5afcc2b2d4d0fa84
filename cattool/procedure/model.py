"""The proceedings of one case as of a date: every track, the remedies and who the case is about."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from cattool.countries import CountryData
from cattool.procedure.events import Event, timeline
from cattool.procedure.law import registration_opens_investigation
from cattool.procedure.situation import Applicant, VictimSituation, applicant, situations
from cattool.procedure.tracks import (
    CivilTrack,
    CriminalTrack,
    Inference,
    RemediesState,
    civil_remedies,
    criminal_remedies,
    walk,
)
from cattool.procedure.un import UnTrack, un_tracks


@dataclass(frozen=True)
class Proceedings:
    """Where the case stands on ``as_of``: nothing dated later is seen."""

    as_of: dt.date
    events: tuple[Event, ...]  # the timeline up to as_of
    later: tuple[Event, ...]  # what the file records after as_of (a document must not cite it)
    criminal: CriminalTrack
    civil: CivilTrack
    un: tuple[UnTrack, ...]
    victims: tuple[VictimSituation, ...]
    applicant: Applicant
    inferred: tuple[Inference, ...]

    @property
    def remedies(self) -> RemediesState:
        return criminal_remedies(self.criminal)

    @property
    def civil_remedies(self) -> RemediesState:
        return civil_remedies(self.civil)

    def victim(self, victim_id: str) -> VictimSituation | None:
        return next((v for v in self.victims if v.victim_id == victim_id), None)

    def event(self, event_id: str | None) -> Event | None:
        return next((e for e in self.events if event_id and e.event_id == event_id), None)

    @property
    def any_deceased(self) -> bool:
        return any(v.deceased for v in self.victims)

    @property
    def all_deceased(self) -> bool:
        return bool(self.victims) and all(v.deceased for v in self.victims)

    def un_decided(self, body: str) -> UnTrack | None:
        """A decision of ``body`` on this case already taken (the same matter cannot go back)."""
        found = [t for t in self.un if t.body == body and t.decided]
        return found[-1] if found else None


def proceedings(
    case: Mapping[str, Any], country: CountryData | None, as_of: dt.date
) -> Proceedings:
    """The state of every track of ``case`` on ``as_of``."""
    every = timeline(case)
    seen = tuple(e for e in every if e.known_on <= as_of)
    later = tuple(e for e in every if e.known_on > as_of)

    def opens(day: dt.date) -> bool:
        return country is not None and registration_opens_investigation(country, day)

    criminal, civil, inferred = walk(seen, opens)
    return Proceedings(
        as_of=as_of,
        events=seen,
        later=later,
        criminal=criminal,
        civil=civil,
        un=un_tracks(case, as_of),
        victims=situations(case, as_of),
        applicant=applicant(case),
        inferred=inferred,
    )
