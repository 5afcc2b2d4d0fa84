"""Yearly statistics from the case repository: the figures the coalitions publish, reproducibly.

    query = StatsQuery(Period.parse("2016"), as_of=dt.date(2017, 1, 31))
    result = compute_stats(repo, fmt, query)
    for table in result.tables: ...

A case counts as "new" in the year of its ``intake_date``. ``as_of`` shows every case as it was
known on that day: cases taken in later and events dated later are ignored, so last year's report
can be made again exactly. Case files with errors are skipped and counted, never silently dropped.

The tables are plain rows of numbers (``Table``); ``Table.frame`` gives one as a pandas DataFrame
for analysts, and only then is pandas imported (about 0.4 s), so that ``cattool stats`` answers
from a warm cache in a fraction of a second.
"""

from __future__ import annotations

import datetime as dt
import re
import statistics
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cattool.caseformat import CaseFormat
from cattool.dates import parse_date
from cattool.errors import CattoolError, ExitCode
from cattool.facts import CaseFacts, case_facts
from cattool.procedure import STAGES
from cattool.repo import CaseRepo

SUPPRESS_BELOW = 3  # --public: counts from 1 to 2 are shown as "<3"
FUNNEL = ("complaint_sent", "registered", "investigation_opened", "sent_to_court", "conviction")
UNITS = ("cases", "victims")

WORDS = {
    "en": {
        "total": "Total",
        "change": "Change",
        "unit_cases": "Unit: cases (one case may concern several victims).",
        "unit_victims": "Unit: victims (a case may concern several people).",
        "multi": "A case can have several values: the rows add up to more than the cases.",
        "suppressed": "Counts below {n} are shown as <{n} to protect victims (--public); a "
        "figure that would give one away is shown as –.",
        "of_complaints": "% of complaints",
        "median_days": "Median days",
        "cases_measured": "Cases measured",
        "claimed": "Claimed",
        "awarded": "Awarded",
        "cases_n": "Cases",
        "child": "Child (under 18 at the incident)",
        "adult": "Adult",
        "age_unknown": "Age not known",
        "not_recorded": "Not recorded",
        "conviction": "Conviction",
        "any_refusal": "Cases with a refusal (any grounds)",
        "intake_note": "Cases count in the year the coalition took them in (intake_date); what "
        "happened to them is counted up to the as-of date.",
    },
    "ru": {
        "total": "Всего",
        "change": "Изменение",
        "unit_cases": "Единица счёта: дела (одно дело может касаться нескольких пострадавших).",
        "unit_victims": "Единица счёта: пострадавшие (дело может касаться нескольких человек).",
        "multi": "У дела может быть несколько значений: сумма строк больше числа дел.",
        "suppressed": "Числа меньше {n} показаны как <{n} для защиты пострадавших (--public); "
        "показатель, по которому их можно вычислить, заменён на –.",
        "of_complaints": "% от жалоб",
        "median_days": "Медиана дней",
        "cases_measured": "Дел учтено",
        "claimed": "Заявлено",
        "awarded": "Присуждено",
        "cases_n": "Дела",
        "child": "Ребёнок (до 18 лет на момент инцидента)",
        "adult": "Взрослый",
        "age_unknown": "Возраст неизвестен",
        "not_recorded": "Не указано",
        "conviction": "Обвинительный приговор",
        "any_refusal": "Дела с отказом (по любым основаниям)",
        "intake_note": "Дела учитываются по году принятия коалицией (intake_date); что с ними "
        "произошло, учитывается по дату «по состоянию на».",
    },
}

TITLES = {
    "new_by_country": ("New cases by country", "Новые дела по странам"),
    "by_region": ("New cases by region", "Новые дела по регионам"),
    "by_org": ("New cases by member organisation", "Новые дела по организациям"),
    "by_violation": ("New cases by type of violation", "Новые дела по виду нарушения"),
    "by_agency": ("Agency of the alleged perpetrators", "Ведомство предполагаемых виновных"),
    "by_place": ("Place of the ill-treatment", "Место жестокого обращения"),
    "by_context": ("Context", "Обстоятельства"),
    "by_method": ("Methods", "Методы"),
    "victims_sex": ("Victims by sex", "Пострадавшие по полу"),
    "victims_age": ("Victims by age at the incident", "Пострадавшие по возрасту на момент инцидента"),
    "victims_vulnerability": ("Victims by vulnerability", "Пострадавшие по уязвимости"),
    "funnel": ("How far the cases went (furthest stage reached)", "Как далеко продвинулись дела (высшая достигнутая стадия)"),
    "refusals": ("Refusals and their grounds", "Отказы и их основания"),
    "answer_days": ("Days from complaint to the first answer", "Дни от жалобы до первого ответа"),
    "un": ("UN communications and their outcomes", "Обращения в ООН и их результаты"),
    "compensation": ("Compensation claimed and awarded", "Компенсация: заявлено и присуждено"),
}  # fmt: skip


