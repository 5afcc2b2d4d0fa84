"""Exit codes and the one exception type that stops a command."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """Documented, stable exit codes. Never renumber: scripts and CI depend on them."""

    OK = 0
    PROBLEMS = 1  # findings in the user's files (invalid case, unreadable YAML, ...)
    USAGE = 2  # bad command line (Typer's own code)
    CONFIG = 3  # broken schema, vocabulary, country data, template or set-up
    REFUSED = 4  # the command refused to do something that could lose data (e.g. overwrite)
    INTERNAL = 70  # a bug in cattool: rerun with --traceback and report it
    INTERRUPTED = 130  # Ctrl-C


class CattoolError(Exception):
    """A failure that stops the run. The message speaks to a lawyer and says how to fix it.

    Never put a value from a sensitive field into the message.
    """

    exit_code: ExitCode = ExitCode.CONFIG

    def __init__(self, message: str, exit_code: ExitCode | None = None) -> None:
        super().__init__(message)
        if exit_code is not None:
            self.exit_code = exit_code


class ConfigError(CattoolError):
    """The schema, a vocabulary, country data or a template is broken."""

    exit_code = ExitCode.CONFIG


class RefusedError(CattoolError):
    """The command would overwrite or lose the user's data, so it did nothing."""

    exit_code = ExitCode.REFUSED


class UsageError(CattoolError):
    """The arguments name something that does not exist or cannot work together."""

    exit_code = ExitCode.USAGE
