"""What a letter to the procuracy says, worked out from where the proceedings stand on its date.

``plan_letter`` reads the case through the procedural model (``cattool.procedure``) as of the
letter's date, the law in force on that date and on the incident's date, and the repository's
settings, and returns a ``LetterPlan``: everything the letter needs, language by language, what it
chose and why (``notes``), and what is missing (``gaps``) with the YAML path to fill in. Rendering
refuses a plan with gaps, so a letter never goes out with an empty place, a wrong article or a
request that the proceedings have made meaningless.

Three kinds of letter:

complaint   the report of a crime (torture) that opens the procedure
reminder    the procuracy has not answered a complaint within the legal time (the law of the
            complaint's date)
appeal      to the higher prosecutor, against the standing refusal to register or to open a
            criminal case, or against the closure of the investigation (never against a decision
            already set aside, nor against a court's verdict)
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from cattool.caseformat import CaseFormat
from cattool.countries import CountryData
from cattool.dates import parse_date
from cattool.letters.common import (
    Gap,
    Label,
    LetterPlan,
    authority_name,
    consistency_phrase,
    decision_title,
    facts,
    genitive_code,
    later_events_warning,
    latin_name,
    mapping,
    moment_text,
    place_text,
    text_in,
    unrecorded_text,
    when_text,
)
from cattool.procedure import (
    CLOSURES,
    REFUSALS,
    REQUESTS,
    SUSPENSIONS,
    VERDICTS,
    Criminal,
    Event,
    Proceedings,
    proceedings,
)
from cattool.procedure.deadlines import Deadline, overdue
from cattool.procedure.law import Qualification, provision, provisions, qualification
from cattool.procedure.situation import VictimSituation, incident_deprived, military, victim_detail
from cattool.procedure.un import UnTrack
from cattool.repo import CONFIG_NAME, CaseRepo
from cattool.sealed import is_encrypted
from cattool.texts import case_language, in_language, missing_path

__all__ = ["KINDS", "LANGS", "Gap", "LetterPlan", "plan_letter", "text_in"]

KINDS = ("complaint", "reminder", "appeal", "views")
LANGS = ("ru", "en")
HIGHER_LEVEL = {"district": "regional", "city": "regional", "regional": "general"}
RECORD_EVENT = {
    "complaint": "complaint_sent",
    "reminder": "reminder_sent",
    "appeal": "appeal_filed",
    "views": "complaint_sent",  # a written request to the procuracy: it awaits an answer
}
# Russian genitive of the relationships lawyers write, for "с согласия матери пострадавшего".
RELATIONSHIP_GENITIVE = {
    "mother": "матери", "мать": "матери", "father": "отца", "отец": "отца",
    "wife": "супруги", "жена": "супруги", "супруга": "супруги", "husband": "супруга",
    "муж": "супруга", "супруг": "супруга", "brother": "брата", "брат": "брата",
    "sister": "сестры", "сестра": "сестры", "son": "сына", "сын": "сына",
    "daughter": "дочери", "дочь": "дочери", "grandmother": "бабушки", "бабушка": "бабушки",
    "grandfather": "дедушки", "дедушка": "дедушки", "aunt": "тёти", "тётя": "тёти",
    "uncle": "дяди", "дядя": "дяди", "guardian": "опекуна", "опекун": "опекуна",
}  # fmt: skip
RELATIONSHIP_RU = {
    "mother": "мать", "father": "отец", "wife": "супруга", "husband": "супруг",
    "brother": "брат", "sister": "сестра", "son": "сын", "daughter": "дочь",
    "grandmother": "бабушка", "grandfather": "дедушка", "aunt": "тётя", "uncle": "дядя",
    "guardian": "опекун",
}  # fmt: skip


@dataclass(frozen=True)
class _Facts:
    """What the letter is about, as of its date."""

    state: Proceedings
    victims: list[dict[str, Any]]  # the victims the letter is written for
    situations: list[VictimSituation]
    incidents: list[dict[str, Any]]
    first_date: dt.date | None
    qualification: Qualification | None
    military: bool


def plan_letter(
    case: dict[str, Any],
    fmt: CaseFormat,
    repo: CaseRepo,
    *,
    kind: str = "complaint",
    langs: tuple[str, ...] = ("ru",),
    today: dt.date | None = None,
    office: str | None = None,
    addressee: str | None = None,
    our_ref: str | None = None,
    annexes: tuple[str, ...] = (),
    victim: str | None = None,
) -> LetterPlan:
    if kind not in KINDS:
        raise ValueError(kind)
    today = today or dt.date.today()
    country_code = str(case.get("country", ""))
    plan = LetterPlan(kind, str(case.get("case_id", "")), country_code)
    country = fmt.countries.get(country_code)
    if country is None:
        plan.gaps.append(Gap("country", f"no country data for '{country_code}'"))
        return plan
    vocab = fmt.vocabularies

    def label(vocabulary: str, value: Any, lang: str) -> str:
        return vocab[vocabulary].label(str(value), lang) if value is not None else ""

    found = _what(case, country, today, victim, plan)
    if found is None:
        return plan
    _consent(case, found, plan)
    _texts(case, found, langs, plan)
    applicant = _applicant(case, repo, found, plan)

    # --- the earlier steps a follow-up cites ---------------------------------------------------
    cited: Event | None = None
    late: Deadline | None = None
    if kind == "reminder":
        late = _late_reply(case, country, fmt, found.state, plan)
        cited = found.state.event(late.event_id) if late else None
        if late is not None and cited is None:
            cited = next((e for e in found.state.events if e.path == late.where), None)
    elif kind == "appeal":
        cited = _appealable(found.state, plan)
    if kind == "complaint":
        _complaint_fits(found.state, plan)
    views = _views(found.state, plan) if kind == "views" else None
    if kind == "views":
        decision = found.state.criminal.decision
        cited = decision if decision is not None and decision.type not in VERDICTS else None

    # --- the addressee -------------------------------------------------------------------------
    office_data, free_name = _addressee(kind, case, country, found, cited, office, addressee, plan)
    if office_data is not None:
        plan.office_id = str(office_data["id"])
        plan.addressee_slug = plan.office_id
    elif free_name:
        english = (
            in_language(mapping(cited.raw.get("authority")).get("name"), "en", "en")
            if cited is not None
            else None
        )
        plan.addressee_slug = _slug(english or free_name)

    if plan.gaps:
        return plan

    for lang in langs:
        plan.contexts[lang] = _context(
            lang, case, country, label, found, applicant, office_data, free_name, cited, late,
            today, our_ref, annexes, kind, views,
        )  # fmt: skip
    head = plan.contexts[langs[0]]["addressee"] if langs else {"name": free_name}
    authority: dict[str, Any] = {"name": head.get("name") or head.get("head") or "procuracy"}
    if office_data is not None:
        authority["level"] = office_data.get("level")
        authority["office"] = office_data["id"]
    plan.record = {
        "date": today,
        "type": RECORD_EVENT[kind],
        "direction": "outgoing",
        "authority": authority,
        "our_ref": our_ref,
        "responds_to": cited.event_id if cited is not None and kind != "complaint" else None,
        "filed_by": applicant["role"],
    }
    return plan


# --- what the letter is about ----------------------------------------------------------------


def _what(
    case: dict[str, Any],
    country: CountryData,
    today: dt.date,
    victim: str | None,
    plan: LetterPlan,
) -> _Facts | None:
    incidents = [i for i in case.get("incidents") or [] if isinstance(i, dict)]
    victims = [v for v in case.get("victims") or [] if isinstance(v, dict)]
    if victim is not None:
        chosen = [v for v in victims if v.get("victim_id") == victim]
        if not chosen:
            ids = ", ".join(str(v.get("victim_id")) for v in victims)
            plan.gaps.append(Gap("--victim", f"'{victim}' is not a victim of this case ({ids})"))
            return None
        victims = chosen
        incidents = [i for i in incidents if victim in (i.get("victim_ids") or [])]
    if not incidents:
        plan.gaps.append(Gap("incidents", "no incident is described; add what happened"))
    if not victims:
        plan.gaps.append(Gap("victims", "no victim is named"))
    for i, inc in enumerate(case.get("incidents") or []):
        if not isinstance(inc, dict) or inc not in incidents:
            continue
        if parse_date(inc.get("date_start")) is None:
            plan.gaps.append(Gap(f"incidents[{i}].date_start", "the date of the incident"))
        if not inc.get("place_type") or inc.get("place_type") == "unknown":
            plan.gaps.append(Gap(f"incidents[{i}].place_type", "the place of the incident"))
        if not [m for m in inc.get("methods") or [] if m != "other"]:
            plan.gaps.append(Gap(f"incidents[{i}].methods", "what was done to the victim"))
    dated = [(d, i) for i in incidents if (d := parse_date(i.get("date_start"))) is not None]
    first_date, first = min(dated, key=lambda x: x[0]) if dated else (None, None)
    if first_date is not None and first_date > today:
        plan.gaps.append(
            Gap(
                "--date",
                f"the letter is dated {today.isoformat()}, before the incident it reports "
                f"({first_date.isoformat()})",
            )
        )
    state = proceedings(case, country, today)
    if (later := later_events_warning(state.later, today)) is not None:
        plan.warnings.append(later)
    chosen_ids = {str(v.get("victim_id")) for v in victims}
    situations = [s for s in state.victims if s.victim_id in chosen_ids]
    chosen_q = None
    if first_date is not None and first is not None:
        chosen_q = qualification(country, first_date, first.get("date_precision"))
        where = "incidents[0].date_start"
        if chosen_q is None:
            plan.gaps.append(
                Gap(
                    where,
                    f"no torture article of {country.country} in force on {first_date} in the "
                    f"country data (schemas/countries/{country.country}.yaml)",
                )
            )
        else:
            cited = f"{chosen_q.code.code} art. {chosen_q.article.article}"
            if chosen_q.fallback:
                plan.notes.append(
                    f"qualification: {cited}: on {first_date} the code had no torture article; "
                    "the article that applied then is cited"
                )
            for code, article in chosen_q.alternatives:
                plan.warnings.append(
                    f"the incident date is known only to the "
                    f"{'month' if first.get('date_precision') == 'unknown_day' else 'year'}, and "
                    f"the law changed within it: {cited} or {code.code} art. {article.article} "
                    "(the letter names both; record the exact date if it is known)"
                )
            if not chosen_q.article.verified:
                plan.warnings.append(
                    f"check the article: {cited} is marked 'verified: false' in "
                    f"schemas/countries/{country.country}.yaml"
                )
    return _Facts(
        state,
        victims,
        situations,
        incidents,
        first_date,
        chosen_q,
        military(case),
    )


def _consent(case: dict[str, Any], found: _Facts, plan: LetterPlan) -> None:
    """A letter to the authorities names the victim: every victim needs that consent."""
    for index, victim in enumerate(case.get("victims") or []):
        if not isinstance(victim, dict) or victim not in found.victims:
            continue
        vid = victim.get("victim_id")
        if not victim.get("full_name"):
            plan.gaps.append(Gap(f"victims[{index}].full_name", "the victim's full name"))
        allowed = [
            c
            for c in case.get("consent") or []
            if isinstance(c, dict)
            and c.get("person_id") == vid
            and not c.get("withdrawn_on")
            and "domestic_complaint" in (c.get("scopes") or [])
            and c.get("name_to_government")
        ]
        if not allowed:
            plan.gaps.append(
                Gap(
                    "consent",
                    f"no consent of {vid} to a complaint to the authorities that may name them "
                    "(scopes: domestic_complaint, name_to_government: true)",
                )
            )
            continue
        situation = next(s for s in found.situations if s.victim_id == vid)
        giver = situation.consent_by
        if (
            situation.minor_at_incident
            and situation.minor_now
            and (giver is None or giver.role != "guardian")
        ):
            plan.gaps.append(
                Gap(
                    "consent",
                    f"{vid} is a child: record that a parent or guardian consented "
                    "(given_by: {role: guardian, relationship: ...})",
                )
            )
        if situation.deceased and (giver is None or giver.role == "victim"):
            plan.gaps.append(
                Gap(
                    "consent",
                    f"{vid} has died: record the relative who consented "
                    "(given_by: {role: relative, relationship: ...})",
                )
            )


def _texts(case: dict[str, Any], found: _Facts, langs: tuple[str, ...], plan: LetterPlan) -> None:
    """Each language's letter needs its own account of what happened, and the English one the
    victims' names in Latin letters."""
    written_in = case_language(case)
    if "en" in langs:
        for index, victim in enumerate(case.get("victims") or []):
            if (
                victim in found.victims
                and latin_name(victim) is None
                and not is_encrypted(victim.get("full_name"))
            ):
                plan.gaps.append(
                    Gap(f"victims[{index}].full_name_latin", "the victim's name in Latin letters")
                )
    for i, inc in enumerate(case.get("incidents") or []):
        if not isinstance(inc, dict) or inc not in found.incidents:
            continue
        value = inc.get("narrative")
        if is_encrypted(value):
            continue  # sealed: --check without a key cannot tell its languages
        for lang in langs:
            if in_language(value, lang, written_in) is None:
                what = "the account of what happened"
                if value not in (None, ""):
                    what += " in " + ("Russian" if lang == "ru" else "English")
                plan.gaps.append(Gap(missing_path(f"incidents[{i}].narrative", value, lang), what))


