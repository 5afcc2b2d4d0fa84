"""What a letter to the procuracy says, worked out from a case, before any template runs.

``plan_letter`` reads the case, the country data and the repository's settings and returns a
``LetterPlan``: everything the letter needs, language by language, and the list of what is
missing (``gaps``) with the YAML path to fill in. Rendering refuses a plan with gaps, so a letter
never goes out with an empty place or a wrong article.

Three kinds of letter:

complaint   the report of a crime (torture) that opens the procedure
reminder    the procuracy has not answered a complaint within the legal time (country data)
appeal      to the higher prosecutor, against a refusal to register or to open a criminal case
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from cattool.checks import child_victims
from cattool.countries import CountryData
from cattool.dates import parse_date
from cattool.procedure.deadlines import Deadline, overdue
from cattool.repo import CONFIG_NAME, CaseRepo
from cattool.validation import CaseFormat

KINDS = ("complaint", "reminder", "appeal")
LANGS = ("ru", "en")
REFUSALS = ("refusal_to_open", "registration_refused", "investigation_discontinued")
REQUESTS = ("complaint_sent", "reminder_sent")
HIGHER_LEVEL = {"district": "regional", "city": "regional", "regional": "general"}
RECORD_EVENT = {
    "complaint": "complaint_sent",
    "reminder": "reminder_sent",
    "appeal": "appeal_filed",
}


@dataclass(frozen=True)
class Gap:
    where: str  # a YAML path in the case, or "cattool.yaml: organisations.vof.name"
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


@dataclass
class LetterPlan:
    kind: str
    case_id: str
    country: str
    recipient: str = "procuracy"  # or sr-torture, hrc, cat
    gaps: list[Gap] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    office_id: str | None = None
    addressee_slug: str = "procuracy"
    record: dict[str, Any] = field(default_factory=dict)  # the event --record would add
    contexts: dict[str, dict[str, Any]] = field(default_factory=dict)  # lang -> template context


def text_in(value: Any, lang: str) -> str | None:
    """A setting that is either one text or {ru: ..., en: ...}; None if it is not there."""
    if isinstance(value, dict):
        chosen = value.get(lang) or value.get("ru") or value.get("en")
        return str(chosen) if chosen else None
    return str(value) if value not in (None, "") else None


def _office_lines(office: dict[str, Any], lang: str) -> dict[str, Any]:
    return {
        "head": text_in(office.get("head"), lang) or text_in(office.get("name"), lang),
        "name": text_in(office.get("name"), lang),
        "address": text_in(office.get("address"), lang),
    }


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
) -> LetterPlan:
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

    # --- what the letter is about -------------------------------------------------------------
    incidents = [i for i in case.get("incidents") or [] if isinstance(i, dict)]
    victims = [v for v in case.get("victims") or [] if isinstance(v, dict)]
    if not incidents:
        plan.gaps.append(Gap("incidents", "no incident is described; add what happened"))
    if not victims:
        plan.gaps.append(Gap("victims", "no victim is named"))
    for i, inc in enumerate(incidents):
        if parse_date(inc.get("date_start")) is None:
            plan.gaps.append(Gap(f"incidents[{i}].date_start", "the date of the incident"))
        if not inc.get("place_type") or inc.get("place_type") == "unknown":
            plan.gaps.append(Gap(f"incidents[{i}].place_type", "the place of the incident"))
        if not inc.get("methods"):
            plan.gaps.append(Gap(f"incidents[{i}].methods", "what was done to the victim"))
        if not inc.get("narrative"):
            plan.gaps.append(Gap(f"incidents[{i}].narrative", "the account of what happened"))
    first_date = min(
        (d for d in (parse_date(i.get("date_start")) for i in incidents) if d), default=None
    )

    # --- consent: a letter to the authorities names the victim --------------------------------
    children = child_victims(case)
    for index, victim in enumerate(victims):
        vid = victim.get("victim_id")
        if not victim.get("full_name"):
            plan.gaps.append(Gap(f"victims[{index}].full_name", "the victim's full name"))
        records = [
            c
            for c in case.get("consent") or []
            if isinstance(c, dict) and c.get("person_id") == vid and not c.get("withdrawn_on")
        ]
        allowed = [
            c
            for c in records
            if "domestic_complaint" in (c.get("scopes") or []) and c.get("name_to_government")
        ]
        if not allowed:
            plan.gaps.append(
                Gap(
                    "consent",
                    f"no consent of {vid} to a complaint to the authorities that may name them "
                    "(scopes: domestic_complaint, name_to_government: true)",
                )
            )
        elif vid in children and not any(c.get("given_by") for c in allowed):
            plan.gaps.append(Gap("consent", f"{vid} is a child: record who gave consent"))

    # --- legal qualification -------------------------------------------------------------------
    torture = country.torture_article(first_date) if first_date else None
    if first_date and torture is None:
        plan.gaps.append(
            Gap(
                "incidents[0].date_start",
                f"no torture article of {country_code} in force on {first_date} in the country "
                f"data (schemas/countries/{country_code}.yaml)",
            )
        )
    elif torture and not torture[1].verified:
        plan.warnings.append(
            f"check the article: {torture[0].code} art. {torture[1].article} is marked "
            f"'verified: false' in schemas/countries/{country_code}.yaml"
        )

    # --- the applicant: the member organisation -----------------------------------------------
    org_code = str(case.get("member_org", ""))
    org = repo.organisations.get(org_code) or {}
    if not isinstance(org, dict):
        org = {}
    for key, what in (("name", "name"), ("address", "postal address")):
        if not text_in(org.get(key), "ru"):
            plan.gaps.append(
                Gap(f"{CONFIG_NAME}: organisations.{org_code}.{key}", f"the applicant's {what}")
            )
    signatory: dict[str, Any] = _mapping(org.get("signatory"))
    if not text_in(signatory.get("name"), "ru"):
        plan.gaps.append(
            Gap(f"{CONFIG_NAME}: organisations.{org_code}.signatory.name", "who signs the letter")
        )

    # --- the earlier steps a follow-up cites ---------------------------------------------------
    events = [e for e in case.get("legal_actions") or [] if isinstance(e, dict)]
    cited: dict[str, Any] | None = None
    late_reply: Deadline | None = None
    if kind == "reminder":
        late = [
            o
            for o in overdue(case, country, today, calendar=fmt.calendars.get(country_code))
            if o.national is not None and o.national.trigger in REQUESTS and o.national.reminder
        ]
        late.sort(key=lambda o: -o.days_late)
        if not late:
            plan.gaps.append(
                Gap(
                    "legal_actions",
                    "no complaint in the timeline is past its reply deadline on "
                    f"{today.isoformat()}: a reminder is not due (cattool show lists deadlines)",
                )
            )
        else:
            late_reply = late[0]
            raw_events = case.get("legal_actions") or []
            index = int(late_reply.where.split("[")[1].rstrip("]"))
            cited = raw_events[index] if index < len(raw_events) else None
            if not late_reply.verified:
                plan.warnings.append(
                    f"check the deadline: rule '{late_reply.rule}' is marked 'verified: false' "
                    f"in schemas/countries/{country_code}.yaml"
                )
    elif kind == "appeal":
        refusals = [e for e in events if e.get("type") in REFUSALS and parse_date(e.get("date"))]
        if not refusals:
            plan.gaps.append(
                Gap(
                    "legal_actions",
                    "no refusal (refusal_to_open, registration_refused, "
                    "investigation_discontinued) is recorded: there is nothing to appeal",
                )
            )
        else:
            cited = max(refusals, key=lambda e: str(e.get("date")))
    elif kind != "complaint":
        raise ValueError(kind)

    # --- the addressee -------------------------------------------------------------------------
    office_data: dict[str, Any] | None = None
    free_name: str | None = None
    if office:
        office_data = country.offices.get(office)
        if office_data is None:
            known = ", ".join(country.offices)
            plan.gaps.append(
                Gap("--office", f"'{office}' is not an office of {country_code} ({known})")
            )
    elif addressee:
        free_name = addressee
    else:
        office_data, free_name = _default_addressee(kind, case, country, cited, events)
    if office_data is not None:
        plan.office_id = str(office_data["id"])
        plan.addressee_slug = plan.office_id
    elif free_name:
        plan.addressee_slug = _slug(free_name)

    if plan.gaps:
        return plan

    # --- the contexts, one per language --------------------------------------------------------
    for lang in langs:
        plan.contexts[lang] = _context(
            lang, case, country, label, incidents, victims, torture, org, signatory,
            office_data, free_name, cited, late_reply, events, today, our_ref, annexes, kind,
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
        "responds_to": (cited or {}).get("event_id") if kind != "complaint" else None,
    }
    return plan


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _slug(text: str) -> str:
    import re

    ascii_text = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return ascii_text[:40] or "procuracy"


def _default_addressee(
    kind: str,
    case: dict[str, Any],
    country: CountryData,
    cited: dict[str, Any] | None,
    events: list[dict[str, Any]],
) -> tuple[dict[str, Any] | None, str | None]:
    """Where the letter goes when no --office or --addressee is given."""
    incidents = [i for i in case.get("incidents") or [] if isinstance(i, dict)]
    region = (incidents[0].get("region") if incidents else None) or case.get("region")
    regional = country.regional_office(str(region) if region else None)
    general = country.offices.get("gpo")
    authority = (cited or {}).get("authority") if cited else None
    if kind == "appeal":
        level = authority.get("level") if isinstance(authority, dict) else None
        higher = HIGHER_LEVEL.get(str(level), "general")
        if higher == "regional" and regional is not None:
            return regional, None
        return general, None
    if kind == "reminder" and isinstance(authority, dict):
        office = country.offices.get(str(authority.get("office")))
        if office is not None:
            return office, None
        if authority.get("name"):
            return None, str(authority["name"])
    return (regional or general), None


def _when(inc: dict[str, Any], lang: str) -> str:
    from cattool.russian import MONTHS_EN, date_long

    day = parse_date(inc.get("date_start"))
    if day is None:
        return ""
    precision = inc.get("date_precision")
    if precision == "unknown_month_day":
        return f"в {day.year} г." if lang == "ru" else f"in {day.year}"
    if precision == "unknown_day":
        if lang == "ru":
            from cattool.russian import MONTHS_GENITIVE

            months_prepositional = {
                "января": "январе", "февраля": "феврале", "марта": "марте", "апреля": "апреле",
                "мая": "мае", "июня": "июне", "июля": "июле", "августа": "августе",
                "сентября": "сентябре", "октября": "октябре", "ноября": "ноябре",
                "декабря": "декабре",
            }  # fmt: skip
            return f"в {months_prepositional[MONTHS_GENITIVE[day.month - 1]]} {day.year} г."
        return f"in {MONTHS_EN[day.month - 1]} {day.year}"
    text = date_long(day, lang)
    if precision == "estimate":
        return f"около {text}" if lang == "ru" else f"on or about {text}"
    return text


def _register(country: CountryData, day: dt.date, lang: str) -> str | None:
    """Where a crime report is registered on the letter's date (None before the register)."""
    raw = country.raw.get("crime_register")
    if not isinstance(raw, dict):
        return None
    since = raw.get("from")
    if isinstance(since, dt.date) and day < since:
        return None
    return text_in(raw, lang)


