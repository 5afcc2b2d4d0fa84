"""Working days: each country's public holidays (the ``holidays`` package) and the days a
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


def due_on(
    start: dt.date,
    days: int,
    working: bool,
    calendar: WorkCalendar | None,
    *,
    shift: bool = False,
) -> dt.date:
    """``days`` calendar days after ``start``, or ``days`` working days of the country's
    calendar; with ``shift``, a calendar-day deadline that ends on a day off moves to the next
    working day (the country data's ``law.deadline_shift``)."""
    work = calendar or WorkCalendar("")
    if working:
        return work.add_working_days(start, days)
    due = start + dt.timedelta(days=days)
    while shift and not work.is_working(due):
        due += dt.timedelta(days=1)
    return due
