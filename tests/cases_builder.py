"""Building case files for tests from the model case (cases/KG/KG-2016-0001.yaml).

The one version of helpers that several test modules used to define each for itself. Import what
a module needs, as with demo_settings (pytest puts tests/ on the import path)::

    from cases_builder import dump, events, load_model, repo_of, variant

- ``load_model``: the model case as a dict.
- ``variant``: the model case under another ID, country and intake date, with changes.
- ``events``: a ``legal_actions`` list from ``(event_id, date, type)`` triples.
- ``dump``: a case as the YAML text a case file may hold.
- ``path_of`` / ``repo_of``: where a case file goes, and a repository holding some cases.
- ``values_at`` / ``leaks`` / ``CANARY_DATE``: for canary tests (no sensitive value in outputs).

Dates: yaml.safe_load makes ``datetime.date`` objects of dates, while cattool's own loader
(cattool.loading.CaseLoader) keeps them as the text the user wrote. A test module picks one with
``text_dates`` and uses it for both ``load_model`` and ``variant``, so a case holds one kind of
date throughout.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from cattool.loading import CaseLoader
from cattool.privacy import ANY_ITEM

# The text of a canary date of birth; "1901" is looked for too, as any part of it would leak it.
CANARY_DATE = "1901-02-03"


class NoAliases(yaml.SafeDumper):
    """A SafeDumper that writes a value used twice in full each time."""

    def ignore_aliases(self, data: Any) -> bool:
        return True  # case files may not use anchors


def dump(case: dict[str, Any]) -> str:
    """A case as YAML case-file text: keys in their order, Unicode as is, no anchors."""
    return yaml.dump(case, Dumper=NoAliases, allow_unicode=True, sort_keys=False)


def load_model(text: str, *, text_dates: bool = False) -> dict[str, Any]:
    """A case file's text as a dict: dates as ``datetime.date``, or as text with ``text_dates``.

    ``text_dates=True`` reads it as cattool does (cattool.loading.CaseLoader).
    """
    if text_dates:
        return yaml.load(text, Loader=CaseLoader)  # type: ignore[no-any-return]
    return yaml.safe_load(text)  # type: ignore[no-any-return]


def variant(
    model: dict[str, Any], case_id: str, *, text_dates: bool = False, **changes: Any
) -> dict[str, Any]:
    """A deep copy of ``model`` under ``case_id``, with ``changes`` (top-level keys) applied last.

    The country is the ID's prefix and the intake date 14 March of the ID's year: a
    ``datetime.date``, or the text "YYYY-03-14" with ``text_dates`` (for a model loaded with
    ``load_model(..., text_dates=True)``). A Kazakh case (KZ-...) moves to the region almaty_city
    (the case and its first incident) and gets a Kazakh qualification (CC-KZ-2014 art. 146) in the
    model's legal actions that have one, so that it stays valid; ``legal_actions`` in ``changes``
    replaces them.
    """
    case = copy.deepcopy(model)
    country, year, _ = case_id.split("-")
    intake: str | dt.date = f"{year}-03-14" if text_dates else dt.date(int(year), 3, 14)
    case.update(case_id=case_id, country=country, intake_date=intake)
    if country == "KZ":
        case["region"] = "almaty_city"
        case["incidents"][0]["region"] = "almaty_city"
        case["legal_actions"] = [
            {**e, "qualification": {"code": "CC-KZ-2014", "article": "146"}}
            if "qualification" in e
            else e
            for e in case["legal_actions"]
        ]
    case.update(changes)
    return case


def events(
    *specs: tuple[str, str, str],
    authority: dict[str, Any] | None = None,
    **extra: dict[str, Any],
) -> list[dict[str, Any]]:
    """legal_actions from (event_id, date, type); ``extra[event_id]`` adds keys to one event.

    Dates stay text, as cattool's loader keeps them. With ``authority``, each event gets its own
    copy of it (after ``type``; ``extra`` may replace it).
    """
    return [
        {
            "event_id": i,
            "date": d,
            "type": t,
            **({"authority": copy.deepcopy(authority)} if authority is not None else {}),
            **extra.get(i, {}),
        }
        for i, d, t in specs
    ]


def path_of(case: dict[str, Any]) -> str:
    """Where the case file of ``case`` goes in a repository: cases/<country>/<case_id>.yaml."""
    return f"cases/{case['country']}/{case['case_id']}.yaml"


def repo_of(
    make_repo: Callable[..., Path], *cases: dict[str, Any], files: dict[str, str] | None = None
) -> Path:
    """A repository (conftest's ``make_repo``) with these cases and other ``files`` (path: text)."""
    tree: dict[str, str | bytes] = {path_of(c): dump(c) for c in cases}
    tree.update(files or {})
    return make_repo(tree)


def values_at(data: Any, pattern: tuple[str, ...]) -> list[Any]:
    """The values at a field pattern of cattool.privacy (ANY_ITEM: every item of a list)."""
    found = [data]
    for part in pattern:
        if part == ANY_ITEM:
            found = [item for f in found if isinstance(f, list) for item in f]
        else:
            found = [f.get(part) for f in found if isinstance(f, dict)]
    return [f for f in found if f is not None]


def leaks(text: str) -> list[str]:
    """The canary markers found in ``text`` (none is the aim)."""
    return [word for word in ("CANARY", CANARY_DATE, "1901") if word in text]
