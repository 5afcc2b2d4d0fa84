"""Generate a large synthetic case repository for benchmarks and load tests.

Every person, place and number in the output is invented ("Synth Person 00042"). The output depends
only on the arguments and on schemas/countries/*.yaml (regions and criminal-code editions are read
from there, so the valid cases stay valid when the legal data is corrected):

    python bench/generate.py OUT --n 10000 --seed 1 --invalid 0.05

writes OUT/cattool.yaml, OUT/cases/<CC>/<case_id>.yaml and OUT/bench_manifest.json, which lists the
deliberately broken files ({file: defect}). Each broken file has exactly one defect, taken in turn
from DEFECTS.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import sys
import textwrap
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
SCHEMAS_DIR = ROOT / "schemas"
MANIFEST_NAME = "bench_manifest.json"

SCHEMA_VERSION = "1.1"  # the case format the generated files use (cattool.migrate.CURRENT)
COUNTRIES = ("KZ", "KG", "TJ")
COUNTRY_WEIGHTS = (45, 35, 20)
FIRST_YEAR, LAST_YEAR = 2013, 2025
# Fixed, so the output never depends on the day it is generated; it is in the past.
LATEST = date(2025, 12, 31)
CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
WIDTH = 100

DEFECTS = (
    "enum",
    "missing-required",
    "bad-date",
    "dangling-reference",
    "duplicate-key",
    "duplicate-case-id",
    "file-name-mismatch",
    "yaml-syntax",
    "tab-indentation",
)

# ---------------------------------------------------------------------------------------------
# Country data


@dataclass(frozen=True)
class Article:
    article: str
    start: date | None
    end: date | None
    torture: bool


@dataclass(frozen=True)
class Edition:
    code: str
    start: date
    end: date | None
    articles: tuple[Article, ...]


@dataclass(frozen=True)
class Country:
    code: str
    regions: tuple[tuple[str, str], ...]  # (code, English name)
    editions: tuple[Edition, ...]
    currency: str

    def articles_in_force(self, on: date) -> list[tuple[str, Article]]:
        """(edition code, article) pairs in force on a date, torture articles first."""
        found = []
        for ed in self.editions:
            if not _within(on, ed.start, ed.end):
                continue
            for art in ed.articles:
                if _within(on, art.start or ed.start, art.end or ed.end):
                    found.append((ed.code, art))
        return sorted(found, key=lambda pair: not pair[1].torture)


def _within(day: date, start: date | None, end: date | None) -> bool:
    return (start is None or start <= day) and (end is None or day <= end)


def _as_date(value: Any) -> date | None:
    if value is None:
        return None
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


CURRENCIES = {"KZ": "KZT", "KG": "KGS", "TJ": "TJS"}


def load_countries(schemas_dir: Path = SCHEMAS_DIR) -> dict[str, Country]:
    """Read regions and criminal-code editions from schemas/countries/<CC>.yaml."""
    countries = {}
    for cc in COUNTRIES:
        raw = yaml.safe_load((schemas_dir / "countries" / f"{cc}.yaml").read_text("utf-8"))
        editions = []
        for ed in raw.get("criminal_codes", []):
            ed_force = ed.get("in_force") or {}
            articles = tuple(
                Article(
                    article=str(a["article"]),
                    start=_as_date((a.get("in_force") or {}).get("from")),
                    end=_as_date((a.get("in_force") or {}).get("to")),
                    torture=bool(a.get("torture")),
                )
                for a in ed.get("articles", [])
            )
            start = _as_date(ed_force.get("from")) or date(1900, 1, 1)
            editions.append(Edition(ed["code"], start, _as_date(ed_force.get("to")), articles))
        regions = tuple((code, names.get("en", code)) for code, names in raw["regions"].items())
        countries[cc] = Country(cc, regions, tuple(editions), CURRENCIES[cc])
    return countries


# ---------------------------------------------------------------------------------------------
# YAML rendering: hand-written so files look like the ones people write (comments, flow lists)


@dataclass(frozen=True)
class Raw:
    """A scalar written as is, e.g. an impossible date typed by hand."""

    text: str


@dataclass(frozen=True)
class Noted:
    """A value followed by an end-of-line comment."""

    value: Any
    comment: str


_PLAIN = re.compile(r"[^\W\d_](?:[\w .()/'+-]*[\w.)'])?")
_YAML11_WORDS = {"y", "n", "yes", "no", "on", "off", "true", "false", "null"}

SECTIONS = {
    "victims": "Victims: who was ill-treated",
    "incidents": "Incidents: what happened, where and when",
    "perpetrators": "Alleged perpetrators",
    "medical_evidence": "Medical evidence",
    "legal_actions": "Timeline of legal actions",
    "un_communications": "UN communications",
    "consent": "Consent: what each victim allowed us to do",
}


def _scalar(value: Any) -> str:
    if isinstance(value, Raw):
        return value.text
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    if _PLAIN.fullmatch(text) and text.lower() not in _YAML11_WORDS:
        return text
    return json.dumps(text, ensure_ascii=False)


def _is_scalar(value: Any) -> bool:
    return not isinstance(value, dict | list)


def _render_mapping(mapping: dict[str, Any], indent: int, out: list[str]) -> None:
    pad = " " * indent
    for key, value in mapping.items():
        comment = ""
        if isinstance(value, Noted):
            comment = f"  # {value.comment}"
            value = value.value
        head = f"{pad}{key}:"
        if isinstance(value, dict):
            flow = "{" + ", ".join(f"{k}: {_scalar(v)}" for k, v in value.items()) + "}"
            if all(_is_scalar(v) for v in value.values()) and len(head) + len(flow) < WIDTH:
                out.append(f"{head} {flow}{comment}")
            else:
                out.append(head + comment)
                _render_mapping(value, indent + 2, out)
        elif isinstance(value, list):
            if all(_is_scalar(v) for v in value):
                out.append(f"{head} [{', '.join(_scalar(v) for v in value)}]{comment}")
            else:
                out.append(head + comment)
                for item in value:
                    start = len(out)
                    _render_mapping(item, indent + 4, out)
                    out[start] = f"{pad}  - {out[start][indent + 4 :]}"
        elif isinstance(value, str) and len(head) + len(value) + 3 > WIDTH:
            out.append(f"{head} >-{comment}")
            inner = pad + "  "
            out.extend(
                textwrap.wrap(
                    value,
                    WIDTH - len(inner),
                    initial_indent=inner,
                    subsequent_indent=inner,
                    break_on_hyphens=False,
                )
            )
        else:
            line = f"{head} {_scalar(value)}"
            if comment:
                line = f"{line:<34}{comment}"
            out.append(line)


def render_case(case: dict[str, Any], header: str) -> str:
    """The case as commented YAML text."""
    out = [f"# {header}"]
    for key, value in case.items():
        if key in SECTIONS:
            title = f"# --- {SECTIONS[key]} "
            out.extend(["", title + "-" * (92 - len(title))])
        _render_mapping({key: value}, 0, out)
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------------------------------------
# Word pools

NARRATIVE_EN = (
    "{label} says {n} officers held them in an office for {hours} hours before the detention was "
    "recorded.",
    "The officers demanded a confession to a theft that {label} says they did not commit.",
    "{label} describes {methods} and says the officers laughed at the request for a lawyer.",
    "A duty lawyer arrived only after the written statement had been signed.",
    "Relatives learned where {label} was held only on the following day, from a neighbour.",
    "The investigator refused to record the complaint and advised {label} to forget about it.",
    "At the temporary detention facility the duty doctor noted bruises but wrote no cause.",
    "{label} was released without charge after {days} days and came to the coalition that week.",
    "Cellmates confirmed that {label} came back from questioning unable to walk unaided.",
    "The officers threatened to plant drugs on a brother if {label} spoke about the beating.",
    "{label} was moved between two offices at night so that no log entry shows the questioning.",
)
NARRATIVE_RU = (
    "По словам {label}, сотрудники продержали его в кабинете {hours} часов до оформления "
    "задержания.",
    "От {label} требовали признаться в краже, которую он, по его словам, не совершал.",
    "Его били по спине и почкам, надевали на голову пакет и угрожали родственникам.",
    "Адвокат был допущен только после подписания протокола допроса.",
    "Родственники узнали о задержании лишь на следующий день от соседей.",
    "Дежурный врач ИВС отметил ссадины, но не указал их происхождение.",
    "Сокамерники подтвердили, что после допроса {label} не мог передвигаться без помощи.",
    "Следователь отказался принять заявление и посоветовал «забыть об этом».",
    "Через {days} дня {label} отпустили без предъявления обвинения.",
)
METHOD_WORDS = {
    "beating": "beatings",
    "falanga": "blows to the soles of the feet",
    "beating_with_objects": "blows with a rubber truncheon",
    "asphyxiation_bag": "a plastic bag over the head",
    "suspension": "being suspended by the arms",
    "stress_position": "hours in a stress position",
    "electric_shock": "electric shocks",
    "sexual_threat": "threats of sexual violence",
    "sleep_deprivation": "being kept awake all night",
    "threats_to_family": "threats against the family",
    "humiliation_stripping": "being stripped and mocked",
    "denial_medical_care": "refusal of medical care",
    "food_water_deprivation": "a day without food or water",
    "temperature": "a cold cell without a blanket",
}
PLACES = {
    "police_station": ("{d} district police department (ROVD)", "interrogation", "police_mvd"),
    "ivs": (
        "Temporary detention facility (IVS) of {d} district",
        "pretrial_detention",
        "police_mvd",
    ),
    "sizo": ("Pre-trial detention centre (SIZO) No. {k}", "pretrial_detention", "penitentiary"),
    "colony_prison": ("Correctional colony No. {k}", "prison", "penitentiary"),
    "national_security_facility": (
        "Regional national security department",
        "interrogation",
        "national_security",
    ),
    "military_unit": ("Military unit {k}", "army", "military"),
    "vehicle": ("Police van on the road to {d}", "transport", "police_mvd"),
    "street_public": ("Central square of {d}", "protest", "police_mvd"),
    "unofficial_place": ("An unmarked flat in {d}", "interrogation", "anti_drug"),
}
PLACE_WEIGHTS = (40, 12, 10, 10, 6, 5, 7, 5, 5)
RANKS = (
    "operative officer",
    "senior lieutenant",
    "captain",
    "investigator",
    "duty officer",
    "deputy head of department",
    "warden",
    "sergeant",
)
UNITS = (
    "criminal investigation department",
    "duty unit",
    "counter-extremism unit",
    "patrol service",
    "drug control department",
    "security unit of the colony",
)
BODY_REGIONS = (
    "back",
    "ribs",
    "left forearm",
    "right wrist",
    "soles of the feet",
    "head",
    "abdomen",
    "left thigh",
    "both wrists",
)
LESIONS = ("bruise", "abrasion", "haematoma", "linear abrasion", "scar", "swelling")
WITNESS_ROLES = ("cellmate", "neighbour", "relative", "passer-by", "other detainee")

VIOLATIONS = ("torture", "cidt", "threat", "death_in_custody")
SOURCE_TYPES = ("victim", "relative", "lawyer", "ngo_monitoring", "media")
OTHER_VULNERABILITIES = (
    "disability",
    "migrant",
    "ethnic_minority",
    "religious_minority",
    "hrd_journalist",
)
FOREIGN = ("UZ", "RU", "AF")
OCCUPATIONS = ("construction worker", "student", "driver", "unemployed", "trader", "farmer")
STATUSES = ("suspect", "witness", "accused", "admin_detainee", "none")
CURRENT_STATUSES = ("free", "pretrial_detention", "serving_sentence", "abroad")
PURPOSES = ("confession", "information", "punishment", "intimidation", "extortion")
INJURIES = (
    "Bruises on the back and ribs.",
    "Pain in the chest.",
    "Swollen wrists; a cut above the eye.",
)
ROLES = ("direct", "ordered", "present_failed_to_act")
EVIDENCE_TYPES = (
    "forensic_exam_sme",
    "independent_ip_exam",
    "psychological_eval",
    "custody_medical_record",
    "photos",
)
CONSISTENCY = ("consistent", "highly_consistent", "not_assessed")
SP_KINDS = ("urgent_appeal_request", "allegation_request")
CCPR_ARTICLES = ("ICCPR-7", "ICCPR-2.3", "ICCPR-14.3g")
CAT_ARTICLES = ("CAT-1", "CAT-2", "CAT-12", "CAT-13", "CAT-14")
OUTCOMES_EN = (
    "The procuracy found no evidence that officers used force and closed the check.",
    "The reply says the injuries were self-inflicted during the arrest.",
    "The complaint was forwarded to the internal security department of the police.",
    "The court agreed that the check was incomplete and sent the case back.",
    "The investigator ordered a forensic examination and questioned two officers.",
)
OUTCOMES_RU = (
    "Прокуратура не нашла доказательств применения силы сотрудниками и прекратила проверку.",
    "В ответе указано, что телесные повреждения получены при задержании по неосторожности.",
    "Жалоба направлена в службу собственной безопасности для проверки.",
)
SUMMARIES = (
    "A detainee says police beat them to obtain a confession; the procuracy has not opened a "
    "criminal case.",
    "A person held in pre-trial detention reports beatings by staff and denial of medical care.",
    "A conscript says soldiers and an officer beat them; the military procuracy is checking.",
    "A protester says officers beat them in a police van after a peaceful assembly.",
)

# Timelines: (event type, direction, types the event responds to). Cases take a prefix.
TIMELINES: tuple[tuple[tuple[str, str, tuple[str, ...]], ...], ...] = (
    (
        ("complaint_sent", "outgoing", ()),
        ("forensic_ordered", "incoming", ("complaint_sent",)),
        ("forensic_done", "incoming", ("forensic_ordered",)),
        ("refusal_to_open", "incoming", ("complaint_sent",)),
        ("appeal_filed", "outgoing", ("refusal_to_open",)),
        ("appeal_decided", "incoming", ("appeal_filed",)),
        ("decision_annulled", "incoming", ("appeal_filed",)),
        ("refusal_to_open", "incoming", ("complaint_sent",)),
    ),
    (
        ("complaint_sent", "outgoing", ()),
        ("registered", "incoming", ("complaint_sent",)),
        ("forensic_ordered", "incoming", ("complaint_sent",)),
        ("investigation_opened", "incoming", ("complaint_sent",)),
        ("charges_brought", "internal", ()),
        ("sent_to_court", "internal", ()),
        ("conviction", "incoming", ()),
        ("compensation_awarded", "incoming", ()),
    ),
    (
        ("complaint_sent", "outgoing", ()),
        ("response_received", "incoming", ("complaint_sent",)),
        ("complaint_sent", "outgoing", ()),
        ("transferred", "incoming", ("complaint_sent",)),
        ("check_extended", "incoming", ("complaint_sent",)),
        ("refusal_to_open", "incoming", ("complaint_sent",)),
        ("appeal_filed", "outgoing", ("refusal_to_open",)),
        ("appeal_decided", "incoming", ("appeal_filed",)),
    ),
    (
        ("complaint_sent", "outgoing", ()),
        ("registration_refused", "incoming", ("complaint_sent",)),
        ("appeal_filed", "outgoing", ("registration_refused",)),
        ("decision_annulled", "incoming", ("appeal_filed",)),
        ("registered", "incoming", ("complaint_sent",)),
        ("investigation_opened", "incoming", ()),
        ("investigation_suspended", "incoming", ()),
        ("appeal_filed", "outgoing", ("investigation_suspended",)),
    ),
)
QUALIFIED = {"refusal_to_open", "registered", "investigation_opened", "charges_brought"}

# Special procedures need consent scope un_special_procedures; treaty bodies un_treaty_body.
UN_SCOPE = {
    "sr_torture": "un_special_procedures",
    "special_procedure_other": "un_special_procedures",
    "wgad": "un_special_procedures",
    "ccpr": "un_treaty_body",
    "cat": "un_treaty_body",
}

# (field path, correct value, misspelling) for the "enum" defect.
MISSPELLINGS = (
    (("incidents", 0, "place_type"), "police_station", "polise_station"),
    (("perpetrators", 0, "agency"), "police_mvd", "police_mdv"),
    (("case_status",), "open", "opened"),
    (("victims", 0, "sex"), "male", "Male"),
)
MISSING = (
    ("country",),
    ("intake_date",),
    ("victims", 0, "sex"),
    ("incidents", 0, "methods"),
    ("consent", 0, "given_on"),
)


# ---------------------------------------------------------------------------------------------
# One case


@dataclass
class Slot:
    """What pass one decides for case number i: its id, file and defect."""

    index: int
    country: str
    year: int
    case_id: str
    file_stem: str
    suffix: str = ".yaml"
    defect: str | None = None
    detail: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def _age(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def _pick_some(rng: random.Random, items: list[Any], low: int = 1) -> list[Any]:
    """A non-empty random subset in the original order."""
    k = rng.randint(low, len(items))
    chosen = set(rng.sample(range(len(items)), k))
    return [item for i, item in enumerate(items) if i in chosen]


def _days(rng: random.Random, low: int, high: int) -> timedelta:
    return timedelta(days=rng.randint(low, high))


@dataclass
class Draft:
    """What the sections of one case share while it is built."""

    slot: Slot
    country: Country
    rng: random.Random
    intake: date
    first: date  # the first incident's date_start: ages and the criminal code depend on it
    region: str
    region_name: str
    district: str
    russian: bool
    victim_ids: list[str]
    children: set[str] = field(default_factory=set)
    un_scopes: list[str] = field(default_factory=list)


def build_case(slot: Slot, country: Country, rng: random.Random) -> dict[str, Any]:
    """The case as an ordered dict, following every rule `cattool validate` checks."""
    cc, i = slot.country, slot.index
    latest_intake = min(date(slot.year, 12, 31), LATEST - timedelta(days=90))
    intake = date(slot.year, 1, 1) + _days(rng, 0, (latest_intake - date(slot.year, 1, 1)).days)
    region, region_name = rng.choice(country.regions)
    d = Draft(
        slot=slot,
        country=country,
        rng=rng,
        intake=intake,
        first=intake - _days(rng, 0, 45),
        region=region,
        region_name=region_name,
        district=f"Synthdistrict {rng.randint(1, 40):02d}",
        russian=rng.random() < 0.3,
        victim_ids=[f"v{k + 1}" for k in range(rng.choices((1, 2, 3), (75, 19, 6))[0])],
    )
    violation = rng.choices(VIOLATIONS, (60, 30, 7, 3))[0]
    confidentiality = rng.choices(("restricted", "coalition", "public"), (50, 35, 15))[0]
    case: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "case_id": slot.case_id,
        "country": cc,
        "region": Noted(region, region_name) if rng.random() < 0.3 else region,
        "district": d.district,
        "member_org": Noted(f"{cc.lower()}-org-{'abc'[i % 3]}", "documenting coalition member"),
        "assignee": f"lawyer-synth-{rng.randint(1, 25):02d}",
        "intake_date": intake,
        "source_type": rng.choice(SOURCE_TYPES),
        "source_contact": f"Synth Contact {i:05d}, +000 555 {i % 1000:03d} {rng.randint(0, 999)}",
        "source_confidential": True,
        "violation_type": violation,
        "confirmation": rng.choice(("confirmed", "likely", "possible", "unknown")),
        "priority": rng.choices(("urgent", "high", "normal"), (10, 30, 60))[0],
        "case_status": rng.choices(("open", "monitoring", "closed"), (55, 25, 20))[0],
        "confidentiality": confidentiality,
        "fictional": True,
    }
    if confidentiality == "public":
        case["sources"] = [
            {
                "title": f"Synthetic monitoring report {slot.year}, case {i:05d}",
                "publisher": f"{cc} synthetic coalition",
                "published_on": f"{min(slot.year + 1, 2025)}-0{rng.randint(1, 9)}",
                "url": f"https://example.org/synth/{slot.case_id.lower()}",
            }
        ]
    case["summary_public"] = rng.choice(SUMMARIES)
    if rng.random() < 0.25:
        case["notes"] = "Synthetic case for load tests. Call the sister before any letter."
    case["victims"] = _victims(d, deceased_first=violation == "death_in_custody")
    case["incidents"] = _incidents(d, case["victims"][0]["public_label"])
    perpetrators = _perpetrators(d, case["incidents"])
    if perpetrators:
        case["perpetrators"] = perpetrators
    medical = _medical_evidence(d)
    if medical:
        case["medical_evidence"] = medical
    case["legal_actions"] = _legal_actions(d)
    if rng.random() < 0.2:
        case["un_communications"] = _un_communications(d)
    case["consent"] = _consent(d, case["victims"])
    if rng.random() < 0.2:
        case[f"x_{cc.lower()}_registry_no"] = f"{cc}/{slot.year}/{i:05d}"
    return case


def _victims(d: Draft, deceased_first: bool) -> list[dict[str, Any]]:
    rng = d.rng
    victims = []
    for k, vid in enumerate(d.victim_ids):
        number = d.slot.index * 3 + k
        sex = rng.choices(("male", "female", "unknown"), (78, 20, 2))[0]
        kind = rng.choices(("child", "adult", "unknown"), (10, 85, 5))[0]
        victim: dict[str, Any] = {
            "victim_id": vid,
            "full_name": f"Synth Person {number:05d}",
            "public_label": f"S.P.{number:05d}",
            "sex": sex,
        }
        vulnerabilities = []
        if kind == "unknown":
            victim["age_group"] = "unknown"
        else:
            # Children are 11-16 and adults 19+ at the first incident; incidents span at most
            # 45 days, so every reading of "under 18 at the incident" agrees.
            low, high = (11 * 366, 16 * 365) if kind == "child" else (19 * 366, 64 * 365)
            born = d.first - _days(rng, low, high)
            if rng.random() < 0.8:
                victim["date_of_birth"] = born
            else:
                victim["age_at_incident"] = _age(born, d.first)
            victim["age_group"] = kind
            if kind == "child":
                d.children.add(vid)
                vulnerabilities.append("child")
        if sex == "female" and rng.random() < 0.5:
            vulnerabilities.append("woman")
        if rng.random() < 0.15:
            vulnerabilities.append(rng.choice(OTHER_VULNERABILITIES))
        victim["citizenship"] = d.slot.country if rng.random() < 0.9 else rng.choice(FOREIGN)
        victim["occupation"] = rng.choice(OCCUPATIONS)
        victim["vulnerabilities"] = vulnerabilities
        victim["status_at_incident"] = rng.choice(STATUSES)
        deceased = deceased_first and k == 0
        victim["current_status"] = "deceased" if deceased else rng.choice(CURRENT_STATUSES)
        victim["reprisal_risk"] = rng.choice(("low", "medium", "high"))
        if not deceased:
            victim["contacts"] = {
                "phone": f"+000 555 {number % 1000:03d} {rng.randint(100, 999)}",
                "address": f"Synth street {rng.randint(1, 120)}, {d.district}",
            }
        if rng.random() < 0.3:
            victim["representative"] = {
                "name": f"Synth Lawyer {rng.randint(1, 300):03d}",
                "type": "lawyer",
                "organisation": f"{d.slot.country} synthetic bar association",
            }
        victims.append(victim)
    return victims


def _incidents(d: Draft, label: str) -> list[dict[str, Any]]:
    rng = d.rng
    days = [d.first]
    victim_sets = [list(d.victim_ids)]
    if rng.random() < 0.2:
        days.append(d.first + _days(rng, 0, (d.intake - d.first).days))
        victim_sets.append(_pick_some(rng, d.victim_ids))
    incidents = []
    for k, day in enumerate(days):
        place_type = rng.choices(list(PLACES), PLACE_WEIGHTS)[0]
        if d.slot.extra.get("force_police") and k == 0:
            place_type = "police_station"
        place_fmt, context, _ = PLACES[place_type]
        methods = _pick_some(rng, rng.sample(list(METHOD_WORDS), 5))[:4]
        values = {
            "label": label,
            "n": rng.randint(2, 4),
            "hours": rng.randint(3, 14),
            "days": rng.randint(2, 4),
            "methods": ", ".join(METHOD_WORDS[m] for m in methods),
        }
        pool = NARRATIVE_RU if d.russian else NARRATIVE_EN
        count = (2 if d.russian else 3) if k == 0 else 1
        sentences = [s.format(**values) for s in rng.sample(pool, count)]
        opening = (
            "Синтетический рассказ, реальные лица не описаны."
            if d.russian
            else "Synthetic account; no real person is described."
        )
        incident: dict[str, Any] = {
            "incident_id": f"i{k + 1}",
            "victim_ids": victim_sets[k],
            "date_start": day,
        }
        if rng.random() < 0.3:
            incident["date_end"] = min(day + _days(rng, 0, 2), d.intake)
        incident["date_precision"] = rng.choices(("exact", "estimate"), (85, 15))[0]
        if place_type in ("police_station", "ivs", "vehicle", "unofficial_place"):
            hour, minute = rng.randint(6, 14), rng.choice((0, 15, 30, 45))
            incident["de_facto_detention_at"] = f"{day} {hour:02d}:{minute:02d}"
            incident["detention_recorded_at"] = f"{day} {hour + rng.randint(1, 9):02d}:00"
        incident["place_type"] = place_type
        incident["place_name"] = place_fmt.format(d=d.district, k=rng.randint(1, 30))
        incident["settlement"] = d.district.replace("Synthdistrict", "Synthtown")
        incident["region"] = d.region
        incident["context"] = context
        incident["purpose"] = _pick_some(rng, list(PURPOSES))[:2]
        incident["methods"] = methods
        incident["injuries"] = rng.choice(INJURIES)
        incident["forced_statement"] = rng.choice(("forced_to_sign", "refused", "not_asked"))
        incident["lawyer_access"] = rng.choice(("none_permitted", "late", "present", "unknown"))
        incident["family_notified"] = rng.random() < 0.4
        if rng.random() < 0.25:
            incident["witnesses"] = [
                {
                    "name": f"Synth Witness {d.slot.index * 2 + k:05d}",
                    "contact": "via the victim's sister",
                    "role": rng.choice(WITNESS_ROLES),
                }
            ]
        incident["narrative"] = " ".join([opening, *sentences])
        if k == 0:
            incident["narrative_public"] = (
                f"The victim describes {' and '.join(METHOD_WORDS[m] for m in methods[:2])} "
                f"during {context.replace('_', ' ')}."
            )
        incidents.append(incident)
    return incidents


def _perpetrators(d: Draft, incidents: list[dict[str, Any]]) -> list[dict[str, Any]]:
    rng = d.rng
    incident_ids = [inc["incident_id"] for inc in incidents]
    agency = PLACES[incidents[0]["place_type"]][2]
    perpetrators = []
    for k in range(rng.choices((0, 1, 2, 3), (10, 50, 30, 10))[0]):
        named = rng.random() < 0.25
        perpetrator: dict[str, Any] = {
            "perpetrator_id": f"p{k + 1}",
            "incident_ids": _pick_some(rng, incident_ids),
            "identification": "named" if named else rng.choice(("described", "unknown")),
        }
        if named:
            perpetrator["name"] = f"Synth Officer {d.slot.index * 3 + k:05d}"
        perpetrator["rank_position"] = rng.choice(RANKS)
        perpetrator["unit"] = rng.choice(UNITS)
        perpetrator["agency"] = agency
        perpetrator["role"] = rng.choices(ROLES, (70, 15, 15))[0]
        perpetrator["post_status"] = rng.choice(("in_post", "in_post", "suspended", "unknown"))
        perpetrators.append(perpetrator)
    if not perpetrators and d.slot.extra.get("force_police"):
        perpetrators.append(
            {
                "perpetrator_id": "p1",
                "incident_ids": ["i1"],
                "identification": "unknown",
                "agency": "police_mvd",
            }
        )
    return perpetrators


def _medical_evidence(d: Draft) -> list[dict[str, Any]]:
    """Examinations, all requested after the intake."""
    rng = d.rng
    medical = []
    for k in range(rng.choices((0, 1, 2), (40, 45, 15))[0]):
        ev_type = rng.choice(EVIDENCE_TYPES)
        requested = min(d.intake + _days(rng, 0, 10), LATEST)
        evidence: dict[str, Any] = {
            "evidence_id": f"m{k + 1}",
            "victim_id": rng.choice(d.victim_ids),
            "type": ev_type,
            "ordered_by": rng.choice(("investigator", "prosecutor", "ngo", "court")),
            "requested_on": requested,
            "examined_on": min(requested + _days(rng, 0, 14), LATEST),
        }
        if ev_type == "independent_ip_exam":
            evidence["examiner"] = {
                "name": f"Synth Doctor {rng.randint(1, 60):02d}",
                "institution": "Synthetic forensic clinic",
                "independent": True,
            }
        evidence["ip_compliant"] = rng.choice(("yes", "partial", "no", "unknown"))
        if ev_type == "psychological_eval":
            evidence["psych_diagnoses"] = _pick_some(rng, ["ptsd", "depression", "anxiety"])
        else:
            evidence["findings"] = [
                {
                    "body_region": rng.choice(BODY_REGIONS),
                    "lesion_type": rng.choice(LESIONS),
                    "description": f"{rng.randint(1, 6)} x {rng.randint(1, 4)} cm, yellow-green",
                    "consistency": rng.choice(("consistent", "highly_consistent", "typical")),
                }
                for _ in range(rng.randint(1, 2))
            ]
        evidence["overall_consistency"] = rng.choice(CONSISTENCY)
        if ev_type == "forensic_exam_sme":
            evidence["domestic_harm_grade"] = rng.choice(("none", "slight", "moderate"))
        if rng.random() < 0.3:
            evidence["files"] = [f"evidence/{d.slot.case_id}/m{k + 1}-report.pdf"]
        evidence["consent_exam"] = True
        evidence["consent_photos"] = rng.random() < 0.5
        medical.append(evidence)
    return medical


def _legal_actions(d: Draft) -> list[dict[str, Any]]:
    """A timeline in date order after the intake, each answer linked to its request."""
    rng = d.rng
    steps = rng.choice(TIMELINES)[: rng.choices(range(2, 9), (20, 22, 18, 14, 11, 8, 7))[0]]
    gaps = [rng.randint(1, 40) for _ in steps]
    if d.intake + timedelta(days=sum(gaps)) > LATEST:
        room = (LATEST - d.intake).days
        gaps = [rng.randint(1, max(1, room // (len(steps) + 1))) for _ in steps]
    qualifications = d.country.articles_in_force(d.first)
    district = {"name": f"{d.district} district procuracy", "level": "district"}
    regional = {"name": f"{d.region_name} procuracy", "level": "regional", "region": d.region}
    court = {"name": f"{d.district} district court", "level": "court"}
    events: list[dict[str, Any]] = []
    day = d.intake
    for k, ((etype, direction, answers), gap) in enumerate(zip(steps, gaps, strict=True)):
        day = day + timedelta(days=gap)
        event: dict[str, Any] = {"event_id": f"e{k + 1}", "date": day, "type": etype}
        if etype in ("conviction", "compensation_awarded", "sent_to_court"):
            event["authority"] = dict(court)
        else:
            event["authority"] = dict(regional if etype.startswith("appeal") else district)
        event["direction"] = direction
        if direction == "outgoing":
            event["our_ref"] = f"{d.slot.country}-{d.slot.year % 100:02d}/{rng.randint(1, 999):03d}"
        elif direction == "incoming" and rng.random() < 0.5:
            office, desk, number = rng.randint(1, 40), rng.randint(1, 30), rng.randint(1, 999)
            event["their_ref"] = f"{office:02d}-{desk}/{number}"
        if etype in QUALIFIED and qualifications:
            code, art = qualifications[0] if rng.random() < 0.8 else rng.choice(qualifications)
            event["qualification"] = {"code": code, "article": art.article}
            if rng.random() < 0.4:
                event["qualification"]["part"] = str(rng.randint(1, 3))
        if etype in ("refusal_to_open", "registration_refused"):
            event["grounds"] = rng.choice(("no_corpus_delicti", "no_event", "other"))
        if etype in ("refusal_to_open", "appeal_decided", "response_received", "transferred"):
            event["outcome_note"] = rng.choice(OUTCOMES_RU if d.russian else OUTCOMES_EN)
        if etype == "compensation_awarded":
            event["amount"] = rng.randint(2, 60) * 50000
            event["currency"] = d.country.currency
        if rng.random() < 0.15:
            event["document"] = f"documents/{d.slot.case_id}/e{k + 1}.pdf"
        for earlier in reversed(events):
            if earlier["type"] in answers:
                event["responds_to"] = earlier["event_id"]
                break
        events.append(event)
    return events


def _un_communications(d: Draft) -> list[dict[str, Any]]:
    """Submissions after the intake; records the consent scopes they need in d.un_scopes."""
    rng = d.rng
    bodies = ["sr_torture", "ccpr", "wgad", "special_procedure_other"]
    if d.slot.country == "KZ":  # the only one of the three that accepts CAT complaints
        bodies.append("cat")
    comms = []
    for k in range(rng.choices((1, 2), (80, 20))[0]):
        body = rng.choice(bodies)
        submitted = min(d.intake + _days(rng, 5, 300), LATEST)
        treaty = body in ("ccpr", "cat")
        kind = "individual_complaint" if treaty else rng.choice(SP_KINDS)
        comm: dict[str, Any] = {
            "comm_id": f"u{k + 1}",
            "body": body,
            "kind": kind,
            "submitted_on": submitted,
            "channel": rng.choice(("online_form", "email", "post")),
            "language": rng.choice(("en", "ru")),
            "victim_ids": _pick_some(rng, d.victim_ids),
        }
        if treaty:
            comm["articles"] = list(CCPR_ARTICLES if body == "ccpr" else CAT_ARTICLES)
            comm["interim_measures_requested"] = False
            comm["domestic_remedies"] = {"status": rng.choice(("exhausted", "ineffective"))}
            comm["same_matter_elsewhere"] = False
        else:
            comm["articles"] = ["ICCPR-9"] if body == "wgad" else ["ICCPR-7"]
        later = submitted + _days(rng, 20, 200)
        if later <= LATEST:  # else still waiting: nothing after the submission yet
            iso3 = {"KZ": "KAZ", "KG": "KGZ", "TJ": "TJK"}[d.slot.country]
            comm["un_reference"] = (
                f"No. {rng.randint(1000, 4999)}/{submitted.year}"
                if treaty
                else f"UA {iso3} {rng.randint(1, 9)}/{later.year}"
            )
            comm["transmitted_to_state_on"] = later
            reply = later + _days(rng, 30, 180)
            if reply <= LATEST:
                comm["state_reply_on"] = reply
        comm["outcome"] = "pending"
        comms.append(comm)
        if UN_SCOPE[body] not in d.un_scopes:
            d.un_scopes.append(UN_SCOPE[body])
    return comms


def _consent(d: Draft, victims: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One record per victim, given at intake, covering every UN scope the case uses."""
    rng = d.rng
    consent = []
    for victim in victims:
        vid = victim["victim_id"]
        person = d.slot.index * 3 + int(vid[1:])
        scopes = ["domestic_complaint", "anonymised_statistics", *d.un_scopes]
        naming = (
            "initials"
            if vid in d.children
            else rng.choices(("initials", "none", "full"), (60, 30, 10))[0]
        )
        if naming == "full":
            scopes.append("named_publication")
        if rng.random() < 0.1:
            scopes.append("media")
        record: dict[str, Any] = {
            "person_id": vid,
            "scopes": scopes,
            "name_to_government": rng.random() < 0.7,
            "name_in_public_reports": naming,
        }
        if vid in d.children:
            record["form"] = "guardian"
            record["given_by"] = {
                "role": "guardian",
                "relationship": "mother",
                "name": f"Synth Guardian {person:05d}",
            }
        elif victim["current_status"] == "deceased":
            record["form"] = "relative"
            record["given_by"] = {
                "role": "relative",
                "relationship": "brother",
                "name": f"Synth Relative {person:05d}",
            }
        else:
            record["form"] = rng.choice(("written", "written", "recorded_oral"))
        record["given_on"] = d.intake
        if rng.random() < 0.2:
            record["document"] = f"consent/{d.slot.case_id}-{vid}.pdf"
        consent.append(record)
    return consent


