"""Edit case files gently and write them atomically.

Edits go through ruamel.yaml's round-trip mode, which keeps comments, key order, quoting, flow
style and blank lines, so an edit changes only its own lines. Every write is validated first and
is atomic: a temporary file in the same folder, fsync, then rename, so a crash leaves the old
file or the new one, never half of each.

An edit is one read-modify-write held for update (``edit_case``, over
``cattool.files.held_for_update``): a second command editing the same case waits for the first and
then reads what it wrote, and the write happens only if the file is still the one read, so no
edit is ever lost; a command that cannot have the file in time stops with exit 4.
"""

from __future__ import annotations

import io
import os
import re
import tempfile
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any

from cattool.errors import CattoolError, ExitCode, RefusedError
from cattool.files import HeldFile, held_for_update
from cattool.problems import Problem, Severity
from cattool.repo import CaseRepo
from cattool.roundtrip import attach_trailing_comment, detach_trailing_comment, round_trip_yaml

if TYPE_CHECKING:
    from cattool.caseformat import CaseFormat


@dataclass
class EditableCase:
    """A case file loaded for editing, with what is needed to write it back the same way."""

    path: Path
    data: Any  # ruamel CommentedMap
    yaml: Any
    bom: bool
    crlf: bool
    held: HeldFile | None = None  # set by edit_case: the file held for update, as read

    def dump(self) -> str:
        buffer = io.StringIO()
        try:
            self.yaml.dump(self.data, buffer)
        except RecursionError:
            raise CattoolError(
                f"{self.path}: the case is nested too deeply to be written; run cattool "
                f"validate {self.path}",
                ExitCode.PROBLEMS,
            ) from None
        text = buffer.getvalue().replace("\r\n", "\n")
        if self.crlf:
            text = text.replace("\n", "\r\n")
        return ("\ufeff" if self.bom else "") + text


@contextmanager
def edit_case(path: Path) -> Iterator[EditableCase]:
    """The case at ``path`` loaded for editing, held for update until the block ends.

    Another cattool command writing the same file waits meanwhile (up to
    ``cattool.files.LOCK_TIMEOUT``); write the result inside the block with
    ``save_validated(repo, path, case.dump(), held=case.held)``, which writes only if the file is
    still the one read. Without a write nothing changes.
    """
    _import_what_an_edit_needs()
    with ExitStack() as stack:
        try:
            held = stack.enter_context(held_for_update(path))
        except OSError:  # a folder, or a file this user may not read
            raise _unreadable(path) from None
        if held.raw is None:
            raise RefusedError(
                f"{path} was removed while this command was waiting for it; nothing was written"
            )
        case = load_for_edit(path, held.raw)
        case.held = held
        yield case


def _import_what_an_edit_needs() -> None:
    """Import before taking the file, so that it is held for the edit only (imports take longer
    than the edit itself, and every other command writing the case waits meanwhile)."""
    import ruamel.yaml.util  # noqa: F401

    import cattool.checks
    import cattool.crypto
    import cattool.validation  # noqa: F401


def _unreadable(path: Path) -> CattoolError:
    return CattoolError(
        f"{path}: cannot read the file as UTF-8 text; run cattool validate {path}",
        ExitCode.PROBLEMS,
    )


def load_for_edit(path: Path, raw: bytes | None = None) -> EditableCase:
    """The case at ``path`` (or of the bytes ``raw`` read from it) loaded for editing.

    To write it back, prefer ``edit_case``: it holds the file, so no other edit is lost.
    """
    from ruamel.yaml.error import YAMLError
    from ruamel.yaml.util import load_yaml_guess_indent

    try:
        raw = path.read_bytes() if raw is None else raw
        original = raw.decode("utf-8-sig")
    except (OSError, UnicodeDecodeError):
        raise _unreadable(path) from None
    text = original.replace("\r\n", "\n")  # line ends are restored on writing
    try:
        # Keep the file's own layout: the sequence indent and dash offset it already uses.
        _, sequence, offset = load_yaml_guess_indent(text)
        yaml = round_trip_yaml(sequence or 2, offset or 0)
        data = yaml.load(text)
    except (YAMLError, RecursionError):
        raise CattoolError(
            f"{path}: the YAML cannot be read; run cattool validate {path} to see where",
            ExitCode.PROBLEMS,
        ) from None
    if not hasattr(data, "keys"):
        raise CattoolError(
            f"{path}: not a case file; run cattool validate {path}", ExitCode.PROBLEMS
        )
    return EditableCase(path, data, yaml, raw.startswith(b"\xef\xbb\xbf"), "\r\n" in original)


