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

from cattool.dates import parse_date
from cattool.letters.procuracy import (
    REFUSALS,
    Gap,
    LetterPlan,
    _mapping,
    _moment,
    _when,
    consistency_phrase,
    text_in,
)
from cattool.procedure import STAGES, stage_reached
from cattool.repo import CONFIG_NAME, CaseRepo
from cattool.validation import CaseFormat

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
            how, shown = "full", str(victim.get("full_name") or "")
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


def at_risk(case: dict[str, Any], today: dt.date, names: dict[str, str] | None = None) -> list[str]:
    """Why the victim is at risk now (an urgent appeal); empty if the case shows no risk.

    At risk: still detained by the agency of alleged perpetrators who remain in post, a high risk
    of reprisals recorded, or a reprisal recorded in the last six months.
    """
    reasons = []
    perpetrators = [p for p in case.get("perpetrators") or [] if isinstance(p, dict)]
    for victim in (v for v in case.get("victims") or [] if isinstance(v, dict)):
        label = (names or {}).get(str(victim.get("victim_id"))) or str(victim.get("victim_id"))
        status = victim.get("current_status")
        holders = [
            p
            for p in perpetrators
            if p.get("agency") in HOLDERS.get(str(status), ())
            and p.get("post_status") in (None, "in_post")
        ]
        if holders:
            reasons.append(
                f"{label} is still detained ({str(status).replace('_', ' ')}) by the agency of "
                "alleged perpetrators who remain in post"
            )
        if victim.get("reprisal_risk") == "high":
            reasons.append(f"the case records a high risk of reprisals against {label}")
    for event in (e for e in case.get("legal_actions") or [] if isinstance(e, dict)):
        day = parse_date(event.get("date"))
        if event.get("type") == "reprisal" and day and (today - day).days <= RECENT_REPRISAL_DAYS:
            reasons.append(f"a reprisal was recorded on {day.isoformat()}")
    return reasons


def remedies(case: dict[str, Any], fmt: CaseFormat) -> dict[str, Any]:
    """What was done at home and how it ended, read from the timeline.

    status: not_pursued (no complaint), refusal_not_appealed, appeal_pending, exhausted (the
    last refusal was appealed and the appeal decided, or a court gave judgment), pending (a
    criminal case or trial under way), or ineffective (complaints without a decision).
    ``final_decision_on`` is the date of the decision that ended the domestic road, if any.
    """
    events = sorted(
        (e for e in case.get("legal_actions") or [] if isinstance(e, dict)),
        key=lambda e: str(e.get("date", "")),
    )
    country = fmt.countries.get(str(case.get("country")))
    stage = stage_reached(case, country).stage
    complained = any(e.get("type") in ("complaint_sent", "reminder_sent") for e in events)
    refusals = [e for e in events if e.get("type") in REFUSALS and parse_date(e.get("date"))]
    verdicts = [e for e in events if e.get("type") in ("conviction", "acquittal")]
    final: dt.date | None = None
    if not complained and not refusals:
        status = "not_pursued"
    elif refusals:
        last = refusals[-1]
        day = parse_date(last.get("date"))
        assert day is not None
        appeals = [
            e
            for e in events
            if e.get("type") == "appeal_filed"
            and (
                e.get("responds_to") == last.get("event_id")
                if e.get("responds_to")
                else (parse_date(e.get("date")) or dt.date.min) >= day
            )
        ]
        if not appeals:
            status = "refusal_not_appealed"
        else:
            first_appeal = min(parse_date(a.get("date")) or day for a in appeals)
            decided = [
                d
                for d in (
                    parse_date(e.get("date")) for e in events if e.get("type") == "appeal_decided"
                )
                if d and d >= first_appeal
            ]
            annulled = any(
                e.get("type") == "decision_annulled" and (parse_date(e.get("date")) or day) >= day
                for e in events
            )
            if annulled:
                status = "pending"  # the refusal was set aside: the case goes on at home
            elif decided:
                status, final = "exhausted", max(decided)
            else:
                status = "appeal_pending"
    elif verdicts:
        status, final = "exhausted", parse_date(verdicts[-1].get("date"))
    elif stage in ("investigation_opened", "sent_to_court"):
        status = "pending"
    else:
        status = "ineffective"
    return {"status": status, "stage": stage, "final_decision_on": final, "events": events}


