"""Controlled vocabularies with English and Russian labels (schemas/vocabularies.yaml)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from cattool.errors import ConfigError

LANGUAGES = ("en", "ru")


@dataclass(frozen=True, slots=True)
class Vocabulary:
    name: str
    description: str
    labels: dict[str, dict[str, str]]  # value -> {"en": ..., "ru": ...}

    @property
    def values(self) -> list[str]:
        return list(self.labels)

    @property
    def noun(self) -> str:
        """'place_type' -> 'a place type'; 'event_type' -> 'an event type'."""
        words = self.name.replace("_", " ")
        return f"an {words}" if words[:1] in "aeiou" else f"a {words}"

    def label(self, value: str, lang: str = "en") -> str:
        """The human word for a value; the value itself if the vocabulary does not know it."""
        return self.labels.get(value, {}).get(lang, value)


def load_vocabularies(path: Path) -> dict[str, Vocabulary]:
    try:
        raw = yaml.load(path.read_text(encoding="utf-8-sig"), Loader=yaml.CSafeLoader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as err:
        raise ConfigError(f"{path}: cannot read the vocabularies ({type(err).__name__}).") from None
    if not isinstance(raw, dict):
        raise ConfigError(
            f"{path}: the vocabularies file must be a mapping of names to vocabularies."
        )
    vocabs: dict[str, Vocabulary] = {}
    for name, body in raw.items():
        values = body.get("values") if isinstance(body, dict) else None
        if not isinstance(values, dict) or not values:
            raise ConfigError(f"{path}: vocabulary '{name}' needs a 'values' mapping.")
        labels: dict[str, dict[str, str]] = {}
        for value, lab in values.items():
            if not isinstance(lab, dict) or any(not lab.get(lang) for lang in LANGUAGES):
                raise ConfigError(f"{path}: {name}.{value} needs both an 'en' and a 'ru' label.")
            labels[str(value)] = {lang: str(lab[lang]) for lang in LANGUAGES}
        vocabs[str(name)] = Vocabulary(str(name), str(body.get("description", "")), labels)
    return vocabs


def schema_drift(schema: dict[str, Any], vocabs: dict[str, Vocabulary]) -> list[str]:
    """Where the schema's enums (in $defs) and the vocabularies disagree; empty if they match."""
    drift = []
    defs = schema.get("$defs", {})
    for name, vocab in vocabs.items():
        if name not in defs:
            drift.append(f"vocabulary '{name}' has no $defs/{name} in the schema")
            continue
        enum = [str(v) for v in defs[name].get("enum", [])]
        missing = [v for v in vocab.values if v not in enum]
        extra = [v for v in enum if v not in vocab.labels]
        if missing:
            drift.append(f"$defs/{name} lacks {', '.join(missing)}")
        if extra:
            drift.append(f"vocabulary '{name}' has no labels for {', '.join(extra)}")
    for name, body in defs.items():
        if "enum" in body and name not in vocabs:
            drift.append(f"$defs/{name} has no vocabulary with labels")
    return drift
