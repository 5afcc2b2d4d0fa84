"""cattool keys, encrypt, decrypt: per-value encryption of sensitive fields with age."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from cattool.cli._options import RepoOption

app = typer.Typer()
keys_app = typer.Typer(
    help="Your identity and the repository's recipients (who can read encrypted values)."
)
app.add_typer(keys_app, name="keys")


@keys_app.command("init")
def keys_init() -> None:
    """Create your personal identity (secret key) outside any repository, and print its public key.

    The identity goes to $CATTOOL_IDENTITY, or to your configuration folder
    (~/.config/cattool/identity.txt on Linux), readable only by you. Give the public key to a
    colleague who holds a key: they run cattool keys add and cattool keys rotate.

    Examples:

      cattool keys init
    """
    from cattool.crypto import create_identity

    path, public = create_identity()
    typer.echo(f"identity written to {path} (keep it secret; back it up offline)")
    typer.echo(f"public key: {public}")
    typer.echo(f"to be added to a case repository: cattool keys add YOUR-NAME {public}")


@keys_app.command("show")
def keys_show(repo: RepoOption = None) -> None:
    """Print your public key and the repository's recipients."""
    from cattool.crypto import identity_path, load_identity, public_key, read_recipients
    from cattool.repo import find_repo

    path = identity_path()
    mine = public_key(load_identity(path)) if path.is_file() else None
    typer.echo(f"your identity: {path}" + (f" (public key {mine})" if mine else " (none yet)"))
    case_repo = find_repo(repo)
    for r in read_recipients(case_repo.root):
        typer.echo(f"recipient: {r.name} {r.key}" + ("  <- you" if r.key == mine else ""))


@keys_app.command("add")
def keys_add(
    name: Annotated[str, typer.Argument(help="Who the key belongs to (a handle, no spaces).")],
    public: Annotated[str, typer.Argument(metavar="PUBKEY", help="The age public key, age1...")],
    repo: RepoOption = None,
) -> None:
    """Add a recipient; then run cattool keys rotate so that they can read existing values."""
    from cattool.crypto import Recipient, read_recipients, write_recipients
    from cattool.errors import CattoolError, ExitCode
    from cattool.repo import find_repo

    if not public.startswith("age1") or " " in name or not name:
        raise CattoolError(
            "give a NAME without spaces and an age public key (age1...)", ExitCode.USAGE
        )
    case_repo = find_repo(repo)
    recipients = read_recipients(case_repo.root)
    if any(r.key == public for r in recipients):
        raise CattoolError(f"{public} is already a recipient", ExitCode.USAGE)
    write_recipients(case_repo.root, [*recipients, Recipient(name, public)])
    typer.echo(f"added {name}; run cattool keys rotate to encrypt existing values for them too")


@keys_app.command("remove")
def keys_remove(
    name: Annotated[str, typer.Argument(help="The recipient's name, as listed by keys show.")],
    repo: RepoOption = None,
) -> None:
    """Remove a recipient; then run cattool keys rotate.

    Removing a person does not take away what they could already read: the old versions of the
    files stay in git history, encrypted to their key. After a rotation, treat the values as
    known to them; if that matters, also change what can be changed (contact details) and, if
    the history must go, rewrite it and have every clone deleted.
    """
    from cattool.crypto import read_recipients, write_recipients
    from cattool.errors import CattoolError, ExitCode
    from cattool.repo import find_repo

    case_repo = find_repo(repo)
    recipients = read_recipients(case_repo.root)
    kept = [r for r in recipients if r.name != name]
    if len(kept) == len(recipients):
        raise CattoolError(f"no recipient named {name}", ExitCode.USAGE)
    if not kept:
        raise CattoolError("this would leave no recipient: add another key first", ExitCode.REFUSED)
    write_recipients(case_repo.root, kept)
    typer.echo(
        f"removed {name}; now run cattool keys rotate (old git history stays readable to them)"
    )


@keys_app.command("rotate")
def keys_rotate(repo: RepoOption = None) -> None:
    """Re-encrypt every encrypted value for the current recipients (needs your identity)."""
    from cattool.caseformat import CaseFormat
    from cattool.crypto import age_recipients, load_identity, read_recipients, reencrypt_in_place
    from cattool.editing import edit_case, save_validated
    from cattool.errors import RefusedError
    from cattool.repo import find_repo

    case_repo = find_repo(repo)
    fmt = CaseFormat.for_repo(case_repo)
    identity = load_identity()
    recipients = age_recipients(read_recipients(case_repo.root))
    total = files = 0
    for path in case_repo.case_files():
        try:
            with edit_case(path) as edit:  # each case held while it is re-encrypted
                count = reencrypt_in_place(edit.data, fmt.sensitive, identity, recipients)
                if count:
                    save_validated(case_repo, path, edit.dump(), held=edit.held, fmt=fmt)
                    total, files = total + count, files + 1
        except RefusedError as err:
            raise RefusedError(_stopped(err, files)) from None
    typer.echo(
        f"re-encrypted {total} values in {files} case files for {len(recipients)} recipients"
    )