def _applicant(
    case: dict[str, Any], repo: CaseRepo, found: _Facts, plan: LetterPlan
) -> dict[str, Any]:
    """Who files the letter: the member organisation, the victim in their own name, or a
    relative or a lawyer for the victim.

    The organisation gives its address for the reply in every case: the victim's own address
    never goes to the authorities the case accuses.
    """
    org_code = str(case.get("member_org", ""))
    org = repo.organisations.get(org_code) or {}
    if not isinstance(org, dict):
        org = {}
    for key, what in (("name", "name"), ("address", "postal address")):
        if not text_in(org.get(key), "ru"):
            plan.gaps.append(
                Gap(f"{CONFIG_NAME}: organisations.{org_code}.{key}", f"the applicant's {what}")
            )
    signatory = mapping(org.get("signatory"))
    raw = mapping(case.get("applicant"))
    role = str(raw.get("role") or "organisation")
    person = raw.get("name") if isinstance(raw.get("name"), str) else None
    if role == "lawyer" and person:  # the letter gives the title itself: «адвокат Ж. Т. ...»
        person = re.sub(r"^\s*(адвокат|advocate|lawyer)\s+", "", person, flags=re.IGNORECASE)
    if role == "victim":
        person = _victim_applicant(raw, found, plan)
    elif role in ("relative", "lawyer") and not person:
        plan.gaps.append(Gap("applicant.name", f"the name of the {role} who applies"))
    elif role == "relative" and not raw.get("relationship"):
        plan.gaps.append(
            Gap("applicant.relationship", "how the applicant is related to the victim")
        )
    elif role == "lawyer" and not raw.get("power_of_attorney"):
        plan.gaps.append(
            Gap("applicant.power_of_attorney", "the lawyer's power of attorney, to annex")
        )
    if role == "organisation" and not text_in(signatory.get("name"), "ru"):
        plan.gaps.append(
            Gap(f"{CONFIG_NAME}: organisations.{org_code}.signatory.name", "who signs the letter")
        )
    return {
        "role": role,
        "org": org,
        "signatory": signatory,
        "person": person,  # a name; for role victim, the victim's id
        "relationship": raw.get("relationship")
        if isinstance(raw.get("relationship"), str)
        else None,
    }


