"""Printing for the CLI: problem lines on stdout, summaries and progress on stderr."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import Enum

import typer
from rich.console import Console

from cattool.problems import Report

err_console = Console(stderr=True, highlight=False, soft_wrap=True)
console = Console(highlight=False)  # stdout, for tables


class Format(str, Enum):
    TEXT = "text"
    JSON = "json"


def show_report(report: Report, fmt: Format) -> None:
    if fmt is Format.JSON:
        typer.echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
        return
    if report.problems:  # plain text, in one write: rich would eat "[enum]" as markup
        typer.echo("\n".join(str(problem) for problem in report))
    err_console.print(report.summary(), markup=False)


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