def un_readiness(
    case: dict[str, Any], fmt: CaseFormat, repo: CaseRepo, to: str, today: dt.date
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
        if n.how != "full":
            for i, inc in enumerate(i for i in case.get("incidents") or [] if isinstance(i, dict)):
                if n.victim_id in (inc.get("victim_ids") or []) and not inc.get("narrative_public"):
                    report.blocks.append(
                        Gap(
                            f"incidents[{i}].narrative_public",
                            "a sanitised account (no names) is needed when a victim is not named "
                            "in full",
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
    done = remedies(case, fmt)
    report.facts.append(f"domestic remedies: {done['status'].replace('_', ' ')}")
    comms = [c for c in case.get("un_communications") or [] if isinstance(c, dict)]
    if to == "sr-torture":
        risk = at_risk(case, today)
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
    elif done["status"] in ("ineffective", "pending", "appeal_pending"):
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


def choose_articles(case: dict[str, Any], to: str, fmt: CaseFormat) -> list[str]:
    """Treaty articles the facts of the case support (codes of the un_article vocabulary)."""
    incidents = [i for i in case.get("incidents") or [] if isinstance(i, dict)]
    torture = case.get("violation_type") in ("torture", "death_in_custody")
    forced = any(i.get("forced_statement") == "forced_to_sign" for i in incidents)
    detained = any(
        i.get("de_facto_detention_at") or i.get("place_type") in DETENTION_PLACES for i in incidents
    )
    unrecorded = any(
        i.get("de_facto_detention_at")
        and i.get("detention_recorded_at")
        and str(i["detention_recorded_at"]) > str(i["de_facto_detention_at"])
        for i in incidents
    )
    no_lawyer = any(i.get("lawyer_access") in ("late", "none_permitted") for i in incidents)
    done = remedies(case, fmt)
    no_investigation = STAGES.index(done["stage"]) < STAGES.index("sent_to_court")
    compensated = any(
        e.get("type") == "compensation_awarded"
        for e in case.get("legal_actions") or []
        if isinstance(e, dict)
    )
    if to == "hrc":
        arts = ["ICCPR-7"]
        if no_investigation:
            arts.insert(0, "ICCPR-2.3")
        if unrecorded or no_lawyer:
            arts.append("ICCPR-9")
        if detained:
            arts.append("ICCPR-10")
        if forced:
            arts.append("ICCPR-14.3g")
        return arts
    arts = ["CAT-1", "CAT-2"] if torture else ["CAT-16"]
    if no_investigation:
        arts += ["CAT-12", "CAT-13"]
    if not compensated:
        arts.append("CAT-14")
    if forced:
        arts.append("CAT-15")
    return arts


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
    readiness = un_readiness(case, fmt, repo, to, today)
    shown_names = {n.victim_id: n.shown for n in naming(case, to)[0]}
    risk = at_risk(case, today, shown_names)
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
    if plan.gaps:
        return plan, readiness
    plan.contexts["en"] = _context(case, fmt, repo, to, kind, why, risk, today, annexes)
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
                    "status": {"exhausted": "exhausted", "pending": "pending"}.get(
                        remedies(case, fmt)["status"], "ineffective"
                    )
                },
            }
            if to != "sr-torture"
            else {}
        ),
    }
    return plan, readiness