# ---------------------------------------------------------------------------------------------
# Defects


def _path_text(path: tuple[str | int, ...]) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


def _follow(case: dict[str, Any], path: tuple[str | int, ...]) -> tuple[Any, str | int]:
    node: Any = case
    for part in path[:-1]:
        node = node[part]
    return node, path[-1]


def apply_structural_defect(case: dict[str, Any], slot: Slot, turn: int) -> None:
    """Break the case dict before it is rendered (defects a careless edit would make)."""
    if slot.defect == "enum":
        path, _, wrong = MISSPELLINGS[turn % len(MISSPELLINGS)]
        node, key = _follow(case, path)
        node[key] = wrong
        slot.detail = f"{_path_text(path)}: {wrong!r} is not an allowed value"
    elif slot.defect == "missing-required":
        path = MISSING[turn % len(MISSING)]
        node, key = _follow(case, path)
        del node[key]
        slot.detail = f"{_path_text(path)}: required key removed"
    elif slot.defect == "bad-date":
        bad = f"{slot.year}-02-30"
        case["intake_date"] = Raw(bad)
        slot.detail = f"intake_date: {bad} does not exist"
    elif slot.defect == "dangling-reference":
        ghost = f"v{len(case['victims']) + 6}"
        case["incidents"][0]["victim_ids"].append(ghost)
        slot.detail = f"incidents[0].victim_ids: {ghost!r} is not a victim_id in the file"


