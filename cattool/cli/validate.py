"""cattool validate"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cattool.cli._options import FormatOption, RepoOption
from cattool.cli.output import Format, progress_bar, show_report
from cattool.errors import ExitCode

app = typer.Typer()


@app.command()
def validate(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(help="Case files or folders (default: every case of the repository)."),
    ] = None,
    repo: RepoOption = None,
    fmt: FormatOption = Format.TEXT,
    jobs: Annotated[
        int | None,
        typer.Option(
            "--jobs", "-j", min=1, help="Worker processes (default: all cores for large runs)."
        ),
    ] = None,
    strict: Annotated[
        bool, typer.Option("--strict", help="Fail (exit 1) on warnings too.")
    ] = False,
) -> None:
    """Check case files against the schema and the semantic checks.

    Prints one line per problem (path:line:column: yaml.path: message [code]) and a summary.
    No message ever shows a victim's name, narrative or contact: only where the problem is.
    Exit codes: 0 valid, 1 problems found, 2 usage error, 3 broken schema or set-up, 70 a
    defect in cattool stopped the check of a file (the others were still checked and reported).

    Examples:

      cattool validate                      # every case of this repository

      cattool validate cases/KG/            # one country

      cattool validate --format json > report.json

      cattool explain enum                  # what a problem code means and how to fix it
    """
    from cattool.problems import INTERNAL_ERROR
    from cattool.repo import find_case_files, find_repo
    from cattool.validation import validate_paths

    case_repo = find_repo(repo)
    # A new repository may have no cases/ folder yet: that is 0 cases, not a mistake.
    targets = paths or ([case_repo.cases_dir] if case_repo.cases_dir.is_dir() else [])
    # the files are listed again by validate_paths: counted only if a progress bar can show
    with progress_bar(
        lambda: len(find_case_files(targets, folders=True)), "Validating"
    ) as progress:
        report = validate_paths(
            case_repo, targets, jobs=jobs, display_root=Path.cwd(), progress=progress
        )
    show_report(report, fmt)
    if any(p.code == INTERNAL_ERROR for p in report.problems):
        raise typer.Exit(ExitCode.INTERNAL)  # a defect, once every other file is reported
    failed = report.errors or (strict and report.warnings)
    raise typer.Exit(ExitCode.PROBLEMS if failed else ExitCode.OK)
