"""cattool list"""

from __future__ import annotations

import os
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from cattool.cli._options import RepoOption
from cattool.cli.output import err_console

app = typer.Typer()


class ListFormat(str, Enum):
    TEXT = "text"
    CSV = "csv"
    JSON = "json"


@app.command("list")
def list_cases(
    repo: RepoOption = None,
    country: Annotated[
        list[str] | None,
        typer.Option("--country", metavar="COUNTRY", help="KZ, KG or TJ (repeat for several)."),
    ] = None,
    year: Annotated[
        list[int] | None, typer.Option("--year", metavar="YEAR", help="Year of intake.")
    ] = None,
    org: Annotated[
        list[str] | None, typer.Option("--org", metavar="ORG", help="Member organisation.")
    ] = None,
    status: Annotated[
        list[str] | None,
        typer.Option("--status", metavar="STATUS", help="Case status: open, monitoring, closed."),
    ] = None,
    stage: Annotated[
        list[str] | None,
        typer.Option(
            "--stage",
            metavar="STAGE",
            help="Stage reached: none, complaint_sent, registered, investigation_opened, "
            "sent_to_court, verdict.",
        ),
    ] = None,
    fmt: Annotated[
        ListFormat, typer.Option("--format", "-f", help="text, csv or json.")
    ] = ListFormat.TEXT,
) -> None:
    """List the cases, one line each, with the stage each reached. Never shows a sensitive value.

    Columns: case_id, country, intake_date, region, member_org, violation_type, stage,
    case_status, victims (how many). A file that cannot be read is skipped with a warning;
    cattool validate says what is wrong with it.

    Examples:

      cattool list --country KG --year 2016

      cattool list --stage investigation_opened --stage sent_to_court

      cattool list --status open --format csv > cases.csv
    """
    from cattool.caseformat import CaseFormat
    from cattool.errors import UsageError
    from cattool.procedure import STAGES
    from cattool.repo import find_repo
    from cattool.summary import LIST_COLUMNS, filter_rows, list_rows

    case_repo = find_repo(repo)
    case_format = CaseFormat.for_repo(case_repo)
    statuses = case_format.vocabularies["case_status"].values
    for name, given, allowed in (("--status", status, statuses), ("--stage", stage, STAGES)):
        for value in given or []:
            if value not in allowed:
                raise UsageError(f"{name} {value}: use one of {', '.join(allowed)}")
    from cattool.cli.output import progress_bar

    with progress_bar(lambda: len(case_repo.case_files()), "Reading cases") as progress:
        rows, unreadable = list_rows(case_repo, case_format, progress=progress)
    from cattool.problems import printable

    for path, problem in unreadable:
        shown = printable(Path(os.path.relpath(path)))  # a newline in a name stays on its line
        err_console.print(
            f"cattool: warning: skipped {shown} ({problem.code}); run cattool validate {shown}",
            markup=False,
        )
    readable = len(rows)
    rows = filter_rows(
        rows,
        countries=country or (),
        years=year or (),
        orgs=org or (),
        statuses=status or (),
        stages=stage or (),
    )
    if fmt is ListFormat.JSON:
        import json

        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
    elif fmt is ListFormat.CSV:  # every text cell safe to open in a spreadsheet
        from cattool.outputs import csv_records

        typer.echo(csv_records(rows, LIST_COLUMNS), nl=False)
    else:
        table = [list(LIST_COLUMNS), *([str(row[c]) for c in LIST_COLUMNS] for row in rows)]
        widths = [max(len(line[i]) for line in table) for i in range(len(LIST_COLUMNS))]
        for line in table:
            typer.echo(
                "  ".join(cell.ljust(w) for cell, w in zip(line, widths, strict=True)).rstrip()
            )
        err_console.print(f"{len(rows)} of {readable} cases", markup=False)
