"""cattool export: tables that consent and confidentiality allow, for publication or partners."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from cattool.cli._options import RepoOption

app = typer.Typer()


class ExportFormat(str, Enum):
    CSV = "csv"
    JSON = "json"


class Per(str, Enum):
    CASE = "case"
    VICTIM = "victim"


@app.command()
def export(
    public: Annotated[
        bool,
        typer.Option(
            "--public",
            help="Anonymised: coded values only, dates to the month, only cases whose consent "
            "covers anonymised statistics.",
        ),
    ] = False,
    coalition: Annotated[
        bool,
        typer.Option(
            "--coalition",
            help="For partners in the coalition: cases marked public or coalition, with their "
            "public label and sanitised account.",
        ),
    ] = False,
    per: Annotated[Per, typer.Option("--per", help="One row per case or per victim.")] = Per.CASE,
    fmt: Annotated[
        ExportFormat, typer.Option("--format", "-f", help="csv or json.")
    ] = ExportFormat.CSV,
    output: Annotated[
        Optional[Path],  # noqa: UP045
        typer.Option("--output", "-o", help="Write to this file (default: the screen)."),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace the output file.")] = False,
    repo: RepoOption = None,
) -> None:
    """Export the cases as a table that consent and confidentiality allow; never a sensitive value.

    --public keeps only coded values (country, region, violation, methods, agencies, stage...),
    dates coarsened to the month, and only cases in which every victim consented to anonymised
    statistics. --coalition keeps the cases marked public or coalition, with exact dates and the
    sanitised texts. Both print how many cases were left out and why. Works without any key.

    Examples:

      cattool export --public -o cases-public.csv

      cattool export --public --per victim --format json

      cattool export --coalition -o for-partners.csv
    """
    import json

    from cattool.caseformat import CaseFormat
    from cattool.cases import read_valid_cases
    from cattool.cli.output import err_console, progress_bar
    from cattool.errors import CattoolError, ExitCode, RefusedError
    from cattool.export import export_cases
    from cattool.files import write_bytes
    from cattool.outputs import check_output, csv_records
    from cattool.repo import find_repo

    if public == coalition:
        raise CattoolError("choose one: --public or --coalition", ExitCode.USAGE)
    case_repo = find_repo(repo)
    if output is not None:
        check_output(case_repo, output, option="--output")
        if output.exists() and not force:
            raise RefusedError(f"{output} exists already; nothing was written. Use --force.")
    fmt_data = CaseFormat.for_repo(case_repo)
    with progress_bar(lambda: len(case_repo.case_files()), "Reading cases") as progress:
        cases, skipped, _ = read_valid_cases(case_repo, progress=progress)
    result = export_cases(
        [data for _, data in cases],
        fmt_data,
        level="public" if public else "coalition",
        unit="victims" if per is Per.VICTIM else "cases",
    )
    if skipped:
        result.left_out["case files with errors (cattool validate)"] += len(skipped)
    if fmt is ExportFormat.JSON:
        text = json.dumps(
            {"note": result.note(), "left_out": dict(result.left_out), "rows": result.rows},
            ensure_ascii=False,
            indent=2,
        )
    else:  # every text cell safe to open in a spreadsheet (cattool.outputs)
        text = csv_records(result.rows, list(result.rows[0]) if result.rows else ["case_id"])
    if output is None:
        typer.echo(text, nl=not text.endswith("\n"))
    else:
        output.parent.mkdir(exist_ok=True)  # only the repository's out/ (check_output)
        write_bytes(output, text.encode("utf-8-sig" if fmt is ExportFormat.CSV else "utf-8"))
        typer.echo(f"wrote {output}")
    err_console.print(result.note(), markup=False, highlight=False)
