"""Semantic checks beyond the schema, each with a stable code from ``cattool.problems.CODES``.

Checks read the constructed case (plain dicts, dates as text) and yield ``Finding`` values with
the YAML path of the offending value. They never put a sensitive value into a message.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import PurePath
from typing import Any

from cattool.countries import CountryData
from cattool.dates import age_on, parse_date
from cattool.loading import YamlPath
from cattool.problems import Severity, code_info

UN_SCOPE = {
    "sr_torture": "un_special_procedures",
    "special_procedure_other": "un_special_procedures",
    "wgad": "un_special_procedures",
    "ccpr": "un_treaty_body",
    "cat": "un_treaty_body",
}
UN_ACCEPTANCE = {"ccpr": "ccpr_op1", "cat": "cat_art22"}
UN_BODY_NAMES = {"ccpr": "the Human Rights Committee", "cat": "the Committee against Torture"}


@dataclass(frozen=True, slots=True)
class Finding:
    yaml_path: YamlPath
    message: str
    code: str
    severity: Severity

    @classmethod
    def of(cls, yaml_path: YamlPath, message: str, code: str) -> Finding:
        return cls(yaml_path, message, code, code_info(code).severity)


@dataclass(slots=True)
class CheckContext:
    countries: dict[str, CountryData]
    organisations: dict[str, Any] = field(default_factory=dict)
    today: dt.date = field(default_factory=dt.date.today)
    encryption_required: bool = False  # cattool.yaml: encryption: {required: true}


def _items(case: dict[str, Any], key: str) -> list[tuple[int, dict[str, Any]]]:
    value = case.get(key)
    if not isinstance(value, list):
        return []
    return [(i, item) for i, item in enumerate(value) if isinstance(item, dict)]


def check_file_placement(case: dict[str, Any], relative: PurePath | None) -> Iterator[Finding]:
    """The file name equals the case_id, the id agrees with country and year, the folder with country."""
    case_id = case.get("case_id")
    if not isinstance(case_id, str):
        return
    if relative is not None:
        if relative.stem != case_id:
            yield Finding.of(
                ("case_id",),
                f"the file is named '{relative.name}' but the case_id is {case_id}; "
                f"rename the file to {case_id}.yaml",
                "file-name",
            )
        country = case.get("country")
        if len(relative.parts) > 1 and isinstance(country, str) and relative.parts[0] != country:
            yield Finding.of(
                ("country",),
                f"a {country} case is in cases/{relative.parts[0]}/; move it to cases/{country}/",
                "wrong-folder",
            )
    parts = case_id.split("-")
    if len(parts) == 3:
        if isinstance(case.get("country"), str) and parts[0] != case["country"]:
            yield Finding.of(
                ("case_id",),
                f"the case_id starts with {parts[0]} but the country is {case['country']}",
                "id-mismatch",
            )
        intake = parse_date(case.get("intake_date"))
        if intake is not None and parts[1] != str(intake.year):
            yield Finding.of(
                ("case_id",),
                f"the case_id has the year {parts[1]} but intake_date is in {intake.year}",
                "id-mismatch",
            )


def check_case(case: dict[str, Any], ctx: CheckContext) -> Iterator[Finding]:
    """Every semantic check of one case that does not need other files."""
    yield from _check_ids(case)
    yield from _check_dates(case, ctx)
    yield from _check_ages(case)
    yield from _check_consent(case)
    yield from _check_country_data(case, ctx)
    org = case.get("member_org")
    if ctx.organisations and isinstance(org, str) and org not in ctx.organisations:
        known = ", ".join(sorted(ctx.organisations))
        yield Finding.of(
            ("member_org",),
            f"'{org}' is not an organisation of cattool.yaml ({known})",
            "unknown-org",
        )


# --- ids and references ------------------------------------------------------------------------

COLLECTIONS = {
    "victims": "victim_id",
    "incidents": "incident_id",
    "perpetrators": "perpetrator_id",
    "medical_evidence": "evidence_id",
    "legal_actions": "event_id",
    "un_communications": "comm_id",
}


def _ids(case: dict[str, Any], collection: str) -> set[str]:
    key = COLLECTIONS[collection]
    return {str(item[key]) for _, item in _items(case, collection) if key in item}


def _check_ids(case: dict[str, Any]) -> Iterator[Finding]:
    for collection, key in COLLECTIONS.items():
        seen: set[str] = set()
        for i, item in _items(case, collection):
            value = item.get(key)
            if not isinstance(value, str):
                continue  # the schema reports an id that is not text
            if value in seen:
                yield Finding.of(
                    (collection, i, key),
                    f"the id '{value}' is used twice in {collection}; give each its own id",
                    "duplicate-id",
                )
            seen.add(value)

    victims = _ids(case, "victims")
    incidents = _ids(case, "incidents")
    events = _ids(case, "legal_actions")

    def dangling(path: YamlPath, value: Any, kind: str, known: set[str]) -> Iterator[Finding]:
        if isinstance(value, str) and value not in known:
            listed = ", ".join(sorted(known)) or "none"
            yield Finding.of(
                path,
                f"there is no {kind} '{value}' in this case (known: {listed})",
                "dangling-reference",
            )

    for i, inc in _items(case, "incidents"):
        for j, vid in enumerate(inc.get("victim_ids") or []):
            yield from dangling(("incidents", i, "victim_ids", j), vid, "victim", victims)
    for i, per in _items(case, "perpetrators"):
        for j, iid in enumerate(per.get("incident_ids") or []):
            yield from dangling(("perpetrators", i, "incident_ids", j), iid, "incident", incidents)
    for i, med in _items(case, "medical_evidence"):
        yield from dangling(
            ("medical_evidence", i, "victim_id"), med.get("victim_id"), "victim", victims
        )
    for i, com in _items(case, "un_communications"):
        for j, vid in enumerate(com.get("victim_ids") or []):
            yield from dangling(("un_communications", i, "victim_ids", j), vid, "victim", victims)
    for i, con in _items(case, "consent"):
        yield from dangling(("consent", i, "person_id"), con.get("person_id"), "victim", victims)
    for i, ev in _items(case, "legal_actions"):
        yield from dangling(
            ("legal_actions", i, "responds_to"), ev.get("responds_to"), "event", events
        )


# --- dates -------------------------------------------------------------------------------------


def _first_incident_date(case: dict[str, Any]) -> dt.date | None:
    dates = [d for _, inc in _items(case, "incidents") if (d := parse_date(inc.get("date_start")))]
    return min(dates) if dates else None


def _check_dates(case: dict[str, Any], ctx: CheckContext) -> Iterator[Finding]:
    today = ctx.today
    intake = parse_date(case.get("intake_date"))
    if intake and intake > today:
        yield Finding.of(("intake_date",), f"intake_date {intake} is in the future", "future-date")

    incident_dates: dict[str, list[dt.date]] = {}  # victim_id -> incident start dates
    for i, inc in _items(case, "incidents"):
        start = parse_date(inc.get("date_start"))
        end = parse_date(inc.get("date_end"))
        if start is None:
            continue
        for vid in inc.get("victim_ids") or []:
            incident_dates.setdefault(str(vid), []).append(start)
        if start > today:
            yield Finding.of(
                (("incidents", i, "date_start")), f"{start} is in the future", "future-date"
            )
        if end and end < start:
            yield Finding.of(
                ("incidents", i, "date_end"),
                f"date_end {end} is before date_start {start}",
                "date-order",
            )
        if intake and start > intake:
            yield Finding.of(
                ("incidents", i, "date_start"),
                f"the incident ({start}) is after the intake_date ({intake}); an allegation is "
                "received after the events it reports",
                "date-order",
            )
        actual, recorded = inc.get("de_facto_detention_at"), inc.get("detention_recorded_at")
        if (
            isinstance(actual, str)
            and isinstance(recorded, str)
            and recorded.replace("T", " ") < actual.replace("T", " ")
        ):
            yield Finding.of(
                ("incidents", i, "detention_recorded_at"),
                "the detention is recorded before it actually began; swap the two times?",
                "date-order",
            )

    for i, vic in _items(case, "victims"):
        birth = parse_date(vic.get("date_of_birth"))
        starts = incident_dates.get(str(vic.get("victim_id")), [])
        if birth and starts and birth >= min(starts):
            yield Finding.of(
                ("victims", i, "date_of_birth"),
                "the date of birth is not before the incident date",
                "date-order",
            )
        if birth and birth > today:
            yield Finding.of(
                ("victims", i, "date_of_birth"), "the date of birth is in the future", "future-date"
            )

    first = _first_incident_date(case)
    events = _items(case, "legal_actions")
    dates_by_event: dict[str, dt.date] = {}
    previous: dt.date | None = None
    for i, ev in events:
        day = parse_date(ev.get("date"))
        if day is None:
            continue
        if "event_id" in ev:
            dates_by_event[str(ev["event_id"])] = day
        if day > today:
            yield Finding.of(
                ("legal_actions", i, "date"),
                f"the event date {day} is in the future; record events once they happen",
                "future-date",
            )
        if first and day < first:
            yield Finding.of(
                ("legal_actions", i, "date"),
                f"the event ({day}) is before the first incident ({first})",
                "date-order",
            )
        if previous and day < previous:
            yield Finding.of(
                ("legal_actions", i, "date"),
                f"this event ({day}) comes after one dated {previous}; keep the timeline in date order",
                "timeline-order",
            )
        previous = day if previous is None else max(previous, day)
    for i, ev in events:
        day = parse_date(ev.get("date"))
        target = dates_by_event.get(str(ev.get("responds_to")))
        if day and target and day < target:
            yield Finding.of(
                ("legal_actions", i, "date"),
                f"this event ({day}) answers '{ev['responds_to']}', dated later ({target})",
                "date-order",
            )

    for i, med in _items(case, "medical_evidence"):
        requested, examined = (
            parse_date(med.get("requested_on")),
            parse_date(med.get("examined_on")),
        )
        if requested and examined and examined < requested:
            yield Finding.of(
                ("medical_evidence", i, "examined_on"),
                f"examined_on {examined} is before requested_on {requested}",
                "date-order",
            )
        starts = incident_dates.get(str(med.get("victim_id")), [])
        if examined and starts and examined < min(starts):
            yield Finding.of(
                ("medical_evidence", i, "examined_on"),
                f"the examination ({examined}) is before the incident ({min(starts)})",
                "date-order",
            )
        for key in ("requested_on", "examined_on"):
            day = parse_date(med.get(key))
            if day and day > today:
                yield Finding.of(
                    ("medical_evidence", i, key), f"{day} is in the future", "future-date"
                )

    for i, com in _items(case, "un_communications"):
        order = ["submitted_on", "transmitted_to_state_on", "state_reply_on"]
        known = [(k, d) for k in order if (d := parse_date(com.get(k))) is not None]
        for (k1, d1), (k2, d2) in pairwise(known):
            if d2 < d1:
                yield Finding.of(
                    ("un_communications", i, k2), f"{k2} ({d2}) is before {k1} ({d1})", "date-order"
                )
        submitted, decided = parse_date(com.get("submitted_on")), parse_date(com.get("decided_on"))
        if submitted and decided and decided < submitted:
            yield Finding.of(
                ("un_communications", i, "decided_on"),
                f"decided_on ({decided}) is before submitted_on ({submitted})",
                "date-order",
            )
        for key in ("submitted_on", *order[1:], "decided_on"):
            day = parse_date(com.get(key))
            if day and day > today:
                yield Finding.of(
                    ("un_communications", i, key), f"{day} is in the future", "future-date"
                )
        if submitted and first and submitted < first:
            yield Finding.of(
                ("un_communications", i, "submitted_on"),
                f"the submission ({submitted}) is before the first incident ({first})",
                "date-order",
            )

    for i, con in _items(case, "consent"):
        given, withdrawn = parse_date(con.get("given_on")), parse_date(con.get("withdrawn_on"))
        if given and withdrawn and withdrawn < given:
            yield Finding.of(
                ("consent", i, "withdrawn_on"),
                f"withdrawn_on ({withdrawn}) is before given_on ({given})",
                "date-order",
            )
        if given and given > today:
            yield Finding.of(("consent", i, "given_on"), f"{given} is in the future", "future-date")


# --- age and consent ---------------------------------------------------------------------------


def child_victims(case: dict[str, Any]) -> set[str]:
    """Victim ids that were under 18 at their first incident, by age_group or by their age."""
    starts: dict[str, dt.date] = {}
    for _, inc in _items(case, "incidents"):
        start = parse_date(inc.get("date_start"))
        for vid in inc.get("victim_ids") or []:
            if start and (str(vid) not in starts or start < starts[str(vid)]):
                starts[str(vid)] = start
    children = set()
    for _, vic in _items(case, "victims"):
        vid = str(vic.get("victim_id"))
        age = _age_at_incident(vic, starts.get(vid))
        if vic.get("age_group") == "child" or (age is not None and age < 18):
            children.add(vid)
    return children


def _age_at_incident(victim: dict[str, Any], start: dt.date | None) -> int | None:
    birth = parse_date(victim.get("date_of_birth"))
    if birth and start:
        years = age_on(birth, start)
        return years if years >= 0 else None  # born after the incident: a date-order problem
    given = victim.get("age_at_incident")
    return given if isinstance(given, int) and not isinstance(given, bool) else None


def _check_ages(case: dict[str, Any]) -> Iterator[Finding]:
    starts: dict[str, dt.date] = {}
    for _, inc in _items(case, "incidents"):
        start = parse_date(inc.get("date_start"))
        for vid in inc.get("victim_ids") or []:
            if start and (str(vid) not in starts or start < starts[str(vid)]):
                starts[str(vid)] = start
    for i, vic in _items(case, "victims"):
        age = _age_at_incident(vic, starts.get(str(vic.get("victim_id"))))
        group = vic.get("age_group")
        if age is None or group not in ("child", "adult"):
            continue
        if age < 18 and group != "child":
            yield Finding.of(
                ("victims", i, "age_group"),
                "the victim was under 18 at the incident, so age_group must be child",
                "age-group",
            )
        elif age >= 18 and group == "child":
            yield Finding.of(
                ("victims", i, "age_group"),
                "the victim was 18 or older at the incident, so age_group must be adult",
                "age-group",
            )


def consent_records(case: dict[str, Any], person: str) -> list[tuple[int, dict[str, Any]]]:
    return [(i, c) for i, c in _items(case, "consent") if str(c.get("person_id")) == person]


def _by_guardian(record: dict[str, Any]) -> bool:
    given = record.get("given_by")
    return record.get("form") == "guardian" or (
        isinstance(given, dict) and given.get("role") == "guardian"
    )


def _check_consent(case: dict[str, Any]) -> Iterator[Finding]:
    victims = [(i, str(v.get("victim_id"))) for i, v in _items(case, "victims")]
    children = child_victims(case)
    for i, vid in victims:
        records = consent_records(case, vid)
        if vid in children and not any(_by_guardian(c) for _, c in records):
            yield Finding.of(
                ("victims", i, "victim_id"),
                f"victim '{vid}' is a child: add a consent record for '{vid}' given by a parent or "
                "guardian (given_by: {role: guardian})",
                "child-consent",
            )
        for j, rec in records:
            if rec.get("name_in_public_reports") == "full" and "named_publication" not in (
                rec.get("scopes") or []
            ):
                yield Finding.of(
                    ("consent", j, "name_in_public_reports"),
                    "naming the person in full in public reports needs the scope named_publication",
                    "consent-missing",
                )

    all_victims = [vid for _, vid in victims]
    for i, com in _items(case, "un_communications"):
        scope = UN_SCOPE.get(str(com.get("body")))
        submitted = parse_date(com.get("submitted_on"))
        if scope is None:
            continue
        for vid in com.get("victim_ids") or all_victims:
            vid = str(vid)
            records = consent_records(case, vid)
            covering = [
                c
                for _, c in records
                if scope in (c.get("scopes") or [])
                and (
                    submitted is None or (parse_date(c.get("given_on")) or dt.date.max) <= submitted
                )
            ]
            if not covering:
                yield Finding.of(
                    ("un_communications", i, "body"),
                    f"no consent of scope {scope} from victim '{vid}' given on or before the "
                    "submission; record it in consent",
                    "consent-missing",
                )
                continue
            withdrawn = [parse_date(c.get("withdrawn_on")) for c in covering]
            if submitted and all(w is not None and w <= submitted for w in withdrawn):
                yield Finding.of(
                    ("un_communications", i, "submitted_on"),
                    f"victim '{vid}' withdrew consent of scope {scope} before this submission",
                    "consent-withdrawn",
                )


# --- country data ------------------------------------------------------------------------------


def _check_country_data(case: dict[str, Any], ctx: CheckContext) -> Iterator[Finding]:
    country = ctx.countries.get(str(case.get("country")))
    if country is None:
        return
    regions = country.regions

    def region(path: YamlPath, value: Any) -> Iterator[Finding]:
        if isinstance(value, str) and regions and value not in regions:
            from difflib import get_close_matches

            close = get_close_matches(value, list(regions), n=1)
            hint = (
                f"; did you mean '{close[0]}'?"
                if close
                else f" (see schemas/countries/{country.country}.yaml)"
            )
            yield Finding.of(
                path, f"'{value}' is not a region of {country.country}{hint}", "unknown-region"
            )

    yield from region(("region",), case.get("region"))
    for i, inc in _items(case, "incidents"):
        yield from region(("incidents", i, "region"), inc.get("region"))

    offices = country.offices
    for i, ev in _items(case, "legal_actions"):
        authority = ev.get("authority")
        office = authority.get("office") if isinstance(authority, dict) else None
        if isinstance(office, str) and office not in offices:
            from difflib import get_close_matches

            close = get_close_matches(office, list(offices), n=1)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            yield Finding.of(
                ("legal_actions", i, "authority", "office"),
                f"'{office}' is not an office in the country data of {country.country}{hint}",
                "unknown-office",
            )

    first = _first_incident_date(case)
    for i, ev in _items(case, "legal_actions"):
        qual = ev.get("qualification")
        if not isinstance(qual, dict) or not isinstance(qual.get("code"), str):
            continue
        path = ("legal_actions", i, "qualification")
        code = country.criminal_codes.get(qual["code"])
        if code is None:
            known = ", ".join(country.criminal_codes) or "none"
            yield Finding.of(
                (*path, "code"),
                f"{qual['code']} is not a Criminal Code edition of {country.country} (known: {known})",
                "unknown-code",
            )
            continue
        article = code.articles.get(str(qual.get("article")))
        if article is None:
            yield Finding.of(
                (*path, "article"),
                f"article {qual.get('article')} is not listed for {code.code} in the country data",
                "unknown-article",
            )
            continue
        if first and not code.in_force.covers(first):
            in_force = country.code_in_force(first)
            hint = f"; the code in force then was {in_force.code}" if in_force else ""
            yield Finding.of(
                (*path, "code"),
                f"{code.code} was not in force at the incident date ({first}){hint}",
                "code-not-in-force",
            )
        elif first and not article.in_force.covers(first):
            torture = country.torture_article(first)
            hint = (
                f"; the torture article then was {torture[1].article} of {torture[0].code}"
                if torture and article.torture
                else ""
            )
            yield Finding.of(
                (*path, "article"),
                f"article {article.article} of {code.code} was not in force at the incident date "
                f"({first}){hint}",
                "code-not-in-force",
            )

    for i, com in _items(case, "un_communications"):
        body = str(com.get("body"))
        procedure = UN_ACCEPTANCE.get(body)
        if procedure and not country.accepts(procedure):
            alternative = (
                "; send it to the Human Rights Committee (body: ccpr)" if body == "cat" else ""
            )
            yield Finding.of(
                ("un_communications", i, "body"),
                f"{country.name.get('en', country.country)} has not accepted individual complaints "
                f"to {UN_BODY_NAMES[body]} (country data){alternative}",
                "cat-not-accepted",
            )
