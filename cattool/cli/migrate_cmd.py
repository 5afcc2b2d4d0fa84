"""cattool migrate"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cattool.cli._options import RepoOption

app = typer.Typer()


@app.command("migrate")
def migrate(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(help="Case files or folders (default: every case of the repository)."),
    ] = None,
    write: Annotated[
        bool,
        typer.Option("--write", help="Write the upgraded files (default: only show the plan)."),
    ] = False,
    repo: RepoOption = None,
) -> None:
    """Upgrade case files to the current format (after `pip install -U cattool`).

    Without --write nothing is changed: every file that needs upgrading is listed with what
    would change. With --write each file is rewritten atomically; only the changed lines differ,
    comments and layout stay as they were. Running it again after an interruption finishes the
    job (files already upgraded are left alone). Review the result with git diff, then commit.

    Examples:

      cattool migrate                  # what would change, file by file

      cattool migrate --write          # upgrade every case, then: git diff; cattool validate
    """
    from cattool.caseformat import CaseFormat
    from cattool.cli.output import shown_path
    from cattool.errors import ExitCode
    from cattool.migrate import CURRENT, migrate_repository
    from cattool.repo import find_repo

    case_repo = find_repo(repo)
    countries = CaseFormat.for_repo(case_repo).countries
    report = migrate_repository(case_repo, countries, paths or [case_repo.cases_dir], write=write)
    for result in report.pending:
        assert result.migration is not None
        typer.echo(f"{shown_path(result.path)}: {result.migration.version} -> {CURRENT}")
        for change in result.migration.changes:
            typer.echo(f"  {change}")
    for result in report.failed:
        typer.echo(f"{shown_path(result.path)}: not migrated: {result.error}", err=True)
    done = len(report.files) - len(report.pending) - len(report.failed)
    if write:
        summary = f"{report.written} file(s) upgraded to {CURRENT}; {done} already current"
    elif report.pending:
        summary = (
            f"{len(report.pending)} of {len(report.files)} file(s) need upgrading to {CURRENT}: "
            "run cattool migrate --write"
        )
    else:
        summary = f"all {len(report.files)} case file(s) are at format {CURRENT}"
    typer.echo(summary, err=True)
    raise typer.Exit(ExitCode.PROBLEMS if report.failed else ExitCode.OK)
