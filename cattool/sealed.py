"""How an encrypted value is written in a case file: ``ENC[age:...]`` in place of the text.

The format layer knows only this shape (a value that is there, but sealed); cattool.crypto
seals and opens values.
"""

from __future__ import annotations

from typing import Any

PREFIX = "ENC[age:"
SUFFIX = "]"


def is_encrypted(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(PREFIX) and value.endswith(SUFFIX)
