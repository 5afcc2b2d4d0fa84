"""A case at a glance: the procedural stage it reached, what is overdue, and the rows that
``cattool show``, ``list`` and ``timeline`` print.

Every value leaves this module through one reader that asks ``privacy.is_sensitive`` first, so a
field marked ``x-sensitive`` in the schema (a coalition's own copy included) comes back as
``MASK`` unless the caller reveals it. Nothing here prints.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cattool.countries import CountryData
from cattool.dates import parse_date
from cattool.loading import YamlPath
from cattool.privacy import Pattern, is_sensitive
from cattool.problems import Problem
from cattool.procedure import (
    CIVIL_DECISIONS,
    CRIMINAL_DECISIONS,
    REQUESTS,
    Civil,
    Criminal,
    Event,
    Proceedings,
    has_compensation,
    proceedings,
    stage_reached,
)
from cattool.procedure.deadlines import Deadline, overdue

if TYPE_CHECKING:
    from cattool.caseformat import CaseFormat
    from cattool.repo import CaseRepo
    from cattool.vocabularies import Vocabulary

MASK = "<hidden: use --reveal>"

LIST_COLUMNS = (
    "case_id",
    "country",
    "intake_date",
    "region",
    "member_org",
    "violation_type",
    "stage",
    "case_status",
    "victims",
)


# --- reading a case without leaking it ----------------------------------------------------------


class _Reader:
    """Values of one case by YAML path: sensitive ones masked unless revealed, codes labelled."""

    def __init__(
        self,
        data: dict[str, Any],
        fmt: CaseFormat,
        *,
        reveal: bool = False,
        lang: str = "en",
    ) -> None:
        self.data = data
        self.sensitive: frozenset[Pattern] = fmt.sensitive
        self.vocabularies: dict[str, Vocabulary] = fmt.vocabularies
        self.reveal = reveal
        self.lang = lang

    def raw(self, path: YamlPath) -> Any:
        """The value at ``path`` for cattool's own reasoning; never hand it to output as is."""
        node: Any = self.data
        for part in path:
            if isinstance(part, int):
                if not isinstance(node, list) or not 0 <= part < len(node):
                    return None
            elif not isinstance(node, dict):
                return None
            node = node[part] if isinstance(part, int) else node.get(part)
        return node

    def value(self, path: YamlPath) -> Any:
        """The value at ``path`` as output may show it: ``MASK`` if sensitive, None if absent."""
        found = self.raw(path)
        if found is None or found == "" or found == [] or found == {}:
            return None
        if not self.reveal and is_sensitive(path, self.sensitive):
            return MASK
        return found

    def text(self, path: YamlPath) -> str | None:
        found = self.value(path)
        if isinstance(found, dict) and found and set(found) <= {"ru", "en"}:
            # a text in two languages: the reader's own, else the other one
            found = found.get(self.lang) or next(iter(found.values()))
        return None if found is None else _plain(found)

    def coded(self, path: YamlPath, vocabulary: str) -> Any:
        """``{"code": ..., "label": ...}`` for a vocabulary value; ``MASK`` or None as ``value``."""
        found = self.value(path)
        if found is None or found == MASK:
            return found
        return self.label(vocabulary, found)

    def coded_list(self, path: YamlPath, vocabulary: str) -> Any:
        found = self.value(path)
        if found is None or found == MASK:
            return found
        items = found if isinstance(found, list) else [found]
        return [self.label(vocabulary, item) for item in items]

    def label(self, vocabulary: str, code: Any) -> dict[str, str]:
        code_text = _plain(code)
        vocab = self.vocabularies.get(vocabulary)
        label = vocab.label(code_text, self.lang) if vocab else code_text
        return {"code": code_text, "label": label}

    def items(self, key: str) -> list[int]:
        """Indexes of the mappings in the top-level list ``key``."""
        found = self.data.get(key)
        if not isinstance(found, list):
            return []
        return [i for i, item in enumerate(found) if isinstance(item, dict)]


def _plain(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_plain(v)}" for k, v in value.items())
    if isinstance(value, list):
        return ", ".join(_plain(v) for v in value)
    return str(value)


# --- show ---------------------------------------------------------------------------------------


