"""cattool letter: complaints, reminders and appeals to the procuracy; cattool offices."""

from __future__ import annotations

import datetime as dt
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer

from cattool.cli._options import Opt, RepoOption
from cattool.cli.output import shown_path

if TYPE_CHECKING:
    from cattool.caseformat import CaseFormat
    from cattool.letters import LetterPlan
    from cattool.repo import CaseRepo

app = typer.Typer()


class To(str, Enum):
    PROCURACY = "procuracy"
    SR_TORTURE = "sr-torture"
    HRC = "hrc"
    CAT = "cat"


class Kind(str, Enum):
    COMPLAINT = "complaint"
    REMINDER = "reminder"
    APPEAL = "appeal"
    VIEWS = "views"  # to the procuracy: implement a Committee's Views or decision
    COMMENTS = "comments"  # to the Committee: comments on the State's follow-up


def _split(option: str, value: str, allowed: tuple[str, ...]) -> tuple[str, ...]:
    from cattool.errors import CattoolError, ExitCode

    items = tuple(dict.fromkeys(v.strip().lower() for v in value.split(",") if v.strip()))
    wrong = [v for v in items if v not in allowed]
    if wrong or not items:
        raise CattoolError(
            f"{option}: '{value}' is not one of {', '.join(allowed)} (or a comma-separated list)",
            ExitCode.USAGE,
        )
    return items


