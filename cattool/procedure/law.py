"""The law in time: which national rule applied on a given day, from the country data.

Every rule a document relies on is an entry of the country data's ``law`` section with a
validity period (``from``, ``to``), a ``source`` and ``verified``. A letter asks by **its own
date** (which register, which reply law, "open a criminal case" or "start a pre-trial
investigation"); the qualification asks by **the incident's date**.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from cattool.countries import Article, CountryData, CriminalCode, Period
from cattool.errors import ConfigError


@dataclass(frozen=True)
class Provision:
    """One rule of the law section, valid in ``period``."""

    topic: str
    period: Period
    source: str
    verified: bool
    entry: Mapping[str, Any] = field(repr=False)

    def text(self, lang: str, key: str = "text") -> str | None:
        value = self.entry.get(key)
        if isinstance(value, Mapping):
            found = value.get(lang)
            return str(found) if found else None  # never the other language instead
        return str(value) if isinstance(value, str) and value else None

    def get(self, key: str, default: Any = None) -> Any:
        return self.entry.get(key, default)


def _day(value: Any, where: str) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.date):
        return value
    raise ConfigError(f"{where} must be a date written YYYY-MM-DD.")


def provisions(country: CountryData, topic: str) -> list[Provision]:
    """Every entry of ``law.<topic>`` in the country data, checked."""
    law = country.raw.get("law") or {}
    where = f"country data for {country.country}: law"
    if not isinstance(law, Mapping):
        raise ConfigError(f"{where} must be a mapping of topics to lists of rules.")
    raw = law.get(topic)
    legacy = country.raw.get(topic)
    if raw is None and topic == "crime_register" and isinstance(legacy, Mapping):
        # the first country files: one mapping {ru, en, from} beside the other sections
        raw = [{"text": {k: legacy[k] for k in ("ru", "en") if k in legacy}, **{
            k: legacy[k] for k in ("from", "to", "source", "verified") if k in legacy}}]  # fmt: skip
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise ConfigError(f"{where}.{topic} must be a list of rules with from/to dates.")
    found = []
    for i, entry in enumerate(raw):
        at = f"{where}.{topic}[{i}]"
        if not isinstance(entry, Mapping):
            raise ConfigError(f"{at} must be a mapping.")
        period = Period(_day(entry.get("from"), f"{at}.from"), _day(entry.get("to"), f"{at}.to"))
        found.append(
            Provision(
                topic,
                period,
                str(entry.get("source", "")),
                bool(entry.get("verified", False)),
                entry,
            )
        )
    return found


def provision(country: CountryData, topic: str, day: dt.date) -> Provision | None:
    """The rule of ``topic`` in force on ``day``; None where the data has none for that day."""
    for found in provisions(country, topic):
        if found.period.covers(day):
            return found
    return None


def registration_opens_investigation(country: CountryData, day: dt.date) -> bool:
    """Does registering a crime report open the investigation itself on ``day``?

    Kazakhstan from 2015 (the ERDR), Kyrgyzstan from 2019: the country's ``stage_mapping`` of the
    event ``registered`` to ``investigation_opened``, limited by its ``from``/``to``.
    """
    for rule in country.raw.get("stage_mapping") or []:
        if not isinstance(rule, Mapping) or rule.get("event") != "registered":
            continue
        if rule.get("stage") != "investigation_opened":
            continue
        period = Period(
            _day(rule.get("from"), "stage_mapping.from"), _day(rule.get("to"), "stage_mapping.to")
        )
        if period.covers(day):
            return True
    return False


# --- the qualification by the incident's date ---------------------------------------------------


@dataclass(frozen=True)
class Qualification:
    """The article a complaint cites, and what a lawyer must know about the choice."""

    code: CriminalCode
    article: Article
    fallback: bool = False  # no torture article on that day: the article that applied then
    alternatives: tuple[tuple[CriminalCode, Article], ...] = ()  # a vague date across a change

    @property
    def verified(self) -> bool:
        return self.article.verified


def span(day: dt.date, precision: Any) -> tuple[dt.date, dt.date]:
    """The days an incident date may mean: the month or the year where the day is not known."""
    if precision == "unknown_day":
        nxt = dt.date(day.year + (day.month == 12), day.month % 12 + 1, 1)
        return dt.date(day.year, day.month, 1), nxt - dt.timedelta(days=1)
    if precision == "unknown_month_day":
        return dt.date(day.year, 1, 1), dt.date(day.year, 12, 31)
    return day, day


def article_on(country: CountryData, day: dt.date) -> tuple[CriminalCode, Article, bool] | None:
    """The torture article on ``day``, else the code's fallback article (with True)."""
    found = country.torture_article(day)
    if found is not None:
        return found[0], found[1], False
    code = country.code_in_force(day)
    if code is None:
        return None
    for article in code.articles.values():
        if article.fallback and article.in_force.covers(day):
            return code, article, True
    return None


def qualification(
    country: CountryData, day: dt.date, precision: Any = "exact"
) -> Qualification | None:
    """What to cite for an incident on ``day`` written with ``precision``.

    The article in force on the first day the date may mean; where a date known only to the month
    or the year spans a change of article, every other article of that span is named too, so the
    letter's author can choose with the facts in hand.
    """
    first, last = span(day, precision)
    chosen = article_on(country, first)
    if chosen is None:
        return None
    code, article, fallback = chosen
    others: list[tuple[CriminalCode, Article]] = []
    probe = first
    while probe <= last:
        other = article_on(country, probe)
        if other is not None and (other[0].code, other[1].article) != (code.code, article.article):
            pair = (other[0], other[1])
            if all((c.code, a.article) != (pair[0].code, pair[1].article) for c, a in others):
                others.append(pair)
        probe += dt.timedelta(days=1)
    return Qualification(code, article, fallback, tuple(others))
