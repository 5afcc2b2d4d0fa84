"""Upgrade case files from an older version of the format, touching only what changed.

Each migration is a list of text edits located through the YAML node tree (line and column), so
the rest of the file — comments, quoting, layout, line ends — stays byte for byte as it was.
Nothing here writes; ``cattool migrate`` shows the plan (a dry run) or writes it atomically.

1.0 -> 1.1 (docs/proceedings.md):
- ``schema_version: "1.0"`` becomes ``"1.1"``;
- ``consent[].given_by`` was a text; it becomes ``{role: ..., name: ...}``, the role read from the
  record's ``form`` (guardian, relative; else representative) and the text kept as the name;
- an event whose target the file did not name (a ``decision_annulled`` without ``annuls``, an
  appeal or an appeal decision without ``responds_to``) gets the link the model inferred, so the
  file now says what the proceedings mean and a reviewer can check it in the pull request.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from cattool.loading import CaseLoader
from cattool.versions import OLDER_VERSIONS, SCHEMA_VERSION

if TYPE_CHECKING:
    from cattool.repo import CaseRepo

CURRENT = SCHEMA_VERSION
OLDER = OLDER_VERSIONS


@dataclass(frozen=True, slots=True)
class Edit:
    line: int  # 0-based
    column: int
    end_line: int
    end_column: int
    text: str


@dataclass
class Migration:
    """What upgrading one file does: the edits and, for the user, what each means."""

    version: str | None  # the version the file has
    edits: list[Edit] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)  # "consent[0].given_by: ..." (no values)

    @property
    def needed(self) -> bool:
        return bool(self.edits)


class MigrationError(ValueError):
    """The file cannot be migrated (it is not YAML, or not a case of a known version)."""


def _compose(text: str) -> yaml.MappingNode:
    loader = CaseLoader(text)
    try:
        node = loader.get_single_node()
    except yaml.YAMLError as err:
        raise MigrationError(f"not readable as YAML ({type(err).__name__})") from None
    finally:
        loader.dispose()
    if not isinstance(node, yaml.MappingNode):
        raise MigrationError("not a case file (the file is not a mapping of keys)")
    return node


def _get(node: yaml.Node, key: str) -> yaml.Node | None:
    if not isinstance(node, yaml.MappingNode):
        return None
    for key_node, value in node.value:
        if isinstance(key_node, yaml.ScalarNode) and key_node.value == key:
            return value  # type: ignore[no-any-return]
    return None


def _key_node(node: yaml.MappingNode, key: str) -> yaml.Node | None:
    for key_node, _ in node.value:
        if isinstance(key_node, yaml.ScalarNode) and key_node.value == key:
            return key_node
    return None


def _items(node: yaml.Node | None) -> list[yaml.Node]:
    return list(node.value) if isinstance(node, yaml.SequenceNode) else []


def _replace(node: yaml.Node, text: str) -> Edit:
    start, end = node.start_mark, node.end_mark
    return Edit(start.line, start.column, end.line, end.column, text)


def _quoted(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar


def _add_key(mapping: yaml.MappingNode, after: str, key: str, value: str, lines: list[str]) -> Edit:
    """An edit adding ``key: value`` to ``mapping``, on its own line after the key ``after``."""
    if mapping.flow_style:
        end = mapping.end_mark  # just past the closing brace
        return Edit(end.line, end.column - 1, end.line, end.column - 1, f", {key}: {value}")
    anchor = _key_node(mapping, after) or mapping.value[0][0]
    value_node = _get(mapping, after) or anchor
    line = value_node.end_mark.line
    if value_node.end_mark.column == 0:  # a block scalar ends at the start of the next line
        line -= 1
    current = lines[line]
    body = current.rstrip("\r\n")
    eol = current[len(body) :]
    new_line = f"{' ' * anchor.start_mark.column}{key}: {value}"
    if eol:  # after the whole line, so a comment at its end stays where it was
        return Edit(line, len(current), line, len(current), new_line + eol)
    newline = "\r\n" if "\r\n" in "".join(lines) else "\n"  # the file's last line
    return Edit(line, len(body), line, len(body), newline + new_line)


def _given_by_role(form: str | None) -> str:
    return {"guardian": "guardian", "relative": "relative"}.get(form or "", "representative")


def plan(text: str, data: Mapping[str, Any], country: Any) -> Migration:
    """The edits that bring one case file (``text``, read as ``data``) to the current format."""
    root = _compose(text)
    version_node = _get(root, "schema_version")
    version = version_node.value if isinstance(version_node, yaml.ScalarNode) else None
    found = Migration(version)
    if version == CURRENT:
        return found
    if version not in OLDER or not isinstance(version_node, yaml.ScalarNode):
        known = ", ".join((*OLDER, CURRENT))
        raise MigrationError(
            f"schema_version is {version!r}; cattool knows {known}: upgrade cattool or fix the file"
        )
    lines = text.splitlines(keepends=True) or [""]
    quote = version_node.style if version_node.style in ('"', "'") else ""
    found.edits.append(_replace(version_node, f"{quote}{CURRENT}{quote}"))
    found.changes.append(f"schema_version: {version} -> {CURRENT}")

    consent_nodes = _items(_get(root, "consent"))
    for index, record in enumerate(consent_nodes):
        given = _get(record, "given_by")
        if not isinstance(given, yaml.ScalarNode) or given.tag != "tag:yaml.org,2002:str":
            continue
        form = _get(record, "form")
        role = _given_by_role(form.value if isinstance(form, yaml.ScalarNode) else None)
        found.edits.append(_replace(given, f"{{role: {role}, name: {_quoted(given.value)}}}"))
        found.changes.append(f"consent[{index}].given_by: text -> {{role: {role}, name: ...}}")

    from cattool.procedure import proceedings  # the model says what each unlinked event meant

    event_nodes = _items(_get(root, "legal_actions"))
    ids = [e.get("event_id") for e in data.get("legal_actions") or [] if isinstance(e, Mapping)]
    if event_nodes and len(ids) == len(set(ids)):  # with a repeated id a link would be ambiguous
        for inferred in proceedings(data, country, dt.date.max).inferred:
            target_id = inferred.target.event_id
            if target_id is None or inferred.event.index >= len(event_nodes):
                continue
            node = event_nodes[inferred.event.index]
            if not isinstance(node, yaml.MappingNode) or _get(node, inferred.key) is not None:
                continue
            found.edits.append(_add_key(node, "type", inferred.key, target_id, lines))
            found.changes.append(
                f"{inferred.event.path}.{inferred.key}: {target_id} (the file did not say which "
                f"decision {inferred.event.event_id or 'this event'} is about; check it)"
            )
    return found


def apply(text: str, migration: Migration) -> str:
    """``text`` with the migration's edits made, from the last to the first."""
    lines = text.splitlines(keepends=True) or [""]
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))

    def offset(line: int, column: int) -> int:
        return starts[min(line, len(lines))] + column

    out = text
    for edit in sorted(
        migration.edits, key=lambda e: (e.line, e.column, e.end_line, e.end_column), reverse=True
    ):
        out = (
            out[: offset(edit.line, edit.column)]
            + edit.text
            + out[offset(edit.end_line, edit.end_column) :]
        )
    return out