def _victim_applicant(raw: dict[str, Any], found: _Facts, plan: LetterPlan) -> str | None:
    """The victim who writes in their own name (their id): one of the letter's victims, alive and
    of age."""
    wanted = raw.get("person_id")
    ids = [str(v.get("victim_id")) for v in found.victims]
    if wanted is None and len(ids) == 1:
        wanted = ids[0]
    if wanted not in ids:
        plan.gaps.append(
            Gap(
                "applicant.person_id",
                "which victim applies in their own name"
                + (f" ('{wanted}' is not a victim this letter is about)" if wanted else ""),
            )
        )
        return None
    situation = next(s for s in found.situations if s.victim_id == wanted)
    if situation.deceased:
        plan.gaps.append(
            Gap(
                "applicant.role",
                f"{wanted} has died and cannot apply: a relative applies "
                "(role: relative, name, relationship)",
            )
        )
    elif situation.minor_now:
        plan.gaps.append(
            Gap(
                "applicant.role",
                f"{wanted} is a child: a parent or guardian applies "
                "(role: relative, name, relationship)",
            )
        )
    victim = next(v for v in found.victims if str(v.get("victim_id")) == wanted)
    plan.notes.append(
        f"written in the name of {wanted}, in the first person; the account of what happened "
        "is printed as the case file words it: check that it reads as the victim's own"
    )
    return str(wanted) if victim.get("full_name") else None