def apply_text_defect(text: str, slot: Slot) -> str:
    """Break the rendered YAML text (defects only visible in the text)."""
    if slot.defect == "duplicate-key":
        match = re.search(r"^    sex: .*\n", text, flags=re.MULTILINE)
        assert match
        slot.detail = "victims[0]: key 'sex' appears twice"
        return text[: match.end()] + match.group(0) + text[match.end() :]
    if slot.defect == "yaml-syntax":
        match = re.search(r"^(    methods: \[.*)\]$", text, flags=re.MULTILINE)
        assert match
        slot.detail = "incidents[0].methods: flow sequence never closed (missing ']')"
        return text[: match.start()] + match.group(1) + text[match.end() :]
    if slot.defect == "tab-indentation":
        match = re.search(r"^    full_name: ", text, flags=re.MULTILINE)
        assert match
        slot.detail = "victims[0].full_name: indented with a tab"
        return text[: match.start()] + "\t" + text[match.start() + 4 :]
    return text


# ---------------------------------------------------------------------------------------------
# The repository


def _case_code(rng: random.Random) -> str:
    return "".join(rng.choice(CROCKFORD) for _ in range(4))


def plan_slots(n: int, seed: int, invalid_fraction: float) -> list[Slot]:
    """Pass one: ids, file names and defects for every case."""
    rng = random.Random(seed)
    used: set[str] = set()

    def fresh_id(country: str, year: int) -> str:
        while True:
            case_id = f"{country}-{year}-{_case_code(rng)}"
            if case_id not in used:
                used.add(case_id)
                return case_id

    slots = []
    for i in range(n):
        country = rng.choices(COUNTRIES, COUNTRY_WEIGHTS)[0]
        year = rng.randint(FIRST_YEAR, LAST_YEAR)
        case_id = fresh_id(country, year)
        slots.append(Slot(i, country, year, case_id, case_id))

    picker = random.Random(seed * 1_000_003 + 17)
    k = min(n, round(n * invalid_fraction))
    broken = sorted(picker.sample(range(n), k))
    broken_set = set(broken)
    for turn, index in enumerate(broken):
        slot = slots[index]
        slot.defect = DEFECTS[turn % len(DEFECTS)]
        slot.extra["turn"] = turn // len(DEFECTS)
        if slot.defect == "enum":
            slot.extra["force_police"] = True
        elif slot.defect == "duplicate-case-id":
            # A copy that kept another case's id. Saved as .yml next to that case's .yaml, the
            # only way two files in one folder can both be named after their case_id.
            valid = [j for j in range(n) if j not in broken_set]
            if not valid:
                slot.defect = "file-name-mismatch"
            else:
                other = slots[valid[picker.randrange(len(valid))]]
                slot.country, slot.year = other.country, other.year
                slot.case_id = slot.file_stem = other.case_id
                slot.suffix = ".yml"
                slot.detail = (
                    f"case_id {other.case_id} is also the case_id of "
                    f"cases/{other.country}/{other.case_id}.yaml"
                )
        if slot.defect == "file-name-mismatch":
            # One character of the code mistyped in the file name.
            while True:
                stem = slot.case_id[:-1] + rng.choice(CROCKFORD)
                if stem not in used:
                    used.add(stem)
                    break
            slot.file_stem = stem
            slot.detail = f"file name {stem}.yaml does not match case_id {slot.case_id}"
    return slots


