"""Validate case files against the schema and the semantic checks, and return a Report.

``CaseFormat`` bundles everything a repository's cases are checked against (schema, vocabularies,
country data, sensitive fields); it is built once per run. Large cold runs are spread over a
process pool; problems come back in a stable order whatever the number of workers.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import os
from collections.abc import Callable, Iterator
from difflib import get_close_matches
from pathlib import Path, PurePath
from typing import Any

from cattool.caseformat import CaseFormat, fast_says_valid
from cattool.checks import CheckContext, Finding, check_case, check_file_placement
from cattool.crypto import plain_sensitive, repository_requires_encryption
from cattool.loading import LoadedCase, YamlPath, format_path, node_at, read_case
from cattool.privacy import is_sensitive, within_sensitive
from cattool.problems import DEFECTS, INTERNAL_ERROR, Problem, Report, Severity, printable
from cattool.repo import CaseRepo
from cattool.sealed import is_encrypted
from cattool.versions import OLDER_VERSIONS, SCHEMA_VERSION

# Below this many files a process pool costs more than it saves.
PARALLEL_THRESHOLD = 300

# problems, case_id, where the case_id is, the payload asked for, and what was read: the file's
# size, stamp and content digest taken by the worker that checked it (None if it could not be
# read), so that the cache keeps the digest of the very bytes whose problems it keeps
Result = tuple[list[Problem], "str | None", "tuple[int, int] | None", Any, Any]


def validate_paths(
    repo: CaseRepo,
    paths: list[Path],
    *,
    jobs: int | None = None,
    today: dt.date | None = None,
    display_root: Path | None = None,
    progress: Callable[[int], None] | None = None,
) -> Report:
    """Check every case file in ``paths`` (files, or folders searched for *.yaml).

    ``display_root`` makes the paths in problems relative to it (the user's working folder).
    ``progress`` is called with the number of files finished after each batch.
    """
    report, _ = scan(
        repo,
        paths,
        jobs=jobs,
        today=today,
        display_root=display_root,
        progress=progress,
        want=None,  # a warm run then reads only the small index of the cache
    )
    return report


Want = str | None  # what scan hands back of each case: "data", "facts" or None (problems only)


def scan(
    repo: CaseRepo,
    paths: list[Path],
    *,
    jobs: int | None = None,
    today: dt.date | None = None,
    display_root: Path | None = None,
    progress: Callable[[int], None] | None = None,
    want: Want = "data",
) -> tuple[Report, dict[str, Any]]:
    """The report of ``validate_paths`` and, by file (its path as text, as found), what ``want``
    asks for of every readable file: "data", the parsed case without its sensitive values;
    "facts", what statistics count of it (``cattool.facts.case_facts``, as plain values); None,
    nothing.

    Results come from the cache (cattool.cache) where a file is unchanged; the rest are checked,
    on a process pool for large runs. Only the payload asked for travels back from the workers
    and is kept in the cache.
    """
    from cattool import cache as cache_module
    from cattool.repo import find_case_files

    found = find_case_files(paths, folders=True)  # a folder named x.yaml is reported
    today = today or dt.date.today()
    files = _Paths(found)
    shown = _Shown(files, display_root)  # worked out only for files that are reported
    root = repo.root.resolve()
    prefix = str(root) + os.sep
    names = [
        f.path[len(prefix) :].replace(os.sep, "/")
        if f.path.startswith(prefix) and ".." not in f.path and not f.is_link
        else _repo_name(files[i], root)
        for i, f in enumerate(found)
    ]

    with cache_module.paused_gc():  # reading the cache makes many small objects
        store = None
        if cache_module.enabled() and found:
            store = cache_module.Cache.open(repo, cache_module.fingerprint(repo, today))
        results: list[Result | None] = [None] * len(found)
        todo: list[int] = []
        for i, file in enumerate(found):
            name = names[i]
            entry = store.lookup(name, file) if store is not None and name else None
            payload = None
            if entry is not None and want is not None:
                assert store is not None and name is not None
                has, payload = store.payload_of(want, name, entry)
                if not has:
                    entry = None
            if entry is None:
                todo.append(i)
                continue
            problems = (
                [
                    Problem(shown[i], line, column, where, message, code, Severity(severity))
                    for line, column, where, message, code, severity in entry.problems
                ]
                if entry.problems
                else []
            )
            at = tuple(entry.case_id_at) if entry.case_id_at else None
            results[i] = (problems, entry.case_id, at, payload, None)  # type: ignore[assignment]
    if progress and len(todo) < len(found):
        progress(len(found) - len(todo))

    report = Report(files_checked=len(found))
    if todo or not found:
        # Only a run that checks a file needs the schema (a cached result was made with the
        # same schema, which the cache's fingerprint covers); with no files at all it is still
        # read, so that a broken one is reported.
        fmt = CaseFormat.for_repo(repo)
        ctx = CheckContext(
            fmt.countries, repo.organisations, today, repository_requires_encryption(repo.config)
        )
        cases_dir = repo.cases_dir.resolve()
        tasks = [(files[i], shown[i], _relative_to(files[i], cases_dir), want) for i in todo]
        workers = _worker_count(jobs, len(tasks))
        fresh: list[Result] = []
        if workers <= 1:
            for start in range(0, len(tasks), 200):
                fresh.extend(_check_batch(fmt, ctx, tasks[start : start + 200]))
                if progress:
                    progress(len(found) - len(todo) + len(fresh))
        else:
            done_before = len(found) - len(todo)
            fresh = _check_parallel(
                repo, fmt, ctx, tasks, workers,
                (lambda n: progress(done_before + n)) if progress else None,
            )  # fmt: skip
        for i, result in zip(todo, fresh, strict=True):
            problems, case_id, at, payload, seen = result  # payload: no sensitive value
            results[i] = result
            name = names[i]
            if store is not None and name:
                kept = [
                    (p.line, p.column, p.yaml_path, p.message, p.code, p.severity.value)
                    for p in problems
                ]
                # a file with errors is kept with no payload (None), so that a warm run does
                # not check it again only to find that it has none
                payloads = {want: payload} if want is not None else {}
                store.store(name, seen, (kept, case_id, at), payloads)
    cases_real = os.path.realpath(repo.cases_dir)
    whole = any(os.path.realpath(p) == cases_real for p in paths)  # all listed (no link loops)
    if store is not None:
        if whole:
            store.prune({n for n in names if n})
        store.save()

    done: list[Result] = [r for r in results if r is not None]
    if store is not None and store.warning:
        # the library does not print: the command line shows what is logged as a warning
        logging.getLogger("cattool").warning(store.warning)
    _log_defects(done)
    for problems, *_ in done:
        if problems:
            report.extend(problems)
    triples = [(p, c, a) for p, c, a, *_ in done]
    report.extend(_duplicate_ids(repo, found, shown, triples, display_root, whole=whole))
    report.sort()
    if want is None:
        return report, {}
    # by the file's path as text: making 10,000 Path objects costs more than the rest of a warm run
    payload_by_file = {found[i].path: r[3] for i, r in enumerate(done) if r[3] is not None}
    return report, payload_by_file


def _log_defects(done: list[Result]) -> None:
    """Files whose check a defect in cattool stopped, logged as an error: the command line says so
    and exits 70 (``ExitCode.INTERNAL``) once the run has reported the other files."""
    hit = [p.path for problems, *_ in done for p in problems if p.code == INTERNAL_ERROR]
    if hit:
        listed = ", ".join(printable(p) for p in hit[:5]) + (" ..." if len(hit) > 5 else "")
        logging.getLogger("cattool").error(
            f"a defect in cattool stopped the check of {len(hit)} file(s): {listed}; the other "
            f"files were checked. Run cattool --traceback validate {printable(hit[0])} and "
            "report what it prints (check it for personal data first)"
        )


class _Paths:
    """The found files as ``Path`` objects, made on first use (a warm run needs few of them)."""

    def __init__(self, found: list[Any]) -> None:
        self.found = found
        self.made: dict[int, Path] = {}

    def __len__(self) -> int:
        return len(self.found)

    def __getitem__(self, index: int) -> Path:
        path = self.made.get(index)
        if path is None:
            path = self.made[index] = Path(self.found[index].path)
        return path


class _Shown:
    """The path each file is reported under, worked out on first use (most files are valid)."""

    def __init__(self, files: _Paths, root: Path | None) -> None:
        self.files, self.root = files, root
        self.done: dict[int, Path] = {}

    def __getitem__(self, index: int) -> Path:
        if index not in self.done:
            self.done[index] = _display(self.files[index], self.root)
        return self.done[index]


def _repo_name(path: Path, root: Path) -> str | None:
    """A file's name in the cache (its path below the repository root, with /) when ``scan``
    cannot read it off the path: a link, a relative path, a '..'; None outside the repository."""
    relative = _relative_to(path, root)
    return relative.as_posix() if relative is not None else None


def _without_sensitive(data: Any, fmt: CaseFormat) -> Any:
    """The parsed case with every sensitive value removed (plain or encrypted), in place: the
    caller hands over a case it parsed for this and uses no more."""
    from cattool.crypto import sensitive_values

    _keep_ages(data)
    for _, _, container, key in list(sensitive_values(data, fmt.sensitive)):
        del container[key]
    return data


def _keep_ages(case: Any) -> None:
    """Before a date of birth goes, keep the age at the first incident it gives (statistics
    count children by it; an age is not sensitive, a date of birth is)."""
    from cattool.dates import age_on, parse_date

    if not isinstance(case, dict):
        return
    starts: dict[str, dt.date] = {}
    incidents = case.get("incidents")
    victims = case.get("victims")
    for inc in incidents if isinstance(incidents, list) else []:
        if not isinstance(inc, dict):
            continue
        start = parse_date(inc.get("date_start"))
        for vid in inc.get("victim_ids") or [] if isinstance(inc.get("victim_ids"), list) else []:
            if start and (str(vid) not in starts or start < starts[str(vid)]):
                starts[str(vid)] = start
    for victim in victims if isinstance(victims, list) else []:
        if not isinstance(victim, dict) or victim.get("age_at_incident") is not None:
            continue
        birth = parse_date(victim.get("date_of_birth"))
        start = starts.get(str(victim.get("victim_id")))
        if birth and start and age_on(birth, start) >= 0:
            victim["age_at_incident"] = age_on(birth, start)


def _display(path: Path, root: Path | None) -> Path:
    if root is None:
        return path
    # the common case, a file below the working folder: cut the folder off (relpath is slower)
    text, base = os.path.abspath(path), _abspath(root)  # noqa: PTH100
    if text.startswith(base) and text[len(base) : len(base) + 1] == os.sep:
        return Path(text[len(base) + 1 :])
    try:
        # abspath, not resolve: name the file the user has, not a link's target
        return Path(os.path.relpath(os.path.abspath(path), os.path.abspath(root)))  # noqa: PTH100
    except ValueError:  # another drive on Windows
        return path


@functools.lru_cache(maxsize=8)
def _abspath(root: Path) -> str:
    return os.path.abspath(root).rstrip(os.sep) or os.sep  # noqa: PTH100


def _relative_to(path: Path, folder: Path) -> PurePath | None:
    """``path`` relative to ``folder`` (already resolved); cheap when the path is plainly inside
    (a link is always resolved: it may point anywhere)."""
    text, prefix = str(path), str(folder) + os.sep
    if text.startswith(prefix) and ".." not in text and not path.is_symlink():
        return PurePath(text[len(prefix) :])
    try:
        # realpath, not resolve: a loop of links is the reader's to report, not an exception
        return PurePath(os.path.realpath(path)).relative_to(folder)
    except ValueError:
        return None


def _worker_count(jobs: int | None, n_files: int) -> int:
    if jobs is not None:
        return max(1, jobs)
    if n_files < PARALLEL_THRESHOLD:
        return 1
    return min(os.cpu_count() or 1, 8)


# --- checking one file ---------------------------------------------------------------------------


def check_one(
    fmt: CaseFormat, ctx: CheckContext, path: Path, shown: Path, relative: PurePath | None
) -> tuple[list[Problem], str | None, tuple[int, int] | None]:
    """Problems of one file, its case_id and where the case_id is written (for duplicate checks)."""
    loaded = read_case(path, display=shown)
    if isinstance(loaded, list):
        return loaded, None, None
    return _check_loaded(fmt, ctx, loaded, shown, relative)


def _check_loaded(
    fmt: CaseFormat,
    ctx: CheckContext,
    loaded: LoadedCase,
    shown: Path,
    relative: PurePath | None,
) -> tuple[list[Problem], str | None, tuple[int, int] | None]:
    problems = [*loaded.problems, *schema_problems(loaded, fmt)]
    data = loaded.data
    for finding in _semantic_findings(data, relative, ctx, schema_failed=bool(problems)):
        line, column = loaded.locate(finding.yaml_path)
        problems.append(
            Problem(
                shown,
                line,
                column,
                format_path(finding.yaml_path),
                finding.message,
                finding.code,
                finding.severity,
            )
        )
    if ctx.encryption_required:
        for plain in plain_sensitive(data, fmt.sensitive):
            line, column = loaded.locate(plain)
            problems.append(
                Problem(
                    shown,
                    line,
                    column,
                    format_path(plain),
                    "a sensitive value is not encrypted, and this repository requires it; run "
                    "cattool encrypt",
                    "plain-sensitive",
                )
            )
    case_id = data.get("case_id")
    if isinstance(case_id, str):
        return problems, case_id, loaded.locate(("case_id",))
    return problems, None, None


def check_one_with_data(
    fmt: CaseFormat,
    ctx: CheckContext,
    path: Path,
    shown: Path,
    relative: PurePath | None,
    want: Want = "data",
) -> Result:
    """``check_one`` and what ``want`` asks for of the case (see ``scan``; None if the file
    cannot be read)."""
    if path.is_symlink() and relative is None and path.exists():  # a dangling link: unreadable
        problem = Problem(
            shown, 1, 1, "(file)",
            "the file is a link to a file outside cases/ of the repository; cattool does not "
            "follow it: put the case file itself in cases/",
            "outside-repository",
        )  # fmt: skip
        return [problem], None, None, None, None
    from cattool.cache import read_seen

    raw, seen = read_seen(path)  # the stamp first: a file changed while read looks changed later
    loaded = read_case(path, display=shown, raw=raw)
    if isinstance(loaded, list):
        return loaded, None, None, None, seen
    problems, case_id, at = _check_loaded(fmt, ctx, loaded, shown, relative)
    if want is None:
        return problems, case_id, at, None, seen
    # The parsed cases handed on (to stats, deadlines, export) and kept in the cache never hold
    # a sensitive value: no command that reads them needs one, and the cache must not be a
    # second, unencrypted copy of names and accounts. (Done here, in the worker: less to send.)
    data = _without_sensitive(loaded.data, fmt)
    if want == "facts":
        return problems, case_id, at, _facts(data, fmt, problems), seen
    return problems, case_id, at, data, seen


def _facts(data: Any, fmt: CaseFormat, problems: list[Problem]) -> Any:
    """What statistics count of a case, as plain values; None for a case with errors (statistics
    skip it and say so). A valid case the counting cannot read is a bug, and fails loudly rather
    than go uncounted."""
    from cattool.facts import case_facts

    if any(p.severity is Severity.ERROR for p in problems) or not isinstance(data, dict):
        return None
    return case_facts(data, fmt, None).to_plain()


def _semantic_findings(
    data: dict[str, Any], relative: PurePath | None, ctx: CheckContext, *, schema_failed: bool
) -> list[Any]:
    """The semantic checks' findings. They assume the types the schema asks for; where the
    schema has already found a value of the wrong type, a check that trips over it is skipped
    (the schema problem says what to fix), never a crash."""
    try:
        found = [*check_file_placement(data, relative), *check_case(data, ctx)]
        if not schema_failed:
            found += _link_findings(data, ctx)
        return found
    except (TypeError, KeyError, AttributeError, ValueError):
        if not schema_failed:
            raise
        return list(check_file_placement(data, relative))


# Events that are about an earlier decision, and should say which.
LINKED_EVENTS = ("appeal_filed", "appeal_decided", "decision_annulled")


def _link_findings(data: dict[str, Any], ctx: CheckContext) -> list[Finding]:
    """Events whose decision the procedural model had to infer: the file should say it."""
    from cattool.procedure import proceedings

    events = data.get("legal_actions")
    if not isinstance(events, list) or not any(
        isinstance(e, dict)
        and e.get("type") in LINKED_EVENTS
        and not (e.get("responds_to") or e.get("annuls"))
        for e in events
    ):
        return []  # nothing unlinked: the model need not be asked (the common, fast case)
    ids = [e.get("event_id") for e in events if isinstance(e, dict)]
    if len(ids) != len(set(ids)):
        return []  # with a repeated id no link can be read (the duplicate-id check says so)
    country = ctx.countries.get(str(data.get("country")))
    found = []
    for inferred in proceedings(data, country, dt.date.max).inferred:
        event = inferred.event
        if event.responds_to or event.annuls or inferred.target.event_id is None:
            continue  # a link that names nothing known is a dangling reference, reported as such
        what = "the decision it sets aside" if inferred.key == "annuls" else "what it answers"
        found.append(
            Finding.of(
                ("legal_actions", event.index),
                f"{event.event_id or 'this event'} ({event.type}) does not say {what}; it is read "
                f"as {inferred.target.describe()}: write {inferred.key}: "
                f"{inferred.target.event_id}",
                "link-missing",
            )
        )
    return found


Task = tuple[Path, Path, "PurePath | None", Want]  # file, shown path, path in cases/, payload


def _check_batch(fmt: CaseFormat, ctx: CheckContext, tasks: list[Task]) -> list[Result]:
    """The results of ``tasks``, in a worker or in this process. An unexpected exception while
    one file is read or checked is a defect of cattool: it becomes an internal-error problem of
    that file (its type only: the text may quote the case), and the other files are checked."""
    results = []
    for task in tasks:
        try:
            results.append(check_one_with_data(fmt, ctx, *task))
        except Exception as err:
            if DEFECTS.reraise:
                raise
            results.append(_defect(task[1], err))
    return results


def _defect(shown: Path, err: BaseException) -> Result:
    problem = Problem(
        shown, 1, 1, "(file)",
        f"a defect in cattool ({type(err).__name__}) stopped the check of this file, which is "
        f"not necessarily wrong; the other files were checked. Run cattool --traceback validate "
        f"{shown} and report what it prints (check it for personal data first)",
        INTERNAL_ERROR,
    )  # fmt: skip
    return [problem], None, None, None, None  # not cached (no digest): checked again next time


_WORKER_STATE: tuple[CaseFormat, CheckContext] | None = None


def _worker_batch(
    tasks: list[Task],
) -> list[Result]:
    assert _WORKER_STATE is not None
    return _check_batch(*_WORKER_STATE, tasks)


def _worker_init(repo_root: Path, config: dict[str, Any], today: dt.date) -> None:
    global _WORKER_STATE
    if _WORKER_STATE is None:  # a forked worker inherits the parent's state
        repo = CaseRepo(repo_root, config)
        fmt = CaseFormat.for_repo(repo)
        _WORKER_STATE = (
            fmt,
            CheckContext(
                fmt.countries, repo.organisations, today, repository_requires_encryption(config)
            ),
        )


def _check_parallel(
    repo: CaseRepo,
    fmt: CaseFormat,
    ctx: CheckContext,
    tasks: list[Task],
    workers: int,
    progress: Callable[[int], None] | None,
) -> list[Result]:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    global _WORKER_STATE
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    _WORKER_STATE = (fmt, ctx) if context.get_start_method() == "fork" else None
    size = max(50, min(500, len(tasks) // (workers * 4) or 1))
    batches = [tasks[i : i + size] for i in range(0, len(tasks), size)]
    results: list[Result] = []
    stopped: str | None = None  # why a batch came back from no worker

    def again_here(batch: list[Task], err: Exception) -> list[Result]:
        # A worker that died (BrokenProcessPool) or a result that could not come back: the
        # batch is checked in this process, so that its files are still reported.
        nonlocal stopped
        if DEFECTS.reraise:
            raise err
        stopped = stopped or type(err).__name__
        return _check_batch(fmt, ctx, batch)

    # The repository root and settings are enough for a spawned worker to rebuild the format.
    init_args = (repo.root, repo.config, ctx.today)
    done = 0
    try:
        with ProcessPoolExecutor(
            workers, mp_context=context, initializer=_worker_init, initargs=init_args
        ) as pool:
            futures = [pool.submit(_worker_batch, batch) for batch in batches]
            for batch, future in zip(batches, futures, strict=True):
                try:
                    batch_result = future.result()
                except Exception as err:
                    batch_result = again_here(batch, err)
                results.extend(batch_result)
                done += 1
                if progress:
                    progress(len(results))
    except Exception as err:  # no pool at all (no fork, no semaphores): the rest here
        for batch in batches[done:]:
            results.extend(again_here(batch, err))
            done += 1
            if progress:
                progress(len(results))
    finally:
        _WORKER_STATE = None
    if stopped:
        logging.getLogger("cattool").warning(
            f"the worker processes failed ({stopped}); their files were checked in this process"
        )
    return results


# --- schema errors as problems ------------------------------------------------------------------

TYPE_WORDS = {
    "string": "text",
    "array": "a list",
    "object": "a mapping of keys to values",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
}
PATTERN_HINTS = {
    "case_id": "COUNTRY-YEAR-XXXX, for example KG-2016-7KQ2",
    "date": "YYYY-MM-DD",
    "datetime": "'YYYY-MM-DD HH:MM'",
}


def schema_problems(case: LoadedCase, fmt: CaseFormat) -> Iterator[Problem]:
    """The schema's errors for one case, as problems with line numbers and no sensitive values."""
    version = case.data.get("schema_version")
    if version in OLDER_VERSIONS:
        yield _at(
            case,
            ("schema_version",),
            f"the file is in format {version}; run cattool migrate --write to upgrade it to "
            f"{SCHEMA_VERSION}",
            "old-format",
        )
        return  # the other differences are the migration's to mend, not the user's
    if fmt.fast is not None and fast_says_valid(fmt.fast, case.data):
        return
    done_required: set[YamlPath] = set()
    for error in fmt.validator.iter_errors(case.data):
        path: YamlPath = tuple(error.absolute_path)
        kind = error.validator
        if is_encrypted(error.instance) and within_sensitive(path, fmt.sensitive):
            continue  # an encrypted sensitive value: its form is checked when it is decrypted
        if kind == "required":
            if path in done_required:
                continue
            done_required.add(path)
            instance = error.instance if isinstance(error.instance, dict) else {}
            for key in error.validator_value:
                if key not in instance:
                    yield _at(
                        case,
                        path,
                        f"required key '{key}' is missing",
                        "required",
                        shown_path=(*path, key),
                    )
        elif kind == "additionalProperties":
            known = list((error.schema.get("properties") or {}).keys())
            if within_sensitive(path, fmt.sensitive):
                # Inside a sensitive field a key is the user's own text (it can be a name).
                yield _at(
                    case,
                    path,
                    "holds a key that the case format does not know (not "
                    "shown: the field is sensitive)",
                    "unknown-key",
                )
                continue
            for key in _unknown_keys(error.instance, error.schema):
                close = get_close_matches(str(key), known, n=1)
                hint = (
                    f"; did you mean '{close[0]}'?"
                    if close
                    else ("; a coalition's own keys must start with 'x_'")
                )
                node = node_at(case.root, (*path, str(key)), key=True)
                yield Problem(
                    case.path,
                    node.start_mark.line + 1,
                    node.start_mark.column + 1,
                    format_path((*path, str(key))),
                    f"unknown key '{key}'{hint}",
                    "unknown-key",
                )
        else:
            yield _at(case, path, _message(error, path, fmt), _code(kind))


def _unknown_keys(instance: Any, schema: dict[str, Any]) -> list[str]:
    import re

    if not isinstance(instance, dict):
        return []
    props = schema.get("properties") or {}
    patterns = list((schema.get("patternProperties") or {}).keys())
    return [
        k for k in instance if k not in props and not any(re.search(p, str(k)) for p in patterns)
    ]


def _at(
    case: LoadedCase, path: YamlPath, message: str, code: str, shown_path: YamlPath | None = None
) -> Problem:
    line, column = case.locate(path)
    return Problem(
        case.path, line, column, format_path(shown_path or path), message, code, Severity.ERROR
    )


def _code(kind: str) -> str:
    return {
        "minItems": "min-items",
        "uniqueItems": "unique-items",
        "minLength": "min-length",
        "minimum": "range",
        "maximum": "range",
        "type": "type",
        "enum": "enum",
        "pattern": "pattern",
        "format": "format",
    }.get(kind, "schema")


def _message(error: Any, path: YamlPath, fmt: CaseFormat) -> str:
    kind = error.validator
    value = error.instance
    secret = is_sensitive(path, fmt.sensitive)
    shown = "this value" if secret else _quote(value)
    if kind == "enum":
        allowed = [str(v) for v in error.validator_value]
        name = fmt.enum_names.get(tuple(allowed), "")
        vocab = fmt.vocabularies.get(name)
        what = vocab.noun if vocab else "an allowed value"
        if isinstance(value, bool):
            word = "yes" if value else "no"
            return (
                f"{shown} is not {what}; unquoted yes/no/on/off are read as true/false in YAML: "
                f'write "{word}" in quotes'
            )
        close = [] if secret else get_close_matches(str(value), allowed, n=1, cutoff=0.6)
        if close:
            return f"{shown} is not {what}; did you mean '{close[0]}'?"
        listing = ", ".join(allowed) if len(allowed) <= 20 else ", ".join(allowed[:20]) + ", ..."
        return f"{shown} is not {what}; use one of: {listing}"
    if kind == "type":
        expected = error.validator_value
        words = " or ".join(
            TYPE_WORDS.get(str(t), str(t))
            for t in (expected if isinstance(expected, list) else [expected])
        )
        if expected == "string" and isinstance(value, (int, float, bool)) and not secret:
            return f'{shown} must be text; put it in quotes: "{_plain(value)}"'
        if expected == "string" and isinstance(value, (int, float, bool)):
            return "this value must be text; put it in quotes"
        return f"must be {words}"
    if kind == "pattern":
        hint = _pattern_hint(path, error.validator_value)
        return f"{shown} is not in the form {hint}"
    if kind == "format":
        return f"{shown} is not a date that exists (write YYYY-MM-DD)"
    if kind == "minItems":
        n = error.validator_value
        return f"needs at least {n} item{'s' if n != 1 else ''}"
    if kind == "uniqueItems":
        return "the list repeats an item; remove the repeat"
    if kind == "minLength":
        return "must not be empty"
    if kind in ("minimum", "maximum"):
        bound = "at least" if kind == "minimum" else "at most"
        return f"{shown} must be {bound} {error.validator_value}"
    if kind == "const":
        return f"must be {_quote(error.validator_value)}"
    return f"does not match the case format ({kind})" if secret else error.message


def _pattern_hint(path: YamlPath, pattern: str) -> str:
    if path and path[-1] == "case_id":
        return PATTERN_HINTS["case_id"]
    if pattern == r"^\d{4}-\d{2}-\d{2}$":
        return PATTERN_HINTS["date"]
    if pattern.startswith(r"^\d{4}-\d{2}-\d{2}[T ]"):
        return PATTERN_HINTS["datetime"]
    return f"matching {pattern}"


def _plain(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _quote(value: Any) -> str:
    if isinstance(value, str):
        text = value if len(value) <= 60 else value[:57] + "..."
        return f"'{text}'"
    if isinstance(value, (dict, list)):
        return "this value"
    return _plain(value)


# --- checks across files -------------------------------------------------------------------------


def _duplicate_ids(
    repo: CaseRepo,
    found: list[Any],
    shown: Any,
    results: list[tuple[list[Problem], str | None, tuple[int, int] | None]],
    display_root: Path | None,
    *,
    whole: bool = False,
) -> Iterator[Problem]:
    """The same case_id in two files, among those checked or against every file of the repository
    (``whole``: the files checked are every case file of the repository)."""
    from cattool.repo import find_case_files

    def stem(text: str) -> str:
        start = text.rfind(os.sep) + 1
        end = text.rfind(".")
        return text[start:end] if end > start else text[start:]

    # Files by stem, to find a file named after an id that another file holds. When the files
    # checked are every file of the repository, only the files not named after their own case_id
    # (few) are listed: a file named after its own id is found through that id.
    by_stem: dict[str, list[str]] = {}
    regular: list[bool] = []  # (whole) the file is named after its own case_id
    if whole:
        sep = os.sep
        for (_, case_id, _), other in zip(results, found, strict=True):
            text = other.path
            named = bool(case_id) and text[: text.rfind(".")].endswith(f"{sep}{case_id}")
            regular.append(named)
            if not named:
                by_stem.setdefault(stem(text), []).append(text)
    else:
        every = find_case_files([repo.cases_dir]) if repo.cases_dir.is_dir() else []
        for other in every:
            by_stem.setdefault(stem(other.path), []).append(other.path)
    by_id: dict[str, list[int]] = {}
    for index, (_, case_id, _) in enumerate(results):
        if case_id:
            by_id.setdefault(case_id, []).append(index)
    for case_id, indexes in by_id.items():
        if whole:
            if len(indexes) == 1 and case_id not in by_stem:
                continue  # the common case: one file with this id, no other file named after it
            same_stem = [found[i].path for i in indexes if regular[i]]
            same_stem += by_stem.get(case_id, [])
        else:
            same_stem = by_stem.get(case_id, [])
            if len(indexes) == 1 and (
                not same_stem or (len(same_stem) == 1 and same_stem[0] == found[indexes[0]].path)
            ):
                continue  # the common case: one file, named after its id (no path resolving)
        for index in indexes:
            # found by one walk (no link followed, no '..'), a path is its own identity; files
            # named on the command line may be the same file written two ways
            plain = whole and not any(found[i].is_link for i in indexes)
            same = (
                str.__eq__ if plain else (lambda a, b: os.path.realpath(a) == os.path.realpath(b))
            )
            me = found[index].path
            others = {shown[j] for j in indexes if j != index}
            others |= {_display(Path(p), display_root) for p in same_stem if not same(p, me)}
            others.discard(shown[index])
            if not others:
                continue
            line, column = results[index][2] or (1, 1)
            listed = ", ".join(sorted(str(o) for o in others))
            yield Problem(
                shown[index],
                line,
                column,
                "case_id",
                f"{case_id} is also the case_id of {listed}; give one of them a new id",
                "duplicate-case-id",
            )
