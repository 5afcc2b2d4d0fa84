"""The command-line interface: a thin layer of Typer commands over the cattool library.

Only the module of the command being run is imported and turned into a click command (``main``
looks at the command line first), so ``cattool validate`` in a pre-commit hook does not pay for
``letter`` or ``stats``; ``app`` (all commands) is built on first use, for ``--help`` and tests.

Every command runs inside ``CattoolGroup.invoke``, the one place that turns exceptions into a
message and an exit code (see ``cattool.errors.ExitCode``). ``--traceback`` re-raises instead.
What the library logs as an error is a defect it met on one file while the run went on (the file
has an internal-error problem): the command finishes, and then exits 70.
"""

from __future__ import annotations

import logging
import os
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from cattool import __version__
from cattool.cli.output import err_console
from cattool.errors import CattoolError, ExitCode


class _WarningsToStderr(logging.Handler):
    """What the library logs as a warning, as the command line says it: ``cattool: warning: ...``;
    an error (a defect met on one file) as ``cattool: error: ...``, counted for the exit code."""

    errors = 0  # since the command started

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno >= logging.ERROR:
            self.errors += 1
            err_console.print(f"cattool: error: {record.getMessage()}", markup=False)
        else:
            err_console.print(f"cattool: warning: {record.getMessage()}", markup=False)


_LOG = logging.getLogger("cattool")
_HANDLER = next((h for h in _LOG.handlers if isinstance(h, _WarningsToStderr)), None)
if _HANDLER is None:
    _HANDLER = _WarningsToStderr(logging.WARNING)
    _LOG.addHandler(_HANDLER)
    _LOG.propagate = False


class CattoolGroup(TyperGroup):
    def invoke(self, ctx: typer.Context) -> Any:
        from cattool.problems import DEFECTS

        assert _HANDLER is not None
        _HANDLER.errors = 0
        try:
            result = self._invoke(ctx)
        finally:
            DEFECTS.reraise = False  # set by --traceback for this command only
        if _HANDLER.errors:
            raise typer.Exit(ExitCode.INTERNAL)
        return result

    def _invoke(self, ctx: typer.Context) -> Any:
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
        except typer.Exit as done:
            if done.exit_code in (ExitCode.OK, ExitCode.PROBLEMS) and _HANDLER and _HANDLER.errors:
                raise typer.Exit(ExitCode.INTERNAL) from None  # a defect met on the way
            raise
        except typer.Abort:
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


def _version(value: bool) -> None:
    if value:
        typer.echo(f"cattool {__version__}")
        raise typer.Exit()


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
    if ctx.meta["traceback"]:
        from cattool.problems import DEFECTS

        DEFECTS.reraise = True  # a defect met on one file stops the run with its traceback


# Every command, with the module (in cattool/cli/) that defines it; tests/test_startup.py checks
# this list against the commands the modules really define.
COMMANDS: dict[str, str] = {
    "validate": "validate",
    "init": "init",
    "new-case": "new_case",
    "explain": "explain",
    "event": "event",
    "set": "set_cmd",
    "show": "show",
    "list": "listing",
    "timeline": "timeline",
    "letter": "letter",
    "un-check": "letter",
    "offices": "letter",
    "stats": "stats",
    "deadlines": "deadlines",
    "diff": "diff",
    "log": "diff",
    "keys": "keys",
    "encrypt": "keys",
    "decrypt": "keys",
    "cache": "keys",
    "export": "export_cmd",
    "migrate": "migrate_cmd",
}
MODULE_ORDER = list(dict.fromkeys(COMMANDS.values()))  # the order of --help


def build_app(modules: list[str] | None = None) -> typer.Typer:
    """The Typer app with the commands of ``modules`` (default: all of them)."""
    import importlib

    built = typer.Typer(
        cls=CattoolGroup,
        name="cattool",
        help=(
            "Document torture and ill-treatment cases as YAML files in git, check them, and act "
            "on them.\n\nStart with: cattool validate (check every case of this repository), or "
            "cattool init PATH (create a coalition's own case repository)."
        ),
        no_args_is_help=True,
        pretty_exceptions_enable=False,
        pretty_exceptions_show_locals=False,
        rich_markup_mode=None,
        context_settings={"help_option_names": ["-h", "--help"]},
    )
    built.callback()(root)
    for module in modules if modules is not None else MODULE_ORDER:
        built.add_typer(importlib.import_module(f"cattool.cli.{module}").app)
    return built


_FULL: typer.Typer | None = None


def __getattr__(name: str) -> Any:
    """``cattool.cli.app``: every command, built on first use."""
    global _FULL
    if name == "app":
        if _FULL is None:
            _FULL = build_app()
        return _FULL
    raise AttributeError(name)


def _command_in(argv: list[str]) -> str | None:
    """The command named on the command line (the first word that is not an option); None when
    an option before it asks for the whole tool (``cattool --help validate`` lists every
    command, as ``cattool --help`` does)."""
    for word in argv:
        if word == "--" or word in ("-h", "--help", "--version"):
            return None
        if not word.startswith("-"):
            return word
    return None


def main() -> None:
    import sys

    command = _command_in(sys.argv[1:])
    if command in COMMANDS:
        build_app([COMMANDS[command]])(prog_name="cattool")
    else:  # --help, --version, a mistyped command: everything, for the list and did-you-mean
        build_app()(prog_name="cattool")
