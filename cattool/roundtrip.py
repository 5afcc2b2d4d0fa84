"""ruamel.yaml round trips with the house layout, and the comment handling edits need.

Round-trip mode keeps comments, key order, quoting, flow style and blank lines, so an edit changes
only its own lines.
"""

from __future__ import annotations

from typing import Any


def round_trip_yaml(sequence: int = 4, offset: int = 2, mapping: int = 2) -> Any:
    """ruamel round-trip with the house layout (``key:`` then ``  - item``) unless told otherwise."""
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.width = 4096  # the default re-wraps long narratives into noisy diffs
    yaml.preserve_quotes = True
    yaml.indent(mapping=mapping, sequence=sequence, offset=offset)
    return yaml


def detach_trailing_comment(node: Any) -> Any:
    """Take the comment lines that follow ``node`` (ruamel keeps the next section's heading there).

    An end-of-line comment on the node's last line stays where it is.
    """
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if isinstance(node, CommentedMap) and node:
        last_key = list(node.keys())[-1]
        value = node[last_key]
        if isinstance(value, (CommentedMap, CommentedSeq)) and value and not value.fa.flow_style():
            found = detach_trailing_comment(value)
            if found is not None:
                return found
        entry = node.ca.items.get(last_key)
        slot = 2
    elif isinstance(node, CommentedSeq) and node:
        index = len(node) - 1
        if isinstance(node[index], (CommentedMap, CommentedSeq)):
            found = detach_trailing_comment(node[index])
            if found is not None:
                return found
        entry = node.ca.items.get(index)
        slot = 0
    else:
        return None
    if not entry or len(entry) <= slot or entry[slot] is None:
        return None
    token = entry[slot]
    text = token.value
    newline = text.find("\n")
    own, rest = (text[: newline + 1], text[newline + 1 :]) if newline >= 0 else (text, "")
    if not rest.strip():
        return None
    if own.strip():
        token.value = own  # keep the end-of-line comment
    else:
        entry[slot] = None
    return rest


def attach_trailing_comment(item: Any, text: str) -> None:
    from ruamel.yaml.comments import CommentedMap

    if not isinstance(item, CommentedMap) or not item:
        return
    last_key = list(item.keys())[-1]
    item.yaml_add_eol_comment("#", last_key)  # creates the comment slot
    token = item.ca.items[last_key][2]
    token.value = "\n" + text
