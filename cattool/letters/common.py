"""What every document plan shares: gaps, the plan itself, and the small readers of case values
that letters to the procuracy and UN documents both use (dates as a letter writes them, settings
in two languages, vocabulary labels that are never placeholders)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from cattool.countries import CountryData
from cattool.dates import parse_date
from cattool.procedure import CLOSURES, REFUSALS, SUSPENSIONS, Proceedings
from cattool.procedure.law import provision

# Vocabulary values that say "we do not know": never printed as a fact in a document.
PLACEHOLDERS = frozenset({"other", "unknown", "not_assessed", "not_established"})


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
    notes: list[str] = field(default_factory=list)  # what the plan chose and why (--check)
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


def mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


Label = Callable[[str, Any, str], str]


def facts(label: Label, vocabulary: str, values: Any, lang: str) -> list[str]:
    """Labels of vocabulary values, without the placeholders ('other', 'unknown')."""
    from cattool.rendering import lower_first

    items = values if isinstance(values, list) else ([values] if values else [])
    return [lower_first(label(vocabulary, v, lang)) for v in items if v not in PLACEHOLDERS]


def when_text(inc: Mapping[str, Any], lang: str) -> str:
    """An incident's date as precise as the case knows it: 'в марте 2016 г.', 'около ...'."""
    from cattool.russian import MONTHS_EN, MONTHS_PREPOSITIONAL, date_long

    day = parse_date(inc.get("date_start"))
    if day is None:
        return ""
    precision = inc.get("date_precision")
    if precision == "unknown_month_day":
        return f"в {day.year} г." if lang == "ru" else f"in {day.year}"
    if precision == "unknown_day":
        if lang == "ru":
            return f"в {MONTHS_PREPOSITIONAL[day.month - 1]} {day.year} г."
        return f"in {MONTHS_EN[day.month - 1]} {day.year}"
    text = date_long(day, lang)
    if precision == "estimate":
        return f"около {text}" if lang == "ru" else f"on or about {text}"
    return text


def moment_text(value: Any, lang: str) -> str | None:
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


def unrecorded_text(actual: Any, recorded: Any, lang: str) -> str | None:
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


# Istanbul Protocol evaluations a complaint relies on; weaker ones are not volunteered.
SUPPORTING = ("consistent", "highly_consistent", "typical", "diagnostic")


def consistency_phrase(code: Any, label: Label, lang: str) -> str | None:
    """'consistent with the allegations' / 'соответствует': only where it supports them."""
    from cattool.rendering import lower_first

    if code not in SUPPORTING:
        return None
    text = lower_first(label("consistency", code, lang))
    return text + " the allegations" if lang == "en" else text


def genitive_code(title: str, lang: str) -> str:
    """'Уголовный кодекс ...' -> 'Уголовного кодекса ...' (as in 'статья 146 Уголовного кодекса')."""
    if lang == "ru" and title.startswith("Уголовный кодекс"):
        return "Уголовного кодекса" + title[len("Уголовный кодекс") :]
    return title


# What an authority is called when the case names it only in the other language.
AUTHORITY_LEVELS = {
    "ru": {
        "district": "районная прокуратура",
        "city": "городская прокуратура",
        "regional": "областная прокуратура",
        "general": "Генеральная прокуратура",
        "military": "военная прокуратура",
        "transport": "транспортная прокуратура",
        "court": "суд",
    },
    "en": {
        "district": "district procuracy",
        "city": "city procuracy",
        "regional": "regional procuracy",
        "general": "Prosecutor General's Office",
        "military": "military procuracy",
        "transport": "transport procuracy",
        "court": "court",
    },
}