# --- the question ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date
    label: str
    by_year: bool  # one column per year (a year or a range of years)

    @property
    def years(self) -> list[int]:
        return list(range(self.start.year, self.end.year + 1))

    def column(self, day: dt.date) -> str:
        return str(day.year) if self.by_year else self.label

    @property
    def columns(self) -> list[str]:
        return [str(y) for y in self.years] if self.by_year else [self.label]

    @classmethod
    def parse(
        cls,
        text: str | None,
        *,
        half: int | None = None,
        start: dt.date | None = None,
        end: dt.date | None = None,
    ) -> Period:
        """'2016', '2013-2016', '2015' with half=1, or start/end dates."""
        if start or end:
            if text:
                raise CattoolError("give a YEAR or --from/--to, not both", ExitCode.USAGE)
            if not (start and end):
                raise CattoolError("--from and --to go together", ExitCode.USAGE)
            if end < start:
                raise CattoolError("--to is before --from", ExitCode.USAGE)
            return cls(start, end, f"{start.isoformat()}..{end.isoformat()}", False)
        match = re.fullmatch(r"\s*(\d{4})\s*(?:[-–]\s*(\d{4}))?\s*", text or "")
        if not match:
            raise CattoolError(
                f"'{text}' is not a year or a range of years; write 2016 or 2013-2016",
                ExitCode.USAGE,
            )
        first = int(match[1])
        last = int(match[2] or first)
        if last < first:
            raise CattoolError(f"'{text}': the range ends before it starts", ExitCode.USAGE)
        if half is not None:
            if half not in (1, 2) or last != first:
                raise CattoolError("--half is 1 or 2, with a single year", ExitCode.USAGE)
            if half == 1:
                return cls(dt.date(first, 1, 1), dt.date(first, 6, 30), f"{first} H1", False)
            return cls(dt.date(first, 7, 1), dt.date(first, 12, 31), f"{first} H2", False)
        return cls(dt.date(first, 1, 1), dt.date(last, 12, 31), (text or "").strip(), True)


@dataclass(frozen=True)
class StatsQuery:
    period: Period
    as_of: dt.date | None = None
    countries: tuple[str, ...] = ()
    orgs: tuple[str, ...] = ()
    unit: str = "cases"
    public: bool = False
    lang: str = "en"


# --- one case, reduced to what statistics need ------------------------------------------------------


# --- reading the repository -----------------------------------------------------------------------


@dataclass
class Collected:
    facts: list[CaseFacts]
    files_read: int
    skipped: list[Path]  # files with errors


