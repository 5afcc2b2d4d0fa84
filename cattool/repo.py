"""Find the case repository (as git finds .git) and the files it may override.

A case repository is a folder with a ``cattool.yaml`` at its top and case files under ``cases/``.
A coalition may put its own ``schemas/`` and ``templates/`` there; a file of the same name in the
repository wins over the one that ships with cattool.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, NamedTuple

import yaml

from cattool.errors import CattoolError, ConfigError, ExitCode

CONFIG_NAME = "cattool.yaml"
CASE_SUFFIXES = (".yaml", ".yml")


def builtin_dir() -> Path:
    """Where the schemas and templates that ship with cattool live.

    In a wheel they are inside the package (``cattool/_builtin``); in a source checkout or an
    editable install they are the project's top-level ``schemas/`` and ``templates/``.
    """
    packaged = Path(__file__).resolve().parent / "_builtin"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent


@dataclass
class CaseRepo:
    root: Path
    config: dict[str, Any] = field(default_factory=dict)

    @property
    def cases_dir(self) -> Path:
        return self.root / "cases"

    @property
    def templates_dir(self) -> Path:
        return self.root / "templates"

    def schema_file(self, name: str) -> Path:
        """A file under schemas/: the repository's own copy if it has one, else the built-in.

        The own copy is read only as a regular file inside the repository: a link that leaves it
        is a ConfigError naming the file (cattool.files.own_file)."""
        from cattool.files import own_file

        own = self.root / "schemas" / name
        return own if own_file(self.root, own) else builtin_dir() / "schemas" / name

    @cached_property
    def organisations(self) -> dict[str, Any]:
        orgs = self.config.get("organisations") or {}
        if isinstance(orgs, list):
            return {str(o): {} for o in orgs}
        if not isinstance(orgs, dict):
            raise ConfigError(
                f"{self.root / CONFIG_NAME}: 'organisations' must be a list of codes or a mapping "
                "of code to details."
            )
        return orgs

    def case_files(self) -> list[Path]:
        """Every case file under cases/, in a stable order."""
        return collect_case_files([self.cases_dir]) if self.cases_dir.is_dir() else []


def collect_case_files(paths: list[Path]) -> list[Path]:
    """Expand folders into the YAML files below them; keep files as given. Sorted, no repeats."""
    return [Path(found.path) for found in find_case_files(paths)]


Stamp = tuple[int, int, int, int]  # size, modification time, change time, inode


class FoundFile(NamedTuple):
    """A case file found by ``find_case_files``: its path as text, whether it is a symbolic link,
    and its stamp when the folder listing gave it for free (a link's, or a file named on the
    command line, is left to the reader)."""

    path: str
    is_link: bool
    stamp: Stamp | None


def find_case_files(paths: list[Path], *, folders: bool = False) -> list[FoundFile]:
    """``collect_case_files`` in one ``os.scandir`` walk that also gives every file's stamp (one
    system call per file: what a warm run of the cache needs), in the same sorted order.

    Whatever is named like a case file is listed, whether it is a regular file or not (a named
    pipe, a socket: the reader says what it is, without opening it), and so is a symbolic link
    that leads nowhere or round in a loop. With ``folders``, so is a folder named like a case file
    (``x.yaml/``), which ``validate`` reports; the case files inside it are listed either way.
    """
    found: dict[str, FoundFile] = {}
    for path in paths:
        if path.is_dir():
            if folders and path.name.endswith(CASE_SUFFIXES):
                found.setdefault(str(path), FoundFile(str(path), path.is_symlink(), None))
            _walk(str(path), found, folders)
        elif path.exists() or path.is_symlink():  # a link to nothing is the reader's to report
            found.setdefault(str(path), FoundFile(str(path), path.is_symlink(), None))
        else:
            raise CattoolError(f"{path}: no such file or folder", ExitCode.USAGE)
    return [found[name] for name in sorted(found)]


def _walk(folder: str, found: dict[str, FoundFile], folders: bool = False) -> None:
    try:
        listing = os.scandir(folder)
    except OSError:
        return  # unreadable, as os.walk skips it
    with listing:
        for entry in listing:
            name = entry.name
            if name[0] == ".":
                continue
            try:
                is_dir = entry.is_dir()  # follows a link, as os.walk sorts names
            except OSError:
                is_dir = False
            if is_dir:
                linked = entry.is_symlink()
                if folders and name.endswith(CASE_SUFFIXES):
                    found[entry.path] = FoundFile(entry.path, linked, None)
                if not linked:  # os.walk does not follow linked folders
                    _walk(entry.path, found, folders)
                continue
            if not name.endswith(CASE_SUFFIXES):
                continue
            path = entry.path
            if entry.is_symlink():
                found[path] = FoundFile(path, True, None)
                continue
            try:
                stat = entry.stat(follow_symlinks=False)
            except OSError:
                found[path] = FoundFile(path, False, None)
                continue
            found[path] = FoundFile(
                path, False, (stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino)
            )


def find_repo(start: Path | None = None) -> CaseRepo:
    """The case repository containing ``start`` (default: the current folder).

    With an explicit ``start`` (``--repo PATH``) the folder itself must be a repository or inside one.
    """
    here = (start or Path.cwd()).resolve()
    if start is not None and not here.exists():
        raise CattoolError(f"{start}: no such folder", ExitCode.USAGE)
    for folder in [here, *here.parents]:
        config_path = folder / CONFIG_NAME
        if config_path.is_file():
            return CaseRepo(folder, load_config(config_path))
    raise CattoolError(
        f"{here} is not inside a case repository (no {CONFIG_NAME} here or in any parent folder). "
        "Run the command inside one, pass --repo PATH, or create one with: cattool init PATH",
        ExitCode.CONFIG,
    )


def load_config(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as err:
        raise ConfigError(f"{path}: cannot read the repository settings: {_short(err)}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: the repository settings must be a mapping of keys to values.")
    return data


def _short(err: Exception) -> str:
    if isinstance(err, yaml.MarkedYAMLError) and err.problem_mark is not None:
        return f"{err.problem} (line {err.problem_mark.line + 1})"
    return type(err).__name__ if not str(err) else str(err).splitlines()[0]


# --- git ----------------------------------------------------------------------------------------


def git(repo_root: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    """Run git in ``repo_root``; a failure becomes a CattoolError with git's own first line."""
    try:
        result = subprocess.run(
            ["git", *args],
            cwd=repo_root,
            capture_output=True,
            text=True,
            check=False,
        )
    except FileNotFoundError:
        raise CattoolError(
            "git is not installed or not on PATH; install git and try again.", ExitCode.CONFIG
        ) from None
    if check and result.returncode != 0:
        first = (result.stderr or result.stdout).strip().splitlines()
        reason = first[0] if first else f"exit code {result.returncode}"
        raise CattoolError(f"git {args[0]} failed: {reason}", ExitCode.CONFIG)
    return result
