"""Options shared by several commands, defined once."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

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

Opt = Optional[str]  # noqa: UP045 - Typer needs Optional on Python 3.10

CountriesOption = Annotated[
    Optional[list[str]],  # noqa: UP045
    typer.Option("--country", help="KZ, KG or TJ (repeat for several)."),
]
OrgsOption = Annotated[
    Optional[list[str]],  # noqa: UP045
    typer.Option("--org", help="Member organisation code (repeat for several)."),
]