@app.command()
def encrypt(
    paths: Annotated[
        Optional[list[Path]],  # noqa: UP045
        typer.Argument(metavar="[CASES]...", help="Case files or folders (default: every case)."),
    ] = None,
    repo: RepoOption = None,
) -> None:
    """Encrypt every sensitive value that is still plain, for the repository's recipients.

    Only values the schema marks sensitive are encrypted; comments, layout and every other value
    stay as they are. No key of your own is needed, only the recipients in recipients.txt.

    Examples:

      cattool encrypt

      cattool encrypt cases/KG/KG-2016-0001.yaml
    """
    from cattool.caseformat import CaseFormat
    from cattool.crypto import age_recipients, encrypt_in_place, read_recipients
    from cattool.editing import edit_case, save_validated
    from cattool.errors import RefusedError
    from cattool.repo import collect_case_files, find_repo

    case_repo = find_repo(repo)
    fmt = CaseFormat.for_repo(case_repo)
    recipients = age_recipients(read_recipients(case_repo.root))
    files = collect_case_files(paths) if paths else case_repo.case_files()
    total = changed = 0
    for path in files:
        try:
            with edit_case(path) as edit:  # each case held while it is encrypted
                count = encrypt_in_place(edit.data, fmt.sensitive, recipients)
                if count:
                    save_validated(case_repo, path, edit.dump(), held=edit.held, fmt=fmt)
                    total, changed = total + count, changed + 1
        except RefusedError as err:
            raise RefusedError(_stopped(err, changed)) from None
    typer.echo(f"encrypted {total} values in {changed} of {len(files)} case files")


@app.command()
def decrypt(
    paths: Annotated[
        Optional[list[Path]],  # noqa: UP045
        typer.Argument(metavar="[CASES]...", help="Case files or folders (default: every case)."),
    ] = None,
    out_dir: Annotated[
        Path, typer.Option("--out-dir", help="Where to write the plain copies.", file_okay=False)
    ] = Path("out/decrypted"),
    force: Annotated[bool, typer.Option("--force", help="Replace existing copies.")] = False,
    repo: RepoOption = None,
) -> None:
    """Write plain copies of cases for a local export (never needed for work, never in cases/).

    Every command that needs a sensitive value decrypts it in memory; this is only for handing
    a case to a program that cannot. The copies are plain text: delete them when done.

    Examples:

      cattool decrypt cases/KG/KG-2016-0001.yaml --out-dir /media/usb/export
    """
    from cattool.caseformat import CaseFormat
    from cattool.crypto import load_identity, revealed
    from cattool.editing import load_for_edit
    from cattool.errors import RefusedError
    from cattool.files import held_for_update, write_bytes
    from cattool.outputs import check_output
    from cattool.repo import collect_case_files, find_repo

    case_repo = find_repo(repo)
    fmt = CaseFormat.for_repo(case_repo)
    target = out_dir if out_dir.is_absolute() else case_repo.root / out_dir
    check_output(case_repo, target, folder=True, option="--out-dir")  # never inside cases/
    identity = load_identity()
    target.mkdir(exist_ok=True)  # the folder --out-dir names (its parent exists: checked)
    files = collect_case_files(paths) if paths else case_repo.case_files()
    for path in files:
        destination = target / path.name
        refused = f"{destination} exists already; use --force to replace it"
        if destination.exists() and not force:
            raise RefusedError(refused)
        edit = load_for_edit(path)
        edit.data = revealed(edit.data, fmt.sensitive, identity)
        with held_for_update(destination) as held:  # one writer of the copy at a time
            if held.raw is not None and not force:
                raise RefusedError(refused)
            write_bytes(destination, edit.dump().encode("utf-8"))  # a rename: works on a USB stick
    typer.echo(f"wrote {len(files)} plain copies to {target} (delete them when done)")


def _stopped(err: Exception, done: int) -> str:
    """The refusal of one case file, and what became of the files before it."""
    return (
        f"{err} (stopped there: {done} case file(s) before it were written, each complete; "
        "running the command again finishes the rest)"
    )


cache_app = typer.Typer(help="The cache of checked cases (.cattool-cache/ of the repository).")
app.add_typer(cache_app, name="cache")


@cache_app.command("clear")
def cache_clear(repo: RepoOption = None) -> None:
    """Delete the cache; the next command checks every case afresh.

    Never needed for correct results (the cache is keyed on each file's content and on the
    schema, data and cattool version); useful to measure a cold run or to free disk space.
    """
    from cattool.cache import CACHE_DIR, clear
    from cattool.repo import find_repo

    case_repo = find_repo(repo)
    removed = clear(case_repo)
    typer.echo(f"removed {case_repo.root / CACHE_DIR}" if removed else "no cache to remove")