# --- a whole repository ---------------------------------------------------------------------------


@dataclass
class FileResult:
    path: Path
    migration: Migration | None = None
    error: str | None = None  # why the file could not be migrated (never its content)


@dataclass
class RepositoryMigration:
    files: list[FileResult] = field(default_factory=list)
    written: int = 0

    @property
    def pending(self) -> list[FileResult]:
        return [f for f in self.files if f.migration is not None and f.migration.needed]

    @property
    def failed(self) -> list[FileResult]:
        return [f for f in self.files if f.error is not None]


def migrate_repository(
    repo: CaseRepo, countries: Mapping[str, Any], paths: list[Path], *, write: bool
) -> RepositoryMigration:
    """Plan the upgrade of every case file under ``paths``; with ``write``, write each file.

    Every file is planned before any is written, so a file that cannot be read stops nothing and
    is reported. Each write is atomic, and a file already at the current version is left alone:
    an interrupted run is finished by running it again. Each file is held while it is written
    (``cattool.files.held_for_update``) and written only if it is still the one planned from; a
    file changed since, or held too long by another command, stops the run (exit 4).
    """
    from cattool.errors import RefusedError
    from cattool.files import content_token, held_for_update, replace_if_unchanged
    from cattool.loading import read_case
    from cattool.repo import collect_case_files

    report = RepositoryMigration()
    texts: dict[Path, tuple[str, str]] = {}  # the upgraded text, the token of the file planned
    for path in collect_case_files(paths):
        result = FileResult(path)
        report.files.append(result)
        try:
            raw = path.read_bytes()
            text = raw.decode("utf-8-sig")
        except (OSError, UnicodeDecodeError) as err:
            result.error = f"cannot be read ({type(err).__name__})"
            continue
        loaded = read_case(path, raw=raw)
        if isinstance(loaded, list):
            result.error = "cannot be read as a case: run cattool validate on it first"
            continue
        try:
            country = countries.get(str(loaded.data.get("country")))
            result.migration = plan(text, loaded.data, country)
        except MigrationError as err:
            result.error = str(err)
            continue
        if result.migration.needed:
            bom = "\ufeff" if raw.startswith(b"\xef\xbb\xbf") else ""
            texts[path] = (bom + apply(text, result.migration), content_token(raw))
    if write:
        for path, (new, token) in texts.items():
            try:
                with held_for_update(path):
                    replace_if_unchanged(path, new, token)
            except RefusedError as err:
                raise RefusedError(
                    f"{err} (stopped there: {report.written} file(s) before it were upgraded; "
                    "running cattool migrate --write again finishes the rest)"
                ) from None
            report.written += 1
        _bump_settings(repo)
    return report


def _bump_settings(repo: CaseRepo) -> None:
    """The repository's ``cattool.schema_version`` in cattool.yaml, if it names an older one."""
    from cattool.files import write_atomic
    from cattool.repo import CONFIG_NAME

    path = repo.root / CONFIG_NAME
    try:
        text = path.read_text(encoding="utf-8")
        root = _compose(text)
    except (OSError, UnicodeDecodeError, MigrationError):
        return
    node = _get(_get(root, "cattool") or root, "schema_version")
    if not isinstance(node, yaml.ScalarNode) or node.value not in OLDER:
        return
    quote = node.style if node.style in ('"', "'") else ""
    edit = Migration(node.value, [_replace(node, f"{quote}{CURRENT}{quote}")])
    write_atomic(path, apply(text, edit))