def case_overview(
    case: dict[str, Any],
    fmt: CaseFormat,
    *,
    reveal: bool = False,
    lang: str = "en",
    as_of: dt.date | None = None,
) -> dict[str, Any]:
    """Everything ``cattool show`` prints about a case, as JSON-ready values.

    Vocabulary values come as ``{"code", "label"}``; sensitive values as ``MASK`` unless
    ``reveal``; absent values as None.
    """
    as_of = as_of or dt.date.today()
    r = _Reader(case, fmt, reveal=reveal, lang=lang)
    country_code = case.get("country")
    country = fmt.countries.get(country_code) if isinstance(country_code, str) else None
    labels = {
        r.raw(("victims", i, "victim_id")): r.text(("victims", i, "public_label"))
        for i in r.items("victims")
    }

    def people(ids: Any) -> Any:
        if not isinstance(ids, list):
            return None
        return [{"id": _plain(v), "label": labels.get(v)} for v in ids]

    reached = stage_reached(case, country)
    stage_event = None
    if reached.event_index >= 0:
        at: YamlPath = ("legal_actions", reached.event_index)
        stage_event = {
            "event_id": r.text((*at, "event_id")),
            "type": r.coded((*at, "type"), "event_type"),
            "date": r.text((*at, "date")),
        }

    return {
        "case_id": r.text(("case_id",)),
        "country": r.coded(("country",), "country"),
        "region": _region(r, ("region",), country),
        "district": r.text(("district",)),
        "member_org": r.text(("member_org",)),
        "assignee": r.text(("assignee",)),
        "intake_date": r.text(("intake_date",)),
        "source_type": r.coded(("source_type",), "source_type"),
        "source_contact": r.text(("source_contact",)),
        "violation_type": r.coded(("violation_type",), "violation_type"),
        "confirmation": r.coded(("confirmation",), "confirmation"),
        "priority": r.coded(("priority",), "priority"),
        "case_status": r.coded(("case_status",), "case_status"),
        "confidentiality": r.coded(("confidentiality",), "confidentiality"),
        "fictional": r.value(("fictional",)),
        "summary_public": r.text(("summary_public",)),
        "notes": r.text(("notes",)),
        "victims": [
            {
                "victim_id": r.text(("victims", i, "victim_id")),
                "public_label": r.text(("victims", i, "public_label")),
                "full_name": r.text(("victims", i, "full_name")),
                "sex": r.coded(("victims", i, "sex"), "sex"),
                "age_group": r.coded(("victims", i, "age_group"), "age_group"),
                "age_at_incident": r.value(("victims", i, "age_at_incident")),
                "date_of_birth": r.text(("victims", i, "date_of_birth")),
                "vulnerabilities": r.coded_list(("victims", i, "vulnerabilities"), "vulnerability"),
                "status_at_incident": r.coded(
                    ("victims", i, "status_at_incident"), "status_at_incident"
                ),
                "current_status": r.coded(("victims", i, "current_status"), "current_status"),
                "current_location": r.text(("victims", i, "current_location")),
                "reprisal_risk": r.coded(("victims", i, "reprisal_risk"), "reprisal_risk"),
                "contacts": r.text(("victims", i, "contacts")),
                "representative": r.coded(
                    ("victims", i, "representative", "type"), "representative_type"
                ),
                "representative_name": r.text(("victims", i, "representative", "name")),
            }
            for i in r.items("victims")
        ],
        "incidents": [
            {
                "incident_id": r.text(("incidents", i, "incident_id")),
                "victims": people(r.value(("incidents", i, "victim_ids"))),
                "date_start": r.text(("incidents", i, "date_start")),
                "date_end": r.text(("incidents", i, "date_end")),
                "date_precision": r.coded(("incidents", i, "date_precision"), "date_precision"),
                "place_type": r.coded(("incidents", i, "place_type"), "place_type"),
                "place_name": r.text(("incidents", i, "place_name")),
                "settlement": r.text(("incidents", i, "settlement")),
                "region": _region(r, ("incidents", i, "region"), country),
                "context": r.coded(("incidents", i, "context"), "context"),
                "purpose": r.coded_list(("incidents", i, "purpose"), "purpose"),
                "methods": r.coded_list(("incidents", i, "methods"), "method"),
                "narrative": r.text(("incidents", i, "narrative")),
                "narrative_public": r.text(("incidents", i, "narrative_public")),
            }
            for i in r.items("incidents")
        ],
        "perpetrators": [
            {
                "perpetrator_id": r.text(("perpetrators", i, "perpetrator_id")),
                "agency": r.coded(("perpetrators", i, "agency"), "agency"),
                "role": r.coded(("perpetrators", i, "role"), "perpetrator_role"),
                "identification": r.coded(("perpetrators", i, "identification"), "identification"),
                "name": r.text(("perpetrators", i, "name")),
                "rank_position": r.text(("perpetrators", i, "rank_position")),
                "post_status": r.coded(("perpetrators", i, "post_status"), "post_status"),
            }
            for i in r.items("perpetrators")
        ],
        "stage": {
            "stage": r.label("stage", reached.stage),
            "event": stage_event,
            "compensation_awarded": has_compensation(case),
        },
        "proceedings": proceedings_now(proceedings(case, country, as_of)),
        "as_of": as_of.isoformat(),
        "overdue": [
            _overdue_dict(r, o)
            for o in overdue(
                case, country, as_of, calendar=fmt.calendars.get(str(case.get("country")))
            )
            if o.national is not None
        ],
        "consent": [
            {
                "person_id": r.text(("consent", i, "person_id")),
                "person_label": labels.get(r.raw(("consent", i, "person_id"))),
                "scopes": r.coded_list(("consent", i, "scopes"), "consent_scope"),
                "form": r.coded(("consent", i, "form"), "consent_form"),
                "given_by": r.text(("consent", i, "given_by", "name")),
                "given_by_role": r.coded(("consent", i, "given_by", "role"), "consent_giver"),
                "given_on": r.text(("consent", i, "given_on")),
                "withdrawn_on": r.text(("consent", i, "withdrawn_on")),
                "name_to_government": r.value(("consent", i, "name_to_government")),
                "name_in_public_reports": r.coded(
                    ("consent", i, "name_in_public_reports"), "name_in_public_reports"
                ),
            }
            for i in r.items("consent")
        ],
    }


