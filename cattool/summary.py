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
from cattool.procedure import has_compensation, stage_reached
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
        "proceedings": _proceedings_dict(case, country, as_of),
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


def _proceedings_dict(case: dict[str, Any], country: CountryData | None, as_of: dt.date) -> Any:
    """Where the proceedings stand on ``as_of`` (cattool.procedure), as words and codes."""
    from cattool.procedure import proceedings

    state = proceedings(case, country, as_of)
    return {
        "criminal": state.criminal.stage.value.replace("_", " "),
        "criminal_since": state.criminal.since.isoformat() if state.criminal.since else None,
        "remedies": state.remedies.status.value.replace("_", " "),
        "civil": state.civil.stage.value.replace("_", " "),
        "un": [
            {
                "comm_id": t.comm_id or t.path,
                "body": t.body,
                "stage": t.stage.value.replace("_", " "),
            }
            for t in state.un
        ],
    }


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
    now = ov["proceedings"]
    stage_lines.append(
        (0, f"now: criminal proceedings: {now['criminal']} since {now['criminal_since'] or '-'}; "
            f"domestic remedies: {now['remedies']}")
    )  # fmt: skip
    if now["civil"] != "none":
        stage_lines.append((0, f"compensation claim: {now['civil']}"))
    for track in now["un"]:
        stage_lines.append((0, f"UN {track['comm_id']} ({track['body']}): {track['stage']}"))
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
    """The overview as Markdown, for notes and reports."""
    title, facts = _heading(ov)
    lines = [f"# {_one_line(title)}", ""]
    lines += [f"{_one_line(f)}  " for f in facts]
    for heading, body in _sections(ov):
        lines += ["", f"## {heading}", ""]
        lines += ["  " * level + "- " + _one_line(text) for level, text in body]
    return "\n".join(lines)


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


def timeline_rows(
    case: dict[str, Any],
    fmt: CaseFormat,
    *,
    reveal: bool = False,
    lang: str = "en",
    as_of: dt.date | None = None,
) -> list[dict[str, Any]]:
    """The legal_actions in date order, with days to each answer and days each request waits.

    ``days_to_answer``: on an event that ``responds_to`` another, calendar days since that one.
    ``days_waiting``: on an outgoing event nothing answers by ``as_of``, calendar days since it.
    """
    as_of = as_of or dt.date.today()
    r = _Reader(case, fmt, reveal=reveal, lang=lang)
    indexes = r.items("legal_actions")
    dates = {i: parse_date(r.raw(("legal_actions", i, "date"))) for i in indexes}
    by_id = {r.raw(("legal_actions", i, "event_id")): i for i in indexes}
    answered_by: dict[int, list[int]] = {}
    for i in indexes:
        target = by_id.get(r.raw(("legal_actions", i, "responds_to")))
        if target is not None and target != i:
            answered_by.setdefault(target, []).append(i)

    rows = []
    for i in sorted(indexes, key=lambda i: (dates[i] or dt.date.max, i)):
        at: YamlPath = ("legal_actions", i)
        day = dates[i]
        target = by_id.get(r.raw((*at, "responds_to")))
        asked_on = dates[target] if target is not None and target != i else None
        days_to_answer = (day - asked_on).days if day and asked_on else None
        answered = any((d := dates[a]) is not None and d <= as_of for a in answered_by.get(i, []))
        days_waiting = None
        if r.raw((*at, "direction")) == "outgoing" and not answered and day and day <= as_of:
            days_waiting = (as_of - day).days
        qualification = r.value((*at, "qualification"))
        rows.append(
            {
                "event_id": r.text((*at, "event_id")),
                "date": r.text((*at, "date")),
                "type": r.coded((*at, "type"), "event_type"),
                "direction": r.coded((*at, "direction"), "direction"),
                "authority": r.text((*at, "authority", "name")),
                "authority_level": r.coded((*at, "authority", "level"), "authority_level"),
                "our_ref": r.text((*at, "our_ref")),
                "their_ref": r.text((*at, "their_ref")),
                "qualification": _qualification(qualification),
                "grounds": r.coded((*at, "grounds"), "refusal_grounds"),
                "responds_to": r.text((*at, "responds_to")),
                "days_to_answer": days_to_answer,
                "days_waiting": days_waiting,
                "outcome_note": r.text((*at, "outcome_note")),
            }
        )
    return rows


def _qualification(value: Any) -> str | None:
    if value is None or value == MASK or not isinstance(value, dict):
        return None if value is None else _plain(value)
    parts = [str(value.get("code", "")), f"art. {value['article']}" if "article" in value else ""]
    if "part" in value:
        parts.append(f"part {value['part']}")
    return " ".join(p for p in parts if p)


TIMELINE_COLUMNS = ("Date", "Event", "Type", "Authority", "Refs", "Days", "Note")


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
    if row["days_to_answer"] is not None:
        days.append(f"{_days(row['days_to_answer'])} after {row['responds_to']}")
    elif row["responds_to"]:
        days.append(f"answers {row['responds_to']}")
    if row["days_waiting"] is not None:
        days.append(f"waiting {_days(row['days_waiting'])}")
    return (
        row["date"] or "",
        event,
        _label(row["type"]) or "",
        row["authority"] or "",
        refs,
        "; ".join(days),
        note,
    )


def _days(n: int) -> str:
    return f"{n} day" if n == 1 else f"{n} days"


def timeline_markdown(case_id: str, rows: list[dict[str, Any]], as_of: dt.date) -> str:
    """The timeline as a Markdown table."""
    lines = [
        f"## Timeline of {case_id}",
        "",
        f"Days waiting are counted as of {as_of.isoformat()}.",
        "",
        "| " + " | ".join(TIMELINE_COLUMNS) + " |",
        "|" + "---|" * len(TIMELINE_COLUMNS),
    ]
    for row in rows:
        cells = (_md_cell(c) for c in timeline_cells(row))
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _md_cell(text: str) -> str:
    # A "|" in an authority's name or a note would split the cell.
    return _one_line(text).replace("\\", "\\\\").replace("|", "\\|")
