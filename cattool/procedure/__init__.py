"""The proceedings as a lawyer knows them: one model every document, check and deadline reads.

``proceedings(case, country, as_of)`` gives the state of each track of a case on a day (the
criminal track, a compensation claim, each UN communication), the remedies, each victim's
situation and who applies; ``law`` answers which national rule applied on a day. Nothing here
prints, and nothing here reads files: the caller hands in the case and the country data.
"""

from cattool.procedure.events import (
    CIVIL_DECISIONS,
    CLOSURES,
    CRIMINAL_DECISIONS,
    REFUSALS,
    REQUESTS,
    SUSPENSIONS,
    VERDICTS,
    Event,
    timeline,
)
from cattool.procedure.funnel import (
    STAGES,
    StageReached,
    event_stage,
    has_compensation,
    stage_reached,
)
from cattool.procedure.model import Proceedings, proceedings
from cattool.procedure.situation import Applicant, ConsentGiver, VictimSituation
from cattool.procedure.tracks import (
    Civil,
    CivilTrack,
    Criminal,
    CriminalTrack,
    Remedies,
    RemediesState,
)
from cattool.procedure.un import UnStage, UnTrack

__all__ = [
    "CIVIL_DECISIONS",
    "CLOSURES",
    "CRIMINAL_DECISIONS",
    "REFUSALS",
    "REQUESTS",
    "STAGES",
    "SUSPENSIONS",
    "VERDICTS",
    "Applicant",
    "Civil",
    "CivilTrack",
    "ConsentGiver",
    "Criminal",
    "CriminalTrack",
    "Event",
    "Proceedings",
    "Remedies",
    "RemediesState",
    "StageReached",
    "UnStage",
    "UnTrack",
    "VictimSituation",
    "event_stage",
    "has_compensation",
    "proceedings",
    "stage_reached",
    "timeline",
]
