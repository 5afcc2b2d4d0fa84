"""cattool diff and cattool log: what changed in the cases, in words, for review."""

from __future__ import annotations

from enum import Enum
from typing import Annotated, Any

import typer

from cattool.cli._options import Opt, RepoOption

app = typer.Typer()


class DiffFormat(str, Enum):
    TEXT = "text"
    MD = "md"


def _labels(fmt_data: Any) -> Any:
    def label(vocabulary: str, value: Any) -> str:
        if value is None:
            return ""
        vocab = fmt_data.vocabularies.get(vocabulary)
        return vocab.label(str(value), "en") if vocab else str(value)

    return label


@app.command()
def diff(
    revisions: Annotated[
        Opt,
        typer.Argument(
            metavar="[BASE..HEAD]",
            help="Two git revisions (main..HEAD compares the two; main...HEAD starts where HEAD "
            "left main), or one (main: up to the working tree). Default: from where this branch "
            "left the main branch to the working tree.",
        ),
    ] = None,
    fmt: Annotated[
        DiffFormat, typer.Option("--format", "-f", help="text, or md for a pull-request comment.")
    ] = DiffFormat.TEXT,
    reveal: Annotated[
        bool,
        typer.Option(
            "--reveal",
            help="Show sensitive values (names, narratives, contacts) instead of <name changed>: "
            "for your own screen, never for a comment.",
        ),
    ] = False,
    repo: RepoOption = None,
) -> None:
    """What changed in the cases, in words: new cases, new events, changed fields, consent.

    For review before a pull request is merged. Sensitive values are masked (<name changed>), so
    the output can be posted as a comment; consent changes are listed first and a deleted case
    is flagged, because those matter most. Against the working tree, a changed case that now
    fails cattool validate is flagged with its number of errors (checked through the cache).

    Examples:

      cattool diff                          # this branch against main, with uncommitted changes

      cattool diff main...HEAD --format md > review.md   # from where HEAD left main

      cattool diff HEAD~3..HEAD --reveal
    """
    from cattool.caseformat import CaseFormat
    from cattool.diffing import default_base, render_diff, repo_diff
    from cattool.repo import find_repo

    case_repo = find_repo(repo)
    fmt_data = CaseFormat.for_repo(case_repo)
    if revisions and "..." in revisions:  # git's A...B: from where B left A
        from cattool.diffing import git_text

        left, _, right = revisions.partition("...")
        tip = right or "HEAD"
        base = git_text(case_repo, "merge-base", left or "HEAD", tip).strip()
        head_rev: str | None = tip
    elif revisions and ".." in revisions:
        base, _, head = revisions.partition("..")
        base, head_rev = base or "HEAD", head or None
    elif revisions:
        base, head_rev = revisions, None
    else:
        base, head_rev = default_base(case_repo), None
    diffs = repo_diff(
        case_repo, base, head_rev, fmt_data.sensitive, _labels(fmt_data), reveal=reveal
    )
    title = f"Case changes {base[:12]}..{head_rev or 'working tree'}"
    typer.echo(render_diff(diffs, fmt.value, title), nl=False)


@app.command()
def log(
    case: Annotated[
        str, typer.Argument(metavar="CASE", help="A case ID such as KG-2016-0001, or a case file.")
    ],
    reveal: Annotated[
        bool, typer.Option("--reveal", help="Show sensitive values instead of masking them.")
    ] = False,
    repo: RepoOption = None,
) -> None:
    """The history of one case from git: each commit's date, author and changes in words.

    Examples:

      cattool log KG-2016-0001
    """
    from cattool.caseformat import CaseFormat
    from cattool.cases import case_path
    from cattool.diffing import case_log
    from cattool.repo import find_repo

    case_repo = find_repo(repo)
    fmt_data = CaseFormat.for_repo(case_repo)
    path = case_path(case_repo, case)
    entries = case_log(case_repo, path, fmt_data.sensitive, _labels(fmt_data), reveal=reveal)
    if not entries:
        typer.echo(f"{case}: no commit touches this case yet")
        return
    for entry in entries:
        typer.echo(f"{entry.date}  {entry.commit[:10]}  {entry.author}: {entry.subject}")
        for change in entry.changes:
            mark = {"consent": "⚠ consent: ", "danger": "⚠ "}.get(change.flag, "")
            typer.echo(f"    {mark}{change.text}")
        typer.echo("")