def _region(r: _Reader, path: YamlPath, country: CountryData | None) -> Any:
    found = r.value(path)
    if found is None or found == MASK:
        return found
    code = _plain(found)
    label = (country.regions.get(code, {}) if country else {}).get(r.lang, code)
    return {"code": code, "label": label}


def proceedings_now(state: Proceedings) -> dict[str, Any]:
    """Where the proceedings stand on ``state.as_of`` (cattool.procedure), as words and codes."""
    return {
        "criminal": _words(state.criminal.stage.value),
        "criminal_since": state.criminal.since.isoformat() if state.criminal.since else None,
        "remedies": _words(state.remedies.status.value),
        "civil": _words(state.civil.stage.value),
        "un": [
            {
                "comm_id": t.comm_id or t.path,
                "body": t.body,
                "stage": _words(t.stage.value),
            }
            for t in state.un
        ],
    }


def now_lines(now: dict[str, Any]) -> list[str]:
    """One line per track from ``proceedings_now``: ``show`` and ``timeline`` both print them.

    ``now: criminal proceedings: refused since 2011-12-02; domestic remedies: exhausted``, then
    the compensation claim (if any) and each UN communication.
    """
    lines = [
        f"now: criminal proceedings: {now['criminal']} since {now['criminal_since'] or '-'}; "
        f"domestic remedies: {now['remedies']}"
    ]
    if now["civil"] != "none":
        lines.append(f"compensation claim: {now['civil']}")
    for track in now["un"]:
        lines.append(f"UN {track['comm_id']} ({track['body']}): {track['stage']}")
    return lines


def _words(code: str) -> str:
    """A stage code as words: ``refusal_appealed`` is "refusal appealed"."""
    return code.replace("_", " ")


def _overdue_dict(r: _Reader, item: Deadline) -> dict[str, Any]:
    rule = item.national
    assert rule is not None
    at: YamlPath = ("legal_actions", int(item.where.split("[")[1].rstrip("]")))
    return {
        "rule": rule.rule,
        "title": rule.title.get(r.lang) or rule.title.get("en") or rule.rule,
        "track": item.track,
        "event_id": r.text((*at, "event_id")),
        "event_type": r.coded((*at, "type"), "event_type"),
        "event_date": item.start.isoformat(),
        "days": rule.days,
        "working_days": rule.working_days,
        "due_date": item.due.isoformat(),
        "days_overdue": item.days_late,
        "basis": rule.basis,
        "verified": rule.verified,
    }


# --- rendering the overview ---------------------------------------------------------------------


def _label(coded: Any) -> str | None:
    if coded is None:
        return None
    if isinstance(coded, dict):
        return str(coded["label"])
    if isinstance(coded, list):
        return ", ".join(_label(c) or "" for c in coded)
    return str(coded)


def _join(*parts: str | None, sep: str = "; ") -> str:
    return sep.join(p for p in parts if p)


def _field(name: str, value: Any) -> str | None:
    """``name: value`` if there is a value (a label, a text, a list or a yes/no)."""
    text = _label(value) if isinstance(value, (dict, list)) else value
    if text is None or text == "":
        return None
    return f"{name}: {_plain(text)}"


def overdue_sentence(item: dict[str, Any]) -> str:
    """One overdue deadline in words, e.g. for a lawyer's to-do list."""
    unit = "working days" if item["working_days"] else "days"
    event = _join(_label(item["event_type"]), item["event_date"], sep=", ")
    sentence = (
        f"{item['title']}: nothing meets {item['event_id'] or 'the event'} ({event}) within "
        f"{item['days']} {unit}; due {item['due_date']}, {_days(item['days_overdue'])} overdue"
    )
    if item["basis"]:
        sentence += f" (basis: {item['basis']})"
    if not item["verified"]:
        sentence += "; this rule is not verified"
    return sentence


