"""cattool timeline"""

from __future__ import annotations

from enum import Enum
from typing import Annotated

import typer

from cattool.cli._options import RepoOption
from cattool.cli.show import AsOfOption, CaseArgument, Lang, LangOption, RevealOption, as_of_date

app = typer.Typer()


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
    """Show a case's legal actions in date order, with how long each answer took.

    An event that responds_to a request shows the days since the request; an outgoing request
    that nothing answers shows the days it has been waiting. Outcome notes are hidden unless
    you pass --reveal.

    Examples:

      cattool timeline KG-2016-0001

      cattool timeline KG-2016-0001 --as-of 2016-05-01 --format md > timeline.md
    """
    from cattool.caseformat import CaseFormat
    from cattool.cases import load_case
    from cattool.repo import find_repo
    from cattool.summary import TIMELINE_COLUMNS, timeline_cells, timeline_markdown, timeline_rows

    case_repo = find_repo(repo)
    loaded = load_case(case_repo, case)
    day = as_of_date(as_of)
    from cattool.crypto import revealed

    fmt_data = CaseFormat.for_repo(case_repo)
    data = revealed(loaded.data, fmt_data.sensitive) if reveal else loaded.data
    rows = timeline_rows(data, fmt_data, reveal=reveal, lang=lang.value, as_of=day)
    case_id = str(loaded.data.get("case_id") or loaded.path.stem)
    if fmt is TimelineFormat.MD:
        typer.echo(timeline_markdown(case_id, rows, day))
        return
    from rich import box
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    # Text cells: rich must not read "[...]" in a note as markup, nor ":...:" as emoji.
    table = Table(box=box.SIMPLE_HEAD, show_edge=False)
    for name in TIMELINE_COLUMNS:
        table.add_column(name, no_wrap=name in ("Date", "Event"))
    for row in rows:
        table.add_row(*(Text(cell) for cell in timeline_cells(row)))
    console = Console(markup=False, highlight=False, emoji=False)
    console.print(Text(f"Timeline of {case_id}; days waiting as of {day.isoformat()}"))
    if rows:
        console.print(table)
    else:
        console.print(Text("No legal actions recorded."))
