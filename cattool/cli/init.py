"""cattool init"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer()


@app.command()
def init(
    path: Annotated[Path, typer.Argument(help="Folder to create (must be new or empty).")],
    coalition: Annotated[
        str, typer.Option("--coalition", help="Name of the coalition, for the README.")
    ] = "NGO Coalition against Torture",
    commit: Annotated[
        bool, typer.Option("--commit/--no-commit", help="Commit the new files (default: yes).")
    ] = True,
) -> None:
    """Create a coalition's own private case repository, ready to use.

    It gets cases/ (one folder per country), a README on adding and reviewing cases, a .gitignore
    that keeps rendered output and keys out of git, a pre-commit hook that runs cattool validate
    offline, and CI files for GitHub Actions and GitLab CI. Refuses a folder that is not empty.

    Example:

      cattool init ~/cases-kg --coalition "Coalition against Torture in Kyrgyzstan"
    """
    from cattool.scaffold import init_repo

    written = init_repo(path, coalition, commit=commit)
    typer.echo(f"Created the case repository {path} ({len(written)} files).")
    typer.echo("Next: cd into it, run 'pre-commit install' once, then 'cattool new-case'.")