def authority_name(event: Mapping[str, Any], country: Any, lang: str, written_in: str) -> str:
    """An event's authority in ``lang``: the office of the country data, the name the case
    gives in that language, else the kind of authority ('районная прокуратура')."""
    from cattool.texts import in_language

    authority = mapping(event.get("authority"))
    office = country.offices.get(str(authority.get("office"))) if country is not None else None
    if office is not None and text_in(office.get("name"), lang):
        return str(text_in(office.get("name"), lang))
    named = in_language(authority.get("name"), lang, written_in)
    if named:
        return named
    return AUTHORITY_LEVELS[lang].get(str(authority.get("level")), "")


def latin_name(victim: Mapping[str, Any]) -> str | None:
    """A victim's name as an English document prints it; None if only a Cyrillic one is known."""
    latin = victim.get("full_name_latin")
    if isinstance(latin, str) and latin:
        return latin
    name = str(victim.get("full_name") or "")
    return None if has_cyrillic(name) else name


def has_cyrillic(text: str) -> bool:
    """Does ``text`` hold Cyrillic letters (which an English document never prints)?"""
    return any("\u0400" <= ch <= "\u04ff" for ch in text)


_PLACE_WORDS = re.compile(r"\b(г|гор|city|town)\b\.?|\(city\)|\bгород\w*", re.IGNORECASE)


def place_text(bits: Sequence[str | None]) -> str:
    """'Bazar-Korgon district police department, Jalal-Abad Region': each part once.

    A part already said by an earlier one is left out, so «ОВД г. Кызыл-Кия, г. Кызыл-Кия»
    and "Bishkek, Bishkek" read once («г.», "city" and case aside).
    """

    def core(text: str) -> str:
        return " ".join(_PLACE_WORDS.sub(" ", text).lower().split())

    def said(bit: str, earlier: str) -> bool:
        if core(bit) == core(earlier):  # "Bishkek" after "г. Бишкек"'s English twin, or itself
            return True
        # «г. Кызыл-Кия» inside «ОВД г. Кызыл-Кия»: a town named as a town; a bare "Sokuluk"
        # after "Sokuluk district police department" is the village, not the district: kept
        return bool(_PLACE_WORDS.search(bit)) and bit.strip().lower() in earlier.lower()

    kept: list[str] = []
    for bit in bits:
        if not bit or not core(bit) or any(said(bit, k) for k in kept):
            continue
        kept.append(bit)
    return ", ".join(kept)


def later_events_warning(later: Sequence[Any], day: dt.date) -> str | None:
    """A letter dated before what the file records later: the texts printed from the file (the
    account, the officers, the injuries) are written as the case stands now, and may tell of
    what the letter's date could not know (an officer identified later, a later threat)."""
    if not later:
        return None
    first, last = later[0].date, later[-1].date
    span = first.isoformat() if first == last else f"{first.isoformat()} to {last.isoformat()}"
    events = "event" if len(later) == 1 else "events"
    return (
        f"the case file records {len(later)} {events} after this letter's date ({span}): read "
        f"the account, the officers and the injuries it prints as they stood on {day.isoformat()}"
    )


DECISION_TITLES = {
    "ru": {
        "refusal_to_open": "постановление об отказе в возбуждении уголовного дела",
        "registration_refused": "решение об отказе в регистрации заявления",
        "investigation_discontinued": "постановление о прекращении уголовного дела",
        "investigation_discontinued/pretrial": "постановление о прекращении досудебного расследования",
        "investigation_suspended": "постановление о приостановлении предварительного следствия",
        "investigation_suspended/pretrial": "постановление о приостановлении досудебного расследования",
    },
    "en": {
        "refusal_to_open": "order refusing to open a criminal case",
        "registration_refused": "decision refusing to register the report",
        "investigation_discontinued": "order closing the criminal case",
        "investigation_discontinued/pretrial": "order closing the pre-trial investigation",
        "investigation_suspended": "order suspending the preliminary investigation",
        "investigation_suspended/pretrial": "order suspending the pre-trial investigation",
    },
}


