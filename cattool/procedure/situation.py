"""Who a case is about and who speaks for them, on the day a document is written.

Per victim: alive or deceased (and whether the death was in custody), a minor at the incident and
now, held now (and by whom), free, or never deprived of liberty at all; who gave consent (the
victim, a guardian, a relative, a representative). For the case: who applies (the organisation
by default, or the victim, a relative, a lawyer with a power of attorney).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from cattool.dates import age_on, parse_date

# Places and contexts that mean the person was in the hands of the authorities.
CUSTODY_PLACES = frozenset(
    {
        "police_station",
        "ivs",
        "sizo",
        "colony_prison",
        "national_security_facility",
        "juvenile_institution",
        "psychiatric_or_social_institution",
        "vehicle",
        "unofficial_place",
    }
)
CUSTODY_CONTEXTS = frozenset(
    {"arrest", "interrogation", "transport", "pretrial_detention", "prison"}
)
CUSTODY_STATUS = frozenset({"suspect", "accused", "convicted", "admin_detainee"})
HELD_NOW = frozenset({"pretrial_detention", "serving_sentence"})
# Contexts where the person is not in custody though in an institution of the State.
FREE_CONTEXTS = frozenset({"army", "protest"})
MILITARY_AGENCIES = frozenset({"military"})
MILITARY_PLACES = frozenset({"military_unit"})
CONSENT_ROLES = ("victim", "guardian", "relative", "representative")
APPLICANT_ROLES = ("organisation", "victim", "relative", "lawyer")


def _items(case: Mapping[str, Any], key: str) -> list[Mapping[str, Any]]:
    found = case.get(key)
    return [i for i in found if isinstance(i, Mapping)] if isinstance(found, list) else []


@dataclass(frozen=True, slots=True)
class ConsentGiver:
    role: str  # victim, guardian, relative, representative
    relationship: str | None = None  # "mother": for the letter, never the name
    path: str = ""  # YAML path of the consent record


@dataclass(frozen=True)
class VictimSituation:
    victim_id: str
    index: int
    deceased: bool
    died_in_custody: bool
    date_of_death: dt.date | None
    minor_at_incident: bool
    minor_now: bool
    held_now: bool
    held_by: str | None
    deprived_of_liberty: bool | None  # at any incident; None: the file does not tell
    forced_statement: bool
    consent_by: ConsentGiver | None  # of the domestic complaint consent, if any
    sex: str | None = None

    @property
    def never_detained(self) -> bool:
        return self.deprived_of_liberty is False

    @property
    def free(self) -> bool:
        return not self.deceased and not self.held_now

    def words(self) -> list[str]:
        """The situation in the words the corpus and ``show`` use."""
        found = []
        if self.deceased:
            found.append("deceased")
        if self.minor_at_incident:
            found.append("minor_at_incident")
        if self.minor_now:
            found.append("minor_now")
        if self.held_now:
            found.append("in_custody")
        elif not self.deceased:
            found.append("free")
        if self.never_detained:
            found.append("never_detained")
        return found


def incident_deprived(incident: Mapping[str, Any], victim: Mapping[str, Any]) -> bool | None:
    """Was the victim deprived of liberty in this incident: the file's word, else its facts."""
    vid = victim.get("victim_id")
    for detail in _items(incident, "victim_details"):
        if detail.get("victim_id") == vid and isinstance(detail.get("deprived_of_liberty"), bool):
            return bool(detail["deprived_of_liberty"])
    explicit = incident.get("deprived_of_liberty")
    if isinstance(explicit, bool):
        return explicit
    if incident.get("de_facto_detention_at") or incident.get("detention_recorded_at"):
        return True
    if incident.get("place_type") in CUSTODY_PLACES:
        return True
    if incident.get("context") in CUSTODY_CONTEXTS:
        return True
    if victim.get("status_at_incident") in CUSTODY_STATUS:
        return True
    if incident.get("context") in FREE_CONTEXTS or victim.get("status_at_incident") == "conscript":
        return False
    if incident.get("place_type") in ("street_public", "home", "military_unit"):
        return False
    return None


def victim_detail(incident: Mapping[str, Any], victim_id: str, key: str) -> Any:
    """A fact of one victim in an incident: ``victim_details`` first, else the incident's."""
    for detail in _items(incident, "victim_details"):
        if detail.get("victim_id") == victim_id and detail.get(key) is not None:
            return detail[key]
    return incident.get(key)


def incidents_of(case: Mapping[str, Any], victim_id: str) -> list[Mapping[str, Any]]:
    return [i for i in _items(case, "incidents") if victim_id in (i.get("victim_ids") or [])]