@app.command()
def letter(
    case: Annotated[
        Opt,
        typer.Argument(metavar="[CASE]", help="A case ID such as KG-2016-0001, or a case file."),
    ] = None,
    all_open: Annotated[
        bool,
        typer.Option(
            "--all-open",
            help="Every open case for which this kind of letter can be written (a batch, with a "
            "progress bar); cases that lack something are listed and skipped.",
        ),
    ] = False,
    to: Annotated[
        To,
        typer.Option(
            "--to",
            help="procuracy; sr-torture (UN Special Rapporteur on Torture); hrc (Human Rights "
            "Committee); cat (Committee against Torture).",
        ),
    ] = To.PROCURACY,
    kind: Annotated[
        Kind,
        typer.Option(
            "--kind",
            help="complaint: the first report of the crime; reminder: no reply in time; "
            "appeal: against a refusal, a closure or a suspension, to the higher prosecutor; "
            "views: a request to the general procuracy to implement a Committee's Views or "
            "decision; comments (with --to hrc or cat): the author's comments on the State's "
            "follow-up to that decision.",
        ),
    ] = Kind.COMPLAINT,
    lang: Annotated[
        Opt,
        typer.Option(
            "--lang",
            help="ru, en, or ru,en for both (default: ru to the procuracy, en to the UN).",
            metavar="ru|en|ru,en",
        ),
    ] = None,
    urgent: Annotated[
        bool,
        typer.Option("--urgent", help="sr-torture: write an urgent appeal whatever the case says."),
    ] = False,
    allegation: Annotated[
        bool, typer.Option("--allegation", help="sr-torture: write an allegation letter.")
    ] = False,
    fmt: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            help="docx, md, txt or pdf (pdf needs LibreOffice); or a list.",
            metavar="docx|md|txt|pdf",
        ),
    ] = "docx",
    office: Annotated[
        Opt,
        typer.Option("--office", help="Send to this office of the country data (cattool offices)."),
    ] = None,
    addressee: Annotated[
        Opt,
        typer.Option(
            "--addressee",
            help="Write the addressee line yourself, e.g. 'Прокурору Сокулукского района'.",
        ),
    ] = None,
    our_ref: Annotated[Opt, typer.Option("--our-ref", help="Our outgoing number.")] = None,
    victim: Annotated[
        Opt,
        typer.Option(
            "--victim", metavar="ID", help="Write for this victim only (of several), e.g. v2."
        ),
    ] = None,
    annex: Annotated[
        Optional[list[str]],  # noqa: UP045
        typer.Option("--annex", help="An annex to list (repeat the option for several)."),
    ] = None,
    date: Annotated[
        Opt,
        typer.Option(
            "--date",
            help="Date of the letter, YYYY-MM-DD (default: today); a reminder is "
            "checked against it.",
            metavar="YYYY-MM-DD",
        ),
    ] = None,
    out_dir: Annotated[
        Optional[Path],  # noqa: UP045
        typer.Option(
            "--out-dir", help="Folder for the files (default: out/CASE_ID/).", file_okay=False
        ),
    ] = None,
    stdout: Annotated[
        bool,
        typer.Option("--stdout", help="Print the letter (md or txt) instead of writing a file."),
    ] = False,
    force: Annotated[
        bool, typer.Option("--force", help="Replace files that exist already.")
    ] = False,
    check: Annotated[
        bool, typer.Option("--check", help="Only list what the letter still lacks; write nothing.")
    ] = False,
    record: Annotated[
        bool,
        typer.Option(
            "--record",
            help="Also add the matching event to the case (complaint_sent, reminder_sent, "
            "appeal_filed in the timeline; the communication for a UN submission; the "
            "our_comments step of its follow-up for --kind comments).",
        ),
    ] = False,
    repo: RepoOption = None,
) -> None:
    """Write a letter from a case: to the procuracy, or a UN submission.

    To the procuracy (--to procuracy, the default): a complaint, a reminder or an appeal.

    The letter is in Russian unless --lang says otherwise, as a Word file in out/CASE_ID/ of the
    case repository (never in cases/). It cites the torture article of the Criminal Code in force
    at the incident date (country data) and the Convention against Torture. If the case lacks
    something the letter needs, nothing is written and the missing items are listed with their
    YAML paths. Existing files are kept unless you pass --force.

    The applicant and signatory come from cattool.yaml (organisations: CODE: name, address,
    signatory). Templates are in templates/letters/; a file of the same name in your repository's
    templates/letters/ replaces the built-in one.

    Examples:

      cattool letter KG-2016-0001 --check

      cattool letter KG-2016-0001 --to procuracy --lang ru,en --our-ref VOF-16/031

      cattool letter KG-2016-0001 --kind reminder --date 2016-04-05 --format md --stdout

      cattool letter KG-2016-0001 --kind appeal --format docx,pdf --record

      cattool letter --all-open --kind reminder     # every reminder that is due today

    To the UN, in English: --to sr-torture writes an urgent appeal when the case shows the victim
    at risk now (in custody, high risk of reprisals, a recent reprisal), an allegation letter
    otherwise, and a sheet of what to paste into the online form; --to hrc and --to cat write an
    individual complaint in the structure of the OHCHR model form. Nothing is written unless the
    consent of every person named covers that UN procedure; names appear in full, as initials or
    not at all, as the consent says. cattool un-check CASE --to ... shows what blocks a submission.

      cattool un-check KG-2016-0001 --to sr-torture

      cattool letter KG-2016-0001 --to sr-torture --record

      cattool letter KZ-2016-0004 --to cat --format docx,md

    After a Committee's Views or decision finding a violation: --kind views asks the general
    procuracy to implement it (in Russian), and --to hrc|cat --kind comments writes the author's
    comments on the State's follow-up (in English).

      cattool letter KG-2016-0001 --kind views

      cattool letter KG-2016-0001 --to hrc --kind comments --record
    """
    from cattool.caseformat import CaseFormat
    from cattool.cases import load_case
    from cattool.cli._prompts import check_date
    from cattool.cli.output import err_console
    from cattool.errors import CattoolError, ExitCode
    from cattool.letters import FORMATS, LANGS, LetterIncomplete, plan_letter, target_paths
    from cattool.repo import find_repo

    un = to is not To.PROCURACY
    langs = _split("--lang", lang or ("en" if un else "ru"), LANGS)
    if un and langs != ("en",):
        raise CattoolError("UN submissions are written in English: use --lang en", ExitCode.USAGE)
    if urgent and allegation:
        raise CattoolError("--urgent and --allegation exclude each other", ExitCode.USAGE)
    if (urgent or allegation) and to is not To.SR_TORTURE:
        raise CattoolError("--urgent and --allegation are for --to sr-torture", ExitCode.USAGE)
    if kind is Kind.COMMENTS and to not in (To.HRC, To.CAT):
        raise CattoolError(
            "--kind comments is the follow-up to a Committee's decision: use it with --to hrc "
            "or --to cat",
            ExitCode.USAGE,
        )
    if un and kind not in (Kind.COMPLAINT, Kind.COMMENTS):
        raise CattoolError(
            "--kind is for letters to the procuracy (and comments, for --to hrc or cat)",
            ExitCode.USAGE,
        )
    formats = _split("--format", fmt, FORMATS)
    if stdout and record:
        raise CattoolError("--record writes to the case: use it without --stdout", ExitCode.USAGE)
    if stdout and (set(formats) - {"md", "txt"} or len(formats) > 1):
        raise CattoolError(
            "--stdout prints one md or txt letter; use --format md or txt", ExitCode.USAGE
        )
    day = check_date("--date", date) if date else dt.date.today()
    case_repo = find_repo(repo)
    fmt_data = CaseFormat.for_repo(case_repo)
    if out_dir is not None:  # never inside cases/, never a folder made on the way
        from cattool.outputs import check_output

        check_output(case_repo, out_dir, folder=True, option="--out-dir")
    if all_open:
        if case is not None or un or stdout or check or office or addressee or our_ref:
            raise CattoolError(
                "--all-open writes procuracy letters for every open case: give no CASE and none "
                "of --to (UN), --stdout, --check, --office, --addressee, --our-ref",
                ExitCode.USAGE,
            )
        _batch(case_repo, fmt_data, kind.value, langs, formats, day, out_dir, force, record)
        return
    if case is None:
        raise CattoolError("give a CASE, or --all-open for every open case", ExitCode.USAGE)
    loaded = load_case(case_repo, case)
    _refuse_invalid(case_repo, fmt_data, loaded.path)
    from cattool.crypto import revealed

    # --check needs no key (it looks at what is there); a letter needs the values themselves
    data = loaded.data if check else revealed(loaded.data, fmt_data.sensitive)

    if kind is Kind.COMMENTS:
        from cattool.letters.follow_up import plan_follow_up

        plan = plan_follow_up(
            data, fmt_data, case_repo, to=to.value, today=day, annexes=tuple(annex or ())
        )
    elif un:
        from cattool.letters.un import plan_un

        forced = "urgent-appeal" if urgent else ("allegation-letter" if allegation else None)
        plan, _readiness = plan_un(
            data, fmt_data, case_repo, to=to.value, today=day, force_kind=forced,
            annexes=tuple(annex or ()),
        )  # fmt: skip
        if to is To.SR_TORTURE and not plan.gaps:
            why = plan.contexts["en"]["why"]
            err_console.print(
                f"{plan.kind.replace('-', ' ')}: {why}", markup=False, highlight=False
            )
    else:
        plan = plan_letter(
            data, fmt_data, case_repo, kind=kind.value, langs=langs, today=day,
            office=office, addressee=addressee, our_ref=our_ref, annexes=tuple(annex or ()),
            victim=victim,
        )  # fmt: skip
    what = f"{to.value} {plan.kind}" if un else f"{kind.value} letter"
    for warning in plan.warnings:
        err_console.print(f"cattool: warning: {warning}", markup=False, highlight=False)
    if check:
        if plan.gaps:
            for gap in plan.gaps:
                typer.echo(_gap_line(loaded.path, gap))
            err_console.print(f"{len(plan.gaps)} item(s) missing for the {what}", markup=False)
            raise typer.Exit(ExitCode.PROBLEMS)
        for note in plan.notes:
            err_console.print(f"cattool: {note}", markup=False, highlight=False)
        err_console.print(f"the {what} has everything it needs", markup=False)
        return
    if plan.gaps:
        raise LetterIncomplete(shown_path(loaded.path), plan.gaps)

    if stdout:
        from cattool.letters import render_markup
        from cattool.letters.document import parse, to_markdown, to_text

        for lang_code in langs:
            blocks = parse(render_markup(case_repo, plan, lang_code))
            typer.echo(to_markdown(blocks) if formats == ("md",) else to_text(blocks), nl=False)
        return

    from cattool.letters import write_letter

    targets = target_paths(case_repo, plan, formats, out_dir=out_dir, day=day.isoformat())
    _check_targets(case_repo, targets)
    written = write_letter(case_repo, plan, targets, force=force)
    for path in written:
        typer.echo(f"wrote {shown_path(path)}")
    if record:
        _record(case_repo, loaded.path, plan, written, un=un)


