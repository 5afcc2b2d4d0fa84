"""What changed in the cases between two versions, in words, for review in a pull request.

``diff_cases(old, new)`` compares two versions of one case (either may be None: a new or a deleted
case) and returns ``Change`` items: new or removed victims, incidents and events named by their
id and what they are; changed fields by YAML path with the old and new value; consent changes
flagged, because they matter most; a deleted case flagged as dangerous.

A sensitive value (``x-sensitive`` in the schema) is never shown unless ``reveal``: the change
reads ``victims[0].full_name: <name changed>``, so the text can be posted where the reviewers'
hosting service keeps it.

``repo_diff`` and ``case_log`` read the versions from git.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

import yaml

from cattool.errors import CattoolError, ExitCode
from cattool.loading import CaseLoader, YamlPath, format_path
from cattool.outputs import md_text
from cattool.privacy import Pattern, is_sensitive
from cattool.repo import CaseRepo

ID_KEYS = {
    "victims": "victim_id",
    "incidents": "incident_id",
    "perpetrators": "perpetrator_id",
    "medical_evidence": "evidence_id",
    "legal_actions": "event_id",
    "un_communications": "comm_id",
}


@dataclass(frozen=True)
class Change:
    kind: str  # new-case, deleted-case, added, removed, changed
    path: str  # YAML path, "(file)" for the whole case
    text: str
    flag: str = ""  # "consent" or "danger": what a reviewer must look at first


def parse_case_text(text: str) -> dict[str, Any] | None:
    """A case file's text as data (dates stay text); None if it is not a readable mapping."""
    try:
        data = yaml.load(text, Loader=CaseLoader)
    except yaml.YAMLError:
        return None
    return data if isinstance(data, dict) else None


def _field_word(path: YamlPath) -> str:
    # the field, not the language of its text: "narrative", for incidents[0].narrative.en
    last = next(
        (p for p in reversed(path) if isinstance(p, str) and p not in ("ru", "en")), "value"
    )
    return "name" if last in ("full_name", "name") else last.replace("_", " ")


def _shown(value: Any) -> str:
    """A value on one line, whole: a reviewer must see every character that changed."""
    if isinstance(value, str):
        return " ⏎ ".join(value.splitlines()) if "\n" in value else value
    if isinstance(value, (dict, list)):
        return yaml.safe_dump(
            value, default_flow_style=True, allow_unicode=True, width=1_000
        ).strip()
    return (
        "null" if value is None else str(value).lower() if isinstance(value, bool) else str(value)
    )


