"""Read case files fast, with line numbers, and turn every kind of bad input into a Problem.

Only a regular file is opened (``read_case_bytes``): a folder, a named pipe, a socket or a device
named like a case file is a problem of that path, found by its ``stat`` without opening it (a
pipe would make the run wait forever), and so is a symbolic link that loops. The file is parsed
once with libyaml (pyyaml's C loader, pure Python where it is missing) into a node tree; the tree
is checked for duplicate keys, aliases, tags (only the plain kinds a case holds: text, numbers,
true/false, null, lists, mappings) and over-long numbers, then constructed into plain Python
values, which therefore cannot fail. The tree is kept so that a problem found later, by the
schema or a check, can be located by its YAML path. Dates stay text: JSON Schema's
``format: date`` checks strings only.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from cattool.problems import Problem

try:
    _BaseLoader: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[assignment]
    HAVE_LIBYAML = True
except AttributeError:  # pyyaml built without libyaml
    _BaseLoader = yaml.SafeLoader
    HAVE_LIBYAML = False

MAX_CASE_BYTES = 1024 * 1024  # documented in docs/case-format.md
MAX_DEPTH = 50  # a case is about six levels deep; deeper nesting is refused before any check
MAX_NUMBER_CHARS = 100  # Python refuses to turn an integer of over 4,300 digits into text
YamlPath = tuple[str | int, ...]

_TAG = "tag:yaml.org,2002:"
STR_TAG, MAP_TAG, SEQ_TAG = f"{_TAG}str", f"{_TAG}map", f"{_TAG}seq"
INT_TAG, FLOAT_TAG, BOOL_TAG = f"{_TAG}int", f"{_TAG}float", f"{_TAG}bool"
# the scalars a case may hold; a timestamp stays text and a null is None, whatever is written
TIMESTAMP_TAG = f"{_TAG}timestamp"
SCALAR_TAGS = frozenset({STR_TAG, INT_TAG, FLOAT_TAG, BOOL_TAG, f"{_TAG}null", TIMESTAMP_TAG})
_BOOLS = yaml.constructor.SafeConstructor.bool_values  # what !!bool may be written as
_CONSTRUCTOR = yaml.constructor.SafeConstructor()  # to try a number or a boolean alone
_CONSTRUCT = {
    INT_TAG: yaml.constructor.SafeConstructor.construct_yaml_int,
    FLOAT_TAG: yaml.constructor.SafeConstructor.construct_yaml_float,
    BOOL_TAG: yaml.constructor.SafeConstructor.construct_yaml_bool,
}


class CaseLoader(_BaseLoader):  # type: ignore[misc,valid-type]
    """libyaml loader that keeps dates and times as the text the user wrote."""


def _scalar_as_text(loader: CaseLoader, node: yaml.ScalarNode) -> str:
    return str(node.value)


CaseLoader.add_constructor("tag:yaml.org,2002:timestamp", _scalar_as_text)


@dataclass(slots=True)
class LoadedCase:
    path: Path
    data: dict[str, Any]
    root: yaml.MappingNode
    problems: list[Problem]  # found while reading (duplicate keys): the file is still usable

    def locate(self, yaml_path: YamlPath) -> tuple[int, int]:
        """1-based line and column of the deepest node on ``yaml_path`` that exists."""
        node = node_at(self.root, yaml_path)
        return node.start_mark.line + 1, node.start_mark.column + 1


def format_path(yaml_path: YamlPath) -> str:
    """("victims", 0, "full_name") -> "victims[0].full_name"; () -> "(file)"."""
    out = ""
    for part in yaml_path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out or "(file)"


def node_at(root: yaml.Node, yaml_path: YamlPath, *, key: bool = False) -> yaml.Node:
    """Follow ``yaml_path`` down the node tree as far as it goes.

    With ``key=True`` the last step returns the key node (where an unknown key is written) instead
    of its value.
    """
    node = root
    for i, part in enumerate(yaml_path):
        last = i == len(yaml_path) - 1
        if isinstance(node, yaml.MappingNode) and isinstance(part, str):
            for key_node, value_node in node.value:
                if key_node.value == part:
                    node = key_node if (key and last) else value_node
                    break
            else:
                return node
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            if 0 <= part < len(node.value):
                node = node.value[part]
            else:
                return node
        else:
            return node
    return node


class FileRefused(Exception):
    """A case file that is not read: not a regular file, a loop of links, unreadable, too large.
    The message names no content of the file."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.message, self.code = message, code


