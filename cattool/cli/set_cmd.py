"""cattool set"""

from __future__ import annotations

from typing import Annotated

import typer

from cattool.cli._options import RepoOption

app = typer.Typer()


@app.command("set")
def set_field(
    case: Annotated[str, typer.Argument(help="Case ID (KG-2016-0012) or path of the case file.")],
    yaml_path: Annotated[
        str, typer.Argument(help="Field to set, e.g. case_status or victims[0].current_status.")
    ],
    value: Annotated[
        str, typer.Argument(help='New value, read as YAML: closed, 2016-05-01, true, "146".')
    ],
    repo: RepoOption = None,
) -> None:
    """Change one field of a case, keeping the file's comments and layout.

    The case is validated before it is written; an invalid result leaves the file untouched.
    A sensitive field's old and new values are never printed. If another cattool command is
    writing the same case, this one waits for it (a few seconds at most, else exit 4).

    Examples:

      cattool set KG-2016-0001 case_status closed

      cattool set KG-2016-0001 victims[0].current_status pretrial_detention

      cattool set KG-2016-0001 legal_actions[2].their_ref '"02-17/516"'
    """
    from ruamel.yaml import YAML

    from cattool.caseformat import CaseFormat
    from cattool.cases import case_path
    from cattool.editing import edit_case, parse_yaml_path, save_validated, set_value
    from cattool.errors import CattoolError, ExitCode
    from cattool.loading import format_path
    from cattool.privacy import is_sensitive
    from cattool.repo import find_repo

    case_repo = find_repo(repo)
    path = case_path(case_repo, case)
    steps = parse_yaml_path(yaml_path)
    try:
        new = YAML(typ="rt").load(value)
    except Exception:  # ruamel raises several error types for a bad scalar
        raise CattoolError("cannot read the value as YAML; quote it", ExitCode.USAGE) from None
    fmt = CaseFormat.for_repo(case_repo)
    with edit_case(path) as edit:  # another command writing this case waits, then reads ours
        old = set_value(edit.data, steps, new)
        save_validated(case_repo, path, edit.dump(), held=edit.held, fmt=fmt)
    secret = is_sensitive(steps, fmt.sensitive)
    change = "changed (sensitive: values not shown)" if secret else f"{old} -> {new}"
    typer.echo(f"{path}: {format_path(steps)}: {change}")
