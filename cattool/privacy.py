"""Which fields are sensitive, read from the one place that says so: the schema's ``x-sensitive``.

Every message, log line, export and renderer asks ``is_sensitive(path)`` before it shows a value.
A field is sensitive if it, or any field above it (such as ``victims[].contacts``), is marked.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from cattool.loading import YamlPath

SENSITIVE_MARK = "x-sensitive"
ANY_ITEM = "[]"

Pattern = tuple[str, ...]


def sensitive_patterns(schema: dict[str, Any]) -> frozenset[Pattern]:
    """Paths of every field marked sensitive, with ``[]`` standing for any list index."""
    return frozenset(_walk(schema, schema, ()))


def _walk(root: dict[str, Any], node: Any, here: Pattern) -> Iterator[Pattern]:
    if not isinstance(node, dict):
        return
    if node.get(SENSITIVE_MARK):
        yield here
        return  # everything below is sensitive too
    ref = node.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/$defs/") and here:
        target = root.get("$defs", {}).get(ref.removeprefix("#/$defs/"))
        if target is not None and target is not node:
            yield from _walk(root, target, here)
    for name, sub in (node.get("properties") or {}).items():
        yield from _walk(root, sub, (*here, name))
    if "items" in node:
        yield from _walk(root, node["items"], (*here, ANY_ITEM))


def as_pattern(yaml_path: YamlPath) -> Pattern:
    return tuple(ANY_ITEM if isinstance(p, int) else p for p in yaml_path)


def within_sensitive(yaml_path: YamlPath, patterns: frozenset[Pattern]) -> bool:
    """True if the field at ``yaml_path`` is itself marked sensitive or lies inside one that is.

    Unlike ``is_sensitive`` this is False for a container that merely holds a sensitive field
    (a victim, the whole case): its own keys are the format's words, not the user's text.
    """
    pattern = as_pattern(yaml_path)
    return any(pattern[:n] in patterns for n in range(len(pattern) + 1))


def is_sensitive(yaml_path: YamlPath, patterns: frozenset[Pattern]) -> bool:
    """True if the value at ``yaml_path``, or anything it contains, may be sensitive."""
    pattern = as_pattern(yaml_path)
    for n in range(len(pattern) + 1):
        if pattern[:n] in patterns:
            return True
    # A container holding a sensitive field is itself not printable as a whole.
    return any(p[: len(pattern)] == pattern for p in patterns)