def _sections(ov: dict[str, Any]) -> list[tuple[str, list[tuple[int, str]]]]:
    """The overview as headed sections of (indent level, line) for text and Markdown."""
    who: list[tuple[int, str]] = []
    for v in ov["victims"]:
        head = _join(v["victim_id"], v["public_label"], sep=" ")
        who.append(
            (
                0,
                head
                + ": "
                + _join(
                    _label(v["sex"]),
                    _label(v["age_group"]),
                    _field("age at incident", v["age_at_incident"]),
                    _field("vulnerabilities", v["vulnerabilities"]) or "vulnerabilities: none",
                    _field("status at incident", v["status_at_incident"]),
                    _field("current status", v["current_status"]),
                    _field("reprisal risk", v["reprisal_risk"]),
                    sep=", ",
                ),
            )
        )
        for name, key in (
            ("name", "full_name"),
            ("date of birth", "date_of_birth"),
            ("contacts", "contacts"),
            ("current location", "current_location"),
            ("representative", "representative"),
            ("representative's name", "representative_name"),
        ):
            line = _field(name, v[key])
            if line:
                who.append((1, line))
    for p in ov["perpetrators"]:
        who.append(
            (
                0,
                f"alleged perpetrator {p['perpetrator_id'] or ''}: "
                + _join(
                    _label(p["agency"]),
                    _field("role", p["role"]),
                    _field("identified", p["identification"]),
                    _field("position", p["rank_position"]),
                    _field("name", p["name"]),
                    _field("now", p["post_status"]),
                    sep=", ",
                ),
            )
        )

    what: list[tuple[int, str]] = [
        (
            0,
            _join(
                _field("violation", ov["violation_type"]),
                _field("confirmation", ov["confirmation"]),
            ),
        )
    ]
    where: list[tuple[int, str]] = [
        (0, _join(_label(ov["region"]), _field("district", ov["district"]), sep=", "))
    ]
    when: list[tuple[int, str]] = [(0, f"intake: {ov['intake_date']}")]
    for inc in ov["incidents"]:
        iid = inc["incident_id"] or "incident"
        victims = ", ".join(v["label"] or v["id"] for v in inc["victims"] or [])
        what.append(
            (
                0,
                f"{iid}"
                + (f" ({victims})" if victims else "")
                + ": "
                + _join(
                    _field("methods", inc["methods"]),
                    _field("place", inc["place_type"]),
                    _field("context", inc["context"]),
                    _field("purpose", inc["purpose"]),
                ),
            )
        )
        for name, key in (("narrative", "narrative"), ("public account", "narrative_public")):
            line = _field(name, inc[key])
            if line:
                what.append((1, line))
        where.append(
            (
                0,
                f"{iid}: "
                + _join(
                    _label(inc["place_type"]),
                    inc["place_name"],
                    inc["settlement"],
                    _label(inc["region"]),
                    sep=", ",
                ),
            )
        )
        dates = inc["date_start"] or "date unknown"
        if inc["date_end"]:
            dates += f" to {inc['date_end']}"
        precision = _label(inc["date_precision"])
        when.append((0, f"{iid}: {dates}" + (f" ({precision.lower()})" if precision else "")))

    stage = ov["stage"]
    stage_line = f"{stage['stage']['label']} ({stage['stage']['code']})"
    event = stage["event"]
    if event:
        kind = event["type"]
        raw = f"{kind['label']} ({kind['code']})" if isinstance(kind, dict) else kind
        stage_line += _join(
            f", reached by {event['event_id']}" if event["event_id"] else ", reached",
            f" on {event['date']}" if event["date"] else None,
            f": {raw}" if raw else None,
            sep="",
        )
    stage_lines = [(0, "furthest stage: " + stage_line)]
    stage_lines += [(0, line) for line in now_lines(ov["proceedings"])]
    if stage["compensation_awarded"]:
        stage_lines.append((0, "compensation awarded"))

    overdue = [(0, overdue_sentence(o)) for o in ov["overdue"]] or [(0, "nothing overdue")]

    consent: list[tuple[int, str]] = []
    for c in ov["consent"]:
        person = _join(c["person_id"], c["person_label"], sep=" ") or "person"
        consent.append(
            (
                0,
                f"{person}: "
                + _join(
                    _label(c["scopes"]),
                    _field("form", c["form"]),
                    _field("given on", c["given_on"]),
                    _field("withdrawn on", c["withdrawn_on"]) or "not withdrawn",
                ),
            )
        )
        for line in (
            _field("given by", _join(_label(c["given_by_role"]), c["given_by"], sep=": ")),
            _field("name to the government", c["name_to_government"]),
            _field("name in public reports", c["name_in_public_reports"]),
        ):
            if line:
                consent.append((1, line))

    return [
        ("Who", who or [(0, "no victims recorded")]),
        ("What", what),
        ("Where", where),
        ("When", when),
        ("Stage reached", stage_lines),
        (f"Overdue as of {ov['as_of']}", overdue),
        ("Consent", consent or [(0, "no consent recorded")]),
    ]


def _heading(ov: dict[str, Any]) -> tuple[str, list[str]]:
    title = _join(ov["case_id"], _label(ov["violation_type"]), _label(ov["country"]), sep=" · ")
    if ov["fictional"] is True:
        title += " (fictional)"
    facts = [
        _join(
            _field("organisation", ov["member_org"]),
            _field("assignee", ov["assignee"]),
            _field("intake", ov["intake_date"]),
            _field("status", ov["case_status"]),
            _field("priority", ov["priority"]),
            _field("confidentiality", ov["confidentiality"]),
        ),
        _join(_field("source", ov["source_type"]), _field("contact", ov["source_contact"])),
    ]
    for name, key in (("summary", "summary_public"), ("notes", "notes")):
        line = _field(name, ov[key])
        if line:
            facts.append(line)
    return title, [f for f in facts if f]


def overview_text(ov: dict[str, Any]) -> str:
    """The overview as plain text for a terminal."""
    title, facts = _heading(ov)
    lines = [title, *facts]
    for heading, body in _sections(ov):
        lines += ["", heading]
        lines += ["  " * (level + 1) + _one_line(text) for level, text in body]
    return "\n".join(lines)