def collect(
    repo: CaseRepo,
    fmt: CaseFormat,
    query: StatsQuery,
    *,
    jobs: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> Collected:
    """Every valid case of the repository within the query; files with errors are skipped."""
    from cattool.cache import paused_gc
    from cattool.cases import valid_payloads

    # As of today, the facts of each case come ready from the cache (or from the workers that
    # check the files); as of an earlier day they are worked out from the parsed cases.
    want = "facts" if query.as_of is None else "data"
    with paused_gc():
        cases, skipped, files_read = valid_payloads(repo, want, jobs=jobs, progress=progress)
        facts = _facts_of(cases, fmt, query, want)
    return Collected(facts, files_read, skipped)


def _facts_of(
    cases: list[tuple[str, Any]], fmt: CaseFormat, query: StatsQuery, want: str
) -> list[CaseFacts]:
    facts: list[CaseFacts] = []
    first, last = query.period.start.toordinal(), query.period.end.toordinal()
    for _, value in cases:
        if want == "facts":
            # filtered on the plain values (country, org, intake day) before they are made facts
            if not isinstance(value, tuple) or not first <= value[4] <= last:
                continue
            if query.countries and value[1] not in query.countries:
                continue
            if query.orgs and value[3] not in query.orgs:
                continue
            facts.append(CaseFacts.from_plain(value))
            continue
        intake = parse_date(value.get("intake_date"))
        if intake is None or not (query.period.start <= intake <= query.period.end):
            continue
        if query.as_of and intake > query.as_of:
            continue
        if query.countries and value.get("country") not in query.countries:
            continue
        if query.orgs and value.get("member_org") not in query.orgs:
            continue
        facts.append(case_facts(value, fmt, query.as_of))
    return facts


# --- tables -------------------------------------------------------------------------------------


@dataclass
class Table:
    """One table: a row per category (``labels``), a column per period (then Total and Change,
    or the figures a table is about)."""

    key: str
    title: str
    columns: list[str]
    labels: list[str]
    rows: list[list[Any]]  # one per label, one value per column
    notes: list[str] = field(default_factory=list)
    integer: bool = True  # counts; False for medians and sums

    def column(self, name: str) -> list[Any]:
        at = self.columns.index(name)
        return [row[at] for row in self.rows]

    def cell(self, label: str, column: str) -> Any:
        return self.rows[self.labels.index(label)][self.columns.index(column)]

    @property
    def frame(self) -> Any:
        """The table as a pandas DataFrame (imported here, on first use)."""
        import pandas as pd

        return pd.DataFrame(
            [list(row) for row in self.rows], index=list(self.labels), columns=list(self.columns)
        )


@dataclass
class StatsResult:
    query: StatsQuery
    tables: list[Table]
    headlines: list[str]
    provenance: dict[str, Any]
    skipped: list[Path]


def _label(fmt: CaseFormat, vocabulary: str | None, value: str, lang: str) -> str:
    if vocabulary is None:
        return value
    if value == "not_recorded":
        return WORDS[lang]["not_recorded"]
    return (
        fmt.vocabularies[vocabulary].label(value, lang) if vocabulary in fmt.vocabularies else value
    )


def _count_table(
    key: str,
    rows: Iterable[tuple[str, str, int]],
    query: StatsQuery,
    labels: Callable[[str], str],
    order: list[str] | None = None,
    notes: list[str] | None = None,
) -> Table:
    """A table of counts from (row value, period column, weight) triples."""
    columns = query.period.columns
    counts: dict[str, dict[str, int]] = {}
    for value, column, weight in rows:
        row = counts.get(value)
        if row is None:
            row = counts[value] = dict.fromkeys(columns, 0)
        row[column] += weight
    values = list(counts)
    if order:
        values = [v for v in order if v in counts] + sorted(v for v in counts if v not in order)
    else:
        values.sort(key=lambda v: (-sum(counts[v].values()), v))
    table_rows = [[counts[v][c] for c in columns] for v in values]
    names = list(columns)
    if len(columns) > 1:
        names += [WORDS[query.lang]["total"], WORDS[query.lang]["change"]]
        table_rows = [[*row, sum(row), row[-1] - row[0]] for row in table_rows]
    lang = query.lang
    title = TITLES[key][0 if lang == "en" else 1]
    return Table(key, title, names, [labels(v) for v in values], table_rows, list(notes or []))


def compute_stats(
    repo: CaseRepo,
    fmt: CaseFormat,
    query: StatsQuery,
    *,
    collected: Collected | None = None,
    jobs: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> StatsResult:
    if query.unit not in UNITS:
        raise CattoolError(f"--unit is cases or victims, not '{query.unit}'", ExitCode.USAGE)
    collected = collected or collect(repo, fmt, query, jobs=jobs, progress=progress)
    facts = collected.facts
    lang = query.lang
    words = WORDS[lang]
    per_victims = query.unit == "victims"
    unit_note = words["unit_victims"] if per_victims else words["unit_cases"]

    def weight(f: CaseFacts) -> int:
        return f.n_victims if per_victims else 1

    def col(f: CaseFacts) -> str:
        return query.period.column(f.intake)

    def vocab_label(vocabulary: str) -> Callable[[str], str]:
        return lambda v: _label(fmt, vocabulary, v, lang)

    def country_label(code: str) -> str:
        data = fmt.countries.get(code)
        return data.name.get(lang, code) if data else code

    def region_label(code: str) -> str:
        country, _, region = code.partition(":")
        data = fmt.countries.get(country)
        name = (data.regions.get(region) or {}).get(lang, region) if data else region
        return f"{country_label(country)}: {name}"

    base = [(f, col(f), weight(f)) for f in facts]  # worked out once: every table needs them
    tables = [
        _count_table(
            "new_by_country",
            ((f.country, c, w) for f, c, w in base),
            query,
            country_label,
            order=["KZ", "KG", "TJ"],
            notes=[unit_note],
        ),
        _count_table(
            "by_region",
            ((f"{f.country}:{f.region}", c, w) for f, c, w in base),
            query,
            region_label,
            notes=[unit_note],
        ),
        _count_table("by_org", ((f.org, c, w) for f, c, w in base), query, str, notes=[unit_note]),
        _count_table(
            "by_violation",
            ((f.violation, c, w) for f, c, w in base),
            query,
            vocab_label("violation_type"),
            notes=[unit_note],
        ),
    ]
    for key, attr, vocabulary in (
        ("by_agency", "agencies", "agency"),
        ("by_place", "places", "place_type"),
        ("by_context", "contexts", "context"),
        ("by_method", "methods", "method"),
    ):
        tables.append(
            _count_table(
                key,
                ((v, c, w) for f, c, w in base for v in getattr(f, attr)),
                query,
                vocab_label(vocabulary),
                notes=[unit_note, words["multi"]],
            )
        )
    victim_note = [words["unit_victims"]]
    tables += [
        _count_table(
            "victims_sex",
            ((v["sex"], c, 1) for f, c, w in base for v in f.victims),
            query,
            vocab_label("sex"),
            notes=victim_note,
        ),
        _count_table(
            "victims_age",
            ((v["age"], c, 1) for f, c, w in base for v in f.victims),
            query,
            lambda v: words.get(v, v),
            order=["child", "adult", "age_unknown"],
            notes=victim_note,
        ),
        _count_table(
            "victims_vulnerability",
            ((x, c, 1) for f, c, w in base for v in f.victims for x in v["vulnerabilities"]),
            query,
            vocab_label("vulnerability"),
            notes=[*victim_note, words["multi"]],
        ),
    ]
    tables.append(_funnel(base, query, fmt))
    tables.append(
        _count_table(
            "refusals",
            (
                (g, c, w)
                for f, c, w in base
                for g in (["any", *dict.fromkeys(f.refusal_grounds)] if f.refused else [])
            ),
            query,
            lambda v: (
                words["any_refusal"] if v == "any" else _label(fmt, "refusal_grounds", v, lang)
            ),
            order=["any"],
            notes=[unit_note, words["multi"]],
        )
    )
    tables.append(_answer_days(facts, query, country_label))
    tables.append(
        _count_table(
            "un",
            ((f"{body}:{outcome}", col(f), 1) for f in facts for body, outcome in f.un),
            query,
            lambda v: " — ".join(
                (
                    _label(fmt, "un_body", v.split(":")[0], lang),
                    _label(fmt, "un_outcome", v.split(":")[1], lang)
                    if v.split(":")[1] != "pending"
                    else ("pending" if lang == "en" else "не рассмотрено"),
                )
            ),
            notes=["Unit: communications." if lang == "en" else "Единица счёта: обращения."],
        )
    )
    tables.append(_compensation(facts, query))
    if query.public:
        for table in tables:
            _suppress(table, query)
    headlines = _headlines(facts, query, country_label)
    provenance = _provenance(repo, query, collected)
    return StatsResult(query, tables, headlines, provenance, collected.skipped)


def _funnel(base: list[tuple[CaseFacts, str, int]], query: StatsQuery, fmt: CaseFormat) -> Table:
    """Cases by the furthest stage reached (``base``: each case with its column and weight)."""
    rank = {s: i for i, s in enumerate(STAGES)}

    def reached(f: CaseFacts, stage: str) -> bool:
        if stage == "conviction":
            return f.conviction
        return rank[f.stage] >= rank[stage]

    rows = ((s, c, w) for f, c, w in base for s in FUNNEL if reached(f, s))
    words = WORDS[query.lang]
    table = _count_table(
        "funnel",
        rows,
        query,
        lambda s: _label(fmt, "stage", s, query.lang) if s != "conviction" else words["conviction"],
        order=list(FUNNEL),
        notes=[
            words["unit_victims"] if query.unit == "victims" else words["unit_cases"],
            "Each row counts the cases that reached at least that stage, after the country's "
            "mapping of national events (schemas/countries/)."
            if query.lang == "en"
            else "Каждая строка считает дела, достигшие как минимум этой стадии, с учётом "
            "национальных особенностей (schemas/countries/).",
        ],
    )
    present = dict(zip(table.labels, table.rows, strict=True))
    width = len(table.columns)
    labels = [
        _label(fmt, "stage", stage, query.lang) if stage != "conviction" else words["conviction"]
        for stage in FUNNEL
    ]  # rows that nobody reached still belong in a funnel, in the funnel's order
    table.labels = labels
    table.rows = [present.get(label, [0] * width) for label in labels]
    at = table.columns.index(words["total"]) if words["total"] in table.columns else 0
    complaints = int(table.rows[0][at]) if table.rows else 0
    table.columns = [*table.columns, words["of_complaints"]]
    table.rows = [[*row, percent(int(row[at]), complaints)] for row in table.rows]
    return table


def _answer_days(
    facts: list[CaseFacts], query: StatsQuery, country_label: Callable[[str], str]
) -> Table:
    words = WORDS[query.lang]
    rows = []
    for code in ("KZ", "KG", "TJ"):
        days = [f.answer_days for f in facts if f.country == code and f.answer_days is not None]
        if days:
            rows.append((country_label(code), statistics.median(days), len(days)))
    note = (
        "From the first complaint sent to the first incoming document (the answer to it when "
        "responds_to says so)."
        if query.lang == "en"
        else "От первой жалобы до первого входящего документа (ответа на неё, если указан "
        "responds_to)."
    )
    return Table(
        "answer_days", TITLES["answer_days"][0 if query.lang == "en" else 1],
        [words["median_days"], words["cases_measured"]],
        [c for c, _, _ in rows], [[m, n] for _, m, n in rows], [note], integer=False,
    )  # fmt: skip


def _compensation(facts: list[CaseFacts], query: StatsQuery) -> Table:
    words = WORDS[query.lang]
    currencies = sorted({c for f in facts for _, c in (*f.claimed, *f.awarded)})
    rows = []
    for currency in currencies:
        claimed = sum(a for f in facts for a, c in f.claimed if c == currency)
        awarded = sum(a for f in facts for a, c in f.awarded if c == currency)
        cases = sum(1 for f in facts if any(c == currency for _, c in (*f.claimed, *f.awarded)))
        rows.append((currency or "?", claimed, awarded, cases))
    return Table(
        "compensation", TITLES["compensation"][0 if query.lang == "en" else 1],
        [words["claimed"], words["awarded"], words["cases_n"]],
        [r[0] for r in rows], [[c, a, n] for _, c, a, n in rows], [], integer=False,
    )  # fmt: skip


def _suppress(table: Table, query: StatsQuery) -> None:
    """Hide counts from 1 to SUPPRESS_BELOW-1 (small cells can identify a victim), and every
    figure that would give a hidden count away: a percentage of it, a total over a row with a
    hidden cell, the change between years, a median or a sum over fewer cases."""
    words = WORDS[query.lang]
    hidden_mark = f"<{SUPPRESS_BELOW}"
    columns = table.columns
    rows: list[list[Any]] = [list(row) for row in table.rows]
    hidden = False

    def small(value: Any) -> bool:
        return isinstance(value, (int, float)) and 0 < value < SUPPRESS_BELOW

    if table.key in ("answer_days", "compensation"):
        count_column = words["cases_measured"] if table.key == "answer_days" else words["cases_n"]
        at = columns.index(count_column)
        for row in rows:
            if small(row[at]):
                row[:] = ["–"] * len(columns)
                row[at] = hidden_mark
                hidden = True
    else:
        total, change, share = words["total"], words["change"], words["of_complaints"]
        for row in rows:
            row_hidden = False
            for i, column in enumerate(columns):
                if column in (change, share):
                    continue
                if small(row[i]):
                    row[i] = hidden_mark
                    row_hidden = hidden = True
            if row_hidden:
                if total in columns and row[columns.index(total)] != hidden_mark:
                    row[columns.index(total)] = "–"  # it would give the hidden years away
                if share in columns:
                    row[columns.index(share)] = "–"
        if hidden and change in columns:  # it could give a hidden cell away
            at = columns.index(change)
            table.columns = [c for i, c in enumerate(columns) if i != at]
            rows = [[v for i, v in enumerate(row) if i != at] for row in rows]
    if hidden:
        table.notes.append(words["suppressed"].format(n=SUPPRESS_BELOW))
    table.rows = rows


def _period_words(period: Period, lang: str) -> str:
    if period.by_year and len(period.years) == 1:
        return f"In {period.label}" if lang == "en" else f"В {period.label} г."
    if period.by_year:
        first, last = period.years[0], period.years[-1]
        return f"In {first}–{last}" if lang == "en" else f"В {first}–{last} гг."
    if period.label.endswith((" H1", " H2")):
        year, half = period.label.split()
        if lang == "en":
            return f"In the {'first' if half == 'H1' else 'second'} half of {year}"
        return f"В {'первом' if half == 'H1' else 'втором'} полугодии {year} г."
    start, end = period.start.isoformat(), period.end.isoformat()
    return f"From {start} to {end}" if lang == "en" else f"С {start} по {end}"


def _headlines(
    facts: list[CaseFacts], query: StatsQuery, country_label: Callable[[str], str]
) -> list[str]:
    from cattool.rendering import join_words

    lang = query.lang
    when = _period_words(query.period, lang)
    victims = query.unit == "victims"
    per_country = []
    for code in ("KZ", "KG", "TJ"):
        n = sum(f.n_victims if victims else 1 for f in facts if f.country == code)
        if n:
            per_country.append((_shown_count(n, query), n, country_label(code)))
    lines = []
    if per_country and lang == "en":
        first, n, name = per_country[0]
        noun = ("victim" if victims else "case") + ("" if n == 1 else "s")
        rest = [f"{shown} in {country}" for shown, _, country in per_country[1:]]
        verb = "documented" if victims else "registered"
        lines.append(
            f"{when} the coalitions {verb} {first} new {noun} in {name}"
            + (
                f", {join_words(rest, 'en')}"
                if len(rest) > 1
                else (f" and {rest[0]}" if rest else "")
            )
            + "."
        )
    elif per_country:
        unit_ru = "пострадавших" if victims else "дел"
        lines.append(
            f"{when} коалиции зарегистрировали новых {unit_ru}: "
            + "; ".join(f"{shown} — {country}" for shown, _, country in per_country)
            + "."
        )
    else:
        unit_en, unit_ru = ("victims", "пострадавших") if victims else ("cases", "дел")
        lines.append(
            f"{when} no new {unit_en} were registered." if lang == "en"
            else f"{when} новых {unit_ru} не зарегистрировано."
        )  # fmt: skip
    complaints = [f for f in facts if f.stage != "none"]
    opened = [
        f for f in complaints if STAGES.index(f.stage) >= STAGES.index("investigation_opened")
    ]
    if complaints:
        a, b = _shown_count(len(opened), query), _shown_count(len(complaints), query)
        hidden = a.startswith("<") or b.startswith("<")
        rate = "" if hidden else f" ({percent(len(opened), len(complaints))}%)"
        lines.append(
            f"Criminal cases were opened in {a} of the {b} cases in which a complaint was "
            f"sent{rate}."
            if lang == "en"
            else f"Уголовные дела возбуждены по {a} из {b} дел, по которым подана жалоба{rate}."
        )
    return lines


def percent(part: int, whole: int) -> int:
    """A whole percentage rounded half up (12.5 -> 13), as people expect in a report."""
    return int(100 * part / whole + 0.5) if whole else 0


def _shown_count(n: int, query: StatsQuery) -> str:
    return f"<{SUPPRESS_BELOW}" if query.public and 0 < n < SUPPRESS_BELOW else str(n)


def _provenance(repo: CaseRepo, query: StatsQuery, collected: Collected) -> dict[str, Any]:
    from cattool import __version__
    from cattool.repo import git

    commit = None
    try:
        commit = git(repo.root, "rev-parse", "HEAD", check=False).stdout.strip() or None
        dirty = git(repo.root, "status", "--porcelain", "--", "cases", check=False).stdout
        if commit and dirty.strip():
            commit += " (with uncommitted changes in cases/)"
    except Exception:  # not a git repository, or git is missing
        commit = None
    return {
        "cattool_version": __version__,
        "generated_on": dt.date.today().isoformat(),
        "repository_commit": commit or "not a git repository",
        "case_files_read": collected.files_read,
        "cases_counted": len(collected.facts),
        "case_files_skipped": len(collected.skipped),
        "period": query.period.label,
        "as_of": (query.as_of or dt.date.today()).isoformat(),
        "countries": ",".join(query.countries) or "all",
        "organisations": ",".join(query.orgs) or "all",
        "unit": query.unit,
        "public": query.public,
        "suppression_threshold": SUPPRESS_BELOW if query.public else None,
    }