def _nationality(fmt: CaseFormat, code: Any) -> str | None:
    if not code:
        return None
    country = fmt.countries.get(str(code))
    return country.name.get("en", str(code)) if country else str(code)


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
) -> dict[str, Any]:
    from cattool.rendering import lower_first

    vocab = fmt.vocabularies

    def label(vocabulary: str, value: Any) -> str:
        return lower_first(vocab[vocabulary].label(str(value), "en")) if value else ""

    country = fmt.countries.get(str(case.get("country")))
    names, _ = naming(case, to)
    by_id = {n.victim_id: n for n in names}
    victims = []
    for victim in (v for v in case.get("victims") or [] if isinstance(v, dict)):
        n = by_id.get(str(victim.get("victim_id")))
        if n is None:
            continue
        full = n.how == "full"
        birth = parse_date(victim.get("date_of_birth"))
        victims.append(
            {
                "id": n.victim_id,
                "name": n.shown,
                "named": n.how,
                "sex": label("sex", victim.get("sex")),
                "born": birth.isoformat() if (birth and full) else None,
                "age_group": label("age_group", victim.get("age_group")),
                "citizenship": _nationality(fmt, victim.get("citizenship")) if full else None,
                "publish": next(
                    (
                        c.get("name_in_public_reports")
                        for c in _consents(case, n.victim_id, SCOPES[to])
                        if c.get("name_in_public_reports")
                    ),
                    "none",
                ),
                "occupation": victim.get("occupation") if full else None,
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
        if all_full and inc.get("place_name"):
            place.append(str(inc["place_name"]))
        place += [str(inc.get("settlement") or ""), region or ""]
        incidents.append(
            {
                "when": _when(inc, "en"),
                "victims": [by_id[v].shown for v in inc.get("victim_ids") or [] if v in by_id],
                "place": ", ".join(
                    dict.fromkeys(p for p in place if p and p != "Region not known")
                ),
                "detained_at": _moment(inc.get("de_facto_detention_at"), "en"),
                "recorded_at": _moment(inc.get("detention_recorded_at"), "en"),
                "context": label("context", inc.get("context")),
                "purpose": [label("purpose", x) for x in inc.get("purpose") or []],
                "methods": [label("method", x) for x in inc.get("methods") or []],
                "injuries": inc.get("injuries"),
                "forced_statement": label("forced_statement", inc.get("forced_statement")),
                "lawyer_access": label("lawyer_access", inc.get("lawyer_access")),
                "family_notified": inc.get("family_notified"),
                "account": str(
                    (inc.get("narrative") if all_full else inc.get("narrative_public")) or ""
                ).strip(),
                "perpetrators": [
                    ", ".join(
                        x
                        for x in (
                            str(p["name"]) if (p.get("name") and all_full) else "",
                            str(p.get("rank_position") or ""),
                            str(p.get("unit") or ""),
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
            "independent": _mapping(m.get("examiner")).get("independent"),
            "ip_compliant": label("ip_compliance", m.get("ip_compliant")),
            "consistency": consistency_phrase(
                m.get("overall_consistency"), lambda v, c, lang: vocab[v].label(str(c), lang), "en"
            ),
        }
        for m in case.get("medical_evidence") or []
        if isinstance(m, dict)
    ]
    done = remedies(case, fmt)
    remedy_rows = [
        {
            "date": str(e.get("date")),
            "step": vocab["event_type"].label(str(e.get("type")), "en"),
            "authority": _mapping(e.get("authority")).get("name") or "",
            "reference": e.get("their_ref") or e.get("our_ref") or "",
            "outcome": label("refusal_grounds", e.get("grounds")) if e.get("grounds") else "",
        }
        for e in done["events"]
        if e.get("type") not in ("reprisal", "other")
    ]
    org = _mapping(repo.organisations.get(str(case.get("member_org"))))
    signatory = _mapping(org.get("signatory"))
    codes = choose_articles(case, to, fmt) if to != "sr-torture" else []
    consent_lines = []
    for n in names:
        records = _consents(case, n.victim_id, SCOPES[to])
        public = next(
            (c.get("name_in_public_reports") for c in records if c.get("name_in_public_reports")),
            "none",
        )
        consent_lines.append(
            {
                "who": n.shown,
                "form": label("consent_form", records[0].get("form")) if records else "",
                "given_on": str(records[0].get("given_on")) if records else "",
                "to_government": n.how == "full",
                "public": {"full": "by full name", "initials": "by initials only"}.get(
                    str(public), "not by name"
                ),
                "given_by_other": bool(records and records[0].get("given_by")),
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
        "articles": [vocab["un_article"].label(c, "en") for c in codes],
        "interim_measures": bool(risk),
        "other_procedures": [
            vocab["un_body"].label(str(c.get("body")), "en")
            for c in case.get("un_communications") or []
            if isinstance(c, dict) and c.get("body") != BODIES[to]
        ],
        "consent": consent_lines,
        "annexes": list(annexes),
    }