class _Differ:
    def __init__(self, sensitive: frozenset[Pattern], labels: Any, reveal: bool) -> None:
        self.sensitive = sensitive
        self.labels = labels
        self.reveal = reveal
        self.changes: list[Change] = []

    def masked(self, path: YamlPath, value: Any, verb: str) -> str:
        if self.reveal or not is_sensitive(path, self.sensitive):
            return _shown(value)
        return f"<{_field_word(path)} {verb}>"

    def flag(self, path: YamlPath) -> str:
        return "consent" if path and path[0] == "consent" else ""

    def summary(self, collection: str, item: dict[str, Any], path: YamlPath) -> str:
        """'e5: Complaint sent, 2016-03-15, Sokuluk district procuracy' (never a sensitive value)."""
        key = ID_KEYS.get(collection)
        ident = str(item.get(key)) if key and item.get(key) else format_path(path)
        if collection == "legal_actions":
            raw_authority = item.get("authority")
            authority: dict[str, Any] = raw_authority if isinstance(raw_authority, dict) else {}
            name = authority.get("name")
            if isinstance(name, dict):  # {ru: ..., en: ...}: the review reads English first
                name = name.get("en") or name.get("ru")
            parts = [self.labels("event_type", item.get("type")), str(item.get("date", "")),
                     str(name or "")]  # fmt: skip
        elif collection == "victims":
            parts = [str(item.get("public_label") or ""), self.labels("sex", item.get("sex"))]
        elif collection == "incidents":
            parts = [
                str(item.get("date_start", "")),
                self.labels("place_type", item.get("place_type")),
            ]
        elif collection == "un_communications":
            parts = [self.labels("un_body", item.get("body")), str(item.get("submitted_on", ""))]
        elif collection == "perpetrators":
            parts = [
                self.labels("agency", item.get("agency")),
                str(item.get("rank_position") or ""),
            ]
        elif collection == "consent":
            scopes = ", ".join(self.labels("consent_scope", s) for s in item.get("scopes") or [])
            parts = [f"for {item.get('person_id')}", scopes, f"given {item.get('given_on', '')}"]
            if item.get("withdrawn_on"):
                parts.append(f"WITHDRAWN {item['withdrawn_on']}")
        else:
            parts = []
        words = ", ".join(p for p in parts if p and p != "None")
        return f"{ident}: {words}" if words else ident

    def walk(self, old: Any, new: Any, path: YamlPath) -> None:
        if isinstance(old, dict) and isinstance(new, dict):
            for key in list(dict.fromkeys([*old, *new])):
                here = (*path, key)
                if key not in new:
                    self.add("removed", here, f"removed {format_path(here)}"
                             + (f" (was {self.masked(here, old[key], 'removed')})"
                                if not isinstance(old[key], (dict, list)) else ""))  # fmt: skip
                elif key not in old:
                    value = new[key]
                    if isinstance(value, list) and key in (*ID_KEYS, "consent"):
                        self.walk([], value, here)
                    elif here[0] == "consent" and key == "withdrawn_on":
                        self.add("changed", here,
                                 f"{format_path(here)}: CONSENT WITHDRAWN on {_shown(value)}")  # fmt: skip
                    else:
                        self.add("added", here,
                                 f"{format_path(here)}: {self.masked(here, value, 'added')}")  # fmt: skip
                else:
                    self.walk(old[key], new[key], here)
            return
        if isinstance(old, list) and isinstance(new, list):
            self.walk_list(old, new, path)
            return
        if old != new:
            from cattool.sealed import is_encrypted

            if is_encrypted(old) and is_encrypted(new) and not self.reveal:
                text = f"{format_path(path)}: <{_field_word(path)} changed or re-encrypted>"
            elif is_encrypted(new) and not is_encrypted(old) and not self.reveal:
                text = f"{format_path(path)}: <{_field_word(path)} encrypted>"
            elif not self.reveal and is_sensitive(path, self.sensitive):
                text = f"{format_path(path)}: <{_field_word(path)} changed>"
            elif path and path[0] == "consent" and path[-1] == "withdrawn_on" and new:
                text = f"{format_path(path)}: CONSENT WITHDRAWN on {_shown(new)}"
            else:
                text = f"{format_path(path)}: {_shown(old)} → {_shown(new)}"
            self.add("changed", path, text)

    def walk_list(self, old: list[Any], new: list[Any], path: YamlPath) -> None:
        collection = str(path[-1]) if path else ""
        key = ID_KEYS.get(collection)
        if all(isinstance(x, dict) for x in [*old, *new]) and (key or collection == "consent"):

            def ident(item: dict[str, Any], i: int) -> Any:
                if key:
                    return item.get(key, f"#{i}")
                return (item.get("person_id"), item.get("given_on"))  # a consent record

            olds = {ident(x, i): (i, x) for i, x in enumerate(old)}
            news = {ident(x, i): (i, x) for i, x in enumerate(new)}
            for name, (i, item) in news.items():
                here = (*path, i)
                if name not in olds:
                    what = {"legal_actions": "event", "un_communications": "UN communication",
                            "consent": "consent record"}.get(collection, collection.rstrip("s"))  # fmt: skip
                    self.add("added", here, f"new {what} {self.summary(collection, item, here)}")
                else:
                    self.walk(olds[name][1], item, here)
            for name, (i, item) in olds.items():
                if name not in news:
                    here = (*path, i)
                    self.add("removed", here, f"removed {self.summary(collection, item, here)}")
            return
        if all(not isinstance(x, (dict, list)) for x in [*old, *new]):
            added = [x for x in new if x not in old]
            removed = [x for x in old if x not in new]
            for x in added + removed:
                text = self.masked(path, x, "changed")
                if x in added:
                    self.add("added", path, f"{format_path(path)}: added {text}")
                else:
                    self.add("removed", path, f"{format_path(path)}: removed {text}")
            return
        for i in range(max(len(old), len(new))):  # lists without ids: compare by position
            here = (*path, i)
            if i >= len(old):
                self.add(
                    "added", here, f"{format_path(here)}: {self.masked(here, new[i], 'added')}"
                )
            elif i >= len(new):
                self.add("removed", here, f"removed {format_path(here)}")
            else:
                self.walk(old[i], new[i], here)

    def add(self, kind: str, path: YamlPath, text: str) -> None:
        self.changes.append(Change(kind, format_path(path), text, self.flag(path)))