_KINDS = (
    (stat.S_ISDIR, "a folder", "give it a name that does not end in .yaml or .yml (the case "
     "files inside it are still checked)"),
    (stat.S_ISFIFO, "a named pipe (FIFO)", "cattool did not open it; remove it from cases/"),
    (stat.S_ISSOCK, "a socket", "cattool did not open it; remove it from cases/"),
    (stat.S_ISCHR, "a device", "cattool did not open it; remove it from cases/"),
    (stat.S_ISBLK, "a device", "cattool did not open it; remove it from cases/"),
)  # fmt: skip
# never wait on the file (a pipe or a terminal swapped in after the stat), never take a terminal
_OPEN_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_NOCTTY", 0)
    | getattr(os, "O_BINARY", 0)
    | getattr(os, "O_CLOEXEC", 0)
)


def read_case_bytes(path: Path | str) -> tuple[bytes, os.stat_result]:
    """The bytes of a case file (links followed) and its ``stat``, taken before it was read.

    Raises ``FileRefused`` for a path that is not a regular file (never opened), a loop of
    links, a file that cannot be read, and one over ``MAX_CASE_BYTES`` (at most one byte more than
    the limit is read).
    """
    try:
        info = os.stat(path)  # noqa: PTH116 - a path as text too, and one system call
        mode = info.st_mode
        if not stat.S_ISREG(mode):
            what, fix = next(
                ((what, fix) for test, what, fix in _KINDS if test(mode)),
                ("not a regular file", "cattool did not open it; remove it from cases/"),
            )
            raise FileRefused(f"this is {what}, not a case file: {fix}", "not-a-file")
        if info.st_size > MAX_CASE_BYTES:
            raise FileRefused(_too_large(info.st_size), "too-large")
        fd = os.open(path, _OPEN_FLAGS)
        try:
            chunks = [os.read(fd, info.st_size + 1)]  # the whole file, in one read as a rule
            total = len(chunks[0])
            # the size it had when its stamp was taken (the rule), or read on: it grew meanwhile,
            # or a read came back short
            while chunks[-1] and total != info.st_size and total <= MAX_CASE_BYTES:
                chunks.append(os.read(fd, MAX_CASE_BYTES + 1 - total))
                total += len(chunks[-1])
        finally:
            os.close(fd)
    except OSError as err:
        if err.errno == errno.ELOOP:
            raise FileRefused(
                "the file is a symbolic link that leads round in a loop (or through too many "
                "links); replace it with the case file itself",
                "unreadable",
            ) from None
        raise FileRefused(
            f"cannot read the file ({err.strerror or 'unknown error'})", "unreadable"
        ) from None
    raw = chunks[0] if len(chunks) == 1 else b"".join(chunks)
    if len(raw) > MAX_CASE_BYTES:
        raise FileRefused(_too_large(max(len(raw), info.st_size)), "too-large")
    return raw, info


def _too_large(size: int) -> str:
    return (
        f"the file is {-(-size // 1024)} KiB, over the {MAX_CASE_BYTES // 1024} KiB limit "
        "for a case; keep scans and long documents as separate files and refer to them"
    )


