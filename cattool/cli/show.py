"""cattool show, and the options the reading commands share (show, timeline)."""

from __future__ import annotations

import datetime as dt
import json
from enum import Enum
from typing import Annotated

import typer

from cattool.cli._options import RepoOption

app = typer.Typer()


class Lang(str, Enum):
    EN = "en"
    RU = "ru"


class ShowFormat(str, Enum):
    TEXT = "text"
    JSON = "json"
    MD = "md"


CaseArgument = Annotated[
    str,
    typer.Argument(
        metavar="CASE", help="A case ID such as KG-2016-0001, or the path of a case file."
    ),
]
RevealOption = Annotated[
    bool,
    typer.Option(
        "--reveal",
        help="Show sensitive values (names, narratives, contacts): mind who is watching.",
    ),
]
LangOption = Annotated[Lang, typer.Option("--lang", help="Language of the labels.")]
AsOfOption = Annotated[
    dt.datetime | None,
    typer.Option(
        "--as-of",
        formats=["%Y-%m-%d"],
        metavar="YYYY-MM-DD",
        help="Count deadlines and days waiting as of this day (YYYY-MM-DD; default: today).",
    ),
]


def as_of_date(value: dt.datetime | None) -> dt.date:
    return value.date() if value else dt.date.today()


@app.command()
def show(
    case: CaseArgument,
    repo: RepoOption = None,
    fmt: Annotated[
        ShowFormat, typer.Option("--format", "-f", help="text for people, json for tools, md.")
    ] = ShowFormat.TEXT,
    reveal: RevealOption = False,
    lang: LangOption = Lang.EN,
    as_of: AsOfOption = None,
) -> None:
    """Show one case: who, what, where, when, the stage reached, what is overdue, consent.

    Sensitive values (names, narratives, contacts, dates of birth) are shown as
    "<hidden: use --reveal>" unless you pass --reveal. Deadlines come from the country data
    (schemas/countries/); working days skip weekends, public holidays and decree days.

    Examples:

      cattool show KG-2016-0001

      cattool show KG-2016-0001 --lang ru --as-of 2016-05-01

      cattool show cases/KG/KG-2016-0001.yaml --format md > KG-2016-0001.md
    """
    from cattool.caseformat import CaseFormat
    from cattool.cases import load_case
    from cattool.crypto import revealed
    from cattool.repo import find_repo
    from cattool.summary import case_overview, overview_markdown, overview_text

    case_repo = find_repo(repo)
    loaded = load_case(case_repo, case)
    fmt_data = CaseFormat.for_repo(case_repo)
    # encrypted values are decrypted in memory, only when they are to be shown
    data = revealed(loaded.data, fmt_data.sensitive) if reveal else loaded.data
    overview = case_overview(
        data,
        fmt_data,
        reveal=reveal,
        lang=lang.value,
        as_of=as_of_date(as_of),
    )
    if fmt is ShowFormat.JSON:
        typer.echo(json.dumps(overview, ensure_ascii=False, indent=2))
    elif fmt is ShowFormat.MD:
        typer.echo(overview_markdown(overview))
    else:
        typer.echo(overview_text(overview))