class EditRefused(CattoolError):
    """The edited case would be invalid; the file was left untouched."""

    exit_code = ExitCode.PROBLEMS

    def __init__(self, path: Path, problems: list[Problem]) -> None:
        lines = "\n".join(str(p) for p in problems)
        super().__init__(
            f"{path} was left unchanged: the edit would make the case invalid:\n{lines}",
            ExitCode.PROBLEMS,
        )
        self.problems = problems


def save_validated(
    repo: CaseRepo,
    path: Path,
    text: str,
    *,
    new_file: bool = False,
    held: HeldFile | None = None,
    fmt: CaseFormat | None = None,
) -> None:
    """Validate ``text`` as the case at ``path``, then write it atomically; refuse if invalid.

    ``held`` is the file as ``edit_case`` read it: the text is written only if the file is still
    that one (else exit 4, nothing written). Without it the file is held just for this write
    (``new_file``: it must not exist). ``fmt`` saves reading the case format again.
    """
    if held is None:
        # The caller read the file itself (or there is none yet): only the write is held.
        with held_for_update(path) as held_now:
            save_validated(repo, path, text, new_file=new_file, held=held_now, fmt=fmt)
        return
    if new_file and held.raw is not None:
        raise RefusedError(f"{path} already exists; nothing was written")

    from cattool.caseformat import CaseFormat
    from cattool.checks import CheckContext
    from cattool.crypto import repository_requires_encryption
    from cattool.validation import check_one

    fmt = fmt or CaseFormat.for_repo(repo)
    required = repository_requires_encryption(repo.config)
    # The plain text is checked (an encrypted value would hide a wrong date or type), then
    # encrypted before it is written: an edit never leaves a plain sensitive value.
    ctx = CheckContext(fmt.countries, repo.organisations)
    path.parent.mkdir(parents=True, exist_ok=True)
    # ".tmp": ignored by the .gitignore cattool init writes, should a crash leave it behind
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}.", suffix=".check.tmp")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        try:
            relative: PurePath | None = path.resolve().relative_to(repo.cases_dir.resolve())
        except ValueError:
            relative = None
        found = check_one(fmt, ctx, tmp, path, relative)[0]
        problems = [p for p in found if p.severity is Severity.ERROR]
    finally:
        tmp.unlink(missing_ok=True)
    if problems:
        raise EditRefused(path, problems)
    if required:
        text = _encrypt_text(text, fmt, repo)
    held.replace(text)


# --- YAML paths for `cattool set` ---------------------------------------------------------------

_STEP = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def _encrypt_text(text: str, fmt: Any, repo: CaseRepo) -> str:
    """The case text with every plain sensitive value encrypted, layout and comments kept."""
    from ruamel.yaml.util import load_yaml_guess_indent

    from cattool.crypto import age_recipients, encrypt_in_place, read_recipients

    bom, crlf = text.startswith("\ufeff"), "\r\n" in text
    body = text.lstrip("\ufeff").replace("\r\n", "\n")
    _, sequence, offset = load_yaml_guess_indent(body)
    yaml = round_trip_yaml(sequence or 2, offset or 0)
    data = yaml.load(body)
    recipients = age_recipients(read_recipients(repo.root))
    if not encrypt_in_place(data, fmt.sensitive, recipients):
        return text
    return EditableCase(Path(), data, yaml, bom, crlf).dump()


def parse_yaml_path(text: str) -> tuple[str | int, ...]:
    """ "victims[0].current_status" -> ("victims", 0, "current_status")."""
    steps: list[str | int] = []
    position = 0
    for match in _STEP.finditer(text):
        if match.start() != position and text[position : match.start()] != ".":
            break
        key, index = match.groups()
        steps.append(int(index) if index is not None else key)
        position = match.end()
    if not steps or position != len(text):
        raise CattoolError(
            f"'{text}' is not a YAML path; write it like case_status or victims[0].current_status",
            ExitCode.USAGE,
        )
    return tuple(steps)