def first_incident_date(case: Mapping[str, Any], victim_id: str | None = None) -> dt.date | None:
    incidents = incidents_of(case, victim_id) if victim_id else _items(case, "incidents")
    days = [d for d in (parse_date(i.get("date_start")) for i in incidents) if d]
    return min(days) if days else None


def _age(victim: Mapping[str, Any], on: dt.date | None, first: dt.date | None) -> int | None:
    birth = parse_date(victim.get("date_of_birth"))
    if birth and on:
        years = age_on(birth, on)
        return years if years >= 0 else None
    given = victim.get("age_at_incident")
    if isinstance(given, int) and not isinstance(given, bool) and first and on:
        return given + max(0, age_on(first, on))
    return None


def consent_giver(case: Mapping[str, Any], victim_id: str, scope: str) -> ConsentGiver | None:
    """Who gave the consent of ``victim_id`` covering ``scope`` (a live record), if anyone."""
    for index, record in enumerate(case.get("consent") or []):
        if not isinstance(record, Mapping) or record.get("person_id") != victim_id:
            continue
        if record.get("withdrawn_on") or scope not in (record.get("scopes") or []):
            continue
        path = f"consent[{index}]"
        given = record.get("given_by")
        form = record.get("form")
        if isinstance(given, Mapping) and given.get("role") in CONSENT_ROLES:
            relationship = given.get("relationship")
            return ConsentGiver(
                str(given["role"]), relationship if isinstance(relationship, str) else None, path
            )
        if form in ("guardian", "relative"):
            return ConsentGiver(str(form), None, path)
        if isinstance(given, str) and given:  # format 1.0: a text naming someone else
            return ConsentGiver("representative", None, path)
        return ConsentGiver("victim", None, path)
    return None


def situations(
    case: Mapping[str, Any], as_of: dt.date, *, scope: str = "domestic_complaint"
) -> tuple[VictimSituation, ...]:
    """Each victim's situation on ``as_of``."""
    death_case = case.get("violation_type") == "death_in_custody"
    found = []
    for index, victim in enumerate(case.get("victims") or []):
        if not isinstance(victim, Mapping):
            continue
        vid = str(victim.get("victim_id"))
        incidents = incidents_of(case, vid)
        first = first_incident_date(case, vid)
        status = victim.get("current_status")
        death = parse_date(victim.get("date_of_death"))
        deceased = (status == "deceased" or death is not None or death_case) and (
            death is None or death <= as_of
        )
        deprived = [incident_deprived(i, victim) for i in incidents]
        deprived_any = True if any(deprived) else (False if deprived and all(
            d is False for d in deprived
        ) else None)  # fmt: skip
        age_then = _age(victim, first, first)
        age_now = _age(victim, as_of, first)
        minor_then = victim.get("age_group") == "child" or (age_then is not None and age_then < 18)
        minor_now = minor_then and not deceased and (age_now is None or age_now < 18)
        if age_now is None and minor_then and first is not None:
            minor_now = not deceased and (as_of - first).days < 365
        held_by = victim.get("held_by")
        found.append(
            VictimSituation(
                victim_id=vid,
                index=index,
                deceased=deceased,
                died_in_custody=deceased and (death_case or bool(deprived_any)),
                date_of_death=death,
                minor_at_incident=minor_then,
                minor_now=minor_now,
                held_now=not deceased and status in HELD_NOW,
                held_by=held_by if isinstance(held_by, str) else None,
                deprived_of_liberty=deprived_any,
                forced_statement=any(
                    victim_detail(i, vid, "forced_statement") == "forced_to_sign" for i in incidents
                ),
                consent_by=consent_giver(case, vid, scope),
                sex=victim.get("sex") if isinstance(victim.get("sex"), str) else None,
            )
        )
    return tuple(found)


@dataclass(frozen=True, slots=True)
class Applicant:
    role: str  # organisation, victim, relative, lawyer
    relationship: str | None = None
    power_of_attorney: bool = False

    @property
    def organisation(self) -> bool:
        return self.role == "organisation"


def applicant(case: Mapping[str, Any]) -> Applicant:
    """Who files the case's complaints: the organisation unless the file says otherwise."""
    raw = case.get("applicant")
    if not isinstance(raw, Mapping) or raw.get("role") not in APPLICANT_ROLES:
        return Applicant("organisation")
    relationship = raw.get("relationship")
    return Applicant(
        str(raw["role"]),
        relationship if isinstance(relationship, str) else None,
        bool(raw.get("power_of_attorney")),
    )


def military(case: Mapping[str, Any]) -> bool:
    """Is this a case for the military procuracy: military perpetrators or a military unit."""
    if any(p.get("agency") in MILITARY_AGENCIES for p in _items(case, "perpetrators")):
        return True
    return any(
        i.get("place_type") in MILITARY_PLACES or i.get("context") == "army"
        for i in _items(case, "incidents")
    )