def _batch(
    case_repo: CaseRepo,
    fmt_data: CaseFormat,
    kind: str,
    langs: tuple[str, ...],
    formats: tuple[str, ...],
    day: dt.date,
    out_dir: Path | None,
    force: bool,
    record: bool,
) -> None:
    """One letter per open case; skipped cases are counted with their first gap."""
    from collections import Counter

    from cattool.cases import read_valid_cases
    from cattool.cli.output import err_console, progress_bar
    from cattool.crypto import revealed
    from cattool.letters import plan_letter, target_paths, write_letter

    with progress_bar(lambda: len(case_repo.case_files()), "Reading cases") as progress:
        cases, invalid, _ = read_valid_cases(case_repo, progress=progress)
    open_cases = [(p, c) for p, c in cases if c.get("case_status") != "closed"]
    written = 0
    skipped: Counter[str] = Counter()
    with progress_bar(len(open_cases), f"Writing {kind} letters", threshold=20) as progress:
        for done, (path, _) in enumerate(open_cases, start=1):
            from cattool.loading import read_case

            # the batch list holds no sensitive value: read the case itself for its letter
            full = read_case(path)
            if isinstance(full, list):
                skipped["the file could not be read again"] += 1
                continue
            plan = plan_letter(
                full.data, fmt_data, case_repo, kind=kind, langs=langs, today=day,
            )  # fmt: skip
            if plan.gaps:
                skipped[str(plan.gaps[0]).split(": ", 1)[-1][:90]] += 1
            else:
                data = revealed(full.data, fmt_data.sensitive)
                plan = plan_letter(
                    data, fmt_data, case_repo, kind=kind, langs=langs, today=day,
                )  # fmt: skip
                targets = target_paths(
                    case_repo,
                    plan,
                    formats,
                    out_dir=out_dir,
                    day=day.isoformat(),
                )
                _check_targets(case_repo, targets)
                if all(t.path.exists() for t in targets) and not force:
                    skipped["written before (use --force to replace)"] += 1
                else:
                    paths = write_letter(case_repo, plan, targets, force=force)
                    written += 1
                    if record:
                        _record(case_repo, path, plan, paths)
            if progress:
                progress(done)
    typer.echo(f"wrote {kind} letters for {written} of {len(open_cases)} open cases")
    for reason, count in skipped.most_common():
        err_console.print(f"  skipped {count}: {reason}", markup=False, highlight=False)
    if invalid:
        err_console.print(
            f"  skipped {len(invalid)} case files with errors (cattool validate)", markup=False
        )


