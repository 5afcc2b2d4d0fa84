"""cattool new-case"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Any

import typer

from cattool.cli._options import Opt, RepoOption

app = typer.Typer()


def _opt(help_text: str) -> Any:
    return typer.Option(help=help_text, show_default=False)


@app.command("new-case")
def new_case(
    country: Annotated[Opt, _opt("KZ, KG or TJ.")] = None,
    region: Annotated[Opt, _opt("Region code from the country data, e.g. chui.")] = None,
    org: Annotated[
        Opt, typer.Option("--org", "--member-org", help="Documenting member organisation (code).")
    ] = None,
    intake_date: Annotated[Opt, _opt("When we received the allegation (default: today).")] = None,
    source_type: Annotated[
        Opt, typer.Option("--source", "--source-type", help="Who told us, e.g. relative.")
    ] = None,
    violation_type: Annotated[
        Opt,
        typer.Option(
            "--violation", "--violation-type", help="torture, cidt, threat or death_in_custody."
        ),
    ] = None,
    victim_name: Annotated[Opt, _opt("Victim's full name (kept sensitive).")] = None,
    public_label: Annotated[
        Opt, _opt("Initials or pseudonym (default: initials of the name).")
    ] = None,
    sex: Annotated[Opt, _opt("male, female, other or unknown.")] = None,
    date_of_birth: Annotated[
        Opt, typer.Option("--birth-date", "--date-of-birth", help="YYYY-MM-DD.")
    ] = None,
    age: Annotated[
        int | None,
        typer.Option(
            "--age", min=0, max=120, help="Age at the incident, if the birth date is unknown."
        ),
    ] = None,
    incident_date: Annotated[Opt, _opt("Date of the incident, YYYY-MM-DD.")] = None,
    precision: Annotated[
        Opt,
        typer.Option(
            "--precision",
            help="exact, estimate, unknown_day or unknown_month_day (default: exact).",
        ),
    ] = None,
    place_type: Annotated[
        Opt, typer.Option("--place", "--place-type", help="e.g. police_station, ivs, sizo.")
    ] = None,
    methods: Annotated[Opt, _opt("Comma-separated, e.g. beating,asphyxiation_bag.")] = None,
    narrative: Annotated[Opt, _opt("Short account (kept sensitive).")] = None,
    consent_scopes: Annotated[
        Opt,
        typer.Option(
            "--consent",
            help="Comma-separated scopes (default: domestic_complaint,anonymised_statistics).",
        ),
    ] = None,
    consent_form: Annotated[Opt, _opt("written, recorded_oral, guardian or relative.")] = None,
    consent_given_by: Annotated[
        Opt, _opt("Who gave consent, for guardian or relative consent.")
    ] = None,
    from_file: Annotated[
        Path | None,
        typer.Option(
            "--from",
            help="YAML or JSON file with the answers (same names, with _).",
            exists=True,
            dir_okay=False,
        ),
    ] = None,
    no_input: Annotated[
        bool, typer.Option("--no-input", help="Never ask: fail with the list of what is missing.")
    ] = False,
    interactive: Annotated[
        bool, typer.Option("--interactive", help="Ask even if input is not a terminal.")
    ] = False,
    yes: Annotated[
        bool, typer.Option("--yes", "-y", help="Write without asking for confirmation.")
    ] = False,
    branch: Annotated[
        bool,
        typer.Option(
            "--branch", help="Create a git branch case/<ID> and commit the new file there."
        ),
    ] = False,
    repo: RepoOption = None,
) -> None:
    """Open a new case: asks what a first intake needs, then writes cases/<COUNTRY>/<ID>.yaml.

    In a terminal it asks each question in turn (with English and Russian labels), checks each
    answer at once, shows a summary and asks before writing. Ctrl-C writes nothing. With options
    or --from FILE it runs without questions; --no-input (or input that is not a terminal) never
    asks and lists what is missing instead. The new file passes cattool validate at once. The case
    ID is random (COUNTRY-YEAR-XXXX) so cases opened on two branches at once never collide.

    Examples:

      cattool new-case

      cattool new-case --country KG --region chui --org vof --source relative --violation torture --victim-name "Timur Fictionov" --sex male --age 22 --incident-date 2016-03-10 --place police_station --methods beating,asphyxiation_bag --narrative "..." --no-input

      cattool new-case --from intake.yaml --branch
    """
    from cattool.caseformat import CaseFormat
    from cattool.cli import _prompts as ask
    from cattool.errors import CattoolError, ExitCode
    from cattool.intake import QUESTIONS, defaults, missing
    from cattool.repo import find_repo

    case_repo = find_repo(repo)
    fmt = CaseFormat.for_repo(case_repo)
    today = dt.date.today()

    given: dict[str, Any] = {}
    extra: dict[str, Any] = {}
    if from_file is not None:
        given, extra = _read_answers(from_file)
    options = {
        "country": country,
        "region": region,
        "member_org": org,
        "intake_date": intake_date,
        "source_type": source_type,
        "violation_type": violation_type,
        "victim_name": victim_name,
        "public_label": public_label,
        "sex": sex,
        "date_of_birth": date_of_birth,
        "age_at_incident": age,
        "incident_date": incident_date,
        "date_precision": precision,
        "place_type": place_type,
        "methods": methods,
        "narrative": narrative,
        "consent_scopes": consent_scopes,
        "consent_form": consent_form,
        "consent_given_by": consent_given_by,
    }
    given.update({k: v for k, v in options.items() if v is not None})
    answers = _checked(given, fmt, case_repo)

    prompting = ask.can_prompt(no_input, interactive)
    if prompting:
        for question in QUESTIONS:
            if question.key in answers:
                continue
            if question.key == "age_at_incident" and answers.get("date_of_birth"):
                continue
            default = defaults(answers, today).get(question.key)
            if question.key == "consent_given_by" and answers.get("consent_form") not in (
                "guardian",
                "relative",
            ):
                continue
            value = _ask(question, answers, default, fmt, case_repo)
            if value is not None:
                answers[question.key] = value
    else:
        for key, value in defaults(answers, today).items():
            answers.setdefault(key, value)

    lacking = missing(answers)
    if lacking:
        listed = ", ".join(q.option for q in lacking)
        raise CattoolError(
            f"missing: {listed}. Give them as options or in a --from file, or run "
            "cattool new-case in a terminal to be asked.",
            ExitCode.USAGE,
        )

    if prompting and not yes:
        typer.echo("\nNew case:", err=True)
        for question in QUESTIONS:
            if question.key in answers:
                value = answers[question.key]
                shown = ", ".join(value) if isinstance(value, list) else str(value)
                typer.echo(f"  {question.label}: {shown}", err=True)
        if not typer.confirm("Write this case?", default=True, err=True):
            typer.echo("Nothing was written.", err=True)
            raise typer.Exit(ExitCode.OK)

    _write_case(case_repo, fmt, answers, extra, branch)


def _read_answers(path: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    """Answers from a YAML or JSON file; keys that are not questions are kept as case keys."""
    import yaml

    from cattool.errors import CattoolError, ExitCode
    from cattool.intake import QUESTION_BY_KEY

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        raise CattoolError(
            f"{path}: cannot read it as YAML or JSON; run cattool validate on a copy to see where",
            ExitCode.USAGE,
        ) from None
    if not isinstance(data, dict):
        raise CattoolError(f"{path}: must be a mapping of answer names to values", ExitCode.USAGE)
    answers = {k: v for k, v in data.items() if k in QUESTION_BY_KEY}
    extra = {k: v for k, v in data.items() if k not in QUESTION_BY_KEY}
    if "member_org" not in answers and "org" in extra:
        answers["member_org"] = extra.pop("org")
    return answers, extra


def _checked(given: dict[str, Any], fmt: Any, case_repo: Any) -> dict[str, Any]:
    """Check and convert answers given up front (options, --from): a bad one stops with its name."""
    from cattool.cli import _prompts as ask
    from cattool.errors import CattoolError, ExitCode
    from cattool.intake import QUESTION_BY_KEY

    out: dict[str, Any] = {}
    for key, value in given.items():
        question = QUESTION_BY_KEY[key]
        option = question.option
        if question.kind == "date":
            out[key] = value if isinstance(value, dt.date) else ask.check_date(option, str(value))
        elif question.kind == "choice" and question.vocabulary:
            out[key] = ask.check_choice(option, str(value), fmt.vocabularies[question.vocabulary])
        elif question.kind == "choices" and question.vocabulary:
            items = value if isinstance(value, list) else str(value).split(",")
            vocab = fmt.vocabularies[question.vocabulary]
            out[key] = [
                ask.check_choice(option, str(v).strip(), vocab) for v in items if str(v).strip()
            ]
        elif question.kind == "age":
            try:
                out[key] = int(value)
            except (TypeError, ValueError):
                raise CattoolError(f"{option}: must be a whole number", ExitCode.USAGE) from None
        else:
            out[key] = str(value).strip()
    if "region" in out:
        country = out.get("country")
        regions = fmt.countries[country].regions if country in fmt.countries else {}
        if regions and out["region"] not in regions:
            raise CattoolError(
                f"--region: '{out['region']}' is not a region of {country}; choose from: "
                f"{', '.join(regions)}",
                ExitCode.USAGE,
            )
    orgs = case_repo.organisations
    if orgs and "member_org" in out and out["member_org"] not in orgs:
        raise CattoolError(
            f"--org: '{out['member_org']}' is not in cattool.yaml; choose from: {', '.join(orgs)}",
            ExitCode.USAGE,
        )
    return out


def _ask(question: Any, answers: dict[str, Any], default: Any, fmt: Any, case_repo: Any) -> Any:
    from cattool.cli import _prompts as ask
    from cattool.vocabularies import Vocabulary

    if question.kind == "choice":
        return ask.ask_choice(question.label, fmt.vocabularies[question.vocabulary], default)
    if question.kind == "choices":
        text = ",".join(default) if default else None
        return ask.ask_choices(question.label, fmt.vocabularies[question.vocabulary], text)
    if question.kind == "region":
        country = fmt.countries.get(answers.get("country"))
        labels = {
            k: {"en": v.get("en", k), "ru": v.get("ru", k)}
            for k, v in (country.regions if country else {}).items()
        }
        if labels:
            return ask.ask_choice(question.label, Vocabulary("region", "", labels), default)
        return ask.ask_text(question.label, default)
    if question.kind == "org":
        orgs = case_repo.organisations
        if orgs:
            labels = {k: {"en": str(k), "ru": str(k)} for k in orgs}
            return ask.ask_choice(question.label, Vocabulary("organisation", "", labels), default)
        return ask.ask_text(question.label, default)
    if question.kind == "date":
        if question.required:
            return ask.ask_date(question.label, default)
        return ask.ask_optional_date(question.label)
    if question.kind == "age":
        return ask.ask_optional_int(question.label)
    if question.required:
        return ask.ask_text(question.label, default)
    return ask.ask_optional_text(question.label)


def _write_case(
    case_repo: Any, fmt: Any, answers: dict[str, Any], extra: dict[str, Any], branch: bool
) -> Path:
    from cattool.cases import allocate_case_id, known_case_ids
    from cattool.editing import save_validated
    from cattool.errors import CattoolError, ExitCode
    from cattool.intake import build_case
    from cattool.repo import git
    from cattool.roundtrip import round_trip_yaml

    year = answers["intake_date"].year
    case_id = allocate_case_id(answers["country"], year, known_case_ids(case_repo))
    path = case_repo.cases_dir / answers["country"] / f"{case_id}.yaml"
    branch_name = f"case/{case_id}"
    if branch:
        if not (case_repo.root / ".git").exists():
            raise CattoolError(
                "--branch needs a git repository; run git init or cattool init", ExitCode.USAGE
            )
        if (
            git(
                case_repo.root,
                "rev-parse",
                "--verify",
                "--quiet",
                f"refs/heads/{branch_name}",
                check=False,
            ).returncode
            == 0
        ):
            raise CattoolError(f"the branch {branch_name} already exists", ExitCode.REFUSED)

    import io

    document = build_case(case_id, answers, fmt.schema, extra)
    buffer = io.StringIO()
    round_trip_yaml().dump(document, buffer)
    # held while it is checked and written: never replaces a file that appeared meanwhile
    save_validated(case_repo, path, buffer.getvalue(), new_file=True, fmt=fmt)
    typer.echo(f"Created {path}")

    if branch:
        git(case_repo.root, "switch", "--quiet", "-c", branch_name)
        relative = str(path.relative_to(case_repo.root))
        git(case_repo.root, "add", "--", relative)
        git(case_repo.root, "commit", "--quiet", "-m", f"New case {case_id}", "--", relative)
        typer.echo(
            f"On branch {branch_name}: committed {relative}; push it and open a pull request."
        )
    return path