def overview_markdown(ov: dict[str, Any]) -> str:
    """The overview as Markdown, for notes and reports. Every text of the case goes through
    ``cattool.outputs.md_text`` first, so that it cannot become HTML, a link or a block."""
    ov = _md_values(ov)
    title, facts = _heading(ov)
    lines = [f"# {_one_line(title)}", ""]
    lines += [f"{_one_line(f)}  " for f in facts]
    for heading, body in _sections(ov):
        lines += ["", f"## {heading}", ""]
        lines += ["  " * level + "- " + _one_line(text) for level, text in body]
    return "\n".join(lines)


def _md_values(value: Any) -> Any:
    """The overview with every text escaped for Markdown (``MASK`` is cattool's own words)."""
    from cattool.outputs import md_text

    if isinstance(value, str):
        return value if value == MASK else md_text(value)
    if isinstance(value, dict):
        return {k: _md_values(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_md_values(v) for v in value]
    return value


def _one_line(text: str) -> str:
    return " ".join(text.split())


# --- list ---------------------------------------------------------------------------------------


def list_row(case: dict[str, Any], fmt: CaseFormat) -> dict[str, Any]:
    """One line of ``cattool list``: codes only, and never a sensitive value."""
    r = _Reader(case, fmt)
    country_code = case.get("country")
    country = fmt.countries.get(country_code) if isinstance(country_code, str) else None
    victims = case.get("victims")
    return {
        "case_id": r.text(("case_id",)) or "",
        "country": r.text(("country",)) or "",
        "intake_date": r.text(("intake_date",)) or "",
        "region": r.text(("region",)) or "",
        "member_org": r.text(("member_org",)) or "",
        "violation_type": r.text(("violation_type",)) or "",
        "stage": stage_reached(case, country).stage,
        "case_status": r.text(("case_status",)) or "",
        "victims": len(victims) if isinstance(victims, list) else 0,
    }


def list_rows(
    repo: CaseRepo,
    fmt: CaseFormat,
    *,
    progress: Callable[[int], None] | None = None,
) -> tuple[list[dict[str, Any]], list[tuple[Path, Problem]]]:
    """Rows of every readable case file, and the first problem of each file that cannot be read.

    The cases come through the cache of checked cases (cattool.validation.scan): a second
    ``cattool list`` with nothing changed reads no case file.
    """
    from cattool.validation import scan

    if not repo.cases_dir.is_dir():
        return [], []
    report, data = scan(repo, [repo.cases_dir], want="data", progress=progress)
    # problems name the files as they were found (no display root), as the data's keys do
    first_problem: dict[str, Problem] = {}
    for problem in report.problems:
        first_problem.setdefault(str(problem.path), problem)
    rows = []
    for path in sorted(data):
        case = data[path]
        if isinstance(case, dict):
            row = list_row(case, fmt)
            row["case_id"] = row["case_id"] or Path(path).stem
            rows.append(row)
    unreadable = [
        (Path(path), problem)
        for path, problem in sorted(first_problem.items())
        if not isinstance(data.get(path), dict)
    ]
    return rows, unreadable


def filter_rows(
    rows: Iterable[dict[str, Any]],
    *,
    countries: Iterable[str] = (),
    years: Iterable[int] = (),
    orgs: Iterable[str] = (),
    statuses: Iterable[str] = (),
    stages: Iterable[str] = (),
) -> list[dict[str, Any]]:
    """The rows that match every filter given; several values of one filter mean any of them."""
    wanted = {
        "country": {c.upper() for c in countries},
        "year": {str(y) for y in years},
        "member_org": {o.casefold() for o in orgs},
        "case_status": set(statuses),
        "stage": set(stages),
    }

    def keep(row: dict[str, Any]) -> bool:
        have = {
            "country": row["country"].upper(),
            "year": row["intake_date"][:4],
            "member_org": row["member_org"].casefold(),
            "case_status": row["case_status"],
            "stage": row["stage"],
        }
        return all(not values or have[key] in values for key, values in wanted.items())

    return [row for row in rows if keep(row)]


# --- timeline -----------------------------------------------------------------------------------

# Events that move the proceedings without answering anything: what we send, and what only shows
# that the authorities have the complaint.
_NOT_ANSWERS = (*REQUESTS, "appeal_filed", "civil_claim", "complaint_received", "transferred")
# What we send that waits for an answer, where a file leaves out the direction.
_ASKS = (*REQUESTS, "appeal_filed", "civil_claim")
_LATER = "not counted (after the as-of date)"
_CIVIL_EVENTS = ("civil_claim", *CIVIL_DECISIONS, "judgment_final", "compensation_paid")
_DECISIONS = (*CRIMINAL_DECISIONS, *CIVIL_DECISIONS)


class _ModelReading:
    """What the procedural model makes of each event it saw on ``as_of``.

    The stage of the event's track right after it, what the event refers to (named in the file
    or inferred by the model), which decisions were annulled and by what, how each appeal ended,
    and which of our requests are still unanswered. Nothing dated after ``as_of`` is seen.
    """

    def __init__(self, state: Proceedings) -> None:
        self.state = state
        self.order = {e.index: n for n, e in enumerate(state.events)}
        self.by_id: dict[str, list[Event]] = {}
        for event in state.events:
            if event.event_id:
                self.by_id.setdefault(event.event_id, []).append(event)
        self.inferred = {(i.event.index, i.key): i.target for i in state.inferred}
        self.annulled_by = {a.decision.index: a.by for a in state.criminal.annulments}
        self.annuls = {a.by.index: a.decision for a in state.criminal.annulments}
        self.stage: dict[int, str] = {}
        self.civil: set[int] = set()
        self._stages()

    def after(self, event: Event, other: Event) -> bool:
        """``other`` comes after ``event`` in the proceedings (date, then file order)."""
        return self.order[other.index] > self.order[event.index]

    def named(self, event: Event, name: str | None) -> Event | None:
        """The event ``event`` names, among those before it (as the model reads a link)."""
        found = [e for e in self.by_id.get(name or "", ()) if self.after(e, event)]
        return found[-1] if found else None

    def refers_to(self, event: Event, key: str) -> tuple[Event | None, bool]:
        """What ``event`` refers to by ``key`` (responds_to or annuls), and whether inferred."""
        inferred = self.inferred.get((event.index, key))
        if inferred is not None:
            return inferred, True
        return self.named(event, event.responds_to if key == "responds_to" else event.annuls), False

    def appealed(self, appeal: Event) -> Event | None:
        """The decision an appeal is against."""
        found, _ = self.refers_to(appeal, "responds_to")
        return found if found is not None and found.type in _DECISIONS else None

    def decided(self, decision: Event) -> tuple[Event | None, bool]:
        """The appeal an ``appeal_decided`` decides, and whether the model inferred it."""
        found, inferred = self.refers_to(decision, "responds_to")
        return (
            (found, inferred)
            if found is not None and found.type == "appeal_filed"
            else (None, False)
        )

    def pending(self, appeal: Event) -> bool:
        """The model still has ``appeal`` pending against its track's standing decision."""
        return any(
            t.appeal is not None and t.appeal.index == appeal.index
            for t in (self.state.criminal, self.state.civil)
        )

    def _is_civil(self, event: Event) -> bool:
        if event.type in _CIVIL_EVENTS:
            return True
        if event.type == "appeal_filed":
            target = self.appealed(event)
        elif event.type == "appeal_decided":
            appeal, _ = self.decided(event)
            target = self.appealed(appeal) if appeal is not None else None
        elif event.type == "decision_annulled":
            target, _ = self.refers_to(event, "annuls")
        else:
            return False
        return target is not None and target.type in CIVIL_DECISIONS

    def _stages(self) -> None:
        criminal_steps = {s.event.index: s.stage for s in self.state.criminal.history}
        civil_steps = {s.event.index: s.stage for s in self.state.civil.history}
        criminal, civil = Criminal.NO_COMPLAINT.value, Civil.NONE.value
        for event in self.state.events:
            criminal = criminal_steps.get(event.index, criminal)
            civil = civil_steps.get(event.index, civil)
            if event.index in civil_steps or self._is_civil(event):
                self.civil.add(event.index)
                self.stage[event.index] = f"compensation claim: {_words(civil)}"
            else:
                self.stage[event.index] = _words(criminal)

    def answered(self, request: Event) -> bool:
        """Whether the model has an answer to ``request`` (one of ours) on ``as_of``.

        An answer names the request (``responds_to``, or a link the model inferred); a reply or
        decision naming nothing answers the complaints and reminders sent before it; a move of
        the track by the authorities after the request answers it too (a registration, a
        refusal, a decision on the appeal or the annulment of the decision appealed). Our own
        requests (a reminder citing the complaint) answer nothing. An appeal the model still has
        pending is unanswered, even if a letter acknowledged it.
        """
        state = self.state
        if request.type == "appeal_filed" and self.pending(request):
            return False  # whatever replied to it: the model waits for the decision
        for other in state.events:
            if not self.after(request, other) or other.type in _NOT_ANSWERS or _asks(other):
                continue
            if request.event_id and other.responds_to == request.event_id:
                return True
            if any(
                t.index == request.index for (i, _), t in self.inferred.items() if i == other.index
            ):
                return True
        if request.type in REQUESTS and any(
            a.responds_to is None and self.after(request, a) for a in state.criminal.answered
        ):
            return True
        if request.type in _ASKS:
            track = state.civil if request.index in self.civil else state.criminal
            return any(
                self.after(request, step.event) and step.event.type not in _NOT_ANSWERS
                for step in track.history
            )
        return False


def _asks(event: Event) -> bool:
    """One of our requests: outgoing, or (no direction written) a complaint, appeal or claim."""
    direction = event.raw.get("direction")
    return direction == "outgoing" or (direction is None and event.type in _ASKS)


def case_timeline(
    case: dict[str, Any],
    fmt: CaseFormat,
    *,
    reveal: bool = False,
    lang: str = "en",
    as_of: dt.date | None = None,
) -> dict[str, Any]:
    """The legal_actions in date order as the procedural model reads them on ``as_of``.

    ``rows``: the events the model counts (dated on or before ``as_of``), each with ``stage``
    (its track's stage right after it, in words), ``reading`` (annulled by, the appeal's
    outcome, what it annuls), ``days_to_answer`` (since the event it answers, named in the file
    or ``answers_inferred`` by the model) and ``days_waiting`` (on a request of ours the model
    has no answer to on ``as_of``). ``not_counted``: the events after ``as_of`` and those without
    a date or a type, which no stage counts. ``inferred``: the links the file does not name and
    the model inferred. ``now``: one line per track (``now_lines``, as ``cattool show`` prints).
    Sensitive values come as ``MASK`` unless ``reveal``.
    """
    as_of = as_of or dt.date.today()
    r = _Reader(case, fmt, reveal=reveal, lang=lang)
    country_code = case.get("country")
    country = fmt.countries.get(country_code) if isinstance(country_code, str) else None
    state = proceedings(case, country, as_of)
    model = _ModelReading(state)

    def name(event: Event) -> str:
        return r.text(("legal_actions", event.index, "event_id")) or event.path

    def date(event: Event) -> str:
        return r.text(("legal_actions", event.index, "date")) or event.date.isoformat()

    indexes = r.items("legal_actions")
    by_id = {r.raw(("legal_actions", i, "event_id")): i for i in indexes}
    dates = {i: parse_date(r.raw(("legal_actions", i, "date"))) for i in indexes}

    rows = []
    for event in state.events:
        row = _timeline_row(r, event.index, by_id, dates)
        row["stage"] = model.stage[event.index]
        row["reading"] = _reading(model, event, r, name, date)
        target, inferred = model.refers_to(event, "responds_to")
        if inferred and target is not None:
            row.update(
                responds_to=name(target),
                days_to_answer=(event.date - target.date).days,
                answers_inferred=True,
            )
        if _asks(event) and not model.answered(event):
            row["days_waiting"] = (as_of - event.date).days
        rows.append(row)

    seen = {e.index for e in state.events}
    later = [e.index for e in state.later]
    undated = [i for i in indexes if i not in seen and i not in later]
    not_counted = []
    for i in [*later, *undated]:
        row = _timeline_row(r, i, by_id, dates)
        if i in later:
            row["stage"] = _LATER
        elif dates[i] is None:
            row["stage"] = "not counted (no full date)"
        else:
            row["stage"] = "not counted (no type)"
        not_counted.append(row)

    return {
        "case_id": r.text(("case_id",)),
        "as_of": as_of.isoformat(),
        "rows": rows,
        "not_counted": not_counted,
        "inferred": [
            f"{name(i.event)} {i.key}: {name(i.target)}"
            for i in sorted(state.inferred, key=lambda i: model.order[i.event.index])
        ],
        "now": now_lines(proceedings_now(state)),
    }


def _reading(
    model: _ModelReading,
    event: Event,
    r: _Reader,
    name: Callable[[Event], str],
    date: Callable[[Event], str],
) -> list[str]:
    """What the model makes of ``event``, in words, beyond the stage."""
    found = []
    by = model.annulled_by.get(event.index)
    if by is not None:
        found.append(f"annulled by {name(by)} on {date(by)}")

    def outcome(of: Event) -> str:
        return _words(r.text(("legal_actions", of.index, "outcome")) or "decided")

    if event.type == "decision_annulled" and event.index in model.annuls:
        _, inferred = model.refers_to(event, "annuls")
        found.append(
            f"annuls {name(model.annuls[event.index])}" + (" (inferred)" if inferred else "")
        )
    elif event.type == "appeal_decided":
        appeal, _ = model.decided(event)
        if appeal is not None:
            text = f"appeal {outcome(event)}"
            if event.index in model.annuls:
                text += f": {name(model.annuls[event.index])} set aside"
            found.append(text)
    elif event.type == "appeal_filed":
        decisions = [
            d
            for d in model.state.events
            if d.type == "appeal_decided"
            and (a := model.decided(d)[0]) is not None
            and a.index == event.index
        ]
        appealed = model.appealed(event)
        annulled = model.annulled_by.get(appealed.index) if appealed is not None else None
        if model.pending(event):
            found.append("pending")
        elif decisions:
            found.append(f"{outcome(decisions[0])} by {name(decisions[0])} on {date(decisions[0])}")
        elif appealed is not None and annulled is not None and model.after(event, annulled):
            found.append(
                f"granted: {name(appealed)} annulled by {name(annulled)} on {date(annulled)}"
            )
    return found


def _timeline_row(
    r: _Reader, i: int, by_id: dict[Any, int], dates: dict[int, dt.date | None]
) -> dict[str, Any]:
    """The facts of legal_actions[i] as output may show them, and the days since what it names."""
    at: YamlPath = ("legal_actions", i)
    target = by_id.get(r.raw((*at, "responds_to")))
    day, asked_on = dates[i], dates[target] if target is not None and target != i else None
    return {
        "event_id": r.text((*at, "event_id")),
        "date": r.text((*at, "date")),
        "type": r.coded((*at, "type"), "event_type"),
        "direction": r.coded((*at, "direction"), "direction"),
        "authority": r.text((*at, "authority", "name")),
        "authority_level": r.coded((*at, "authority", "level"), "authority_level"),
        "our_ref": r.text((*at, "our_ref")),
        "their_ref": r.text((*at, "their_ref")),
        "qualification": _qualification(r.value((*at, "qualification"))),
        "grounds": r.coded((*at, "grounds"), "refusal_grounds"),
        "responds_to": r.text((*at, "responds_to")),
        "answers_inferred": False,
        "days_to_answer": (day - asked_on).days if day and asked_on else None,
        "days_waiting": None,
        "outcome_note": r.text((*at, "outcome_note")),
        "stage": None,
        "reading": [],
    }


def _qualification(value: Any) -> str | None:
    if value is None or value == MASK or not isinstance(value, dict):
        return None if value is None else _plain(value)
    parts = [str(value.get("code", "")), f"art. {value['article']}" if "article" in value else ""]
    if "part" in value:
        parts.append(f"part {value['part']}")
    return " ".join(p for p in parts if p)


TIMELINE_COLUMNS = ("Date", "Event", "Type", "Authority", "Refs", "Stage after", "Days", "Note")


def timeline_cells(row: dict[str, Any]) -> tuple[str, ...]:
    """One timeline row as the texts of ``TIMELINE_COLUMNS``."""
    event = row["event_id"] or ""
    if row["direction"] and isinstance(row["direction"], dict):
        event += f" ({row['direction']['code']})"
    note = _join(
        row["qualification"],
        _field("grounds", row["grounds"]),
        _one_line(row["outcome_note"] or ""),
    )
    refs = _join(_field("ours", row["our_ref"]), _field("theirs", row["their_ref"]))
    days = []
    inferred = " (inferred)" if row["answers_inferred"] else ""
    if row["days_to_answer"] is not None:
        days.append(f"{_days(row['days_to_answer'])} after {row['responds_to']}{inferred}")
    elif row["responds_to"]:
        days.append(f"answers {row['responds_to']}{inferred}")
    if row["days_waiting"] is not None:
        days.append(f"waiting {_days(row['days_waiting'])}")
    return (
        row["date"] or "",
        event,
        _label(row["type"]) or "",
        row["authority"] or "",
        refs,
        _join(row["stage"], *row["reading"]),
        "; ".join(days),
        note,
    )


def timeline_entry(row: dict[str, Any]) -> list[str]:
    """One timeline row as a few short lines, for a terminal too narrow for the table."""
    date, event, kind, authority, refs, stage, days, note = timeline_cells(row)
    lines = [_join(date, event, kind, sep="  ")]
    for name, text in (
        ("authority", _join(authority, refs)),
        ("stage after", stage),
        ("days", days),
        ("note", note),
    ):
        if text:
            lines.append(f"    {name}: {text}")
    return lines


def _days(n: int) -> str:
    return f"{n} day" if n == 1 else f"{n} days"


def timeline_heading(timeline: dict[str, Any]) -> str:
    """The line above the table: whose timeline, and the day its stages and waits are counted."""
    return f"Timeline of {timeline['case_id']}: stages and days waiting as of {timeline['as_of']}"


def timeline_empty_line(timeline: dict[str, Any]) -> str | None:
    """What stands in place of an empty table; None if the table has rows."""
    if timeline["rows"]:
        return None
    if timeline["not_counted"]:
        return f"Nothing recorded on or before {timeline['as_of']}."
    return "No legal actions recorded."


def timeline_not_counted_heading(timeline: dict[str, Any]) -> str:
    """The heading of the events no stage counts: after the as-of day, or without a full date."""
    stages = {row["stage"] for row in timeline["not_counted"]}
    later = f"recorded after {timeline['as_of']}"
    if stages == {_LATER}:
        return f"Not counted in the stages: {later}"
    if _LATER not in stages:
        return "Not counted in the stages: without a full date or a type"
    return f"Not counted in the stages: {later}, or without a full date or a type"


def timeline_inferred_note(timeline: dict[str, Any]) -> str | None:
    """What "(inferred)" means, and the links to write in the file; None if there are none."""
    if not timeline["inferred"]:
        return None
    return (
        "(inferred): the file does not name this link, and cattool inferred it from where the "
        "proceedings stood (the standing decision, or the pending appeal). Write it in the file: "
        + "; ".join(timeline["inferred"])
        + "."
    )


def timeline_markdown(timeline: dict[str, Any]) -> str:
    """The timeline as Markdown: the same table, notes and closing lines as the text output."""
    lines = [f"## {timeline_heading(timeline)}", ""]

    def table(rows: list[dict[str, Any]]) -> None:
        lines.append("| " + " | ".join(TIMELINE_COLUMNS) + " |")
        lines.append("|" + "---|" * len(TIMELINE_COLUMNS))
        for row in rows:
            lines.append("| " + " | ".join(_md_cell(c) for c in timeline_cells(row)) + " |")

    empty = timeline_empty_line(timeline)
    if empty:
        lines.append(empty)
    else:
        table(timeline["rows"])
    note = timeline_inferred_note(timeline)
    if note:
        lines += ["", _one_line(note)]
    if timeline["not_counted"]:
        lines += ["", f"### {timeline_not_counted_heading(timeline)}", ""]
        table(timeline["not_counted"])
    lines.append("")
    lines += [f"- {_one_line(line)}" for line in timeline["now"]]
    return "\n".join(lines)


def _md_cell(text: str) -> str:
    # Case text as text: no HTML, link or image, and a "|" cannot split the cell.
    from cattool.outputs import md_text

    return md_text(_one_line(text))
