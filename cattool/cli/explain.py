"""cattool explain"""

from __future__ import annotations

from typing import Annotated

import typer

from cattool.errors import CattoolError, ExitCode
from cattool.problems import CODES

app = typer.Typer()


@app.command()
def explain(
    code: Annotated[
        str | None,
        typer.Argument(help="A problem code, as printed in [brackets] by cattool validate."),
    ] = None,
) -> None:
    """Explain a problem code and how to fix it; without a code, list them all.

    Example: cattool explain consent-missing
    """
    if code is None:
        for name, info in CODES.items():
            typer.echo(f"{name:20} {info.title}")
        return
    found = CODES.get(code)
    if found is None:
        from difflib import get_close_matches

        close = get_close_matches(code, list(CODES), n=1)
        hint = f"; did you mean '{close[0]}'?" if close else "; run cattool explain for the list"
        raise CattoolError(f"no problem code '{code}'{hint}", ExitCode.USAGE)
    typer.echo(f"{code} ({found.severity.value}): {found.title}.\nFix: {found.fix}")