def _check_targets(case_repo: CaseRepo, targets: list[Any]) -> None:
    """The files of a letter, checked as every output is (cattool.outputs.check_output): the
    default folder out/CASE_ID/ is made, but never inside cases/ (out/ may be a link)."""
    from cattool.outputs import check_output

    for folder in dict.fromkeys(t.path.parent for t in targets):
        check_output(case_repo, folder, folder=True, option="--out-dir")
    for target in targets:
        if target.path.parent.is_dir():  # else the folder is made, and holds nothing yet
            check_output(case_repo, target.path, option="--out-dir")


def _gap_line(path: Path, gap: object) -> str:
    """'cases/KG/x.yaml: incidents[0].place_type: ...', or the settings file's own gap as is."""
    text = str(gap)
    return text if text.startswith("cattool.yaml:") else f"{shown_path(path)}: {text}"


def _refuse_invalid(case_repo: CaseRepo, fmt_data: CaseFormat, path: Path) -> None:
    """A letter is only written from a case that passes cattool validate."""
    from cattool.checks import CheckContext
    from cattool.cli.output import err_console
    from cattool.errors import CattoolError, ExitCode
    from cattool.problems import Severity
    from cattool.validation import check_one

    ctx = CheckContext(fmt_data.countries, case_repo.organisations)
    try:
        relative = path.resolve().relative_to(case_repo.cases_dir.resolve())
    except ValueError:
        relative = None
    problems = check_one(fmt_data, ctx, path, path, relative)[0]
    errors = [p for p in problems if p.severity is Severity.ERROR]
    if errors:
        for problem in errors:
            err_console.print(str(problem), markup=False, highlight=False)
        raise CattoolError(
            f"{path}: the case has {len(errors)} problem(s); fix them first (cattool validate)",
            ExitCode.PROBLEMS,
        )


