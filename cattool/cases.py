"""Find cases by ID or path, and allocate new case IDs that do not collide across branches."""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from difflib import get_close_matches
from pathlib import Path
from typing import Any

from cattool.errors import CattoolError, ExitCode
from cattool.files import inside  # the one test of "inside cases/", for reading and writing
from cattool.loading import LoadedCase, read_case
from cattool.problems import Problem
from cattool.repo import CaseRepo, git

# Crockford's base 32: digits and letters without I, L, O, U (nothing is misread on the phone).
ID_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CASE_ID = re.compile(r"^(KZ|KG|TJ)-(19|20)\d{2}-[0-9A-HJKMNP-TV-Z]{4}$")


def case_path(repo: CaseRepo, ref: str) -> Path:
    """The file of a case given as an ID (``KG-2016-0012``) or a path.

    An unknown ID raises a usage error that suggests the closest known ID.
    """
    as_path = Path(ref)
    if as_path.suffix in (".yaml", ".yml") or "/" in ref or "\\" in ref:
        if not as_path.is_file():
            raise CattoolError(f"{ref}: no such case file", ExitCode.USAGE)
        if not inside(as_path, repo.cases_dir):
            raise CattoolError(
                f"{ref} is not a case file of this repository (cases/ of {repo.root}); cattool "
                "reads and writes cases only there",
                ExitCode.USAGE,
            )
        return as_path
    wanted = ref.strip().upper()
    by_id = {p.stem.upper(): p for p in repo.case_files()}
    if wanted in by_id:
        found = by_id[wanted]
        if not inside(found, repo.cases_dir):
            raise CattoolError(
                f"{found} is a link to a file outside cases/; cattool does not follow it (put "
                "the case file itself in cases/)",
                ExitCode.USAGE,
            )
        return found
    close = get_close_matches(wanted, list(by_id), n=1, cutoff=0.7)
    hint = f"; did you mean {close[0]}?" if close else "; cattool list shows the cases"
    raise CattoolError(f"no case {ref}{hint}", ExitCode.USAGE)


def load_case(repo: CaseRepo, ref: str) -> LoadedCase:
    """Load a case for reading, or stop with the problems that make it unreadable."""
    path = case_path(repo, ref)
    loaded = read_case(path)
    if isinstance(loaded, list):
        raise CaseUnreadable(loaded)
    return loaded


class CaseUnreadable(CattoolError):
    """The case file cannot be read; carries the problems so the CLI can print them."""

    exit_code = ExitCode.PROBLEMS

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(p) for p in problems), ExitCode.PROBLEMS)
        self.problems = problems


def known_case_ids(repo: CaseRepo) -> set[str]:
    """IDs of every case in the working tree and in every branch git knows (local and remote)."""
    ids = {p.stem for p in repo.case_files()}
    if not (repo.root / ".git").exists():
        return ids
    refs = git(
        repo.root, "for-each-ref", "--format=%(refname)", "refs/heads", "refs/remotes", check=False
    )
    for ref in refs.stdout.split():
        listing = git(repo.root, "ls-tree", "-r", "--name-only", ref, "--", "cases", check=False)
        for name in listing.stdout.splitlines():
            stem = Path(name).stem
            if CASE_ID.match(stem):
                ids.add(stem)
    return ids


def allocate_case_id(
    country: str, year: int, taken: set[str], rng: random.Random | None = None
) -> str:
    """A random ``COUNTRY-YEAR-XXXX`` not in ``taken``.

    Random rather than sequential: two lawyers adding cases on two branches at once would both take
    "the next number". With 32**4 codes per country and year, two unseen parallel cases collide
    about once in a million; validate's duplicate-case-id check and git's add/add conflict on the
    file name catch even that.
    """
    rng = rng or random.SystemRandom()
    for _ in range(10_000):
        code = "".join(rng.choice(ID_ALPHABET) for _ in range(4))
        candidate = f"{country}-{year}-{code}"
        if candidate not in taken:
            return candidate
    raise CattoolError(f"no free case ID left for {country}-{year}", ExitCode.CONFIG)


def read_valid_cases(
    repo: CaseRepo,
    *,
    jobs: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> tuple[list[tuple[Path, dict[str, Any]]], list[Path], int]:
    """Every case of the repository that passes validation, the files skipped, the files read.

    The cases come without their sensitive values (names, dates of birth, contacts, accounts):
    statistics, deadlines and exports need none, and they come from the cache. A command that
    needs the values reads the case file itself. Files with errors (including a case_id used
    twice) are skipped, never silently: the caller reports them. Warnings do not skip a case.
    """
    cases, skipped, files_read = valid_payloads(repo, "data", jobs=jobs, progress=progress)
    return [(Path(path), case) for path, case in cases], skipped, files_read


def valid_payloads(
    repo: CaseRepo,
    want: str,
    *,
    jobs: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> tuple[list[tuple[str, Any]], list[Path], int]:
    """``read_valid_cases`` with the files' paths as text, giving what ``want`` asks for of each
    valid case: "data" (the parsed case) or "facts" (what statistics count of it; see
    ``cattool.validation.scan``)."""
    from cattool.problems import Severity
    from cattool.validation import scan

    if not repo.cases_dir.is_dir():
        return [], [], 0
    report, payloads = scan(repo, [repo.cases_dir], jobs=jobs, progress=progress, want=want)
    # problems name the files as they were found (no display root): no resolving needed
    bad = {str(p.path) for p in report.problems if p.severity is Severity.ERROR}
    valid = tuple if want == "facts" else dict
    cases = sorted(
        (path, value)
        for path, value in payloads.items()
        if path not in bad and isinstance(value, valid)
    )
    return cases, sorted(Path(b) for b in bad), report.files_checked