def generate_case_texts(
    n: int, seed: int = 0, invalid_fraction: float = 0.0, schemas_dir: Path = SCHEMAS_DIR
) -> Iterator[tuple[Slot, str]]:
    """Every case as (slot, YAML text), without touching the disk."""
    countries = load_countries(schemas_dir)
    for slot in plan_slots(n, seed, invalid_fraction):
        rng = random.Random(seed * 1_000_003 + slot.index * 7919 + 1)
        case = build_case(slot, countries[slot.country], rng)
        apply_structural_defect(case, slot, slot.extra.get("turn", 0))
        header = (
            "Synthetic benchmark case generated by bench/generate.py: every person and "
            "detail is invented."
        )
        text = apply_text_defect(render_case(case, header), slot)
        yield slot, text


def generate_repo(
    root: Path,
    n: int,
    seed: int = 0,
    invalid_fraction: float = 0.0,
    *,
    schemas_dir: Path = SCHEMAS_DIR,
) -> list[Path]:
    """Write a case repository of n synthetic cases under root; return the case files.

    root/bench_manifest.json maps each deliberately broken file (relative to root) to its defect.
    Refuses to write into a root whose cases/ folder already holds files.
    """
    cases_dir = root / "cases"
    if cases_dir.exists() and any(cases_dir.iterdir()):
        raise FileExistsError(f"{cases_dir} already holds files; remove it first")
    root.mkdir(parents=True, exist_ok=True)
    (root / "cattool.yaml").write_text(
        yaml.safe_dump({"cattool": {"schema_version": SCHEMA_VERSION}}, sort_keys=False),
        encoding="utf-8",
    )
    for cc in COUNTRIES:
        (cases_dir / cc).mkdir(parents=True, exist_ok=True)
    written = []
    manifest = {}
    for slot, text in generate_case_texts(n, seed, invalid_fraction, schemas_dir):
        path = cases_dir / slot.country / f"{slot.file_stem}{slot.suffix}"
        path.write_bytes(text.encode("utf-8"))
        written.append(path)
        if slot.defect:
            manifest[path.relative_to(root).as_posix()] = f"{slot.defect}: {slot.detail}"
    (root / MANIFEST_NAME).write_text(
        json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="folder for the case repository")
    parser.add_argument("--n", type=int, default=10_000, help="number of case files")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--invalid",
        type=float,
        default=0.0,
        help="fraction of files given one defect each, e.g. 0.05",
    )
    parser.add_argument(
        "--schemas",
        type=Path,
        default=SCHEMAS_DIR,
        help="schemas folder with countries/*.yaml (default: this checkout's)",
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help="replace OUT/cases if OUT holds an earlier generated repository",
    )
    args = parser.parse_args(argv)
    if args.force and (args.out / MANIFEST_NAME).exists():
        shutil.rmtree(args.out / "cases", ignore_errors=True)
    started = time.perf_counter()
    try:
        files = generate_repo(args.out, args.n, args.seed, args.invalid, schemas_dir=args.schemas)
    except FileExistsError as err:
        print(f"generate.py: {err} (or pass --force)", file=sys.stderr)
        return 2
    elapsed = time.perf_counter() - started
    manifest = json.loads((args.out / MANIFEST_NAME).read_text("utf-8"))
    size = sum(f.stat().st_size for f in files)
    print(
        f"{len(files)} case files, {size / len(files) / 1024:.1f} KiB on average, "
        f"in {elapsed:.1f} s -> {args.out}"
    )
    print(f"{len(manifest)} broken on purpose (listed in {args.out / MANIFEST_NAME}):")
    for name, defect in manifest.items():
        print(f"  {name}: {defect}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
