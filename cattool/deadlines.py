"""Deadlines: what is overdue and what falls due soon, for every open case.

Two kinds of rule, both data:

- national rules in ``schemas/countries/XX.yaml`` (``deadlines``): a trigger event in the case's
  timeline (a complaint sent, a refusal) and the events that meet it (a reply, a registration),
  in calendar or working days;
- UN rules in ``schemas/un.yaml``: the State's reply to a UN communication, the follow-up after
  Views, the Human Rights Committee's five-year window, a Special Rapporteur submission getting
  stale.

Working days follow each country's public holidays (the ``holidays`` package) and the days a
coalition adds in ``schemas/calendars/XX.yaml`` of its repository (days the government moved by
decree: ``days_off`` and ``working_days``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from cattool.countries import CountryData
from cattool.dates import parse_date
from cattool.errors import ConfigError

# --- working days -----------------------------------------------------------------------------


@dataclass(frozen=True)
class WorkCalendar:
    country: str
    days_off: frozenset[dt.date] = frozenset()  # moved by decree, on top of public holidays
    working_days: frozenset[dt.date] = frozenset()  # Saturdays or Sundays made working days

    def is_working(self, day: dt.date) -> bool:
        if day in self.working_days:
            return True
        public = _public_holidays(self.country, day.year)
        if day.weekday() >= 5:
            # a Saturday or Sunday the government made a working day (the holidays package
            # lists those it knows; a coalition adds others in its calendar file)
            return day in (getattr(public, "weekend_workdays", None) or ())
        if day in self.days_off:
            return False
        return day not in public

    def add_working_days(self, start: dt.date, days: int) -> dt.date:
        """The day ``days`` working days after ``start`` (start itself not counted)."""
        day, left = start, days
        while left > 0:
            day += dt.timedelta(days=1)
            if self.is_working(day):
                left -= 1
        return day

    def holiday_name(self, day: dt.date) -> str | None:
        return _public_holidays(self.country, day.year).get(day)  # type: ignore[no-any-return]


@lru_cache(maxsize=64)
def _public_holidays(country: str, year: int) -> Any:
    try:
        import holidays
    except ImportError:  # pragma: no cover - a dependency; without it only weekends count
        return {}
    try:
        return holidays.country_holidays(country, years=year)
    except NotImplementedError:
        return {}


def load_calendar(country: str, path: Path | None) -> WorkCalendar:
    """The working-day calendar of ``country`` with the decree days of ``path`` (if it exists)."""
    if path is None or not path.is_file():
        return WorkCalendar(country)
    try:
        raw = yaml.load(path.read_text(encoding="utf-8-sig"), Loader=yaml.CSafeLoader) or {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as err:
        raise ConfigError(f"{path}: cannot read the calendar ({type(err).__name__})") from None
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: a calendar is a mapping with days_off and working_days")

    def days(key: str) -> frozenset[dt.date]:
        values = raw.get(key) or []
        if not isinstance(values, list) or not all(isinstance(v, dt.date) for v in values):
            raise ConfigError(f"{path}: '{key}' must be a list of dates written YYYY-MM-DD")
        return frozenset(values)

    return WorkCalendar(country, days("days_off"), days("working_days"))


def due_on(start: dt.date, days: int, working: bool, calendar: WorkCalendar | None) -> dt.date:
    if not working:
        return start + dt.timedelta(days=days)
    return (calendar or WorkCalendar("")).add_working_days(start, days)


# --- deadlines of one case ----------------------------------------------------------------------


@dataclass(frozen=True)
class Deadline:
    case_id: str
    rule: str
    title: str
    basis: str
    verified: bool
    start: dt.date
    due: dt.date
    days_late: int  # negative: days left
    action: str
    where: str  # the YAML path of what starts the clock
    event_id: str | None = None

    @property
    def overdue(self) -> bool:
        return self.days_late > 0


def _national(
    case: dict[str, Any],
    country: CountryData,
    as_of: dt.date,
    calendar: WorkCalendar | None,
) -> list[Deadline]:
    from cattool.summary import deadline_rules

    case_id = str(case.get("case_id"))
    raw_events = case.get("legal_actions")
    if not isinstance(raw_events, list):
        return []
    events = [
        (i, e, parse_date(e.get("date"))) for i, e in enumerate(raw_events) if isinstance(e, dict)
    ]
    found = []
    for rule in deadline_rules(country):
        for i, trigger, day in events:
            if trigger.get("type") != rule.trigger or day is None or day > as_of:
                continue
            trigger_id = trigger.get("event_id")
            met = any(
                j != i
                and other.get("type") in rule.met_by
                and other_day is not None
                and other_day <= as_of
                and (
                    other.get("responds_to") == trigger_id
                    if other.get("responds_to")
                    else other_day >= day
                )
                for j, other, other_day in events
            )
            if met:
                continue
            due = due_on(day, rule.days, rule.working_days, calendar)
            found.append(
                Deadline(
                    case_id,
                    rule.rule,
                    rule.title.get("en") or rule.rule,
                    rule.basis,
                    rule.verified,
                    day,
                    due,
                    (as_of - due).days,
                    _national_action(rule.rule, rule.reminder, case_id),
                    f"legal_actions[{i}]",
                    trigger_id if isinstance(trigger_id, str) else None,
                )
            )
    return found


def _national_action(rule: str, reminder: bool, case_id: str) -> str:
    if reminder:
        return f"send a reminder: cattool letter --to procuracy --kind reminder {case_id}"
    if rule == "our_appeal":
        return f"appeal the refusal: cattool letter --to procuracy --kind appeal {case_id}"
    if rule == "forensic_order":
        return "insist on a forensic examination now: traces fade"
    return "ask the authority what happened, then record the answer with cattool event add"


@lru_cache(maxsize=8)
def _un_rules(path: Path) -> list[dict[str, Any]]:
    try:
        raw = yaml.load(path.read_text(encoding="utf-8-sig"), Loader=yaml.CSafeLoader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as err:
        raise ConfigError(f"{path}: cannot read the UN rules ({type(err).__name__})") from None
    rules = (raw or {}).get("deadlines") if isinstance(raw, dict) else None
    if not isinstance(rules, list):
        raise ConfigError(f"{path}: 'deadlines' must be a list of rules")
    return rules


def _add(day: dt.date, rule: dict[str, Any]) -> dt.date:
    if rule.get("years"):
        try:
            return day.replace(year=day.year + int(rule["years"]))
        except ValueError:  # 29 February
            return day.replace(year=day.year + int(rule["years"]), day=28)
    if rule.get("months"):
        month = day.month - 1 + int(rule["months"])
        year, month = day.year + month // 12, month % 12 + 1
        last = (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)).day
        return dt.date(year, month, min(day.day, last))
    return day + dt.timedelta(days=int(rule.get("days", 0)))


def _un(case: dict[str, Any], rules: list[dict[str, Any]], as_of: dt.date) -> list[Deadline]:
    case_id = str(case.get("case_id"))
    comms = [c for c in case.get("un_communications") or [] if isinstance(c, dict)]
    found: list[Deadline] = []

    def add(rule: dict[str, Any], start: dt.date, where: str, action: str) -> None:
        due = _add(start, rule)
        fade = rule.get("fade_days")
        if isinstance(fade, int) and (as_of - due).days > fade:
            return  # a window long closed is no longer something to act on
        found.append(
            Deadline(
                case_id, str(rule.get("rule")), str(rule.get("title") or rule.get("rule")),
                str(rule.get("basis", "")), bool(rule.get("verified", False)), start, due,
                (as_of - due).days, action, where,
            )
        )  # fmt: skip

    for rule in rules:
        kind = rule.get("kind")
        bodies = rule.get("bodies") or []
        if kind == "communication":
            outcomes = rule.get("outcomes")
            for i, comm in enumerate(comms):
                if comm.get("body") not in bodies:
                    continue
                if outcomes and comm.get("outcome") not in outcomes:
                    continue  # e.g. no follow-up to Views that found no violation
                until = parse_date(comm.get(str(rule.get("until")))) if rule.get("until") else None
                if until is not None and until <= as_of:
                    continue  # the procedure ended (the Committee decided)
                start = parse_date(comm.get(str(rule.get("from"))))
                if start is None or start > as_of:
                    continue
                met = parse_date(comm.get(str(rule.get("met_by")))) if rule.get("met_by") else None
                if met is not None and met <= as_of:
                    continue
                add(rule, start, f"un_communications[{i}]", str(rule.get("action", "")))
        elif kind == "hrc_window":
            if any(c.get("body") in ("ccpr", "cat") for c in comms):
                continue
            from cattool.letters.un import FINAL_DECISIONS

            finals = [
                (i, parse_date(e.get("date")))
                for i, e in enumerate(case.get("legal_actions") or [])
                if isinstance(e, dict) and e.get("type") in FINAL_DECISIONS
            ]
            finals = [(i, d) for i, d in finals if d and d <= as_of]
            if finals:
                i, day = max(finals, key=lambda x: x[1])  # type: ignore[arg-type, return-value]
                assert day is not None
                add(
                    rule,
                    day,
                    f"legal_actions[{i}]",
                    str(rule.get("action", "")).format(case=case_id),
                )
        elif kind == "sr_stale":
            if any(c.get("body") == "sr_torture" for c in comms):
                continue
            starts = [
                (parse_date(inc.get("date_start")) if isinstance(inc, dict) else None, index)
                for index, inc in enumerate(case.get("incidents") or [])
            ]
            known = [(d, index) for d, index in starts if d and d <= as_of]
            if known:
                first, index = min(known)
                add(rule, first, f"incidents[{index}].date_start",
                    str(rule.get("action", "")).format(case=case_id))  # fmt: skip
    return found


def case_deadlines(
    case: dict[str, Any],
    country: CountryData | None,
    as_of: dt.date,
    *,
    calendar: WorkCalendar | None = None,
    un_rules: list[dict[str, Any]] | None = None,
) -> list[Deadline]:
    """Every deadline of the case not met on ``as_of`` (overdue or still running)."""
    found = _national(case, country, as_of, calendar) if country is not None else []
    if un_rules:
        found += _un(case, un_rules, as_of)
    found.sort(key=lambda d: (d.due, d.rule))
    return found


def un_rules_for(schema_file: Any) -> list[dict[str, Any]]:
    path = schema_file("un.yaml")
    return _un_rules(path) if path.is_file() else []
