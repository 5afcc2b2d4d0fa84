"""The fictional corpus (tests/corpus/): 23 cases written from the stories of seed 004 and from
situations lawyers meet, by someone reading the format and the law, not the code.

``expected.yaml`` says, as a practising lawyer of that country would, where the proceedings stand
on several dates of each case (the day before and after a key event among them) and what each
document should do. These tests hold the procedural model to the states; the documents are held
to their expectations in tests/test_corpus_documents.py.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from cattool.cli import app
from cattool.countries import load_country
from cattool.loading import read_case
from cattool.procedure import proceedings

PROJECT = Path(__file__).resolve().parents[1]
CORPUS = Path(__file__).parent / "corpus"
CASES = sorted((CORPUS / "cases").rglob("*.yaml"))
EXPECTED: dict[str, Any] = yaml.safe_load((CORPUS / "expected.yaml").read_text(encoding="utf-8"))
COUNTRIES = {
    c: load_country(PROJECT / "schemas" / "countries" / f"{c}.yaml") for c in ("KZ", "KG", "TJ")
}


def corpus_repo(root: Path) -> Path:
    """A case repository holding the corpus, with the demo settings (its organisations)."""
    root.mkdir(parents=True, exist_ok=True)
    shutil.copy(PROJECT / "cattool.yaml", root / "cattool.yaml")
    shutil.copytree(CORPUS / "cases", root / "cases")
    return root


def test_the_corpus_has_every_situation_and_an_expectation_for_each_case() -> None:
    assert len(CASES) >= 20
    assert {p.stem for p in CASES} == set(EXPECTED)
    situations = {n for case in EXPECTED.values() for n in case.get("situations", [])}
    assert set(range(1, 19)) <= situations


def test_every_corpus_case_is_valid(tmp_path: Path) -> None:
    root = corpus_repo(tmp_path / "corpus")
    result = CliRunner().invoke(app, ["validate", "--strict", "--repo", str(root)])
    assert (result.exit_code, result.stdout) == (0, ""), result.output
    assert result.stderr == f"{len(CASES)} case files checked: all valid\n"


STATES = [
    pytest.param(path, state, id=f"{path.stem}@{state['as_of']}")
    for path in CASES
    for state in EXPECTED[path.stem]["states"]
]


@pytest.mark.parametrize(("path", "expected"), STATES)
def test_the_proceedings_stand_where_the_lawyer_says(path: Path, expected: dict[str, Any]) -> None:
    loaded = read_case(path)
    assert not isinstance(loaded, list)
    case = loaded.data
    day = expected["as_of"]
    day = day if isinstance(day, dt.date) else dt.date.fromisoformat(str(day))
    found = proceedings(case, COUNTRIES[case["country"]], day)
    got: dict[str, Any] = {
        "criminal": found.criminal.stage.value,
        "civil": found.civil.stage.value,
        "remedies": found.remedies.status.value,
    }
    want = {k: expected[k] for k in ("criminal", "civil", "remedies") if k in expected}
    if "un" in expected:
        got["un"] = {t.comm_id: t.stage.value for t in found.un}
        want["un"] = expected["un"]
    if "victims" in expected:
        got["victims"] = {v.victim_id: sorted(v.words()) for v in found.victims}
        want["victims"] = {k: sorted(v) for k, v in expected["victims"].items()}
    assert {k: got[k] for k in want} == want
