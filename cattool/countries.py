"""Per-country legal data (schemas/countries/XX.yaml): codes, articles, regions, deadlines."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from cattool.errors import ConfigError

COUNTRIES = ("KZ", "KG", "TJ")


@dataclass(frozen=True, slots=True)
class Period:
    start: dt.date | None = None
    end: dt.date | None = None

    def covers(self, day: dt.date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)


@dataclass(frozen=True, slots=True)
class Article:
    article: str
    title: dict[str, str]
    torture: bool
    in_force: Period
    verified: bool
    # qualifies torture where the code has no torture article yet (Tajikistan before 2012)
    fallback: bool = False
    source: str = ""


@dataclass(frozen=True, slots=True)
class CriminalCode:
    code: str
    title: dict[str, str]
    in_force: Period
    articles: dict[str, Article]


@dataclass(frozen=True, slots=True)
class CountryData:
    country: str
    name: dict[str, str]
    regions: dict[str, dict[str, str]]
    criminal_codes: dict[str, CriminalCode]
    raw: dict[str, Any] = field(repr=False)

    def code_in_force(self, day: dt.date) -> CriminalCode | None:
        for code in self.criminal_codes.values():
            if code.in_force.covers(day):
                return code
        return None

    def torture_article(self, day: dt.date) -> tuple[CriminalCode, Article] | None:
        """The torture article in force on ``day``, with its code edition."""
        code = self.code_in_force(day)
        if code is None:
            return None
        for article in code.articles.values():
            if article.torture and article.in_force.covers(day):
                return code, article
        return None

    @property
    def offices(self) -> dict[str, dict[str, Any]]:
        """Procuracy offices a letter can be addressed to, by id (the data's ``authorities``)."""
        raw = self.raw.get("authorities") or []
        return {str(o["id"]): o for o in raw if isinstance(o, dict) and o.get("id")}

    def regional_office(self, region: str | None) -> dict[str, Any] | None:
        """The regional or city office serving ``region``, if the data lists one."""
        for office in self.offices.values():
            if (
                region
                and office.get("region") == region
                and office.get("level")
                in (
                    "regional",
                    "city",
                )
            ):
                return office
        return None

    def accepts(self, procedure: str) -> bool:
        """Whether the State accepts a UN procedure: 'ccpr_op1' or 'cat_art22'."""
        return bool(self.raw.get("un", {}).get(procedure, {}).get("accepted", False))


def _period(raw: Any, where: str) -> Period:
    if raw is None:
        return Period()
    if not isinstance(raw, dict):
        raise ConfigError(f"{where}: in_force must be a mapping with 'from' and/or 'to' dates.")
    for key in ("from", "to"):
        if raw.get(key) is not None and not isinstance(raw[key], dt.date):
            raise ConfigError(f"{where}: in_force.{key} must be a date written YYYY-MM-DD.")
    return Period(raw.get("from"), raw.get("to"))


def load_country(path: Path) -> CountryData:
    try:
        raw = yaml.load(path.read_text(encoding="utf-8-sig"), Loader=yaml.CSafeLoader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as err:
        raise ConfigError(f"{path}: cannot read the country data ({type(err).__name__}).") from None
    if not isinstance(raw, dict) or "country" not in raw:
        raise ConfigError(f"{path}: country data must be a mapping with a 'country' key.")
    codes: dict[str, CriminalCode] = {}
    for i, code in enumerate(raw.get("criminal_codes") or []):
        where = f"{path}: criminal_codes[{i}]"
        if not isinstance(code, dict) or "code" not in code:
            raise ConfigError(f"{where} needs a 'code' such as CC-KZ-2014.")
        articles = {}
        for j, art in enumerate(code.get("articles") or []):
            if not isinstance(art, dict) or "article" not in art:
                raise ConfigError(f"{where}.articles[{j}] needs an 'article' number.")
            number = str(art["article"])
            articles[number] = Article(
                article=number,
                title=dict(art.get("title") or {}),
                torture=bool(art.get("torture", False)),
                in_force=_period(art.get("in_force"), f"{where}.articles[{j}]"),
                verified=bool(art.get("verified", False)),
                fallback=bool(art.get("torture_fallback", False)),
                source=str(art.get("source", "")),
            )
        codes[str(code["code"])] = CriminalCode(
            code=str(code["code"]),
            title=dict(code.get("title") or {}),
            in_force=_period(code.get("in_force"), where),
            articles=articles,
        )
    regions = raw.get("regions") or {}
    if not isinstance(regions, dict):
        raise ConfigError(f"{path}: 'regions' must be a mapping of region codes to labels.")
    return CountryData(
        country=str(raw["country"]),
        name=dict(raw.get("name") or {}),
        regions={str(k): dict(v or {}) for k, v in regions.items()},
        criminal_codes=codes,
        raw=raw,
    )