def consistency_phrase(code: Any, label: Any, lang: str) -> str | None:
    """'consistent with the allegations' / 'соответствует': the Istanbul Protocol evaluation."""
    from cattool.rendering import lower_first

    if not code:
        return None
    text = lower_first(label("consistency", code, lang))
    if lang == "en" and code != "not_assessed":
        text += " the allegations"
    return text


def _genitive_code(title: str, lang: str) -> str:
    """'Уголовный кодекс ...' -> 'Уголовного кодекса ...' (as in 'статья 146 Уголовного кодекса')."""
    if lang == "ru" and title.startswith("Уголовный кодекс"):
        return "Уголовного кодекса" + title[len("Уголовный кодекс") :]
    return title


def _gap_text(actual: Any, recorded: Any, lang: str) -> str | None:
    """How long the victim was held before the detention was recorded: '11 ч 30 мин'."""
    try:
        start = dt.datetime.fromisoformat(str(actual).replace(" ", "T"))
        end = dt.datetime.fromisoformat(str(recorded).replace(" ", "T"))
    except ValueError:
        return None
    minutes = int((end - start).total_seconds() // 60)
    if minutes <= 0:
        return None
    hours, rest = divmod(minutes, 60)
    if lang == "ru":
        return f"{hours} ч {rest:02d} мин" if hours else f"{rest} мин"
    return f"{hours} h {rest:02d} min" if hours else f"{rest} min"


def _moment(value: Any, lang: str) -> str | None:
    """'2016-03-10 09:30' -> '10 марта 2016 г. в 09:30'."""
    from cattool.russian import date_long

    if not isinstance(value, str) or len(value) < 10:
        return None
    day = parse_date(value[:10])
    if day is None:
        return None
    time = value[11:16]
    joiner = " в " if lang == "ru" else " at "
    return date_long(day, lang) + (joiner + time if time else "")


def _context(
    lang: str,
    case: dict[str, Any],
    country: CountryData,
    label: Any,
    incidents: list[dict[str, Any]],
    victims: list[dict[str, Any]],
    torture: Any,
    org: dict[str, Any],
    signatory: dict[str, Any],
    office_data: dict[str, Any] | None,
    free_name: str | None,
    cited: dict[str, Any] | None,
    overdue: Deadline | None,
    events: list[dict[str, Any]],
    today: dt.date,
    our_ref: str | None,
    annexes: tuple[str, ...],
    kind: str,
) -> dict[str, Any]:
    from cattool.rendering import lower_first

    def labels(vocabulary: str, values: Any) -> list[str]:
        return [lower_first(label(vocabulary, v, lang)) for v in values or []]

    region_names = country.regions
    by_victim = {v.get("victim_id"): v for v in victims}
    perpetrators = [p for p in case.get("perpetrators") or [] if isinstance(p, dict)]
    medical = [
        m
        for m in case.get("medical_evidence") or []
        if isinstance(m, dict)
        and (parse_date(m.get("examined_on")) or parse_date(m.get("requested_on")) or today)
        <= today
    ]

    def perpetrator_text(p: dict[str, Any]) -> str:
        parts = [
            str(p["name"]) if p.get("name") else "",
            str(p["rank_position"]) if p.get("rank_position") else "",
            str(p["unit"]) if p.get("unit") else "",
            lower_first(label("agency", p.get("agency"), lang)) if p.get("agency") else "",
        ]
        return ", ".join(x for x in parts if x)

    incident_contexts = []
    for inc in sorted(incidents, key=lambda i: str(i.get("date_start", ""))):
        inc_id = inc.get("incident_id")
        region = region_names.get(str(inc.get("region")), {}).get(lang)
        place_bits = [
            lower_first(label("place_type", inc.get("place_type"), lang)),
            str(inc["place_name"]) if inc.get("place_name") else "",
            str(inc["settlement"]) if inc.get("settlement") else "",
            region if inc.get("region") not in (None, "unknown") else "",
        ]
        incident_contexts.append(
            {
                "when": _when(inc, lang),
                "victims": [
                    str(by_victim[v].get("full_name"))
                    for v in inc.get("victim_ids") or []
                    if v in by_victim
                ],
                "place": ", ".join(dict.fromkeys(b for b in place_bits if b)),
                "detained_at": _moment(inc.get("de_facto_detention_at"), lang),
                "unrecorded": _gap_text(
                    inc.get("de_facto_detention_at"), inc.get("detention_recorded_at"), lang
                ),
                "recorded_at": _moment(inc.get("detention_recorded_at"), lang),
                "methods": labels("method", inc.get("methods")),
                "purpose": labels("purpose", inc.get("purpose")),
                "context": lower_first(label("context", inc.get("context"), lang))
                if inc.get("context")
                else None,
                "injuries": inc.get("injuries"),
                "narrative": str(inc.get("narrative", "")).strip(),
                "forced_statement": inc.get("forced_statement") == "forced_to_sign",
                "lawyer_access": inc.get("lawyer_access"),
                "family_notified": inc.get("family_notified"),
                "witnesses": [
                    ", ".join(str(w[k]) for k in ("name", "role") if w.get(k))
                    for w in inc.get("witnesses") or []
                    if isinstance(w, dict)
                ],
                "perpetrators": [
                    perpetrator_text(p)
                    for p in perpetrators
                    if not p.get("incident_ids") or inc_id in (p.get("incident_ids") or [])
                ],
            }
        )

    victim_contexts = []
    for v in victims:
        birth = parse_date(v.get("date_of_birth"))
        contacts = _mapping(v.get("contacts"))
        victim_contexts.append(
            {
                "name": str(v.get("full_name")),
                "sex": v.get("sex"),
                "born": birth,
                "address": contacts.get("address"),
                "status": lower_first(label("current_status", v.get("current_status"), lang))
                if v.get("current_status")
                else None,
                "in_custody": v.get("current_status") in ("pretrial_detention", "serving_sentence"),
            }
        )

    medical_contexts = [
        {
            "type": lower_first(label("evidence_type", m.get("type"), lang)),
            "date": parse_date(m.get("examined_on")) or parse_date(m.get("requested_on")),
            "consistency": consistency_phrase(m.get("overall_consistency"), label, lang),
            "ip_compliant": m.get("ip_compliant"),
        }
        for m in medical
    ]

    if office_data is not None:
        addressee = _office_lines(office_data, lang)
    else:
        addressee = {"head": free_name, "name": None, "address": None}

    code, article = torture if torture else (None, None)
    qualification = (
        {
            "code_title": code.title.get(lang) or code.code,
            "code_title_genitive": _genitive_code(code.title.get(lang) or code.code, lang),
            "code": code.code,
            "article": article.article,
            "article_title": article.title.get(lang, ""),
        }
        if code and article
        else None
    )

    def event_context(e: dict[str, Any] | None) -> dict[str, Any] | None:
        if e is None:
            return None
        authority = _mapping(e.get("authority"))
        office = country.offices.get(str(authority.get("office")))
        decree = e.get("type") in ("refusal_to_open", "investigation_discontinued")
        return {
            "document": ("постановление" if decree else "решение")
            if lang == "ru"
            else ("order" if decree else "decision"),
            "date": parse_date(e.get("date")),
            "type": lower_first(label("event_type", e.get("type"), lang)),
            "our_ref": e.get("our_ref"),
            "their_ref": e.get("their_ref"),
            "authority": (text_in(office.get("name"), lang) if office else None)
            or authority.get("name"),
            "grounds": lower_first(label("refusal_grounds", e.get("grounds"), lang))
            if e.get("grounds")
            else None,
        }

    complaint = None
    if kind == "appeal" and cited is not None:
        asked = next(
            (x for x in events if x.get("event_id") == cited.get("responds_to")),
            None,
        ) or next((x for x in events if x.get("type") == "complaint_sent"), None)
        complaint = event_context(asked)
    elif kind == "reminder":
        complaint = event_context(cited)

    city = text_in(org.get("city"), lang)
    sexes = {v.get("sex") for v in victims}
    if len(victims) > 1:
        forms = {"nom": "пострадавшие", "gen": "пострадавших", "dat": "пострадавшим", "poss": "их"}
    elif sexes == {"female"}:
        forms = {"nom": "пострадавшая", "gen": "пострадавшей", "dat": "пострадавшей", "poss": "её"}
    else:
        forms = {
            "nom": "пострадавший",
            "gen": "пострадавшего",
            "dat": "пострадавшему",
            "poss": "его",
        }
    return {
        "lang": lang,
        "kind": kind,
        "pv": forms,  # the Russian word for the victim(s), by case and gender
        "case_id": case.get("case_id"),
        "today": today,
        "our_ref": our_ref,
        "place": city,
        "country": country.name.get(lang, country.country),
        "addressee": addressee,
        "crime_register": _register(country, today, lang),
        "applicant": {
            "name": text_in(org.get("name"), lang),
            "address": text_in(org.get("address"), lang),
            "phone": text_in(org.get("phone"), lang),
            "email": text_in(org.get("email"), lang),
        },
        "signatory": {
            "name": text_in(signatory.get("name"), lang),
            "position": text_in(signatory.get("position"), lang),
        },
        "victims": victim_contexts,
        "any_in_custody": any(v["in_custody"] for v in victim_contexts),
        "incidents": incident_contexts,
        "any_perpetrators": bool(perpetrators),
        "medical": medical_contexts,
        "qualification": qualification,
        "complaint": complaint,
        "refusal": event_context(cited) if kind == "appeal" else None,
        "deadline": {
            "days": overdue.national.days,
            "working_days": overdue.national.working_days,
            "basis": (overdue.national.basis_ru if lang == "ru" else "") or overdue.national.basis,
            "verified": overdue.national.verified,
            "due": overdue.due,
            "late_by": overdue.days_late,
        }
        if overdue and overdue.national
        else None,
        "annexes": list(annexes),
    }