def decision_title(kind: str, lang: str, pretrial: bool) -> str | None:
    """The title of a procedural decision as a letter names it, by the code in force: "order
    closing the pre-trial investigation" where registration starts one (``pretrial``)."""
    titles = DECISION_TITLES[lang]
    return (
        titles.get(f"{kind}/pretrial")
        if pretrial and f"{kind}/pretrial" in titles
        else titles.get(kind)
    )


def domestic_record(
    state: Proceedings, country: CountryData | None, *, since: dt.date | None = None
) -> list[str]:
    """Where the proceedings stand at home on the document's date, in English sentences from
    the model: the decision that still stands or the investigation under way, the verdict,
    compensation. ``since``: a Committee's decision the record is read against."""
    track = state.criminal
    decision = track.decision
    found = []
    title = ""
    if decision is not None:
        start = provision(country, "investigation_start", decision.date) if country else None
        pretrial = start is not None and start.get("kind") == "pretrial_investigation"
        title = decision_title(decision.type, "en", pretrial) or decision.type.replace("_", " ")
    if decision is not None and decision.type in REFUSALS:
        found.append(
            f"The {title} of {_day(decision.date)} still stands: no "
            "criminal investigation has been opened"
            + (" since the Committee's decision." if since and decision.date <= since else ".")
        )
    elif decision is not None and decision.type in CLOSURES + SUSPENSIONS:
        found.append(
            f"The {title} of {_day(decision.date)} still stands: the "
            "investigation has not been resumed."
        )
    elif track.live:
        started = _day(track.since) if track.since else "an unrecorded date"
        found.append(
            f"The case has been before the courts since {started}."
            if track.stage.value in ("indicted", "trial")
            else f"A criminal investigation has been under way since {started}; no one has yet "
            "been brought to trial."
        )
    verdict = track.verdict
    if verdict is not None:
        what = {
            "conviction": "The officers were convicted",
            "acquittal": "The officers were acquitted",
        }.get(verdict.type, "The court released the officers (reconciliation or amnesty)")
        final = (
            f"; the verdict became final on {_day(track.history[-1].date)}"
            if track.stage.value == "final" and track.history
            else ""
        )
        found.append(
            f"{what} on {_day(verdict.date)}"
            + (
                _under(verdict.raw.get("qualification"), country)
                if verdict.type == "conviction"
                else ""
            )
            + final
            + "."
        )
    elif track.stage.value not in ("indicted", "trial"):
        found.append("No one has been prosecuted.")
    civil = state.civil
    amount = civil.amount
    if civil.paid is not None:
        found.append(f"Compensation was paid on {_day(civil.paid.date)}.")
    elif civil.decision is not None and civil.decision.type == "compensation_awarded":
        what = f" of {amount[0]:,.0f} {amount[1] or ''}".rstrip() if amount else ""
        found.append(
            f"Compensation{what} was awarded on {_day(civil.decision.date)} and has not been paid."
        )
    elif civil.decision is not None:
        found.append(f"The claim for compensation was rejected on {_day(civil.decision.date)}.")
    elif civil.claim is not None:
        found.append(f"A claim for compensation filed on {_day(civil.claim.date)} is pending.")
    else:
        found.append("No compensation has been awarded or paid.")
    return found


def _day(day: dt.date) -> str:
    from cattool.russian import date_long

    return date_long(day, "en")


def _under(qualification: Any, country: CountryData | None) -> str:
    """' under article 305 (Abuse of authority) of the Criminal Code of the Kyrgyz Republic of
    1997': the article a decision applied, as the country data names it; '' if none is given."""
    if not isinstance(qualification, Mapping) or not qualification.get("article"):
        return ""
    number = str(qualification["article"])
    part = f", part {qualification['part']}" if qualification.get("part") else ""
    code = country.criminal_codes.get(str(qualification.get("code"))) if country else None
    if code is None:
        return f" under article {number}{part}"
    article = code.articles.get(number)
    title = f" ({article.title['en']})" if article is not None and article.title.get("en") else ""
    return f" under article {number}{part}{title} of the {code.title.get('en') or code.code}"
