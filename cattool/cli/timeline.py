"""cattool timeline"""

from __future__ import annotations

from enum import Enum
from typing import Annotated, Any

import typer

from cattool.cli._options import RepoOption
from cattool.cli.show import AsOfOption, CaseArgument, Lang, LangOption, RevealOption, as_of_date

app = typer.Typer()

# Below this many columns the timeline prints each event as a few lines instead of a table.
_TABLE_WIDTH = 120


class TimelineFormat(str, Enum):
    TEXT = "text"
    MD = "md"


@app.command()
def timeline(
    case: CaseArgument,
    repo: RepoOption = None,
    fmt: Annotated[
        TimelineFormat,
        typer.Option("--format", "-f", help="text: a table for the terminal; md: Markdown."),
    ] = TimelineFormat.TEXT,
    reveal: RevealOption = False,
    lang: LangOption = Lang.EN,
    as_of: AsOfOption = None,
) -> None:
    """Show a case's legal actions in date order, and where the proceedings stand after each.

    The stages come from the procedural model (docs/proceedings.md) as of --as-of: the column
    "Stage after" gives the stage of the event's track right after it, a decision later
    annulled says by what and when, an appeal says how it ended or that it is pending, and a
    link the file does not name but cattool inferred is marked "(inferred)". An event that
    answers another shows the days since it; a request of ours still unanswered on the as-of
    day shows the days it has been waiting. Events recorded after the as-of day are listed
    apart and count for nothing. The last lines say where each track stands now, as cattool
    show does. Outcome notes are hidden unless you pass --reveal.

    Examples:

      cattool timeline KG-2016-0001

      cattool timeline KG-2016-0001 --as-of 2016-05-01 --format md > timeline.md
    """
    from cattool.caseformat import CaseFormat
    from cattool.cases import load_case
    from cattool.crypto import revealed
    from cattool.repo import find_repo
    from cattool.summary import case_timeline, timeline_markdown

    case_repo = find_repo(repo)
    loaded = load_case(case_repo, case)
    fmt_data = CaseFormat.for_repo(case_repo)
    data = revealed(loaded.data, fmt_data.sensitive) if reveal else loaded.data
    found = case_timeline(data, fmt_data, reveal=reveal, lang=lang.value, as_of=as_of_date(as_of))
    found["case_id"] = found["case_id"] or loaded.path.stem
    if fmt is TimelineFormat.MD:
        typer.echo(timeline_markdown(found))
    else:
        _print_text(found)


def _print_text(found: dict[str, Any]) -> None:
    """The timeline as rich tables for a terminal, with the same notes and lines as Markdown."""
    from rich import box
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from cattool.summary import (
        TIMELINE_COLUMNS,
        timeline_cells,
        timeline_empty_line,
        timeline_entry,
        timeline_heading,
        timeline_inferred_note,
        timeline_not_counted_heading,
    )

    # Text cells: rich must not read "[...]" in a note as markup, nor ":...:" as emoji.
    console = Console(markup=False, highlight=False, emoji=False)

    def table(rows: list[dict[str, Any]]) -> None:
        if console.width < _TABLE_WIDTH:  # eight columns would cut every cell short
            for row in rows:
                for line in timeline_entry(row):
                    console.print(Text(line))
            return
        grid = Table(box=box.SIMPLE_HEAD, show_edge=False)
        for name in TIMELINE_COLUMNS:
            grid.add_column(name, no_wrap=name in ("Date", "Event"))
        for row in rows:
            grid.add_row(*(Text(cell) for cell in timeline_cells(row)))
        console.print(grid)

    console.print(Text(timeline_heading(found)))
    empty = timeline_empty_line(found)
    if empty:
        console.print(Text(empty))
    else:
        table(found["rows"])
    note = timeline_inferred_note(found)
    if note:
        console.print(Text(note))
    if found["not_counted"]:
        console.print(Text(""))
        console.print(Text(timeline_not_counted_heading(found)))
        table(found["not_counted"])
    console.print(Text(""))
    for line in found["now"]:
        console.print(Text(line))