def diff_cases(
    old: dict[str, Any] | None,
    new: dict[str, Any] | None,
    sensitive: frozenset[Pattern],
    labels: Any,
    *,
    reveal: bool = False,
) -> list[Change]:
    if old is None and new is None:
        return []
    if old is None:
        assert new is not None
        return [
            Change(
                "new-case",
                "(file)",
                f"new case {new.get('case_id')}: {new.get('country')}, intake "
                f"{new.get('intake_date')}, {labels('violation_type', new.get('violation_type'))}, "
                f"{len(new.get('victims') or [])} victim(s), member organisation "
                f"{new.get('member_org')}",
            )
        ]
    if new is None:
        return [
            Change(
                "deleted-case",
                "(file)",
                f"the case {old.get('case_id')} is DELETED: a case is closed with case_status, "
                "not deleted; make sure this is intended",
                "danger",
            )
        ]
    differ = _Differ(sensitive, labels, reveal)
    differ.walk(old, new, ())
    # consent first, then the rest in file order
    return sorted(differ.changes, key=lambda c: c.flag != "consent")


# --- from git ------------------------------------------------------------------------------------


class GitNotFound(CattoolError):
    """git is not installed or not on PATH: a set-up problem (exit 3), never a missing branch
    or revision, so nothing that tries another revision swallows it."""

    exit_code = ExitCode.CONFIG


def _git_bytes(repo: CaseRepo, *args: str) -> bytes:
    try:
        done = subprocess.run(["git", *args], cwd=repo.root, capture_output=True, check=False)
    except FileNotFoundError:
        raise GitNotFound(
            "git not found: cattool diff and cattool log read the history from git; install "
            "git or put it on PATH"
        ) from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines() or ["git failed"]
        raise CattoolError(f"git {args[0]}: {message[0]}", ExitCode.USAGE)
    return done.stdout


def git_text(repo: CaseRepo, *args: str) -> str:
    """What a git command prints, as text; a CattoolError saying what failed otherwise."""
    return _git_bytes(repo, *args).decode("utf-8", "replace")


def default_base(repo: CaseRepo) -> str:
    """The merge base of HEAD with the main branch (main, master, or their origin copies)."""
    for branch in ("origin/main", "main", "origin/master", "master"):
        try:
            git_text(repo, "rev-parse", "--verify", "--quiet", branch)
        except GitNotFound:
            raise
        except CattoolError:
            continue
        return git_text(repo, "merge-base", "HEAD", branch).strip()
    raise CattoolError(
        "no main branch to compare with: give a range, e.g. cattool diff main..HEAD",
        ExitCode.USAGE,
    )


UNREADABLE = "\0unreadable"


