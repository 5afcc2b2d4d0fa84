"""The command-line interface: a thin layer of Typer commands over the cattool library.

Every command runs inside ``CattoolGroup.invoke``, the one place that turns exceptions into a
message and an exit code (see ``cattool.errors.ExitCode``). ``--traceback`` re-raises instead.
"""

from __future__ import annotations

import os
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from cattool import __version__
from cattool.cli import (
    deadlines,
    diff,
    event,
    explain,
    export_cmd,
    init,
    keys,
    letter,
    listing,
    new_case,
    set_cmd,
    show,
    stats,
    timeline,
    validate,
)
from cattool.cli.output import err_console
from cattool.errors import CattoolError, ExitCode


class CattoolGroup(TyperGroup):
    def invoke(self, ctx: typer.Context) -> Any:
        try:
            return super().invoke(ctx)
        except CattoolError as err:
            if ctx.meta.get("traceback"):
                raise
            err_console.print(f"cattool: {err}", markup=False, highlight=False)
            raise typer.Exit(err.exit_code) from None
        except BrokenPipeError:
            # the reader went away (cattool log | head): stop quietly, as git does
            import sys

            sys.stdout = open(os.devnull, "w")  # noqa: SIM115, PTH123 - no more output may fail
            raise typer.Exit(ExitCode.OK) from None
        except KeyboardInterrupt:
            if ctx.meta.get("traceback"):
                raise
            err_console.print("cattool: interrupted; nothing was written.", markup=False)
            raise typer.Exit(ExitCode.INTERRUPTED) from None
        except (typer.Exit, typer.Abort):
            raise
        except Exception as err:
            if ctx.meta.get("traceback") or _is_usage_error(err):
                raise
            # The exception text may quote a victim's data, so only its type is shown.
            err_console.print(
                f"cattool: internal error ({type(err).__name__}). Nothing was changed by this "
                "error. Run the command again with --traceback and report what it prints "
                "(check it for personal data first).",
                markup=False,
            )
            raise typer.Exit(ExitCode.INTERNAL) from None


def _is_usage_error(err: Exception) -> bool:
    from typer._click import exceptions as click_exceptions  # type: ignore[import-not-found]

    return isinstance(err, click_exceptions.ClickException)


app = typer.Typer(
    cls=CattoolGroup,
    name="cattool",
    help=(
        "Document torture and ill-treatment cases as YAML files in git, check them, and act on "
        "them.\n\nStart with: cattool validate (check every case of this repository), or "
        "cattool init PATH (create a coalition's own case repository)."
    ),
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    pretty_exceptions_show_locals=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"cattool {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    traceback: Annotated[
        bool,
        typer.Option(
            "--traceback", help="Show the full Python traceback of an error (for bug reports)."
        ),
    ] = False,
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    """Document torture and ill-treatment cases as YAML files in git, check them, and act on them."""
    ctx.meta["traceback"] = traceback or os.environ.get("CATTOOL_TRACEBACK") == "1"


app.add_typer(validate.app)
app.add_typer(init.app)
app.add_typer(new_case.app)
app.add_typer(explain.app)
app.add_typer(event.app)
app.add_typer(set_cmd.app)
app.add_typer(show.app)
app.add_typer(listing.app)
app.add_typer(timeline.app)
app.add_typer(letter.app)
app.add_typer(stats.app)
app.add_typer(deadlines.app)
app.add_typer(diff.app)
app.add_typer(keys.app)
app.add_typer(export_cmd.app)


def main() -> None:
    app(prog_name="cattool")
