"""UN submissions: the Special Rapporteur on Torture, the Human Rights Committee, the CAT.

``un_readiness`` says whether a case can be sent and what blocks it; ``plan_un`` builds the
template context. Both follow the same rules:

- every person the document names is covered by a consent record of the matching scope
  (``un_special_procedures`` for the Special Rapporteur, ``un_treaty_body`` for a Committee), and is
  named exactly as that consent allows: the full name when it may go to the government, else the
  initials (``public_label``) when public reports may show initials, else not at all;
- when a victim is not named in full, only the sanitised ``narrative_public`` is used, never the
  full narrative (which may hold the name);
- the organisation is named as the source only where the case says so (``org_may_be_named``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from cattool.caseformat import CaseFormat
from cattool.dates import parse_date
from cattool.letters.common import (
    PLACEHOLDERS,
    Gap,
    LetterPlan,
    authority_name,
    consistency_phrase,
    domestic_record,
    has_cyrillic,
    later_events_warning,
    latin_name,
    mapping,
    moment_text,
    place_text,
    text_in,
    when_text,
)
from cattool.procedure import Proceedings, proceedings, stage_reached
from cattool.procedure.situation import consent_giver
from cattool.repo import CONFIG_NAME, CaseRepo
from cattool.sealed import is_encrypted
from cattool.texts import case_language, in_language, missing_path

BODIES = {"sr-torture": "sr_torture", "hrc": "ccpr", "cat": "cat"}
SCOPES = {"sr-torture": "un_special_procedures", "hrc": "un_treaty_body", "cat": "un_treaty_body"}
ACCEPTANCE = {"hrc": "ccpr_op1", "cat": "cat_art22"}
DETENTION_PLACES = (
    "police_station",
    "ivs",
    "sizo",
    "colony_prison",
    "national_security_facility",
    "military_unit",
    "border_post",
    "juvenile_institution",
    "psychiatric_or_social_institution",
    "unofficial_place",
)
FINAL_DECISIONS = (
    "appeal_decided",
    "acquittal",
    "conviction",
    "investigation_discontinued",
    "refusal_to_open",
    "registration_refused",
    "decision_annulled",
)
RECENT_REPRISAL_DAYS = 180


@dataclass
class Readiness:
    to: str
    blocks: list[Gap] = field(default_factory=list)
    warnings: list[Gap] = field(default_factory=list)
    facts: list[str] = field(default_factory=list)  # what the check found, for the report

    @property
    def ready(self) -> bool:
        return not self.blocks


@dataclass(frozen=True)
class Naming:
    victim_id: str
    index: int
    how: str  # full, initials, none
    shown: str  # what the document calls the person


def _consents(case: dict[str, Any], person: str, scope: str) -> list[dict[str, Any]]:
    return [
        c
        for c in case.get("consent") or []
        if isinstance(c, dict)
        and c.get("person_id") == person
        and not c.get("withdrawn_on")
        and scope in (c.get("scopes") or [])
    ]


def published_as(case: dict[str, Any], person: str, to: str) -> str:
    """How the consent for ``to`` lets a public document (a Committee's published decision, a
    follow-up report) name the person: full, initials or none."""
    return next(
        (
            str(c["name_in_public_reports"])
            for c in _consents(case, person, SCOPES[to])
            if c.get("name_in_public_reports")
        ),
        "none",
    )


def naming(case: dict[str, Any], to: str) -> tuple[list[Naming], list[Gap]]:
    """How each victim may be named in a document for ``to``; gaps for missing consent."""
    scope = SCOPES[to]
    names, gaps = [], []
    for index, victim in enumerate(v for v in case.get("victims") or [] if isinstance(v, dict)):
        vid = str(victim.get("victim_id"))
        records = _consents(case, vid, scope)
        if not records:
            gaps.append(
                Gap(
                    "consent",
                    f"no consent of victims[{index}] ({vid}) with scope {scope}: the document "
                    "cannot name or describe them",
                )
            )
            continue
        if any(c.get("name_to_government") for c in records):
            # an English document spells the name in Latin letters (un_readiness asks for it)
            how, shown = "full", latin_name(victim) or str(victim.get("full_name") or "")
        elif any(c.get("name_in_public_reports") in ("initials", "full") for c in records):
            how, shown = "initials", str(victim.get("public_label") or "")
        else:
            how, shown = "none", f"victim {index + 1}"
        if how == "full" and not shown:
            gaps.append(Gap(f"victims[{index}].full_name", "the victim's full name"))
        if how == "initials" and not shown:
            gaps.append(
                Gap(
                    f"victims[{index}].public_label",
                    "the initials the consent allows (public_label)",
                )
            )
        names.append(Naming(vid, index, how, shown))
    return names, gaps


# Who holds a detainee: the agencies whose officers could reach them in that kind of detention.
HOLDERS = {
    "pretrial_detention": ("police_mvd", "national_security", "penitentiary", "anti_drug"),
    "serving_sentence": ("penitentiary",),
}


def recent_days(repo: CaseRepo) -> int:
    """How recent a threat or reprisal must be to make an urgent appeal: ``urgent_appeal.
    recent_days`` of schemas/un.yaml (a coalition may set its own), else 180 days."""
    from cattool.errors import ConfigError
    from cattool.procedure.deadlines import urgent_window

    try:
        return urgent_window(repo.schema_file, RECENT_REPRISAL_DAYS)
    except ConfigError:  # an unreadable file: the default (cattool deadlines names the file)
        return RECENT_REPRISAL_DAYS


def at_risk(
    case: dict[str, Any],
    today: dt.date,
    names: dict[str, str] | None = None,
    state: Proceedings | None = None,
    recent_window: int = RECENT_REPRISAL_DAYS,
) -> list[str]:
    """Why someone is at risk now (an urgent appeal); empty if the case shows no present risk.

    At risk: held now by the agency of alleged perpetrators who remain in post, or a reprisal or
    threat recorded within the recency window (``recent_window`` days, from schemas/un.yaml). A high risk of
    reprisals written in the file counts only while the case is recent too: a free person many
    years after the facts is the subject of an allegation letter, not an urgent appeal.
    """
    state = state or proceedings(case, None, today)
    reasons = []
    perpetrators = [p for p in case.get("perpetrators") or [] if isinstance(p, dict)]
    accused = {p.get("agency") for p in perpetrators if p.get("post_status") in (None, "in_post")}
    recent = [e for e in state.events if (today - e.date).days <= recent_window]
    for victim in (v for v in case.get("victims") or [] if isinstance(v, dict)):
        vid = str(victim.get("victim_id"))
        situation = state.victim(vid)
        if situation is None or situation.deceased:
            continue
        label = (names or {}).get(vid) or vid
        status = str(victim.get("current_status"))
        holders = {situation.held_by} if situation.held_by else set(HOLDERS.get(status, ()))
        if situation.held_now and holders & accused:
            reasons.append(
                f"{label} is held now ({status.replace('_', ' ')}) by the agency of alleged "
                "perpetrators who remain in post"
            )
        if victim.get("reprisal_risk") == "high" and recent:
            reasons.append(f"the case records a high risk of reprisals against {label}")
    for event in state.events:
        if event.type == "reprisal" and (today - event.date).days <= recent_window:
            reasons.append(f"a reprisal was recorded on {event.date.isoformat()}")
    return reasons


def _needs_latin(victim: Any) -> bool:
    """A full name in Cyrillic with no Latin spelling recorded (a sealed one cannot be told)."""
    if not isinstance(victim, dict) or is_encrypted(victim.get("full_name")):
        return False
    return latin_name(victim) is None


def account_en(inc: dict[str, Any], named_in_full: bool, written_in: str) -> str | None:
    """The account an English UN document gives: the full narrative in English where every
    victim may be named in full, else the sanitised one (narrative_public) in English."""
    if named_in_full:
        full = in_language(inc.get("narrative"), "en", written_in)
        if full:
            return full
    return in_language(inc.get("narrative_public"), "en", written_in)


def english_name(victim: dict[str, Any]) -> str:
    """The name an English document prints (un_readiness has asked for a Latin one)."""
    return latin_name(victim) or str(victim.get("full_name") or "")


def remedies(case: dict[str, Any], fmt: CaseFormat, today: dt.date) -> dict[str, Any]:
    """What was done at home and how it ended, as the procedural model reads it on ``today``.

    status: not_pursued, awaiting_answer, refusal_not_appealed, appeal_pending (an appeal is
    pending: remedies are not exhausted), pending (an investigation or a trial is under way),
    exhausted (an appeal against the refusal or closure was rejected, or a verdict).
    ``final_decision_on`` is the date of the decision that ended the domestic road, if any;
    ``civil`` is the same for a claim for compensation.
    """
    country = fmt.countries.get(str(case.get("country")))
    state = proceedings(case, country, today)
    done = state.remedies
    civil = state.civil_remedies
    return {
        "status": done.status.value,
        "stage": stage_reached(case, country).stage,
        "criminal": state.criminal.stage.value,
        "final_decision_on": done.final_decision_on,
        "final_decision": done.final_decision,
        "civil": civil.status.value if state.civil.stage.value != "none" else None,
        "civil_final_on": civil.final_decision_on,
        "events": list(state.events),
        "state": state,
    }


def un_readiness(
    case: dict[str, Any],
    fmt: CaseFormat,
    repo: CaseRepo,
    to: str,
    today: dt.date,
    done: dict[str, Any] | None = None,
) -> Readiness:
    report = Readiness(to)
    country_code = str(case.get("country"))
    country = fmt.countries.get(country_code)
    if to in ACCEPTANCE and country is not None and not country.accepts(ACCEPTANCE[to]):
        name = country.name.get("en", country_code)
        alternative = (
            " Send it to the Human Rights Committee instead (--to hrc)." if to == "cat" else ""
        )
        report.blocks.append(
            Gap(
                "country",
                f"{name} has not accepted individual complaints to the "
                f"{'Committee against Torture (Article 22)' if to == 'cat' else 'Human Rights Committee (Optional Protocol)'} "
                f"according to schemas/countries/{country_code}.yaml.{alternative}",
            )
        )
    names, gaps = naming(case, to)
    report.blocks += gaps
    for n in names:
        report.facts.append(f"{n.victim_id} is named: {n.how}")
        if n.how != "full" and to != "sr-torture":
            report.blocks.append(
                Gap(
                    "consent",
                    f"the consent of {n.victim_id} does not let the name go to the State "
                    "(name_to_government: false): a Committee sends every complaint to the State "
                    "with the victim's name. It can keep the name out of its published decision: "
                    "ask for consent with name_to_government: true",
                )
            )
        written_in = case_language(case)
        victim = case["victims"][n.index] if isinstance(case.get("victims"), list) else {}
        if n.how == "full" and _needs_latin(victim):
            report.blocks.append(
                Gap(
                    f"victims[{n.index}].full_name_latin",
                    "the victim's name in Latin letters: an English document does not print "
                    "the Cyrillic name",
                )
            )
        for i, inc in enumerate(case.get("incidents") or []):
            if not isinstance(inc, dict) or n.victim_id not in (inc.get("victim_ids") or []):
                continue
            if n.how != "full" and not inc.get("narrative_public"):
                report.blocks.append(
                    Gap(
                        f"incidents[{i}].narrative_public",
                        "a sanitised account (no names) is needed when a victim is not named "
                        "in full",
                    )
                )
            elif account_en(inc, n.how == "full", written_in) is None and not any(
                is_encrypted(inc.get(k)) for k in ("narrative", "narrative_public")
            ):
                key = "narrative_public" if inc.get("narrative_public") else "narrative"
                report.blocks.append(
                    Gap(
                        missing_path(f"incidents[{i}].{key}", inc.get(key), "en"),
                        "the account in English: a UN document in English does not carry the "
                        "Russian text",
                    )
                )
    incidents = [i for i in case.get("incidents") or [] if isinstance(i, dict)]
    if not incidents:
        report.blocks.append(Gap("incidents", "what happened, when and where"))
    for i, inc in enumerate(incidents):
        if parse_date(inc.get("date_start")) is None:
            report.blocks.append(Gap(f"incidents[{i}].date_start", "the date of the incident"))
        if not inc.get("place_type"):
            report.blocks.append(Gap(f"incidents[{i}].place_type", "the place"))
    org = repo.organisations.get(str(case.get("member_org")))
    if not isinstance(org, dict) or not text_in(org.get("name"), "en"):
        report.blocks.append(
            Gap(
                f"{CONFIG_NAME}: organisations.{case.get('member_org')}.name",
                "the submitting organisation (the UN does not consider anonymous submissions)",
            )
        )

    first = min(
        (d for d in (parse_date(i.get("date_start")) for i in incidents) if d), default=None
    )
    done = done or remedies(case, fmt, today)
    state: Proceedings = done["state"]
    report.facts.append(f"domestic remedies: {done['status'].replace('_', ' ')}")
    report.facts.append(f"criminal proceedings: {done['criminal'].replace('_', ' ')}")
    comms = [c for c in case.get("un_communications") or [] if isinstance(c, dict)]
    decided = state.un_decided(BODIES[to])
    if decided is not None and to != "sr-torture":
        outcome = (decided.outcome or "a decision").replace("_", " ")
        report.blocks.append(
            Gap(
                decided.path,
                f"the {'Human Rights Committee' if to == 'hrc' else 'Committee against Torture'} "
                f"already decided this matter on {decided.decided_on or decided.since} "
                f"({outcome}{', ' + decided.comm_id if decided.comm_id else ''}): it does not "
                "examine it again; what remains is follow-up: the comments on the State's "
                f"follow-up (cattool letter CASE --to {to} --kind comments) and a request to "
                "implement the decision (cattool letter CASE --kind views)",
            )
        )
    if to == "sr-torture":
        risk = at_risk(case, today, state=state, recent_window=recent_days(repo))
        report.facts.append(
            "urgent appeal: " + "; ".join(risk)
            if risk
            else "allegation letter: no present risk recorded"
        )
        if first and (today - first).days > 730:
            report.warnings.append(
                Gap(
                    "incidents[0].date_start",
                    f"the incident is {(today - first).days // 365} years old: the Special "
                    "Rapporteur rarely takes up cases older than about two years",
                )
            )
        elif first and (today - first).days > 365:
            report.warnings.append(
                Gap(
                    "incidents[0].date_start",
                    "the incident is more than a year old: older cases are rarely taken up; say "
                    "why it is sent now",
                )
            )
        if any(c.get("body") == "sr_torture" for c in comms):
            report.warnings.append(
                Gap("un_communications", "the case was already sent to the Special Rapporteur")
            )
        return report

    # treaty bodies
    if done["status"] == "not_pursued":
        report.blocks.append(
            Gap(
                "legal_actions",
                "no complaint to the national authorities is recorded: domestic remedies must be "
                "exhausted, or shown to be ineffective, before a Committee examines the case",
            )
        )
    elif done["status"] == "refusal_not_appealed":
        report.blocks.append(
            Gap(
                "legal_actions",
                "the refusal has not been appealed: appeal it first (cattool letter --kind "
                "appeal) or explain why an appeal would be ineffective",
            )
        )
    elif done["status"] == "appeal_pending":
        appeal = state.criminal.appeal
        report.blocks.append(
            Gap(
                appeal.path if appeal else "legal_actions",
                "an appeal is pending"
                + (f" ({appeal.describe()})" if appeal else "")
                + ": domestic remedies are not exhausted; wait for its decision (record it with "
                "cattool event add) before a Committee is asked",
            )
        )
    elif done["status"] in ("awaiting_answer", "pending"):
        report.warnings.append(
            Gap(
                "legal_actions",
                "domestic remedies are not finished: the complaint must show they are ineffective "
                "or unreasonably prolonged",
            )
        )
    final_day = done["final_decision_on"]
    if to == "hrc" and final_day:
        years = (today - final_day).days / 365.25
        if years > 5:
            report.warnings.append(
                Gap(
                    "legal_actions",
                    f"the final domestic decision ({final_day.isoformat()}) is more than five "
                    "years old: the Committee may find the complaint an abuse of the right of "
                    "submission unless the delay is explained",
                )
            )
        elif years > 4.5:
            from cattool.procedure.deadlines import add_period

            report.warnings.append(
                Gap(
                    "legal_actions",
                    f"five years after the final domestic decision ({final_day.isoformat()}) "
                    "end on " + add_period(final_day, {"years": 5}).isoformat(),
                )
            )
    other = "cat" if to == "hrc" else "ccpr"
    for i, c in enumerate(comms):
        if c.get("body") == other or c.get("same_matter_elsewhere"):
            report.blocks.append(
                Gap(
                    f"un_communications[{i}]",
                    "the same matter is before another international procedure: a Committee will "
                    "not examine it",
                )
            )
        if c.get("body") == BODIES[to]:
            report.warnings.append(
                Gap(f"un_communications[{i}]", "the case was already sent to this Committee")
            )
    if country is not None and first:
        since = (country.raw.get("un") or {}).get(ACCEPTANCE[to], {}).get("since")
        if isinstance(since, dt.date) and first < since and to in ACCEPTANCE:
            report.warnings.append(
                Gap(
                    "incidents[0].date_start",
                    f"the incident ({first.isoformat()}) is before the State accepted the "
                    f"procedure ({since.isoformat()}): show that the violation continued after",
                )
            )
    return report


# --- the document --------------------------------------------------------------------------------


def choose_articles(
    case: dict[str, Any],
    to: str,
    fmt: CaseFormat,
    today: dt.date,
    done: dict[str, Any] | None = None,
) -> list[str]:
    """Treaty articles the facts and the proceedings support (codes of the un_article vocabulary).

    Human Rights Committee: 6 for a death, 7 always (with 2(3) while the remedies failed: no
    conviction, or compensation still not adequate), 9 and 10 only for a person deprived of
    liberty (9 where the detention went unrecorded or without a lawyer), 14(3)(g) for a forced
    confession used against the victim (charged: held for trial or serving a sentence).
    Committee against Torture: 1 and 2 for torture (16 for other ill-treatment, and in the
    alternative: ``alternative_article``), 12 and 13 while no one was convicted, 14 when redress
    is sought or was not given, 15 for a forced confession used against the victim.
    """
    from cattool.procedure.situation import incident_deprived

    done = done or remedies(case, fmt, today)
    state: Proceedings = done["state"]
    incidents = [i for i in case.get("incidents") or [] if isinstance(i, dict)]
    victims = {str(v.get("victim_id")): v for v in case.get("victims") or [] if isinstance(v, dict)}
    torture = case.get("violation_type") in ("torture", "death_in_custody")
    died = any(v.died_in_custody or v.deceased for v in state.victims)
    # a confession forced out of a victim counts under ICCPR 14 (3) (g) and CAT 15 once it was
    # used against them: they were charged and are held for trial or serving a sentence
    forced = any(
        v.forced_statement
        and victims.get(v.victim_id, {}).get("current_status")
        in ("pretrial_detention", "serving_sentence")
        for v in state.victims
    )
    deprived = any(
        incident_deprived(inc, victims[vid]) is True
        for inc in incidents
        for vid in inc.get("victim_ids") or []
        if vid in victims
    )
    unrecorded = any(
        i.get("de_facto_detention_at")
        and i.get("detention_recorded_at")
        and str(i["detention_recorded_at"]) > str(i["de_facto_detention_at"])
        for i in incidents
    )
    no_lawyer = any(i.get("lawyer_access") in ("late", "none_permitted") for i in incidents)
    convicted = state.criminal.convicted
    civil = state.civil.stage.value
    redress_sought = civil != "none" or not convicted
    redress_given = civil == "paid"
    if to == "hrc":
        arts = []
        if died:
            arts.append("ICCPR-6")
        arts.append("ICCPR-7")
        if not convicted or not redress_given:
            arts.insert(len(arts) - 1, "ICCPR-2.3")
        if deprived and (unrecorded or no_lawyer):
            arts.append("ICCPR-9")
        if deprived:
            arts.append("ICCPR-10")
        if forced:
            arts.append("ICCPR-14.3g")
        return arts
    arts = ["CAT-1", "CAT-2"] if torture else ["CAT-16"]
    if not convicted:
        arts += ["CAT-12", "CAT-13"]
    if redress_sought and not redress_given:
        arts.append("CAT-14")
    if forced:
        arts.append("CAT-15")
    return arts


SEVERITY_SHOWN = ("highly_consistent", "typical", "diagnostic")


def alternative_article(case: dict[str, Any], codes: list[str]) -> str | None:
    """Article 16 of the Convention, pleaded in the alternative to article 1, where the severity
    that makes ill-treatment torture is not yet established: the coalition has not confirmed the
    allegation, or no medical finding is at least highly consistent with it (Istanbul Protocol
    scale). The Committee may then still find cruel, inhuman or degrading treatment."""
    if "CAT-1" not in codes or "CAT-16" in codes:
        return None
    findings = [
        m.get("overall_consistency")
        for m in case.get("medical_evidence") or []
        if isinstance(m, dict)
    ]
    confirmed = case.get("confirmation") == "confirmed"
    if confirmed and any(f in SEVERITY_SHOWN for f in findings):
        return None
    return "CAT-16"


def plan_un(
    case: dict[str, Any],
    fmt: CaseFormat,
    repo: CaseRepo,
    *,
    to: str,
    today: dt.date,
    force_kind: str | None = None,
    annexes: tuple[str, ...] = (),
) -> tuple[LetterPlan, Readiness]:
    done = remedies(case, fmt, today)  # once for the whole document
    readiness = un_readiness(case, fmt, repo, to, today, done)
    shown_names = {n.victim_id: n.shown for n in naming(case, to)[0]}
    risk = at_risk(case, today, shown_names, state=done["state"], recent_window=recent_days(repo))
    if to == "sr-torture":
        kind = force_kind or ("urgent-appeal" if risk else "allegation-letter")
        why = (
            "forced with --urgent/--allegation"
            if force_kind
            else ("; ".join(risk) if risk else "the case records no present risk to the victim")
        )
    else:
        kind = "complaint"
        why = ""
    plan = LetterPlan(kind, str(case.get("case_id")), str(case.get("country")), recipient=to)
    plan.addressee_slug = to
    plan.gaps = list(readiness.blocks)
    plan.warnings = [str(w) for w in readiness.warnings]
    if (later := later_events_warning(done["state"].later, today)) is not None:
        plan.warnings.append(later)
    if plan.gaps:
        return plan, readiness
    plan.contexts["en"] = _context(case, fmt, repo, to, kind, why, risk, today, annexes, done)
    unnamed = _unnamed_authorities(case, fmt, done)
    if unnamed:
        plan.warnings.append(
            f"{len(unnamed)} authorit{'y is' if len(unnamed) == 1 else 'ies are'} named only by "
            "kind ('court', 'district procuracy'): give the English name so that the Committee "
            "sees which court decided ("
            + ", ".join(unnamed[:4])
            + (", ..." if len(unnamed) > 4 else "")
            + ")"
        )
    victims = [n.victim_id for n in naming(case, to)[0]]
    plan.record = {
        "body": BODIES[to],
        "kind": {
            "urgent-appeal": "urgent_appeal_request",
            "allegation-letter": "allegation_request",
            "complaint": "individual_complaint",
        }[kind],
        "submitted_on": today,
        "language": "en",
        "victim_ids": victims,
        **(
            {
                "articles": plan.contexts["en"]["article_codes"],
                "interim_measures_requested": bool(risk),
                "domestic_remedies": {
                    "status": {
                        "exhausted": "exhausted",
                        "pending": "pending",
                        "appeal_pending": "pending",
                    }.get(done["status"], "ineffective")
                },
            }
            if to != "sr-torture"
            else {}
        ),
    }
    return plan, readiness


def _unnamed_authorities(case: dict[str, Any], fmt: CaseFormat, done: dict[str, Any]) -> list[str]:
    """The YAML paths of events whose authority an English document can name only by its kind:
    no office of the country data, no English name."""
    country = fmt.countries.get(str(case.get("country")))
    written_in = case_language(case)
    found = []
    for e in done["events"]:
        authority = mapping(e.raw.get("authority"))
        office = country.offices.get(str(authority.get("office"))) if country else None
        if office is not None or in_language(authority.get("name"), "en", written_in):
            continue
        if authority.get("name") is not None:
            found.append(missing_path(f"{e.path}.authority.name", authority.get("name"), "en"))
    return found


def _nationality(fmt: CaseFormat, code: Any) -> str | None:
    if not code:
        return None
    country = fmt.countries.get(str(code))
    if country is None:
        return str(code)
    stated = country.raw.get("nationality")  # "Kyrgyz", not "Kyrgyzstan"
    if isinstance(stated, dict) and isinstance(stated.get("en"), str):
        return str(stated["en"])
    return country.name.get("en", str(code))


def _context(
    case: dict[str, Any],
    fmt: CaseFormat,
    repo: CaseRepo,
    to: str,
    kind: str,
    why: str,
    risk: list[str],
    today: dt.date,
    annexes: tuple[str, ...],
    done: dict[str, Any],
) -> dict[str, Any]:
    from cattool.rendering import lower_first

    vocab = fmt.vocabularies

    def label(vocabulary: str, value: Any) -> str:
        return lower_first(vocab[vocabulary].label(str(value), "en")) if value else ""

    country = fmt.countries.get(str(case.get("country")))
    written_in = case_language(case)

    def en(value: Any) -> str:
        return in_language(value, "en", written_in) or ""

    state: Proceedings = done["state"]
    names, _ = naming(case, to)
    by_id = {n.victim_id: n for n in names}
    victims = []
    for victim in (v for v in case.get("victims") or [] if isinstance(v, dict)):
        n = by_id.get(str(victim.get("victim_id")))
        if n is None:
            continue
        full = n.how == "full"
        birth = parse_date(victim.get("date_of_birth"))
        situation = state.victim(n.victim_id)
        victims.append(
            {
                "id": n.victim_id,
                "name": english_name(victim) if full else n.shown,
                "deceased": bool(situation and situation.deceased),
                "died_on": situation.date_of_death.isoformat()
                if situation and situation.date_of_death
                else None,
                "died_in_custody": bool(situation and situation.died_in_custody),
                "held_now": bool(situation and situation.held_now),
                "minor": bool(situation and situation.minor_at_incident),
                "named": n.how,
                "sex": label("sex", victim.get("sex")),
                "born": birth.isoformat() if (birth and full) else None,
                "age_group": label("age_group", victim.get("age_group")),
                "citizenship": _nationality(fmt, victim.get("citizenship")) if full else None,
                "publish": published_as(case, n.victim_id, to),
                "occupation": (en(victim.get("occupation")) or None) if full else None,
                "status_at_incident": label("status_at_incident", victim.get("status_at_incident")),
                "current_status": label("current_status", victim.get("current_status")),
                "vulnerabilities": [
                    label("vulnerability", x) for x in victim.get("vulnerabilities") or []
                ],
            }
        )
    all_full = all(n.how == "full" for n in names)
    perpetrators = [p for p in case.get("perpetrators") or [] if isinstance(p, dict)]
    incidents = []
    for inc in sorted(
        (i for i in case.get("incidents") or [] if isinstance(i, dict)),
        key=lambda i: str(i.get("date_start", "")),
    ):
        region = (country.regions.get(str(inc.get("region"))) or {}).get("en") if country else None
        place = [label("place_type", inc.get("place_type"))]
        if all_full and en(inc.get("place_name")):
            place.append(en(inc.get("place_name")))
        place += [en(inc.get("settlement")), region or ""]
        shown_by_id = {
            n.victim_id: (english_name(case["victims"][n.index]) if n.how == "full" else n.shown)
            for n in names
        }
        incidents.append(
            {
                "when": when_text(inc, "en"),
                "victims": [shown_by_id[v] for v in inc.get("victim_ids") or [] if v in by_id],
                "place": place_text([p for p in place if p and p != "Region not known"]),
                "detained_at": moment_text(inc.get("de_facto_detention_at"), "en"),
                "recorded_at": moment_text(inc.get("detention_recorded_at"), "en"),
                "context": label("context", inc.get("context"))
                if inc.get("context") not in PLACEHOLDERS
                else "",
                "purpose": [
                    label("purpose", x) for x in inc.get("purpose") or [] if x not in PLACEHOLDERS
                ],
                "methods": [
                    label("method", x) for x in inc.get("methods") or [] if x not in PLACEHOLDERS
                ],
                "injuries": en(inc.get("injuries")),
                "forced_statement": label("forced_statement", inc.get("forced_statement"))
                if inc.get("forced_statement") not in PLACEHOLDERS
                else "",
                "lawyer_access": label("lawyer_access", inc.get("lawyer_access"))
                if inc.get("lawyer_access") not in PLACEHOLDERS
                else "",
                "family_notified": inc.get("family_notified"),
                "account": account_en(inc, all_full, written_in) or "",
                "perpetrators": [
                    ", ".join(
                        x
                        for x in (
                            # an English document never prints a Cyrillic name
                            str(p["name"])
                            if (p.get("name") and all_full and not has_cyrillic(str(p["name"])))
                            else "",
                            en(p.get("rank_position")),
                            en(p.get("unit")),
                            label("agency", p.get("agency")),
                        )
                        if x
                    )
                    for p in perpetrators
                    if not p.get("incident_ids")
                    or inc.get("incident_id") in (p.get("incident_ids") or [])
                ],
            }
        )
    medical = [
        {
            "type": label("evidence_type", m.get("type")),
            "date": m.get("examined_on") or m.get("requested_on"),
            "ordered_by": ("the " + label("ordered_by", m.get("ordered_by")))
            if m.get("ordered_by")
            else "",
            "harm_grade": label("harm_grade", m.get("domestic_harm_grade")),
            "independent": mapping(m.get("examiner")).get("independent"),
            "ip_compliant": label("ip_compliance", m.get("ip_compliant")),
            "consistency": consistency_phrase(
                m.get("overall_consistency"), lambda v, c, lang: vocab[v].label(str(c), lang), "en"
            ),
        }
        for m in case.get("medical_evidence") or []
        if isinstance(m, dict)
    ]
    first_complaint = state.criminal.complaint
    remedy_rows = []
    for e in done["events"]:
        if e.type in ("reprisal", "other"):
            continue
        annulled = state.criminal.annulled(e)
        outcome = label("refusal_grounds", e.grounds) if e.grounds and e.grounds != "other" else ""
        if annulled is not None:
            outcome = _join(outcome, f"set aside on {annulled.by.date.isoformat()}")
        if e.outcome:
            outcome = _join(outcome, label("appeal_outcome", e.outcome))
        remedy_rows.append(
            {
                "date": e.date.isoformat(),
                "step": vocab["event_type"].label(e.type, "en"),
                "authority": authority_name(e.raw, country, "en", written_in),
                "reference": e.raw.get("their_ref") or e.raw.get("our_ref") or "",
                "outcome": outcome,
            }
        )
    org = mapping(repo.organisations.get(str(case.get("member_org"))))
    signatory = mapping(org.get("signatory"))
    codes = choose_articles(case, to, fmt, today, done) if to != "sr-torture" else []
    alt = alternative_article(case, codes) if to == "cat" else None
    consent_lines = []
    for n in names:
        records = _consents(case, n.victim_id, SCOPES[to])
        giver = consent_giver(case, n.victim_id, SCOPES[to])
        public = published_as(case, n.victim_id, to)
        consent_lines.append(
            {
                "who": n.shown,
                "form": label("consent_form", records[0].get("form")) if records else "",
                "given_on": str(records[0].get("given_on")) if records else "",
                "to_government": n.how == "full",
                "public": {"full": "by full name", "initials": "by initials only"}.get(
                    str(public), "not by name"
                ),
                "given_by_other": bool(giver and giver.role != "victim"),
                "given_by": _giver_words(giver, any(v["deceased"] for v in victims)),
                "written": bool(records and records[0].get("form") == "written"),
            }
        )
    return {
        "to": to,
        "kind": kind,
        "why": why,
        "violation": {
            "torture": "torture",
            "cidt": "cruel, inhuman or degrading treatment",
            "threat": "threat of torture",
            "death_in_custody": "death in custody",
        }.get(str(case.get("violation_type")), "ill-treatment"),
        "risk": risk,
        "any_held": any(v["held_now"] for v in victims),
        "any_deceased": any(v["deceased"] for v in victims),
        "convicted": state.criminal.convicted,
        "domestic_record": domestic_record(state, country),
        "criminal_stage": state.criminal.stage.value.replace("_", " "),
        "civil_stage": state.civil.stage.value,
        "compensation": _amount(state),
        "today": today,
        "case_id": case.get("case_id"),
        "country": country.name.get("en") if country else case.get("country"),
        "victims": victims,
        "all_named": all_full,
        "incidents": incidents,
        "medical": medical,
        "remedies": {
            "status": done["status"].replace("_", " "),
            "rows": remedy_rows,
            "final_decision_on": done["final_decision_on"].isoformat()
            if done["final_decision_on"]
            else None,
            "first_complaint": first_complaint.date.isoformat() if first_complaint else None,
            "years": _years(first_complaint.date, today) if first_complaint else None,
        },
        "organisation": {
            "name": text_in(org.get("name"), "en"),
            "address": text_in(org.get("address"), "en"),
            "email": text_in(org.get("email"), "en"),
            "phone": text_in(org.get("phone"), "en"),
            "may_be_named": bool(case.get("org_may_be_named")),
        },
        "signatory": {
            "name": text_in(signatory.get("name"), "en"),
            "position": text_in(signatory.get("position"), "en"),
        },
        "article_codes": codes,
        "articles": [article_phrase(c, vocab["un_article"].label(c, "en")) for c in codes]
        + (
            [
                article_phrase(alt, vocab["un_article"].label(alt, "en"))
                + ", in the alternative to article 1"
            ]
            if alt
            else []
        ),
        "articles_violated": articles_sentence(codes)
        + (f", or, in the alternative to article 1, {articles_sentence([alt])}" if alt else ""),
        "interim_measures": bool(risk),
        "other_procedures": [
            vocab["un_body"].label(str(c.get("body")), "en")
            for c in case.get("un_communications") or []
            if isinstance(c, dict) and c.get("body") != BODIES[to]
        ],
        "consent": consent_lines,
        "annexes": list(annexes),
    }


def _join(*parts: str) -> str:
    return "; ".join(p for p in parts if p)


def _amount(state: Proceedings) -> str | None:
    found = state.civil.amount
    if found is None:
        return None
    value, currency = found
    return f"{value:,.0f} {currency or ''}".strip()


def _years(start: dt.date, end: dt.date) -> str:
    """'more than three years' / 'eight months': how long the proceedings have lasted."""
    from cattool.dates import age_on

    years = age_on(start, end)
    if years >= 1:
        words = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five"}.get(years, str(years))
        return f"more than {words} year{'s' if years > 1 else ''}"
    months = (end.year - start.year) * 12 + end.month - start.month
    return f"{max(months, 1)} month{'s' if months != 1 else ''}"


def _article_number(code: str) -> str:
    """'ICCPR-14.3g' -> '14 (3) (g)', 'CAT-12' -> '12'."""
    import re

    number = code.split("-", 1)[1]
    match = re.fullmatch(r"(\d+)(?:\.(\d+))?([a-z])?", number)
    if not match:
        return number
    main, paragraph, letter = match.groups()
    return main + (f" ({paragraph})" if paragraph else "") + (f" ({letter})" if letter else "")


def _treaty(code: str) -> str:
    return "the Covenant" if code.startswith("ICCPR") else "the Convention"


def article_phrase(code: str, label: str) -> str:
    """'article 7 of the Covenant (torture)', as a complaint lists what was violated."""
    topic = label[label.rfind("(") :] if label.endswith(")") else ""
    return f"article {_article_number(code)} of {_treaty(code)} {topic}".strip()


def articles_sentence(codes: list[str]) -> str:
    """'articles 2 (3), 7 and 10 of the Covenant'; with the Covenant's article 2 (3), the
    substantive articles read alone and in conjunction with it: 'articles 6 and 7, read alone
    and in conjunction with article 2 (3), and article 10 of the Covenant'."""
    from cattool.rendering import join_words

    def listed(numbers: list[str]) -> str:
        word = "article" if len(numbers) == 1 else "articles"
        return f"{word} {join_words(numbers, 'en')}"

    if not codes:
        return ""
    treaty = _treaty(codes[0])
    if "ICCPR-2.3" in codes:
        core = [_article_number(c) for c in codes if c in ("ICCPR-6", "ICCPR-7")]
        rest = [_article_number(c) for c in codes if c not in ("ICCPR-6", "ICCPR-7", "ICCPR-2.3")]
        if core:
            joined = f"{listed(core)}, read alone and in conjunction with article 2 (3)"
            return f"{joined}, and {listed(rest)} of {treaty}" if rest else f"{joined}, of {treaty}"
    return f"{listed([_article_number(c) for c in codes])} of {treaty}"


def _giver_words(giver: Any, deceased: bool) -> str:
    """'the victim's mother', 'a parent or guardian of the victim': who consented, in English."""
    if giver is None or giver.role == "victim":
        return "the victim"
    whose = "the deceased's" if deceased else "the victim's"
    if giver.relationship:
        return f"{whose} {giver.relationship}"
    return {
        "guardian": "a parent or guardian of the victim",
        "relative": f"a relative of {'the deceased' if deceased else 'the victim'}",
    }.get(giver.role, "the victim's representative")