def _late_reply(
    case: dict[str, Any],
    country: CountryData,
    fmt: CaseFormat,
    state: Proceedings,
    plan: LetterPlan,
) -> Deadline | None:
    late = [
        o
        for o in overdue(case, country, state.as_of, calendar=fmt.calendars.get(country.country))
        if o.national is not None and o.national.trigger in REQUESTS and o.national.reminder
    ]
    late.sort(key=lambda o: -o.days_late)
    if not late:
        stage = state.criminal.stage.value.replace("_", " ")
        plan.gaps.append(
            Gap(
                "legal_actions",
                f"no complaint is past its reply deadline and still unanswered on "
                f"{state.as_of.isoformat()} (the proceedings stand at: {stage}): a reminder is "
                "not due (cattool deadlines lists what is)",
            )
        )
        return None
    chosen = late[0]
    plan.notes.append(
        f"reminder: {chosen.title} from {chosen.counts_from}, due {chosen.due.isoformat()} "
        f"({chosen.basis})"
    )
    if not chosen.verified:
        plan.warnings.append(
            f"check the deadline: rule '{chosen.rule}' is marked 'verified: false' in "
            f"schemas/countries/{country.country}.yaml"
        )
    return chosen


def _appealable(state: Proceedings, plan: LetterPlan) -> Event | None:
    """The decision an appeal to the higher prosecutor can be against, as of the letter's date."""
    track = state.criminal
    decision = track.decision
    day = state.as_of.isoformat()
    if decision is None:
        if track.annulments:
            last = track.annulments[-1]
            why = (
                f"the {last.decision.type.replace('_', ' ')} {last.decision.describe()} was set "
                f"aside by {last.by.describe()}"
            )
        else:
            later = [e for e in state.later if e.type in REFUSALS + CLOSURES]
            why = (
                f"the decision {later[0].describe()} is dated after the letter ({day})"
                if later
                else "no refusal or closure is recorded"
            )
        stage = track.stage.value.replace("_", " ")
        plan.gaps.append(
            Gap(
                "legal_actions",
                f"nothing to appeal on {day}: {why}; the proceedings stand at: {stage}",
            )
        )
        return None
    if decision.type in VERDICTS:
        plan.gaps.append(
            Gap(
                "legal_actions",
                f"the standing decision is the court's verdict {decision.describe()}: a verdict "
                "is appealed to the higher court under the Criminal Procedure Code, not by a "
                "letter to the prosecutor",
            )
        )
        return None
    if track.appeal is not None and track.appeal.date < state.as_of:
        plan.gaps.append(
            Gap(
                track.appeal.path,
                f"our appeal {track.appeal.describe()} against this decision is still pending: "
                "wait for its answer, or send a reminder about it (record the answer with "
                "cattool event add when it comes)",
            )
        )
        return None
    plan.notes.append(f"appeal against {decision.describe()}")
    return decision


# Stages at which the crime was reported and is (or was) investigated or tried: a first report
# of the crime no longer fits; an appeal, a request to the investigator or the court does.
UNDER_WAY = frozenset(
    {
        Criminal.INVESTIGATION,
        Criminal.SUSPENDED,
        Criminal.INDICTED,
        Criminal.TRIAL,
        Criminal.VERDICT,
        Criminal.VERDICT_APPEALED,
        Criminal.FINAL,
    }
)


def _complaint_fits(state: Proceedings, plan: LetterPlan) -> None:
    """A report of the crime is written before the authorities act on it, not once the
    investigation is open or the case is in court."""
    track = state.criminal
    if track.stage not in UNDER_WAY:
        return
    step = track.history[-1].event if track.history else None
    plan.gaps.append(
        Gap(
            "legal_actions",
            f"the crime is already under investigation or in court on {state.as_of.isoformat()} "
            f"(stage: {track.stage.value.replace('_', ' ')}"
            + (f", since {step.describe()}" if step is not None else "")
            + "): a new report of the crime does not fit; write to the investigator or the "
            "court, or appeal a decision (--kind appeal)",
        )
    )


def _views(state: Proceedings, plan: LetterPlan) -> UnTrack | None:
    """The Views or decision of a Committee that found a violation, as of the letter's date: what
    a request to implement it relies on."""
    found = [t for t in state.un if t.treaty_body and t.found_violation]
    if not found:
        decided = [t for t in state.un if t.treaty_body and t.decided]
        why = (
            f"the Committee's decision {decided[-1].comm_id or decided[-1].path} found "
            f"{(decided[-1].outcome or 'no violation').replace('_', ' ')}"
            if decided
            else "no Committee has decided the case"
        )
        plan.gaps.append(
            Gap(
                "un_communications",
                f"nothing to implement on {state.as_of.isoformat()}: {why} (a request relying on "
                "Views needs decided_on and outcome: violation)",
            )
        )
        return None
    track = found[-1]
    plan.notes.append(
        f"relies on {track.comm_id or track.path}: {track.body} decision of "
        f"{(track.decided_on or track.since).isoformat()} (violation)"
    )
    return track


