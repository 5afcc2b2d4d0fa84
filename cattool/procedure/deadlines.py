"""Deadlines from where the proceedings stand: what is overdue and what falls due soon.

Two kinds of rule, both data:

- national rules in ``schemas/countries/XX.yaml`` (``deadlines``): a trigger event of the
  criminal track (a complaint sent, a refusal) and the events that meet it (a reply, a
  registration), in calendar or working days, each rule valid for the period of the law behind
  it (``in_force``: the rule in force on the trigger's date applies);
- UN rules in ``schemas/un.yaml``: the State's reply to a UN communication, the follow-up after
  Views, the Human Rights Committee's five-year window, a Special Rapporteur submission getting
  stale.

Only the rules of the current state of each track are open. A rule the proceedings moved past
(no forensic examination ordered, but the officers were convicted years ago; an appeal against a
refusal that was annulled) is closed, and says by what.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from cattool.countries import CountryData, Period
from cattool.dates import parse_date
from cattool.errors import ConfigError
from cattool.procedure.events import CLOSURES, REFUSALS, Event
from cattool.procedure.law import provision
from cattool.procedure.model import Proceedings, proceedings
from cattool.procedure.tracks import Criminal, Remedies
from cattool.procedure.un import TREATY_BODIES
from cattool.workdays import WorkCalendar, due_on

# While a complaint waits for its answer, or a check is under way, its rules are open.
WAITING = ("complaint_pending", "check")
DECISIONS = REFUSALS + CLOSURES
DECIDED = {Criminal.REFUSED.value, Criminal.DISCONTINUED.value}


@dataclass(frozen=True, slots=True)
class DeadlineRule:
    rule: str
    title: dict[str, str]
    trigger: str
    met_by: tuple[str, ...]
    days: int
    working_days: bool
    basis: str
    verified: bool
    basis_ru: str = ""  # the same legal basis as a Russian letter cites it
    reminder: bool = False  # the deadline a reminder letter cites (the reply to a complaint)
    # the trigger's date picks the rule of the law then in force
    in_force: Period = field(default_factory=Period)
    open_while: tuple[str, ...] = ()  # criminal stages in which the rule can still be met

    def stages(self) -> tuple[str, ...]:
        if self.open_while:
            return self.open_while
        return tuple(DECIDED) if self.trigger in DECISIONS else WAITING


def _day(value: Any, where: str) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    raise ConfigError(f"{where} must be a date written YYYY-MM-DD.")


def deadline_rules(country: CountryData) -> list[DeadlineRule]:
    """The country's ``deadlines``, checked, so a typo in the data names the rule to fix."""
    raw = country.raw.get("deadlines") or []
    where = f"country data for {country.country}: deadlines"
    if not isinstance(raw, list):
        raise ConfigError(f"{where} must be a list of rules.")
    rules = []
    stages = {s.value for s in Criminal}
    for i, rule in enumerate(raw):
        at = f"{where}[{i}]"
        if not isinstance(rule, dict):
            raise ConfigError(f"{at} must be a mapping with trigger, met_by and days.")
        met_by = rule.get("met_by")
        days = rule.get("days")
        if not isinstance(rule.get("trigger"), str):
            raise ConfigError(f"{at} needs a 'trigger' event type such as complaint_sent.")
        if not isinstance(met_by, list) or not all(isinstance(m, str) for m in met_by):
            raise ConfigError(f"{at} needs 'met_by', a list of event types.")
        if isinstance(days, bool) or not isinstance(days, int) or days < 0:
            raise ConfigError(f"{at} needs 'days', a whole number of days.")
        open_while = rule.get("open_while") or []
        if not isinstance(open_while, list) or not set(open_while) <= stages:
            raise ConfigError(f"{at}: 'open_while' lists stages of {', '.join(sorted(stages))}.")
        in_force = rule.get("in_force") or {}
        if not isinstance(in_force, dict):
            raise ConfigError(f"{at}: 'in_force' is a mapping with 'from' and/or 'to' dates.")
        title = rule.get("title")
        rules.append(
            DeadlineRule(
                rule=str(rule.get("rule", f"deadline-{i + 1}")),
                title={str(k): str(v) for k, v in title.items()} if isinstance(title, dict) else {},
                trigger=rule["trigger"],
                met_by=tuple(met_by),
                days=days,
                working_days=bool(rule.get("working_days", False)),
                basis=str(rule.get("basis", "")),
                verified=bool(rule.get("verified", False)),
                basis_ru=str(rule.get("basis_ru", "")),
                reminder=bool(rule.get("reminder", False)),
                in_force=Period(
                    _day(in_force.get("from"), f"{at}.in_force.from"),
                    _day(in_force.get("to"), f"{at}.in_force.to"),
                ),
                open_while=tuple(open_while),
            )
        )
    return rules


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
    track: str = "criminal"  # criminal, or un:<comm_id>
    counts_from: str = ""  # the event it counts from, in words: "e1 (complaint_sent, 2016-03-11)"
    closed_by: str | None = None  # why it is no longer open, if it is closed
    national: DeadlineRule | None = None  # the country rule, for a letter that cites it

    @property
    def overdue(self) -> bool:
        return self.days_late > 0 and self.closed_by is None

    @property
    def open(self) -> bool:
        return self.closed_by is None


