"""cattool event add"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import typer

from cattool.cli._options import Opt, RepoOption

app = typer.Typer()
event_app = typer.Typer(help="Record what happens in a case's timeline (legal_actions).")
app.add_typer(event_app, name="event")


@event_app.command("add")
def add(
    case: Annotated[str, typer.Argument(help="Case ID (KG-2016-0012) or path of the case file.")],
    type_: Annotated[
        Opt, typer.Option("--type", "-t", help="Event type, e.g. complaint_sent.")
    ] = None,
    date: Annotated[
        Opt, typer.Option("--date", "-d", help="Date, YYYY-MM-DD (default: today).")
    ] = None,
    authority: Annotated[Opt, typer.Option("--authority", help="Name of the authority.")] = None,
    level: Annotated[Opt, typer.Option("--level", help="Authority level, e.g. district.")] = None,
    direction: Annotated[
        Opt, typer.Option("--direction", help="outgoing, incoming or internal.")
    ] = None,
    our_ref: Annotated[Opt, typer.Option("--our-ref", help="Our outgoing number.")] = None,
    their_ref: Annotated[Opt, typer.Option("--their-ref", help="The authority's number.")] = None,
    responds_to: Annotated[
        Opt, typer.Option("--responds-to", help="event_id this answers, e.g. e1.")
    ] = None,
    legal_basis: Annotated[
        Opt, typer.Option("--legal-basis", help="For example 'CPC KZ art. 180'.")
    ] = None,
    grounds: Annotated[
        Opt, typer.Option("--grounds", help="Grounds of a refusal, e.g. no_corpus_delicti.")
    ] = None,
    code: Annotated[
        Opt, typer.Option("--code", help="Criminal Code edition, e.g. CC-KZ-2014.")
    ] = None,
    article: Annotated[
        Opt, typer.Option("--article", help="Criminal Code article, e.g. 146.")
    ] = None,
    note: Annotated[
        Opt, typer.Option("--note", help="What the document says (kept sensitive).")
    ] = None,
    document: Annotated[
        Opt, typer.Option("--document", help="Path to the scanned document.")
    ] = None,
    no_input: Annotated[
        bool, typer.Option("--no-input", help="Never ask; fail if --type is missing.")
    ] = False,
    interactive: Annotated[
        bool, typer.Option("--interactive", help="Ask even if input is not a terminal.")
    ] = False,
    repo: RepoOption = None,
) -> None:
    """Add an event to a case's timeline: a complaint sent, an answer, a refusal, an appeal...

    The case is validated before it is written; if the event would make it invalid, the file is
    left untouched and the problems are printed. Comments and layout of the file are kept.

    Examples:

      cattool event add KG-2016-0001 --type complaint_sent --date 2016-03-15 --authority "Sokuluk district procuracy" --level district --our-ref VOF-16/031

      cattool event add KG-2016-0001 --type refusal_to_open --responds-to e1 --grounds no_corpus_delicti --code CC-KG-1997 --article 305-1

      cattool event add KG-2016-0001        # asks for each item in a terminal
    """
    from cattool.caseformat import CaseFormat
    from cattool.cases import case_path
    from cattool.cli._prompts import (
        ask_choice,
        ask_date,
        ask_text,
        can_prompt,
        check_choice,
        check_date,
    )
    from cattool.editing import append_event, edit_case, save_validated
    from cattool.errors import CattoolError, ExitCode
    from cattool.repo import find_repo

    case_repo = find_repo(repo)
    path = case_path(case_repo, case)
    fmt = CaseFormat.for_repo(case_repo)
    vocabs = fmt.vocabularies
    prompting = can_prompt(no_input, interactive)

    if type_ is None:
        if not prompting:
            raise CattoolError(
                "missing --type (the kind of event, e.g. complaint_sent); "
                "cattool event add --help lists the options",
                ExitCode.USAGE,
            )
        type_ = ask_choice("Event type", vocabs["event_type"])
    type_ = check_choice("--type", type_, vocabs["event_type"])
    if date is None and prompting:
        day = ask_date("Date", dt.date.today())
    else:
        day = check_date("--date", date) if date else dt.date.today()
    if authority is None and prompting:
        authority = ask_text("Authority (name)", "-")
        authority = None if authority == "-" else authority
    for option, value, vocab in (
        ("--level", level, "authority_level"),
        ("--direction", direction, "direction"),
        ("--grounds", grounds, "refusal_grounds"),
    ):
        if value is not None:
            check_choice(option, value, vocabs[vocab])
    if (code is None) != (article is None):
        raise CattoolError("give --code and --article together", ExitCode.USAGE)

    auth = {"name": authority, **({"level": level} if level else {})} if authority else None
    with edit_case(path) as edit:  # another command writing this case waits, then reads ours
        event_id = append_event(
            edit,
            {
                "date": day,
                "type": type_,
                "authority": auth,
                "direction": direction,
                "our_ref": our_ref,
                "their_ref": their_ref,
                "legal_basis": legal_basis,
                "qualification": {"code": code, "article": article} if code else None,
                "grounds": grounds,
                "outcome_note": note,
                "document": document,
                "responds_to": responds_to,
            },
        )
        save_validated(case_repo, path, edit.dump(), held=edit.held, fmt=fmt)
    typer.echo(f"{path}: added {event_id} ({type_}, {day.isoformat()})")