VIEWS_WORDS = {
    "ccpr": {
        "ru": {
            "body": "Комитет по правам человека",
            "body_gen": "Комитета по правам человека",
            "document": "Соображения",
            "document_gen": "Соображений",
            "document_acc": "Соображения",
            "treaty_gen": "Международному пакту о гражданских и политических правах",
            "remedy": "статья 2 (3) Пакта",
            "competence": "признав компетенцию Комитета по Факультативному протоколу к Пакту",
        },
        "en": {
            "body": "the Human Rights Committee",
            "document": "Views",
            "treaty": "the International Covenant on Civil and Political Rights",
            "remedy": "article 2 (3) of the Covenant",
            "competence": "having recognised the Committee's competence under the Optional Protocol to the Covenant",
        },
    },
    "cat": {
        "ru": {
            "body": "Комитет против пыток",
            "body_gen": "Комитета против пыток",
            "document": "решение",
            "document_gen": "решения",
            "document_acc": "решение",
            "treaty_gen": "Конвенции против пыток",
            "remedy": "статьи 12–14 Конвенции",
            "competence": "признав компетенцию Комитета по статье 22 Конвенции",
        },
        "en": {
            "body": "the Committee against Torture",
            "document": "decision",
            "treaty": "the Convention against Torture",
            "remedy": "articles 12 to 14 of the Convention",
            "competence": "having recognised the Committee's competence under article 22 of the Convention",
        },
    },
}


def _views_context(track: UnTrack, lang: str) -> dict[str, Any]:
    words = VIEWS_WORDS["ccpr" if track.body == "ccpr" else "cat"][lang]
    return {
        **words,
        "decided_on": track.decided_on or track.since,
        "reference": track.reference,
        # the number without its "No." / «№»: each language writes its own sign
        "number": re.sub(r"^\s*(No\.?|№)\s*", "", track.reference or ""),
    }


# --- the addressee ------------------------------------------------------------------------------


def _slug(text: str) -> str:
    ascii_text = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return ascii_text[:40] or "procuracy"


def _addressee(
    kind: str,
    case: dict[str, Any],
    country: CountryData,
    found: _Facts,
    cited: Event | None,
    office: str | None,
    addressee: str | None,
    plan: LetterPlan,
) -> tuple[dict[str, Any] | None, str | None]:
    """Where the letter goes: --office, --addressee (written in the dative by the user), or the
    office the proceedings point to."""
    if office:
        found_office = country.offices.get(office)
        if found_office is None:
            known = ", ".join(country.offices)
            plan.gaps.append(
                Gap("--office", f"'{office}' is not an office of {country.country} ({known})")
            )
        return found_office, None
    if addressee:
        return None, addressee
    if kind == "views" and country.offices.get("gpo") is not None:
        plan.notes.append(
            "addressee: the general procuracy (implementing the Committee's decision)"
        )
        return country.offices.get("gpo"), None
    incidents = found.incidents
    region = (incidents[0].get("region") if incidents else None) or case.get("region")
    regional = country.regional_office(str(region) if region else None)
    general = country.offices.get("gpo")
    military_office = country.offices.get("military")
    if kind == "appeal" and cited is not None:
        rejected = found.state.criminal.appeal_rejected
        decided_by = mapping((rejected or cited).raw.get("authority"))
        level = decided_by.get("level")
        if level == "military" and military_office is not None:
            return general, None
        higher = HIGHER_LEVEL.get(str(level), "general")
        if higher == "regional" and regional is not None and rejected is None:
            if not _same_office(regional, decided_by, case):
                return regional, None
            # a city of regional status (Osh, Almaty, Dushanbe): its office is the one that
            # decided, and the appeal goes over it
            plan.notes.append(
                f"addressee: the general procuracy ({regional['id']} itself made the decision)"
            )
        return general, None
    if kind == "reminder" and cited is not None:
        authority = mapping(cited.raw.get("authority"))
        known_office = country.offices.get(str(authority.get("office")))
        if known_office is not None:
            return known_office, None
        name = in_language(authority.get("name"), "ru", case_language(case))
        if name:
            from cattool.russian import office_head_dative

            if office_head_dative(name) is None:
                plan.gaps.append(
                    Gap(
                        f"{cited.path}.authority",
                        "the office the complaint went to is not one cattool can name in the "
                        "dative: give its id (authority.office, see cattool offices "
                        f"{country.country}) or --addressee 'Прокурору ...'",
                    )
                )
            return None, name
    by_agency = _office_for_agency(case, country, found.state.as_of)
    if by_agency is not None:
        plan.notes.append(f"addressee: {by_agency['id']} (the accused agency's cases go there)")
        return by_agency, None
    if found.military and military_office is not None:
        plan.notes.append("addressee: the military procuracy (military perpetrators or a unit)")
        return military_office, None
    return (regional or general), None


def _same_office(office: dict[str, Any], authority: dict[str, Any], case: dict[str, Any]) -> bool:
    """Is ``authority`` (as an event records it) that office: by its id, or by its name."""
    if authority.get("office"):
        return str(authority["office"]) == str(office.get("id"))
    name = in_language(authority.get("name"), "ru", case_language(case))
    return bool(name) and name == text_in(office.get("name"), "ru")


def _office_for_agency(
    case: dict[str, Any], country: CountryData, day: dt.date
) -> dict[str, Any] | None:
    """The office that complaints against an agency go to, where the country data says so
    (``law.addressee_by_agency``: the national security service's officers, for example)."""
    agencies = {p.get("agency") for p in case.get("perpetrators") or [] if isinstance(p, dict)}
    for rule in provisions(country, "addressee_by_agency"):
        if rule.period.covers(day) and rule.get("agency") in agencies:
            return country.offices.get(str(rule.get("office")))
    return None


def _office_lines(office: dict[str, Any], lang: str) -> dict[str, Any]:
    return {
        "head": text_in(office.get("head"), lang) or text_in(office.get("name"), lang),
        "name": text_in(office.get("name"), lang),
        "address": text_in(office.get("address"), lang),
    }


def _free_lines(name: str, lang: str) -> dict[str, Any]:
    """An office named in the timeline, as the head of a letter addresses it."""
    from cattool.russian import office_head_dative

    head = office_head_dative(name) if lang == "ru" else None
    return {"head": head or name, "name": name, "address": None}


# --- the contexts -------------------------------------------------------------------------------


