"""cattool deadlines: what is overdue and what falls due soon, in every open case."""

from __future__ import annotations

import datetime as dt
import re
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from cattool.cli._options import CountriesOption, Opt, OrgsOption, RepoOption

app = typer.Typer()


class DeadlineFormat(str, Enum):
    TEXT = "text"
    CSV = "csv"
    JSON = "json"
    ICS = "ics"


def parse_within(value: str) -> int:
    """'14d', '2w', '14' -> days."""
    from cattool.errors import CattoolError, ExitCode

    match = re.fullmatch(r"\s*(\d+)\s*([dw]?)\s*", value.lower())
    if not match:
        raise CattoolError(
            f"--within: '{value}' is not a number of days; write 14d or 2w", ExitCode.USAGE
        )
    return int(match[1]) * (7 if match[2] == "w" else 1)


@app.command()
def deadlines(
    within: Annotated[
        str, typer.Option("--within", help="Also list what falls due within this time: 14d, 2w.")
    ] = "14d",
    as_of: Annotated[
        Opt, typer.Option("--as-of", metavar="YYYY-MM-DD", help="As of this day (default: today).")
    ] = None,
    country: CountriesOption = None,
    org: OrgsOption = None,
    assignee: Annotated[
        Optional[list[str]],  # noqa: UP045
        typer.Option("--assignee", help="The responsible lawyer, as the case names them."),
    ] = None,
    fmt: Annotated[
        DeadlineFormat,
        typer.Option(
            "--format", "-f", help="text, csv, json, or ics (a calendar file to subscribe to)."
        ),
    ] = DeadlineFormat.TEXT,
    output: Annotated[
        Optional[Path],  # noqa: UP045
        typer.Option("--output", "-o", help="Write to this file instead of the screen."),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace the output file.")] = False,
    closed: Annotated[
        bool,
        typer.Option(
            "--closed",
            help="Also list the rules the proceedings moved past, each with what closed it.",
        ),
    ] = False,
    repo: RepoOption = None,
) -> None:
    """What is overdue, and what falls due soon, in every open case, most urgent first.

    The rules come from the country data (schemas/countries/: registration of a crime report,
    the procuracy's reply, a forensic examination, our appeal against a refusal) and from
    schemas/un.yaml (the State's reply to a UN communication, follow-up after Views, the Human
    Rights Committee's five-year window, a Special Rapporteur submission getting stale). A rule is
    met by the matching later event of the timeline, and only the rules of where each track
    stands now are open: a forensic examination is not "overdue" in a case that ended in a
    conviction (--closed shows such rules with what closed them). Each deadline names its track
    and the event it counts from. Working days skip weekends, each country's public holidays and
    the decree days of schemas/calendars/. Closed cases are left out.

    Examples:

      cattool deadlines

      cattool deadlines --within 30d --assignee lawyer-asanova

      cattool deadlines --as-of 2016-04-05 --country KG

      cattool deadlines --format ics -o deadlines.ics

      cattool deadlines --closed --country KG    # also what the proceedings moved past, and why
    """
    from cattool.caseformat import CaseFormat
    from cattool.cases import read_valid_cases
    from cattool.cli._prompts import check_date
    from cattool.cli.output import err_console, progress_bar
    from cattool.errors import CattoolError, ExitCode, RefusedError
    from cattool.procedure.deadlines import case_deadlines, un_rules_for
    from cattool.repo import find_repo

    days_ahead = parse_within(within)
    day = check_date("--as-of", as_of) if as_of else dt.date.today()
    countries = {c.upper() for c in country or ()}
    if countries - {"KZ", "KG", "TJ"}:
        raise CattoolError("--country is KZ, KG or TJ", ExitCode.USAGE)
    case_repo = find_repo(repo)
    if output is not None:
        from cattool.outputs import check_output

        check_output(case_repo, output, option="--output")
        if output.exists() and not force:
            raise RefusedError(f"{output} exists already; nothing was written. Use --force.")
    fmt_data = CaseFormat.for_repo(case_repo)
    with progress_bar(lambda: len(case_repo.case_files()), "Reading cases") as progress:
        cases, skipped, _ = read_valid_cases(case_repo, progress=progress)
    if skipped:
        err_console.print(
            f"cattool: warning: {len(skipped)} case file(s) with errors were skipped "
            "(cattool validate shows why); their deadlines are not listed",
            markup=False,
        )
    rules = un_rules_for(case_repo.schema_file)
    items = []
    for path, case in cases:
        if case.get("case_status") == "closed":
            continue
        if countries and case.get("country") not in countries:
            continue
        if org and case.get("member_org") not in org:
            continue
        if assignee and case.get("assignee") not in assignee:
            continue
        code = str(case.get("country"))
        for item in case_deadlines(
            case,
            fmt_data.countries.get(code),
            day,
            calendar=fmt_data.calendars.get(code),
            un_rules=rules,
            closed=closed,
        ):
            if item.days_late >= -days_ahead:
                items.append((path, case, item))
    items.sort(key=lambda x: (-x[2].days_late, x[2].case_id, x[2].rule))

    text = _render(items, fmt, day, days_ahead)
    if output is None:
        typer.echo(text, nl=not text.endswith("\n"))
        return
    from cattool.files import write_bytes

    output.parent.mkdir(exist_ok=True)  # only the repository's out/ (check_output)
    write_bytes(output, text.encode("utf-8"))
    typer.echo(f"wrote {output} ({len(items)} deadlines)")


def _status(days_late: int) -> str:
    if days_late > 0:
        return f"{days_late} day{'s' if days_late != 1 else ''} overdue"
    if days_late == 0:
        return "due today"
    return f"due in {-days_late} day{'s' if days_late != -1 else ''}"


def _render(items: list[Any], fmt: DeadlineFormat, day: dt.date, days_ahead: int) -> str:
    rows = [
        {
            "case_id": item.case_id,
            "assignee": str(case.get("assignee") or ""),
            "rule": item.rule,
            "title": item.title,
            "started": item.start.isoformat(),
            "due": item.due.isoformat(),
            "days_late": item.days_late,
            "status": _status(item.days_late),
            "action": item.action,
            "basis": item.basis + ("" if item.verified else " (not verified)"),
            "where": item.where,
            "track": item.track,
            "counts_from": item.counts_from,
            "closed_by": item.closed_by or "",
        }
        for _, case, item in items
    ]
    if fmt is DeadlineFormat.JSON:
        import json

        return json.dumps(
            {"as_of": day.isoformat(), "within_days": days_ahead, "deadlines": rows},
            ensure_ascii=False,
            indent=2,
        )
    if fmt is DeadlineFormat.CSV:  # every text cell safe to open in a spreadsheet
        from cattool.outputs import csv_records

        return csv_records(rows, list(rows[0]) if rows else ["case_id"])
    if fmt is DeadlineFormat.ICS:
        return to_ics(rows)
    if not rows:
        return f"Nothing overdue or due within {days_ahead} days as of {day.isoformat()}.\n"
    lines = [f"Deadlines as of {day.isoformat()} (overdue, and due within {days_ahead} days):", ""]
    for row in rows:
        lines.append(
            f"{row['case_id']}  {row['status']:<16}  due {row['due']}  {row['title']}"
            + (f"  [{row['assignee']}]" if row["assignee"] else "")
        )
        if row["closed_by"]:
            lines.append(f"    closed: {row['closed_by']}")
        else:
            lines.append(f"    {row['action']}")
        lines.append(f"    basis: {row['basis']}; {row['track']} track, from {row['counts_from']}")
    overdue = sum(1 for r in rows if r["days_late"] > 0 and not r["closed_by"])
    closed = sum(1 for r in rows if r["closed_by"])
    summary = f"{overdue} overdue, {len(rows) - overdue - closed} due soon"
    lines += ["", summary + (f", {closed} closed" if closed else "")]
    return "\n".join(lines) + "\n"


def _ics_text(value: str) -> str:
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line: str) -> list[str]:
    """RFC 5545 lines of at most 75 octets, continued with a leading space."""
    out: list[str] = []
    current = ""
    for ch in line:
        limit = 75 if not out else 74
        if len((current + ch).encode("utf-8")) > limit:
            out.append(current)
            current = ch
        else:
            current += ch
    out.append(current)
    return [out[0], *(" " + part for part in out[1:])]