def read_case(
    path: Path, *, display: Path | None = None, raw: bytes | None = None
) -> LoadedCase | list[Problem]:
    """Load one case file, or return the problems that stop it being read.

    ``display`` is the path to print in problems (relative to where the user stands); ``raw``
    the file's bytes when the caller has read them already.
    """
    shown = display or path

    def problem(line: int, column: int, message: str, code: str, where: str = "(file)") -> Problem:
        return Problem(shown, line, column, where, message, code)

    if raw is None:
        try:
            raw, _ = read_case_bytes(path)
        except FileRefused as refused:
            return [problem(1, 1, refused.message, refused.code)]
    if len(raw) > MAX_CASE_BYTES:
        return [problem(1, 1, _too_large(len(raw)), "too-large")]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw.count(b"\n", 0, err.start) + 1
        line_start = raw.rfind(b"\n", 0, err.start) + 1
        # Columns count characters, as editors do, not bytes.
        column = len(raw[line_start : err.start].decode("utf-8", errors="replace")) + 1
        return [
            problem(line, column, "the file is not valid UTF-8 text; save it as UTF-8", "encoding")
        ]
    nul = text.find("\0")
    if nul >= 0:  # valid UTF-8, but no text file holds it: a binary file, or UTF-16 without BOM
        return [
            problem(
                text.count("\n", 0, nul) + 1,
                nul - text.rfind("\n", 0, nul),
                "the file holds a NUL character: it is not UTF-8 text (a binary file, or text "
                "saved as UTF-16); save it as UTF-8",
                "encoding",
            )
        ]
    if not text.strip() or all(
        not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()
    ):
        return [problem(1, 1, "the file is empty", "empty-file")]

    early = list(_text_problems(text))
    if early:
        return [problem(ln, col, msg, code) for ln, col, msg, code in early]

    loader = CaseLoader(text)
    try:
        root = loader.get_single_node()
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        if err.context == "expected a single document in the stream" and err.problem_mark:
            return [
                problem(
                    err.problem_mark.line + 1,
                    err.problem_mark.column + 1,
                    "YAML syntax error: a second document starts here (a line '---' after the "
                    "first one); a case file holds one document",
                    "yaml-syntax",
                )
            ]
        if err.context == "while scanning a simple key" and err.context_mark is not None:
            mark = err.context_mark  # the line where the ':' is missing, not the next one
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        what = err.problem or err.context or "cannot parse the YAML"
        tab = _tab_indent(text, mark) if mark else None
        if tab:
            return [
                problem(
                    *tab, "a tab is used for indentation; YAML allows only spaces", "tab-indent"
                )
            ]
        return [problem(line, column, f"YAML syntax error: {what}", "yaml-syntax")]
    except yaml.YAMLError as err:
        return [problem(1, 1, f"YAML syntax error: {str(err).splitlines()[0]}", "yaml-syntax")]
    finally:
        loader.dispose()

    if root is None or (
        isinstance(root, yaml.ScalarNode) and root.tag.endswith(":null") and not root.value
    ):
        return [problem(1, 1, "the file is empty", "empty-file")]
    if not isinstance(root, yaml.MappingNode):
        kind = "a list" if isinstance(root, yaml.SequenceNode) else "a single value"
        return [
            problem(
                root.start_mark.line + 1,
                root.start_mark.column + 1,
                f"the file is {kind}, not a mapping of keys such as 'case_id:' to values",
                "not-a-mapping",
            )
        ]

    depth, deepest, where = _depth(root)
    if depth > MAX_DEPTH:
        return [
            problem(
                deepest.start_mark.line + 1,
                deepest.start_mark.column + 1,
                f"the value is nested more than {MAX_DEPTH} levels deep; a case needs a few",
                "too-large",
                format_path(where) + "...",
            )
        ]

    tree_problems = [
        problem(n.start_mark.line + 1, n.start_mark.column + 1, msg, code, format_path(p))
        for n, p, msg, code in _tree_problems(root)
    ]
    if any(p.code in _NOT_CONSTRUCTED for p in tree_problems):
        # never construct: an alias may expand into a huge document, the schema's checks cannot
        # read a mapping whose keys are not text, a tag may make anything (or fail), and Python
        # cannot write an integer of over 4,300 digits as text
        return tree_problems

    try:
        data = loader.construct_document(root)
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        return [problem(line, column, f"YAML error: {err.problem or err.context}", "yaml-syntax")]
    return LoadedCase(path=shown, data=data, root=root, problems=tree_problems)


def _text_problems(text: str) -> Iterator[tuple[int, int, str, str]]:
    """Problems visible in the raw text that the YAML parser reports badly or not at all."""
    for number, line in enumerate(text.splitlines(), start=1):
        if line.startswith(("<<<<<<< ", ">>>>>>> ", "|||||||")) or line.rstrip() in (
            "=======",
            "<<<<<<<",
            ">>>>>>>",
        ):
            yield number, 1, "a git merge-conflict marker is left in the file", "merge-conflict"
            return


def _depth(root: yaml.Node) -> tuple[int, yaml.Node, YamlPath]:
    """How deep the node tree goes (without recursion), the node where it is deepest, and the
    YAML path that leads there (its first few steps: enough to find it)."""
    deepest, node_at_depth = 0, root
    path_at_depth: YamlPath = ()
    stack: list[tuple[yaml.Node, int, YamlPath]] = [(root, 1, ())]
    seen: set[int] = set()
    while stack:
        node, level, path = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if level > deepest:
            deepest, node_at_depth, path_at_depth = level, node, path
            if deepest > MAX_DEPTH:
                break
        short = len(path) < 4
        if isinstance(node, yaml.MappingNode):
            stack.extend(
                (value, level + 1, (*path, str(key.value)) if short else path)
                for key, value in node.value
            )
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(
                (item, level + 1, (*path, index) if short else path)
                for index, item in enumerate(node.value)
            )
    return deepest, node_at_depth, path_at_depth


def _tab_indent(text: str, mark: yaml.Mark) -> tuple[int, int] | None:
    """Where a tab in the indentation made the parser fail, or None if no tab is to blame.

    Only consulted after a parse error, so a tab inside a block text (valid YAML) is never
    reported. libyaml either stops on the tab itself, or a little after a line indented by one.
    """
    lines = text.splitlines()
    if mark.line < len(lines) and lines[mark.line][mark.column : mark.column + 1] == "\t":
        return mark.line + 1, mark.column + 1
    for number in range(min(mark.line, len(lines) - 1), max(mark.line - 2, -1), -1):
        line = lines[number]
        indent = line[: len(line) - len(line.lstrip(" \t"))]
        if "\t" in indent and line.strip():
            return number + 1, indent.index("\t") + 1
    return None


_NOT_CONSTRUCTED = frozenset({"alias", "key-not-text", "yaml-tag", "long-number"})