def _victim_words(
    victims: list[dict[str, Any]], deceased: bool, me: bool = False
) -> dict[str, str]:
    """The Russian words for the victim(s), by case and gender: пострадавший / погибший; in a
    letter the victim writes alone in their own name, the first person («меня», «мои доводы»)."""
    sexes = {v.get("sex") for v in victims}
    stem = "погибш" if deceased else "пострадавш"
    if len(victims) > 1:
        words = {"nom": stem + "ие", "gen": stem + "их", "dat": stem + "им", "poss": "их"}
    elif sexes == {"female"}:
        words = {"nom": stem + "ая", "gen": stem + "ей", "dat": stem + "ей", "poss": "её"}
    else:
        words = {"nom": stem + "ий", "gen": stem + "его", "dat": stem + "ему", "poss": "его"}
    words |= {
        "exam": words["gen"],  # «экспертизы пострадавшего»
        "held": f"задержанию и содержанию {words['gen']}",
        "safety": f"безопасности {words['gen']} и {words['poss']} близких",
        "claims": f"доводы {words['gen']}",
        "where": f"{_was(victims)} {words['nom']}",  # «где находился пострадавший»
        "sent": "заявитель направил",
        "taking_part": f"с участием {words['gen']}",
        "considers": "Заявитель считает",
    }
    if me and len(victims) == 1:
        words |= {
            "nom": "я",
            "gen": "меня",
            "dat": "мне",
            "poss": "моих",
            "exam": "в отношении меня",
            "held": "моему задержанию и содержанию",
            "safety": "моей безопасности и безопасности моих близких",
            "claims": "мои доводы",
            "where": f"я {_was(victims)}",
            "sent": "я направила" if sexes == {"female"} else "я направил",
            "considers": "Считаю",
            "taking_part": "с моим участием",
        }
    return words


def _was(victims: list[dict[str, Any]]) -> str:
    if len(victims) > 1:
        return "находились"
    return "находилась" if victims and victims[0].get("sex") == "female" else "находился"


def _consent_phrase(found: _Facts, lang: str) -> str:
    """Whose consent the letter is written with: the victim's, a guardian's, a relative's."""
    givers = [s.consent_by for s in found.situations if s.consent_by is not None]
    many = len(found.victims) > 1
    if not givers or all(g.role == "victim" for g in givers):
        if lang == "ru":
            return (
                "пострадавших" if many else ("пострадавшей" if _female(found) else "пострадавшего")
            )
        return "the victims" if many else "the victim"
    giver = givers[0]
    relation = (giver.relationship or "").strip().lower()
    if lang == "en":
        if giver.role == "guardian":
            return "the parent or guardian of the minor victim" + (
                f" ({relation})" if relation else ""
            )
        if giver.role == "relative":
            who = "the deceased" if found.state.any_deceased else "the victim"
            return f"the {relation} of {who}" if relation else f"a relative of {who}"
        return "the victim's representative"
    who = (
        "погибшего"
        if found.state.any_deceased
        else ("пострадавшей" if _female(found) else "пострадавшего")
    )
    if giver.role == "guardian":
        parent = RELATIONSHIP_GENITIVE.get(relation)
        base = f"законного представителя несовершеннолетнего {who}"
        return f"{parent} {who}, {base.replace(' ' + who, '')}" if parent else base
    if giver.role == "relative":
        kin = RELATIONSHIP_GENITIVE.get(relation)
        return f"{kin} {who}" if kin else f"родственника {who}"
    return f"представителя {who}"


def _female(found: _Facts) -> bool:
    return {v.get("sex") for v in found.victims} == {"female"}


