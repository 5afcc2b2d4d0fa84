"""Read case files fast, with line numbers, and turn every kind of bad input into a Problem.

The file is parsed once with libyaml (pyyaml's C loader, pure Python where it is missing) into a
node tree; the tree is checked for duplicate keys and aliases, then constructed into plain Python
values. The tree is kept so that a problem found later, by the schema or a check, can be located
by its YAML path. Dates stay text: JSON Schema's ``format: date`` checks strings only.
"""

from __future__ import annotations

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
YamlPath = tuple[str | int, ...]


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

    try:
        if raw is None:
            raw = path.read_bytes()
    except OSError as err:
        return [
            problem(1, 1, f"cannot read the file ({err.strerror or 'unknown error'})", "unreadable")
        ]
    if len(raw) > MAX_CASE_BYTES:
        return [
            problem(
                1,
                1,
                f"the file is {-(-len(raw) // 1024)} KiB, over the {MAX_CASE_BYTES // 1024} KiB limit "
                "for a case; keep scans and long documents as separate files and refer to them",
                "too-large",
            )
        ]
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
    if any(p.code in ("alias", "key-not-text") for p in tree_problems):
        # never construct: an alias may expand into a huge document, and the schema's checks
        # cannot read a mapping whose keys are not text
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


def _tree_problems(root: yaml.Node) -> Iterator[tuple[yaml.Node, YamlPath, str, str]]:
    """Duplicate keys and aliases, found in one walk of the node tree.

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
        if isinstance(node, yaml.MappingNode):
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
            seen.add(id(node))
            for index, item in enumerate(node.value):
                children.append((item, (*path, index), node))
        else:
            seen.add(id(node))
        stack.extend(reversed(children))  # pop in document order