def _tag_problem(node: yaml.Node) -> str | None:
    """What is wrong with the tag of a node (None: a plain mapping, list or scalar)."""
    tag = node.tag
    if isinstance(node, yaml.ScalarNode):
        if tag == STR_TAG:
            return None
        if tag not in SCALAR_TAGS:
            return f"the YAML tag {_shown_tag(tag)} is not allowed in case files; remove it"
        if tag == INT_TAG and len(node.value) > MAX_NUMBER_CHARS:
            return None  # reported as a long number
        if tag in (INT_TAG, FLOAT_TAG, BOOL_TAG):
            # an explicit !!int on a word, a plain 0x without digits: tried here, where the
            # node is known, so that constructing the document cannot fail
            try:
                _CONSTRUCT[tag](_CONSTRUCTOR, node)
            except (ValueError, KeyError, IndexError, OverflowError):
                what = {INT_TAG: "a whole number", FLOAT_TAG: "a number"}.get(tag, "true or false")
                return (
                    f"the value cannot be read as {what} ({_shown_tag(tag)}), as its form or its "
                    "YAML tag says; put it in quotes if it is text, or remove the tag"
                )
        return None
    expected = MAP_TAG if isinstance(node, yaml.MappingNode) else SEQ_TAG
    if tag == expected:
        return None
    return f"the YAML tag {_shown_tag(tag)} is not allowed in case files; remove it"


def _shown_tag(tag: str) -> str:
    """A tag as it is written (!!set), if it is short and plain: it is the user's text."""
    short = "!!" + tag[len(_TAG) :] if tag.startswith(_TAG) else tag
    plain = len(short) <= 40 and all(c.isascii() and (c.isalnum() or c in "!:/._-") for c in short)
    return short if plain else "(not shown)"


def _tree_problems(root: yaml.Node) -> Iterator[tuple[yaml.Node, YamlPath, str, str]]:
    """Duplicate keys, aliases, tags and over-long numbers, found in one walk of the node tree.

    An alias makes one node appear twice in the tree; stopping at the first revisit means a
    "billion laughs" document is never expanded, and only one alias problem is reported.
    """
    seen: set[int] = set()
    stack: list[tuple[yaml.Node, YamlPath, yaml.Node]] = [(root, (), root)]
    while stack:
        node, path, where = stack.pop()
        if id(node) in seen:
            # The node's own marks point at the anchor; ``where`` is the key (or list) that uses
            # the alias. Anchors come before their aliases, so in document order the first node
            # met twice is an alias.
            yield (
                where,
                path,
                "anchors and aliases (& and *) are not allowed in case files",
                "alias",
            )
            return
        children: list[tuple[yaml.Node, YamlPath, yaml.Node]] = []
        tag = node.tag
        if isinstance(node, yaml.MappingNode):
            if tag != MAP_TAG:  # !!set, !!omap, !foo on a mapping
                yield node, path, _tag_problem(node) or "", "yaml-tag"
                return
            seen.add(id(node))
            keys: set[Any] = set()
            for key_node, value_node in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    yield key_node, path, "merge keys (<<) are not allowed in case files", "alias"
                    return
                if not (
                    isinstance(key_node, yaml.ScalarNode)
                    and key_node.tag == "tag:yaml.org,2002:str"
                ):
                    yield (
                        key_node,
                        path,
                        "a key must be text, such as case_id; put a number, true, false or an "
                        "empty key in quotes, or remove it",
                        "key-not-text",
                    )
                    return
                key = key_node.value
                if key in keys:
                    yield (
                        key_node,
                        (*path, str(key)),
                        f"the key '{key}' appears twice in this mapping; keep one",
                        "duplicate-key",
                    )
                keys.add(key)
                children.append((value_node, (*path, str(key)), key_node))
        elif isinstance(node, yaml.SequenceNode):
            if tag != SEQ_TAG:
                yield node, path, _tag_problem(node) or "", "yaml-tag"
                return
            seen.add(id(node))
            for index, item in enumerate(node.value):
                children.append((item, (*path, index), node))
        else:
            seen.add(id(node))
            # text, a date, true/false as written (the common scalars) need no more look
            if tag not in (STR_TAG, TIMESTAMP_TAG) and not (
                tag == BOOL_TAG and node.value.lower() in _BOOLS
            ):
                wrong = _tag_problem(node)
                if wrong is not None:
                    yield node, path, wrong, "yaml-tag"
                    return
                if tag == INT_TAG and len(node.value) > MAX_NUMBER_CHARS:
                    yield (
                        node,
                        path,
                        f"the number has more than {MAX_NUMBER_CHARS} digits; if it is text (an "
                        "account or a document number), put it in quotes",
                        "long-number",
                    )
                    return
        stack.extend(reversed(children))  # pop in document order