def _at(repo: CaseRepo, rev: str | None, path: str, *, top: bool = False) -> str | None:
    """The text of ``path`` at ``rev`` (None: the working tree); None if it does not exist
    there; UNREADABLE if it is not UTF-8 text. ``path`` is relative to the case repository, or
    with ``top`` to the top of the git repository (as git log prints paths)."""
    try:
        if rev is None:
            file = repo.root / path
            if not file.is_file():
                return None
            raw = file.read_bytes()
        else:
            raw = _git_bytes(repo, "show", f"{rev}:{path}" if top else f"{rev}:./{path}")
    except GitNotFound:
        raise
    except CattoolError:
        return None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return UNREADABLE


@dataclass
class CaseDiff:
    path: str
    case_id: str
    changes: list[Change]
    unreadable: bool = False
    errors: int = 0  # problems (errors) of the working-tree version, from cattool validate


def repo_diff(
    repo: CaseRepo, base: str, head: str | None, sensitive: frozenset[Pattern], labels: Any,
    *, reveal: bool = False,
) -> list[CaseDiff]:  # fmt: skip
    """Every changed case file between ``base`` and ``head`` (None: the working tree)."""
    args = ["diff", "--relative", "--name-status", "-M", "--no-color", base,
            *([head] if head else []), "--", "cases"]  # fmt: skip
    entries: list[tuple[str | None, str | None]] = []
    for line in git_text(repo, *args).splitlines():
        parts = line.split("\t")
        status = parts[0]
        if status.startswith("R"):
            entries.append((parts[1], parts[2]))
        elif status.startswith("A"):
            entries.append((None, parts[1]))
        elif status.startswith("D"):
            entries.append((parts[1], None))
        else:
            entries.append((parts[1], parts[1]))
    if head is None:  # new files not yet added to git
        for name in git_text(
            repo, "ls-files", "--others", "--exclude-standard", "--", "cases"
        ).split():
            entries.append((None, name))
    out = []
    for old_path, new_path in entries:
        shown = new_path or old_path or ""
        if PurePosixPath(shown).suffix not in (".yaml", ".yml"):
            continue
        old_text = _at(repo, base, old_path) if old_path else None
        new_text = _at(repo, head, new_path) if new_path else None
        old = parse_case_text(old_text) if old_text is not None else None
        new = parse_case_text(new_text) if new_text is not None else None
        unreadable = (old_text is not None and old is None) or (
            new_text is not None and new is None
        )
        if reveal and not unreadable:
            from cattool.crypto import revealed

            old = revealed(old, sensitive) if old is not None else None
            new = revealed(new, sensitive) if new is not None else None
        changes = [] if unreadable else diff_cases(old, new, sensitive, labels, reveal=reveal)
        if old_path and new_path and old_path != new_path:
            changes.insert(0, Change("changed", "(file)", f"moved from {old_path}"))
        case_id = str((new or old or {}).get("case_id") or PurePosixPath(shown).stem)
        if changes or unreadable:
            out.append(CaseDiff(shown, case_id, changes, unreadable))
    if head is None:
        _count_errors(repo, out)
    return out


def _count_errors(repo: CaseRepo, diffs: list[CaseDiff]) -> None:
    """How many errors ``cattool validate`` finds in each changed case of the working tree (read
    through the cache of checked cases), so that a reviewer sees a change that breaks a case."""
    from cattool.problems import Severity
    from cattool.validation import validate_paths

    files = {d.path: repo.root / d.path for d in diffs if (repo.root / d.path).is_file()}
    if not files:
        return
    report = validate_paths(repo, list(files.values()))
    errors: dict[str, int] = {}
    for problem in report.problems:
        if problem.severity is Severity.ERROR:
            errors[str(problem.path)] = errors.get(str(problem.path), 0) + 1
    for diff in diffs:
        if diff.path in files:
            diff.errors = errors.get(str(files[diff.path]), 0)