def to_ics(rows: list[dict[str, Any]]) -> str:
    """An iCalendar file: one all-day event per deadline, on its due date.

    Only the case ID, the rule and what to do appear: no name or other sensitive value.
    """
    import hashlib

    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//cattool//deadlines//EN",
        "CALSCALE:GREGORIAN",
        "X-WR-CALNAME:cattool deadlines",
    ]
    for row in rows:
        due = dt.date.fromisoformat(row["due"])
        uid = hashlib.sha256(
            f"{row['case_id']}|{row['rule']}|{row['started']}|{row['where']}".encode()
        ).hexdigest()[:32]
        event = [
            "BEGIN:VEVENT",
            f"UID:{uid}@cattool",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{due.strftime('%Y%m%d')}",
            f"DTEND;VALUE=DATE:{(due + dt.timedelta(days=1)).strftime('%Y%m%d')}",
            "SUMMARY:" + _ics_text(f"{row['case_id']}: {row['title']} ({row['status']})"),
            "DESCRIPTION:"
            + _ics_text(
                f"{row['action']}\nBasis: {row['basis']}\nFrom {row['where']} ({row['started']})"
            ),
            "CATEGORIES:" + ("OVERDUE" if row["days_late"] > 0 else "DUE"),
            "END:VEVENT",
        ]
        for line in event:
            lines.extend(_fold(line))
    lines.append("END:VCALENDAR")
    return "\r\n".join(lines) + "\r\n"
