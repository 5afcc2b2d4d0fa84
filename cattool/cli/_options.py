"""Options shared by several commands, defined once."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cattool.cli.output import Format

RepoOption = Annotated[
    Path | None,
    typer.Option(
        "--repo",
        help="The case repository (default: the one containing the current folder).",
        file_okay=False,
    ),
]
FormatOption = Annotated[
    Format, typer.Option("--format", "-f", help="Output format: text for people, json for tools.")
]
