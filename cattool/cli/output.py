"""Printing for the CLI: problem lines on stdout, summaries and progress on stderr."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import Any

import typer

from cattool.problems import Report


class _Console:
    """A rich Console made on first use: importing rich costs about 30 ms, which a command that
    prints only plain lines (a warm ``cattool validate`` in a pre-commit hook) need not pay."""

    def __init__(self, **options: Any) -> None:
        self._options = options
        self._console: Any = None

    def __getattr__(self, name: str) -> Any:
        if self._console is None:
            from rich.console import Console

            self._console = Console(**self._options)
        return getattr(self._console, name)


err_console: Any = _Console(stderr=True, highlight=False, soft_wrap=True)
console: Any = _Console(highlight=False)  # stdout, for tables


class Format(str, Enum):
    TEXT = "text"
    JSON = "json"


def show_report(report: Report, fmt: Format) -> None:
    if fmt is Format.JSON:
        typer.echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
        return
    if report.problems:  # plain text, in one write: rich would eat "[enum]" as markup
        typer.echo("\n".join(str(problem) for problem in report))
    typer.echo(report.summary(), err=True)  # plain text, as rich would print it here


@contextmanager
def progress_bar(
    total: int | Callable[[], int], label: str, *, threshold: int = 500
) -> Iterator[Callable[[int], None] | None]:
    """A progress bar on stderr for long runs in a terminal; nothing otherwise. ``total`` may be
    a function, called only in a terminal (counting the files is not free)."""
    if not sys.stderr.isatty():
        yield None
        return
    if callable(total):
        total = total()
    if total < threshold:
        yield None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    with Progress(
        f"[progress.description]{label}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=err_console,
        transient=True,
    ) as bar:
        task = bar.add_task(label, total=total)
        yield lambda done: bar.update(task, completed=done)


def shown_path(path: Path) -> str:
    """A path as the user reads it: relative to where they stand when it is below, else as is."""
    import os

    try:
        return os.path.relpath(path)
    except ValueError:
        return str(path)
