"""Texts of a case in the language of a document.

A narrative, an injury description, a place name or an officer's position is either one text,
written in the case's ``text_language`` (default Russian), or ``{ru: ..., en: ...}``. A document
takes the text of its own language and nothing else: where it is missing, the caller lists a gap
(``incidents[0].narrative.en``), and the other language is never pasted in.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

DEFAULT_LANGUAGE = "ru"


def case_language(case: Mapping[str, Any]) -> str:
    found = case.get("text_language")
    return found if found in ("ru", "en") else DEFAULT_LANGUAGE


def in_language(value: Any, lang: str, written_in: str) -> str | None:
    """The text of ``value`` in ``lang``, or None if the case does not have it in that language."""
    if isinstance(value, Mapping):
        found = value.get(lang)
        return str(found).strip() if isinstance(found, str) and found.strip() else None
    if isinstance(value, str) and value.strip():
        return value.strip() if lang == written_in else None
    return None


def missing_path(path: str, value: Any, lang: str) -> str:
    """Where to write the missing text: ``incidents[0].narrative.en``."""
    return f"{path}.{lang}" if value not in (None, "") else path
