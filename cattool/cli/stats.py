"""cattool stats: the yearly figures, as tables, files, charts and a report."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from cattool.cli._options import CountriesOption, Opt, OrgsOption, RepoOption
from cattool.cli.output import shown_path

app = typer.Typer()


class StatsFormat(str, Enum):
    TEXT = "text"
    CSV = "csv"
    XLSX = "xlsx"
    JSON = "json"
    MD = "md"


class Unit(str, Enum):
    CASES = "cases"
    VICTIMS = "victims"


class Lang(str, Enum):
    EN = "en"
    RU = "ru"


@app.command()
def stats(
    period: Annotated[
        Opt,
        typer.Argument(
            metavar="[YEAR|FIRST-LAST]", help="A year (2016) or a range of years (2013-2016)."
        ),
    ] = None,
    half: Annotated[
        Optional[int],  # noqa: UP045
        typer.Option("--half", help="1 or 2: the first or second half of the YEAR."),
    ] = None,
    start: Annotated[
        Opt, typer.Option("--from", metavar="YYYY-MM-DD", help="Start of a period (with --to).")
    ] = None,
    end: Annotated[Opt, typer.Option("--to", metavar="YYYY-MM-DD", help="End of a period.")] = None,
    as_of: Annotated[
        Opt,
        typer.Option(
            "--as-of",
            metavar="YYYY-MM-DD",
            help="Count every case as it was known on this day (later events ignored), to make "
            "an earlier report again exactly.",
        ),
    ] = None,
    country: CountriesOption = None,
    org: OrgsOption = None,
    unit: Annotated[
        Unit, typer.Option("--unit", help="Count cases, or victims (a case may concern several).")
    ] = Unit.CASES,
    fmt: Annotated[
        StatsFormat,
        typer.Option("--format", "-f", help="text (terminal tables), csv, xlsx, json or md."),
    ] = StatsFormat.TEXT,
    output: Annotated[
        Optional[Path],  # noqa: UP045
        typer.Option(
            "--output",
            "-o",
            help="File for xlsx/json/md, folder for csv (default: stdout, or out/ for xlsx).",
        ),
    ] = None,
    charts: Annotated[
        Optional[Path],  # noqa: UP045
        typer.Option(
            "--charts", help="Write PNG and SVG charts into this folder.", file_okay=False
        ),
    ] = None,
    report: Annotated[
        Optional[Path],  # noqa: UP045
        typer.Option(
            "--report",
            help="Write a publishable report (Markdown, HTML, charts) into this folder.",
            file_okay=False,
        ),
    ] = None,
    public: Annotated[
        bool,
        typer.Option(
            "--public",
            help="For publication: counts of 1 or 2 are shown as <3 so no victim can be singled out.",
        ),
    ] = False,
    lang: Annotated[Lang, typer.Option("--lang", help="Language of labels and report.")] = Lang.EN,
    force: Annotated[
        bool, typer.Option("--force", help="Replace files that exist already.")
    ] = False,
    jobs: Annotated[
        Optional[int],  # noqa: UP045
        typer.Option("--jobs", "-j", help="Worker processes for reading (default: by size)."),
    ] = None,
    repo: RepoOption = None,
) -> None:
    """Figures for a year or a period: new cases, victims, agencies, methods, how far cases went.

    A case counts as new in the year of its intake_date. Tables say their unit (cases or victims);
    a case with several methods or agencies counts once under each. Case files with errors are
    skipped and counted (cattool validate shows why). Every output states the commit, date,
    filters and --as-of it was made from. No table ever holds a name.

    Examples:

      cattool stats 2016

      cattool stats 2013-2016 --country KG --format xlsx -o kg-2013-2016.xlsx

      cattool stats 2015 --half 1

      cattool stats 2016 --as-of 2017-01-31 --public --report out/report-2016 --lang ru
    """
    from cattool.caseformat import CaseFormat
    from cattool.cli._prompts import check_date
    from cattool.cli.output import err_console, progress_bar
    from cattool.errors import CattoolError, ExitCode
    from cattool.problems import printable
    from cattool.repo import find_repo
    from cattool.stats import Period, StatsQuery, collect, compute_stats

    if period is None and not (start or end):
        raise CattoolError(
            "give a YEAR (cattool stats 2016), a range (2013-2016) or --from/--to",
            ExitCode.USAGE,
        )
    if half is not None and (start or end):
        raise CattoolError("--half goes with a YEAR, not with --from/--to", ExitCode.USAGE)
    chosen = Period.parse(
        period,
        half=half,
        start=check_date("--from", start) if start else None,
        end=check_date("--to", end) if end else None,
    )
    countries = tuple(c.upper() for c in country or ())
    wrong = [c for c in countries if c not in ("KZ", "KG", "TJ")]
    if wrong:
        raise CattoolError(f"--country: {', '.join(wrong)} is not KZ, KG or TJ", ExitCode.USAGE)
    query = StatsQuery(
        chosen,
        as_of=check_date("--as-of", as_of) if as_of else None,
        countries=countries,
        orgs=tuple(org or ()),
        unit=unit.value,
        public=public,
        lang=lang.value,
    )
    case_repo = find_repo(repo)
    _check_places(case_repo, fmt, output, charts, report)
    fmt_data = CaseFormat.for_repo(case_repo)
    with progress_bar(lambda: len(case_repo.case_files()), "Reading cases") as progress:
        collected = collect(case_repo, fmt_data, query, jobs=jobs, progress=progress)
    result = compute_stats(case_repo, fmt_data, query, collected=collected)
    if result.skipped:
        err_console.print(
            f"cattool: warning: {len(result.skipped)} case file(s) with errors were skipped "
            "(cattool validate shows why): "
            + ", ".join(printable(shown_path(p)) for p in result.skipped[:10])
            + (" ..." if len(result.skipped) > 10 else ""),
            markup=False,
            highlight=False,
        )
    _write_outputs(result, fmt, output, charts, report, force, case_repo)


def _check_places(
    case_repo: object, fmt: StatsFormat, output: Path | None, charts: Path | None,
    report: Path | None,
) -> None:  # fmt: skip
    """Every place an output goes, checked before anything is read or written."""
    from cattool.outputs import check_output
    from cattool.repo import CaseRepo

    assert isinstance(case_repo, CaseRepo)
    if output is not None and fmt is not StatsFormat.TEXT:  # text: --output is refused later
        check_output(case_repo, output, folder=fmt is StatsFormat.CSV, option="--output")
    if charts is not None:
        check_output(case_repo, charts, folder=True, option="--charts")
    if report is not None:
        check_output(case_repo, report, folder=True, option="--report")


def _refuse_existing(paths: list[Path], force: bool) -> None:
    from cattool.errors import RefusedError

    existing = [p for p in paths if p.exists()]
    if existing and not force:
        raise RefusedError(
            f"{', '.join(map(str, existing))} exists already; nothing was written. "
            "Use --force to replace it."
        )


def _write_outputs(
    result: object,
    fmt: StatsFormat,
    output: Path | None,
    charts: Path | None,
    report: Path | None,
    force: bool,
    case_repo: object,
) -> None:
    from cattool import stats_output as out
    from cattool.cli.output import console
    from cattool.files import write_bytes
    from cattool.stats import StatsResult

    assert isinstance(result, StatsResult)
    if fmt is StatsFormat.TEXT:
        if output is not None:
            raise typer.BadParameter("--output needs --format csv, xlsx, json or md")
        if charts is None and report is None:  # with files to write, the files are the output
            out.print_tables(result, console)
    elif fmt is StatsFormat.XLSX:
        path = output or (
            case_repo.root / "out" / f"stats-{_slug(result.query.period.label)}.xlsx"  # type: ignore[attr-defined]
        )
        if output is None:  # the default, in the repository's out/ (a link there is checked)
            from cattool.outputs import check_output
            from cattool.repo import CaseRepo

            assert isinstance(case_repo, CaseRepo)
            check_output(case_repo, path)
        _refuse_existing([path], force)
        path.parent.mkdir(parents=True, exist_ok=True)
        out.write_xlsx(result, path)
        typer.echo(f"wrote {shown_path(path)}")
    elif fmt is StatsFormat.CSV and output is not None:
        _refuse_existing(
            [output / f"{t.key}.csv" for t in result.tables] + [output / "provenance.json"], force
        )
        for path in out.write_csv_dir(result, output):
            typer.echo(f"wrote {shown_path(path)}")
    else:
        text = {
            StatsFormat.CSV: out.to_csv_stream,
            StatsFormat.JSON: out.to_json,
            StatsFormat.MD: out.to_markdown,
        }[fmt](result)
        if output is None:
            typer.echo(text, nl=not text.endswith("\n"))
        else:
            _refuse_existing([output], force)
            output.parent.mkdir(parents=True, exist_ok=True)
            write_bytes(output, text.encode("utf-8"))
            typer.echo(f"wrote {shown_path(output)}")
    if charts is not None:
        _refuse_existing(list(charts.glob("*.png")) + list(charts.glob("*.svg")), force)
        for path in out.write_charts(result, charts):
            typer.echo(f"wrote {shown_path(path)}")
    if report is not None:
        lang = result.query.lang
        _refuse_existing(
            [
                report / f"report.{lang}.md",
                report / f"report.{lang}.html",
                *report.glob("*.png"),
                *report.glob("*.svg"),
            ],
            force,
        )
        for path in out.write_report(result, report, case_repo):
            typer.echo(f"wrote {shown_path(path)}")


def _slug(text: str) -> str:
    import re

    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-")