def shift_rule(country: CountryData, day: dt.date) -> bool:
    """Does a calendar-day deadline that ends on a day off move to the next working day?"""
    found = provision(country, "deadline_shift", day)
    return found is not None and found.get("rule") == "next_working_day"


def _met(rule: DeadlineRule, trigger: Event, events: tuple[Event, ...]) -> bool:
    """An event of ``met_by`` answers the trigger: linked to it, or unlinked and not older."""
    return any(
        other.index != trigger.index
        and other.type in rule.met_by
        and (
            other.responds_to == trigger.event_id
            if other.responds_to
            else other.date >= trigger.date
        )
        for other in events
    )


def _closed(rule: DeadlineRule, trigger: Event, state: Proceedings) -> str | None:
    """Why the proceedings no longer leave this rule open, or None while it is."""
    track = state.criminal
    if rule.trigger in DECISIONS:
        annulment = track.annulled(trigger)
        if annulment is not None:
            return f"the decision was set aside: {annulment.by.describe()}"
        if track.decision is None or track.decision.index != trigger.index:
            last = track.history[-1].event if track.history else None
            return f"a later decision stands: {last.describe()}" if last else "superseded"
    if track.stage.value in rule.stages():
        return None
    last = track.history[-1].event if track.history else trigger
    return f"the proceedings moved on: {track.stage.value} since {last.describe()}"


def _national(
    case: Mapping[str, Any],
    country: CountryData,
    state: Proceedings,
    calendar: WorkCalendar | None,
) -> list[Deadline]:
    case_id = str(case.get("case_id"))
    found = []
    for rule in deadline_rules(country):
        for trigger in state.events:
            if trigger.type != rule.trigger or not rule.in_force.covers(trigger.date):
                continue
            if _met(rule, trigger, state.events):
                continue
            start = trigger.known_on  # the time to act runs from the day we received it
            shift = not rule.working_days and shift_rule(country, start)
            due = due_on(start, rule.days, rule.working_days, calendar, shift=shift)
            found.append(
                Deadline(
                    case_id,
                    rule.rule,
                    rule.title.get("en") or rule.rule,
                    rule.basis,
                    rule.verified,
                    start,
                    due,
                    (state.as_of - due).days,
                    _national_action(rule, case_id),
                    trigger.path,
                    trigger.event_id,
                    "criminal",
                    trigger.describe(),
                    _closed(rule, trigger, state),
                    rule,
                )
            )
    return found


def _national_action(rule: DeadlineRule, case_id: str) -> str:
    if rule.reminder:
        return f"send a reminder: cattool letter --to procuracy --kind reminder {case_id}"
    if rule.trigger in DECISIONS:
        return f"appeal the decision: cattool letter --to procuracy --kind appeal {case_id}"
    if rule.rule == "forensic_order":
        return "insist on a forensic examination now: traces fade"
    return "ask the authority what happened, then record the answer with cattool event add"