def set_value(data: Any, path: tuple[str | int, ...], value: Any) -> Any:
    """Set the value at ``path`` (the parent must exist); return the old value or None."""
    parent = data
    for i, step in enumerate(path[:-1]):
        try:
            parent = parent[step]
        except (KeyError, IndexError, TypeError):
            shown = "".join(f"[{s}]" if isinstance(s, int) else f".{s}" for s in path[: i + 1])
            raise CattoolError(
                f"the case has nothing at {shown.lstrip('.')}; set a field that exists or whose "
                "parent exists",
                ExitCode.USAGE,
            ) from None
    last = path[-1]
    if isinstance(last, int):
        if not isinstance(parent, list) or not 0 <= last < len(parent):
            raise CattoolError(f"there is no item [{last}] to set", ExitCode.USAGE)
        old = parent[last]
    else:
        if not hasattr(parent, "keys"):
            raise CattoolError(f"cannot set '{last}': its parent is not a mapping", ExitCode.USAGE)
        old = parent.get(last)
    parent[last] = value
    return old


def next_id(items: Any, key: str, prefix: str) -> str:
    """The next free id such as e5 after e1..e4 (gaps are not reused)."""
    numbers = [0]
    for item in items or []:
        match = (
            re.fullmatch(rf"{prefix}(\d+)", str(item.get(key, "")))
            if hasattr(item, "get")
            else None
        )
        if match:
            numbers.append(int(match.group(1)))
    return f"{prefix}{max(numbers) + 1}"


def append_event(case: EditableCase, event: dict[str, Any]) -> str:
    """Add an event to the case's timeline (legal_actions) and return its event_id.

    It goes in date order; comments after the last event stay after the last event."""
    events = _collection(case, "legal_actions")
    event_id = next_id(events, "event_id", "e")
    _insert(events, _entry("event_id", event_id, event), _date_position(events, event.get("date")))
    return event_id


def append_un_communication(case: EditableCase, item: dict[str, Any]) -> str:
    """Add a UN communication (un_communications) and return its comm_id."""
    comms = _collection(case, "un_communications")
    comm_id = next_id(comms, "comm_id", "u")
    _insert(comms, _entry("comm_id", comm_id, item), len(comms))
    return comm_id


def _collection(case: EditableCase, key: str) -> Any:
    from ruamel.yaml.comments import CommentedSeq

    if case.data.get(key) is None:
        case.data[key] = CommentedSeq()
    return case.data[key]


def _entry(id_key: str, ident: str, values: dict[str, Any]) -> Any:
    """A new list item: its id first, then the values given (None left out; mappings and lists
    written on one line, as a person would)."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    entry = CommentedMap()
    entry[id_key] = ident
    for key, value in values.items():
        if value is None:
            continue
        if isinstance(value, dict):
            flow: Any = CommentedMap(value)
            flow.fa.set_flow_style()
            entry[key] = flow
        elif isinstance(value, list):
            flow = CommentedSeq(value)
            flow.fa.set_flow_style()
            entry[key] = flow
        else:
            entry[key] = value
    return entry


def _insert(items: Any, entry: Any, position: int) -> None:
    if position == len(items):
        trailing = detach_trailing_comment(items[-1]) if items else None
        items.append(entry)
        if trailing is not None:
            attach_trailing_comment(entry, trailing)
    else:
        items.insert(position, entry)


def _date_position(events: Any, day: Any) -> int:
    """Where an event dated ``day`` goes to keep the timeline in date order (after equal dates)."""
    if day is None:
        return len(events)
    key = str(day)
    position = len(events)
    while position > 0:
        previous = events[position - 1]
        if not hasattr(previous, "get") or str(previous.get("date", "")) <= key:
            break
        position -= 1
    return position


def append_follow_up(case: EditableCase, comm_index: int, item: dict[str, Any]) -> int:
    """Add a follow-up step ({date, type}) to un_communications[comm_index].follow_up, in date
    order, written on one line; return its position."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    comm = case.data["un_communications"][comm_index]
    if comm.get("follow_up") is None:
        comm["follow_up"] = CommentedSeq()
    items = comm["follow_up"]
    entry = CommentedMap((k, v) for k, v in item.items() if v is not None)
    entry.fa.set_flow_style()
    position = _date_position(items, item.get("date"))
    _insert(items, entry, position)
    return position