@dataclass
class LogEntry:
    commit: str
    date: str
    author: str
    subject: str
    changes: list[Change]


def case_log(
    repo: CaseRepo, path: Path, sensitive: frozenset[Pattern], labels: Any, *, reveal: bool = False
) -> list[LogEntry]:
    """The history of one case file, newest first, each commit's changes in words."""
    relative = path.resolve().relative_to(repo.root.resolve()).as_posix()
    raw = git_text(
        repo, "log", "--follow", "--name-status", "--date=short",
        "--format=%x1e%H%x1f%ad%x1f%an%x1f%s", "--", relative,
    )  # fmt: skip
    entries = []
    for record in raw.split("\x1e")[1:]:
        head, _, files = record.partition("\n")
        commit, date, author, subject = head.split("\x1f")
        names = [ln.split("\t") for ln in files.strip().splitlines() if ln.strip()]
        status = names[0] if names else ["M", relative]
        kind = status[0][:1]
        new_path = status[-1]
        old_path = status[1] if kind == "R" else new_path
        new_text = None if kind == "D" else _at(repo, commit, new_path, top=True)
        # a copy (C) is where this case began: what came before is another case's history
        old_text = None if kind in ("A", "C") else _at(repo, f"{commit}^", old_path, top=True)
        old = parse_case_text(old_text) if old_text not in (None, UNREADABLE) else None
        new = parse_case_text(new_text) if new_text not in (None, UNREADABLE) else None
        if reveal:
            from cattool.crypto import revealed

            old = revealed(old, sensitive) if old is not None else None
            new = revealed(new, sensitive) if new is not None else None
        changes = diff_cases(old, new, sensitive, labels, reveal=reveal)
        if kind == "R":
            changes.insert(0, Change("changed", "(file)", f"moved from {old_path}"))
        if kind == "C":
            changes.append(Change("changed", "(file)", f"made from a copy of {status[1]}"))
        entries.append(LogEntry(commit, date, author, subject, changes))
        if kind == "C":
            break
    return entries


def render_diff(diffs: list[CaseDiff], fmt: str, title: str) -> str:
    """The changes as text, or as Markdown for a pull-request comment: there every line that
    holds a value from the cases (case IDs, paths, changes) goes through ``md_text``, so that
    a text in a case cannot post HTML, a link or an image in the comment."""
    if not diffs:
        return (
            "No case changed.\n" if fmt == "text" else f"### {md_text(title)}\n\nNo case changed.\n"
        )
    lines: list[str] = []
    if fmt == "md":
        lines += [f"### {md_text(title)}", ""]
    for diff in diffs:
        danger = any(c.flag == "danger" for c in diff.changes)
        consent = any(c.flag == "consent" for c in diff.changes)
        marks = (" — **DELETED**" if danger else "") + (" — **consent changed**" if consent else "")
        if fmt == "md":
            path = f"`{diff.path}`" if "`" not in diff.path else md_text(diff.path)
            lines.append(f"**{md_text(diff.case_id)}** ({path}){marks}")
            lines.append("")
        else:
            lines.append(f"{diff.case_id} ({diff.path}){marks.replace('**', '')}")
        if diff.unreadable:
            lines.append(
                ("- " if fmt == "md" else "  ")
                + "the file cannot be read as YAML: run cattool validate"
            )
        elif diff.errors:
            lines.append(
                ("- " if fmt == "md" else "  ")
                + f"⚠ the case now has {diff.errors} error(s): run cattool validate "
                + (md_text(diff.path) if fmt == "md" else diff.path)
            )
        for change in diff.changes:
            mark = {"consent": "⚠ consent: ", "danger": "⚠ "}.get(change.flag, "")
            text = md_text(change.text) if fmt == "md" else change.text
            lines.append(("- " if fmt == "md" else "  ") + mark + text)
        lines.append("")
    return "\n".join(lines)