def _record(
    case_repo: CaseRepo, path: Path, plan: LetterPlan, written: list[Path], *, un: bool = False
) -> None:
    """Add what the letter did to the case, under the case's lock: an edit another command makes
    meanwhile waits, and a change made outside cattool refuses the write (exit 4)."""
    import os

    from cattool.editing import (
        append_event,
        append_follow_up,
        append_un_communication,
        edit_case,
        save_validated,
    )

    item = dict(plan.record)
    with edit_case(path) as edit:
        if "follow_up" in item:  # comments on the State's follow-up: a step of that communication
            step = item["follow_up"]
            append_follow_up(edit, int(item["comm_index"]), step)
            said = (
                f"added {step['type']} ({step['date'].isoformat()}) to "
                f"un_communications[{item['comm_index']}].follow_up"
            )
        elif un:
            comm_id = append_un_communication(edit, item)
            said = f"added {comm_id} ({item['body']}, {item['kind']}, {item['submitted_on'].isoformat()})"
        else:
            if written:
                try:
                    item["document"] = Path(os.path.relpath(written[0], case_repo.root)).as_posix()
                except ValueError:
                    item["document"] = str(written[0])
            event_id = append_event(edit, item)
            said = f"added {event_id} ({item['type']}, {item['date'].isoformat()})"
        save_validated(case_repo, path, edit.dump(), held=edit.held)
    typer.echo(f"{path}: {said}")


class UnTo(str, Enum):
    SR_TORTURE = "sr-torture"
    HRC = "hrc"
    CAT = "cat"


@app.command("un-check")
def un_check(
    case: Annotated[
        str,
        typer.Argument(metavar="CASE", help="A case ID such as KG-2016-0001, or a case file."),
    ],
    to: Annotated[UnTo, typer.Option("--to", help="sr-torture, hrc or cat.")],
    date: Annotated[
        Opt,
        typer.Option("--date", metavar="YYYY-MM-DD", help="Check as of this day (default: today)."),
    ] = None,
    repo: RepoOption = None,
) -> None:
    """Is the case ready for a UN submission? What blocks it, what to watch.

    Checks consent (every person named, with the scope of that UN procedure), the items the UN
    needs, whether the State accepts the procedure, domestic remedies (exhausted, ineffective or
    pending), the time windows (Special Rapporteur: incidents older than a year are rarely taken
    up; Human Rights Committee: five years after the final domestic decision) and the same matter
    before another international procedure. Exit code 1 when something blocks the submission.

    Examples:

      cattool un-check KG-2016-0001 --to sr-torture

      cattool un-check KZ-2016-0004 --to cat --date 2017-01-10
    """
    from cattool.caseformat import CaseFormat
    from cattool.cases import load_case
    from cattool.cli._prompts import check_date
    from cattool.errors import ExitCode
    from cattool.letters.un import un_readiness
    from cattool.repo import find_repo

    day = check_date("--date", date) if date else dt.date.today()
    case_repo = find_repo(repo)
    fmt_data = CaseFormat.for_repo(case_repo)
    loaded = load_case(case_repo, case)
    _refuse_invalid(case_repo, fmt_data, loaded.path)
    report = un_readiness(loaded.data, fmt_data, case_repo, to.value, day)
    for gap in report.blocks:
        typer.echo(f"{shown_path(loaded.path)}: blocks: {gap}")
    for gap in report.warnings:
        typer.echo(f"{shown_path(loaded.path)}: warning: {gap}")
    for fact in report.facts:
        typer.echo(f"{shown_path(loaded.path)}: {fact}")
    verdict = (
        "ready to send" if report.ready else f"not ready: {len(report.blocks)} item(s) block it"
    )
    typer.echo(f"{shown_path(loaded.path)}: {to.value}: {verdict}")
    if not report.ready:
        raise typer.Exit(ExitCode.PROBLEMS)


@app.command()
def offices(
    country: Annotated[str, typer.Argument(metavar="COUNTRY", help="KZ, KG or TJ.")],
    repo: RepoOption = None,
) -> None:
    """List the procuracy offices of a country that a letter can be sent to (--office ID).

    They come from schemas/countries/COUNTRY.yaml ('authorities'); add a district office there,
    or in your repository's copy of that file, to address letters to it by id.

    Examples:

      cattool offices KG
    """
    from cattool.caseformat import CaseFormat
    from cattool.errors import CattoolError, ExitCode
    from cattool.repo import find_repo

    fmt_data = CaseFormat.for_repo(find_repo(repo))
    data = fmt_data.countries.get(country.upper())
    if data is None:
        raise CattoolError(f"no country data for '{country}'; use KZ, KG or TJ", ExitCode.USAGE)
    for office_id, office in data.offices.items():
        name = office.get("name") or {}
        typer.echo(f"{office_id:<18} {office.get('level', ''):<10} {name.get('ru', '')}")