@lru_cache(maxsize=8)
def _un_file(path: Path) -> Any:
    """schemas/un.yaml, read once per process: the UN deadlines and the urgent-appeal window."""
    try:
        return yaml.load(path.read_text(encoding="utf-8-sig"), Loader=yaml.CSafeLoader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as err:
        raise ConfigError(f"{path}: cannot read the UN rules ({type(err).__name__})") from None


def _un_rules(path: Path) -> list[dict[str, Any]]:
    raw = _un_file(path)
    rules = (raw or {}).get("deadlines") if isinstance(raw, dict) else None
    if not isinstance(rules, list):
        raise ConfigError(f"{path}: 'deadlines' must be a list of rules")
    return rules


def add_period(day: dt.date, rule: Mapping[str, Any]) -> dt.date:
    """``day`` plus the rule's ``years``, ``months`` or ``days`` (29 February becomes the 28th)."""
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


def _un(case: Mapping[str, Any], rules: list[dict[str, Any]], state: Proceedings) -> list[Deadline]:
    case_id = str(case.get("case_id"))
    as_of = state.as_of
    found: list[Deadline] = []

    def add(
        rule: dict[str, Any], start: dt.date, where: str, action: str, track: str, what: str
    ) -> None:
        due = add_period(start, rule)
        fade = rule.get("fade_days")
        if isinstance(fade, int) and (as_of - due).days > fade:
            return  # a window long closed is no longer something to act on
        found.append(
            Deadline(
                case_id, str(rule.get("rule")), str(rule.get("title") or rule.get("rule")),
                str(rule.get("basis", "")), bool(rule.get("verified", False)), start, due,
                (as_of - due).days, action, where, None, track, what,
            )
        )  # fmt: skip

    for rule in rules:
        kind = rule.get("kind")
        bodies = rule.get("bodies") or []
        if kind == "communication":
            outcomes = rule.get("outcomes")
            for comm in state.un:
                if comm.body not in bodies:
                    continue
                if outcomes and (not comm.decided or comm.outcome not in outcomes):
                    continue  # e.g. no follow-up to Views that found no violation
                if rule.get("until") and str(rule["until"]) in comm.dates:
                    continue  # the procedure ended (the Committee decided)
                if rule.get("from_follow_up"):  # counted from a step of the follow-up
                    step = comm.last_follow_up(str(rule["from_follow_up"]))
                    start = step.date if step is not None else None
                else:
                    start = comm.dates.get(str(rule.get("from")))
                if start is None:
                    continue
                if rule.get("met_by") and str(rule["met_by"]) in comm.dates:
                    continue
                met_follow_up = rule.get("met_by_follow_up")
                answer = comm.last_follow_up(str(met_follow_up)) if met_follow_up else None
                if answer is not None and answer.date >= start:
                    continue
                name = comm.comm_id or comm.path
                action = str(rule.get("action", "")).format(
                    case=case_id, to={"ccpr": "hrc"}.get(comm.body, comm.body)
                )
                add(rule, start, comm.path, action, f"un:{name}",
                    f"{name} ({comm.body}, {rule.get('from') or rule.get('from_follow_up')} {start.isoformat()})")  # fmt: skip
        elif kind == "hrc_window":
            if any(c.body in TREATY_BODIES for c in state.un):
                continue
            remedies = state.remedies
            final = remedies.final_decision
            if remedies.status is Remedies.EXHAUSTED and final is not None:
                add(rule, final.date, final.path, str(rule.get("action", "")).format(case=case_id),
                    "criminal", final.describe())  # fmt: skip
        elif kind == "sr_stale":
            if any(c.body == "sr_torture" for c in state.un):
                continue
            starts = [
                (parse_date(inc.get("date_start")) if isinstance(inc, Mapping) else None, index)
                for index, inc in enumerate(case.get("incidents") or [])
            ]
            known = [(d, index) for d, index in starts if d and d <= as_of]
            if known:
                first, index = min(known)
                add(rule, first, f"incidents[{index}].date_start",
                    str(rule.get("action", "")).format(case=case_id), "un",
                    f"incidents[{index}] ({first.isoformat()})")  # fmt: skip
    return found


def case_deadlines(
    case: Mapping[str, Any],
    country: CountryData | None,
    as_of: dt.date,
    *,
    calendar: WorkCalendar | None = None,
    un_rules: list[dict[str, Any]] | None = None,
    closed: bool = False,
    state: Proceedings | None = None,
) -> list[Deadline]:
    """Every deadline of the case not met on ``as_of`` that is still open (with ``closed``, also
    those the proceedings moved past, each saying by what)."""
    state = state or proceedings(case, country, as_of)
    found = _national(case, country, state, calendar) if country is not None else []
    if un_rules:
        found += _un(case, un_rules, state)
    if not closed:
        found = [d for d in found if d.open]
    found.sort(key=lambda d: (d.due, d.rule))
    return found


def overdue(
    case: Mapping[str, Any],
    country: CountryData | None,
    as_of: dt.date,
    *,
    calendar: WorkCalendar | None = None,
) -> list[Deadline]:
    """The country's deadlines that are open and have passed on ``as_of``."""
    found = [d for d in case_deadlines(case, country, as_of, calendar=calendar) if d.overdue]
    found.sort(key=lambda d: (d.due, d.where, d.rule))
    return found


def un_rules_for(schema_file: Any) -> list[dict[str, Any]]:
    path = schema_file("un.yaml")
    return _un_rules(path) if path.is_file() else []


def urgent_window(schema_file: Any, default: int) -> int:
    """``urgent_appeal.recent_days`` of schemas/un.yaml: how recent a threat or a reprisal must
    be to make an urgent appeal; ``default`` where the file does not say."""
    path = schema_file("un.yaml")
    raw = _un_file(path) if path.is_file() else None
    section = raw.get("urgent_appeal") if isinstance(raw, dict) else None
    found = section.get("recent_days") if isinstance(section, dict) else None
    return found if isinstance(found, int) and not isinstance(found, bool) else default