def _context(
    lang: str,
    case: dict[str, Any],
    country: CountryData,
    label: Label,
    found: _Facts,
    applicant: dict[str, Any],
    office_data: dict[str, Any] | None,
    free_name: str | None,
    cited: Event | None,
    late: Deadline | None,
    today: dt.date,
    our_ref: str | None,
    annexes: tuple[str, ...],
    kind: str,
    views: UnTrack | None = None,
) -> dict[str, Any]:
    from cattool.rendering import lower_first

    state = found.state
    written_in = case_language(case)

    def name_of(victim: dict[str, Any]) -> str:
        return (latin_name(victim) if lang == "en" else None) or str(victim.get("full_name"))

    region_names = country.regions
    victims = found.victims
    by_victim = {v.get("victim_id"): v for v in victims}
    situations = {s.victim_id: s for s in found.situations}
    deceased = any(s.deceased for s in found.situations)
    all_deceased = bool(found.situations) and all(s.deceased for s in found.situations)
    perpetrators = [p for p in case.get("perpetrators") or [] if isinstance(p, dict)]
    medical = [
        m
        for m in case.get("medical_evidence") or []
        if isinstance(m, dict)
        and (not m.get("victim_id") or m.get("victim_id") in by_victim)
        and (parse_date(m.get("examined_on")) or parse_date(m.get("requested_on")) or today)
        <= today
    ]

    police = provision(country, "police_name", today)

    def agency_name(agency: Any) -> str:
        """The agency as the letter's country and date name it: «милиция» in Kyrgyzstan."""
        if agency in (None, "unknown", "other"):
            return ""
        if agency == "police_mvd" and police is not None and police.text(lang):
            return str(police.text(lang))
        return lower_first(label("agency", agency, lang))

    def perpetrator_text(p: dict[str, Any]) -> str:
        parts = [
            str(p["name"]) if p.get("name") else "",
            in_language(p.get("rank_position"), lang, written_in) or "",
            in_language(p.get("unit"), lang, written_in) or "",
            agency_name(p.get("agency")),
        ]
        return ", ".join(x for x in parts if x)

    incident_contexts = []
    for inc in sorted(found.incidents, key=lambda i: str(i.get("date_start", ""))):
        inc_id = inc.get("incident_id")
        ids = [v for v in inc.get("victim_ids") or [] if v in by_victim]
        region = region_names.get(str(inc.get("region")), {}).get(lang)
        place_type = inc.get("place_type")
        place_name = in_language(inc.get("place_name"), lang, written_in)
        kind_of_place = (
            lower_first(label("place_type", place_type, lang))
            if place_type not in ("other", "unknown")
            else ""
        )
        place_bits = [
            place_name or kind_of_place,  # a named facility says what it is
            in_language(inc.get("settlement"), lang, written_in) or "",
            region if inc.get("region") not in (None, "unknown") else "",
        ]
        forced = [
            name_of(by_victim[v])
            for v in ids
            if victim_detail(inc, v, "forced_statement") == "forced_to_sign"
        ]
        injuries = [
            (name_of(by_victim[v]), text)
            for v in ids
            for detail in [victim_detail(inc, v, "injuries")]
            if (text := in_language(detail, lang, written_in))
        ]
        shared_injuries = in_language(inc.get("injuries"), lang, written_in)
        per_victim_injuries = [(n, t) for n, t in injuries if t != shared_injuries]
        deprived = [incident_deprived(inc, by_victim[v]) for v in ids]
        incident_contexts.append(
            {
                "when": when_text(inc, lang),
                "victims": [name_of(by_victim[v]) for v in ids],
                "place": place_text(place_bits),
                "detained_at": moment_text(inc.get("de_facto_detention_at"), lang),
                "unrecorded": unrecorded_text(
                    inc.get("de_facto_detention_at"), inc.get("detention_recorded_at"), lang
                ),
                "recorded_at": moment_text(inc.get("detention_recorded_at"), lang),
                "deprived": any(d is True for d in deprived),
                "methods": facts(label, "method", inc.get("methods"), lang),
                "purpose": facts(label, "purpose", inc.get("purpose"), lang),
                "context": next(iter(facts(label, "context", inc.get("context"), lang)), None),
                "injuries": shared_injuries,
                "victim_injuries": per_victim_injuries if len(ids) > 1 else [],
                "narrative": in_language(inc.get("narrative"), lang, written_in) or "",
                "forced": forced,
                "forced_all": bool(forced) and len(forced) == len(ids),
                "witnesses": [
                    ", ".join(str(w[k]) for k in ("name", "role") if w.get(k))
                    for w in inc.get("witnesses") or []
                    if isinstance(w, dict)
                ],
                "perpetrators": [
                    text
                    for p in perpetrators
                    if not p.get("incident_ids") or inc_id in (p.get("incident_ids") or [])
                    if (text := perpetrator_text(p))
                ],
            }
        )

    victim_contexts = []
    for v in victims:
        birth = parse_date(v.get("date_of_birth"))
        situation = situations.get(str(v.get("victim_id")))
        victim_contexts.append(
            {
                "id": v.get("victim_id"),
                "name": name_of(v),
                "sex": v.get("sex"),
                "born": birth,
                "deceased": bool(situation and situation.deceased),
                "died_on": situation.date_of_death if situation else None,
                "died_in_custody": bool(situation and situation.died_in_custody),
                "minor": bool(situation and situation.minor_at_incident),
                "in_custody": bool(situation and situation.held_now),
                "conscript": v.get("status_at_incident") == "conscript"
                and bool(situation and situation.never_detained),
            }
        )

    medical_contexts = [
        {
            "type": lower_first(label("evidence_type", m.get("type"), lang)),
            "date": parse_date(m.get("examined_on")) or parse_date(m.get("requested_on")),
            "consistency": consistency_phrase(m.get("overall_consistency"), label, lang),
            "autopsy": m.get("type") == "autopsy",
        }
        for m in medical
    ]

    if office_data is not None:
        addressee = _office_lines(office_data, lang)
    else:
        addressee = _free_lines(free_name or "", lang)

    q = found.qualification
    qualification_context = (
        {
            "code_title": q.code.title.get(lang) or q.code.code,
            "code_title_genitive": genitive_code(q.code.title.get(lang) or q.code.code, lang),
            "code": q.code.code,
            "article": q.article.article,
            "article_title": q.article.title.get(lang, ""),
            "fallback": q.fallback,
            "alternatives": [
                {
                    "article": a.article,
                    "article_title": a.title.get(lang, ""),
                    "code_title_genitive": genitive_code(c.title.get(lang) or c.code, lang),
                    # the day this article applies from: its own, or its code's first day
                    "from": a.in_force.start or c.in_force.start,
                }
                for c, a in q.alternatives
            ],
        }
        if q is not None
        else None
    )

    investigation = provision(country, "investigation_start", today)
    register = provision(country, "crime_register", today)
    start_kind = investigation.get("kind") if investigation else "open_case"

    def event_context(e: Event | None) -> dict[str, Any] | None:
        if e is None:
            return None
        decree = e.type in REFUSALS + CLOSURES + SUSPENSIONS
        return {
            "document": ("постановление" if decree else "решение")
            if lang == "ru"
            else ("order" if decree else "decision"),
            "title": decision_title(e.type, lang, start_kind == "pretrial_investigation"),
            "date": e.date,
            "type": e.type,
            "label": lower_first(label("event_type", e.type, lang)),
            "our_ref": e.raw.get("our_ref"),
            "their_ref": e.raw.get("their_ref"),
            "received_on": e.known_on if e.known_on != e.date else None,
            # sent by this letter's applicant (an older file names no one: taken as ours)
            "ours": e.raw.get("filed_by") in (None, applicant["role"]),
            "authority": authority_name(e.raw, country, lang, written_in),
            "grounds": lower_first(label("refusal_grounds", e.grounds, lang))
            if e.grounds and e.grounds != "other"
            else None,
        }

    complaint = None
    if kind == "appeal" and cited is not None:
        asked = state.event(cited.responds_to) if cited.responds_to else None
        if asked is None:  # the decision names no complaint: the last one sent before it
            sent = [
                e
                for e in state.criminal.complaints
                if e.type == "complaint_sent" and e.date <= cited.date
            ]
            asked = sent[-1] if sent else state.criminal.complaint
        complaint = event_context(asked)
    elif kind == "reminder":
        complaint = event_context(cited)

    any_deprived = any(i["deprived"] for i in incident_contexts)
    any_minor = any(v["minor"] for v in victim_contexts)
    any_in_custody = any(v["in_custody"] for v in victim_contexts)
    org = applicant["org"]
    signatory = applicant["signatory"]
    role = applicant["role"]
    relation = (applicant["relationship"] or "").strip().lower()
    me = role == "victim"  # the victim writes in their own name: the letter speaks as "я"
    person = name_of(by_victim[applicant["person"]]) if me else applicant["person"]
    if role == "organisation":
        signs = {
            "name": text_in(signatory.get("name"), lang),
            "position": text_in(signatory.get("position"), lang),
            "organisation": text_in(org.get("name"), lang),
        }
    else:
        signs = {"name": person, "position": None, "organisation": None}
    requests = _requests(kind, cited, bool(perpetrators), all_deceased, deceased, any_deprived)
    if kind == "views":
        # after a conviction the criminal case is closed by a final verdict: what the Views
        # still ask of the procuracy is reparation (a verdict is reviewed by a court)
        requests = (
            ["redress", "inform_views"]
            if state.criminal.convicted
            else [
                *(["annul_views"] if cited is not None else []),
                "investigate_views",
                "prosecute",
                "redress",
                "inform_views",
            ]
        )
    decision = event_context(cited) if kind in ("appeal", "views") else None
    return {
        "lang": lang,
        "kind": kind,
        "pv": _victim_words(victims, all_deceased, me),  # the Russian word for the victim(s)
        "me": me,  # written in the victim's own name (first person)
        "applicant_victim": applicant["person"] if me else None,
        "case_id": case.get("case_id"),
        "today": today,
        "our_ref": our_ref,
        "place": text_in(org.get("city"), lang) if role == "organisation" else None,
        "country": text_in(country.raw.get("official_name"), lang)
        or country.name.get(lang, country.country),
        "addressee": addressee,
        "crime_register": register.text(lang) if register else None,
        "information_book": book.text(lang)
        if (book := provision(country, "information_book", today))
        else None,
        "investigation": {
            "kind": start_kind,
            "text": investigation.text(lang) if investigation else None,
        },
        "pretrial": start_kind == "pretrial_investigation",  # «допросить»; else «опросить»
        "applicant": {
            "role": role,
            "name": text_in(org.get("name"), lang) if role == "organisation" else person,
            "organisation": text_in(org.get("name"), lang),
            "victim_id": applicant["person"] if me else None,
            "relationship": RELATIONSHIP_RU.get(relation, relation) if lang == "ru" else relation,
            "address": text_in(org.get("address"), lang),
            "phone": text_in(org.get("phone"), lang),
            "email": text_in(org.get("email"), lang),
        },
        "consent_of": _consent_phrase(found, lang),
        "signatory": signs,
        "victims": victim_contexts,
        "deceased": deceased,
        "all_deceased": all_deceased,
        "any_minor": any_minor,
        "any_in_custody": any_in_custody,
        "any_deprived": any_deprived,
        "military": found.military,
        "incidents": incident_contexts,
        "medical": medical_contexts,
        "qualification": qualification_context,
        "complaint": complaint,
        "decision": decision,
        "refusal": decision,  # the name older coalition templates use
        "deadline": {
            "days": late.national.days,
            "working_days": late.national.working_days,
            "basis": (late.national.basis_ru if lang == "ru" else "") or late.national.basis,
            "verified": late.national.verified,
            "due": late.due,
            "late_by": late.days_late,
        }
        if late is not None and late.national is not None
        else None,
        "requests": requests,
        # "while the traces are fresh": only in a letter written soon after the incident
        "recent": found.first_date is not None and (today - _last_day(found)).days <= RECENT_DAYS,
        "annexes": list(annexes),
        "power_of_attorney": role == "lawyer",
        "stage": state.criminal.stage.value,
        "views": _views_context(views, lang) if views is not None else None,
    }


RECENT_DAYS = 30  # how long after an incident a letter still speaks of fresh traces


def _last_day(found: _Facts) -> dt.date:
    days = [
        d
        for inc in found.incidents
        for d in (parse_date(inc.get("date_end")), parse_date(inc.get("date_start")))
        if d is not None
    ]
    return max(days) if days else dt.date.min


def _requests(
    kind: str,
    cited: Event | None,
    perpetrators: bool,
    all_deceased: bool,
    deceased: bool,
    deprived: bool,
) -> list[str]:
    """Which requests the letter makes, in order; the templates word each one."""
    if kind == "complaint":
        found = ["register"]
        if not all_deceased:
            found.append("examine")
        if deceased:
            found.append("examine_death")
        found.append("records" if deprived else "scene_records")
        found += ["question", "investigate"]
        if perpetrators:
            found.append("suspend")
        found += ["protect", "inform"]
        return found
    if kind == "appeal":
        if cited is not None and cited.type in SUSPENSIONS:
            return ["annul", "resume", "identify", "inform"]
        closure = cited is not None and cited.type in CLOSURES
        return ["annul", "resume" if closure else "investigate", "examine_again", "inform"]
    return ["number", "examine_if_not", "review_delay", "inform"]
