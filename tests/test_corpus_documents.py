"""Every document of the fictional corpus, through the CLI, held to what a lawyer expects.

tests/corpus/expected.yaml lists, per case, the documents a practising lawyer would write (or
refuse to write) on given dates, with phrases the text must and must not hold. The expectations
were written from the stories, not from the code. Where cattool deliberately reads a rule
differently, the entry says why (``engineer``); where a document is not built yet, the entry has
a ``known_gap`` and runs as a strict xfail, so the day it is built the test says so.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from test_corpus import EXPECTED, corpus_repo
from typer.testing import CliRunner

from cattool.cli import app

PROCURACY = ("complaint", "reminder", "appeal", "views")
FOLLOW_UP = {"hrc-comments": "hrc", "cat-comments": "cat"}  # --to BODY --kind comments


def _args(repo: Path, case_id: str, doc: dict[str, Any], day: dt.date) -> list[str]:
    """The command line a lawyer types for this document."""
    args = ["letter", case_id, "--repo", str(repo), "--date", day.isoformat()]
    if doc["doc"] in PROCURACY:
        return args + ["--kind", doc["doc"]] + (["--lang", doc["lang"]] if doc.get("lang") else [])
    if doc["doc"] in FOLLOW_UP:
        return [*args, "--to", FOLLOW_UP[doc["doc"]], "--kind", "comments"]
    return [*args, "--to", doc["doc"]]


def _documents() -> list[Any]:
    found = []
    for case_id, expected in EXPECTED.items():
        for n, doc in enumerate(expected.get("documents", [])):
            marks = (
                [pytest.mark.xfail(strict=True, reason=doc["known_gap"])]
                if "known_gap" in doc
                else []
            )
            found.append(pytest.param(case_id, doc, id=f"{case_id}-{doc['doc']}-{n}", marks=marks))
    return found


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return corpus_repo(tmp_path_factory.mktemp("corpus") / "repo")


@pytest.mark.parametrize(("case_id", "doc"), _documents())
def test_the_document_is_what_the_lawyer_expects(
    repo: Path, case_id: str, doc: dict[str, Any]
) -> None:
    day = doc["date"] if isinstance(doc["date"], dt.date) else dt.date.fromisoformat(doc["date"])
    if doc["doc"] not in PROCURACY and doc.get("lang", "en") != "en":
        pytest.fail("UN documents are written in English only")
    args = _args(repo, case_id, doc, day)
    result = CliRunner().invoke(app, [*args, "--stdout", "--format", "md"])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    if doc["expect"] == "ok":
        assert result.exit_code == 0, result.output
        text = result.stdout.lower()
        assert [m for m in doc.get("must", []) if m.lower() not in text] == []
        assert [m for m in doc.get("must_not", []) if m.lower() in text] == []
        if doc["doc"] not in PROCURACY:  # English only: no Russian text pasted in (references
            # to Russian documents keep their numbers as written)
            russian = [
                line
                for line in result.stdout.splitlines()
                if re.search("[А-Яа-яЁё]", line) and "ref." not in line and not line.startswith("|")
            ]
            assert russian == []
        return
    # refused or a gap: no document, and a reason the user can act on (exit 1)
    assert result.exit_code == 1, result.output
    assert result.stdout == ""
    if doc.get("gaps"):  # at least one of the lawyer's paths is named as it stands
        assert any(f"{path}: " in result.stderr for path in doc["gaps"]), result.stderr


def test_a_letter_for_one_of_two_victims_tells_only_that_victims_facts(repo: Path) -> None:
    """Two brothers beaten together: only the elder (v1) was forced to confess. A lawyer writing
    for one of them (--victim) names that one alone, with his facts."""

    def complaint(victim: str) -> str:
        result = CliRunner().invoke(
            app,
            ["letter", "KZ-2025-D2WQ", "--repo", str(repo), "--date", "2025-10-08",
             "--victim", victim, "--stdout", "--format", "md"],
        )  # fmt: skip
        assert result.exit_code == 0, result.output
        return result.stdout

    elder, younger = complaint("v1"), complaint("v2")
    # the account of the incident they shared speaks of both; the letter is about one
    assert "Пострадавший: Ерлан Болатович Сейткалиев" in elder
    assert "Пострадавший: Данияр Болатович Сейткалиев" not in elder
    assert "Пострадавший: Данияр Болатович Сейткалиев" in younger
    assert "Пострадавший: Ерлан Болатович Сейткалиев" not in younger
    assert "от пострадавшего были получены признательные показания" in elder
    assert "признательные показания были получены" not in younger
    assert "от пострадавшего были получены признательные показания" not in younger
    wrong = CliRunner().invoke(
        app, ["letter", "KZ-2025-D2WQ", "--repo", str(repo), "--victim", "v9", "--check"]
    )
    assert wrong.exit_code == 1
    assert "--victim: 'v9' is not a victim of this case (v1, v2)" in wrong.stdout


# --- golden files: every document the corpus supports, word for word --------------------------

GOLDEN = Path(__file__).parent / "corpus" / "golden"


def _golden_documents() -> list[Any]:
    found = []
    for case_id, expected in EXPECTED.items():
        for doc in expected.get("documents", []):
            if doc["expect"] == "ok" and "known_gap" not in doc:
                day = doc["date"].isoformat() if isinstance(doc["date"], dt.date) else doc["date"]
                name = f"{case_id}_{doc['doc']}_{day}_{doc.get('lang', 'ru' if doc['doc'] in PROCURACY else 'en')}.md"
                found.append(pytest.param(case_id, doc, name, id=name))
    return found


@pytest.mark.parametrize(("case_id", "doc", "name"), _golden_documents())
def test_the_document_matches_its_reviewed_golden_file(
    repo: Path, case_id: str, doc: dict[str, Any], name: str, tmp_path: Path
) -> None:
    """Each golden file under tests/corpus/golden/ was read line by line as the lawyer of that
    country would read it before signing (tests/corpus/golden/REVIEW.md says what was found and
    fixed). A change to a template, the model or the country data that changes a letter fails
    here and shows the difference; read it as that lawyer, then run the suite with
    CATTOOL_UPDATE_GOLDEN=1 to take the new text."""
    import difflib
    import os

    day = doc["date"] if isinstance(doc["date"], dt.date) else dt.date.fromisoformat(doc["date"])
    args = _args(repo, case_id, doc, day)
    result = CliRunner().invoke(app, [*args, "--stdout", "--format", "md"])
    assert result.exit_code == 0, result.output
    golden = GOLDEN / name
    if os.environ.get("CATTOOL_UPDATE_GOLDEN") == "1":
        GOLDEN.mkdir(exist_ok=True)
        golden.write_text(result.stdout, encoding="utf-8")
    expected = golden.read_text(encoding="utf-8") if golden.exists() else ""
    if result.stdout != expected:
        diff = "".join(
            difflib.unified_diff(
                expected.splitlines(keepends=True),
                result.stdout.splitlines(keepends=True),
                str(golden),
                "rendered",
            )
        )
        pytest.fail(f"the document differs from its golden file:\n{diff}")


def test_every_golden_file_belongs_to_a_document_of_the_corpus() -> None:
    """A golden file whose document left expected.yaml is a stale review: remove it."""
    wanted = {p.values[2] for p in _golden_documents()}
    present = {p.name for p in GOLDEN.glob("*.md") if p.name != "REVIEW.md"}
    assert present - wanted == set()


def test_a_letter_dated_before_later_events_warns_that_its_texts_may_tell_of_them(
    repo: Path,
) -> None:
    """The reviewing lawyer found a 2011 complaint calling an officer «объявлен в розыск», which
    only the 2013 charges made true: free texts are written as the case stands now. A letter
    dated before events the file records says so, with their span; a letter after all of them
    does not."""
    early = CliRunner().invoke(
        app, ["letter", "KG-2011-M4RC", "--repo", str(repo), "--date", "2011-11-24", "--check"]
    )
    assert early.exit_code == 0, early.output
    assert (
        "the case file records 8 events after this letter's date (2011-11-25 to 2014-04-28)"
        in early.stderr
    )
    late = CliRunner().invoke(
        app, ["letter", "KG-2011-M4RC", "--repo", str(repo), "--date", "2014-05-01", "--check",
              "--kind", "appeal"],
    )  # fmt: skip
    assert "check the article" in late.stderr  # the plan's warnings are printed
    assert "after this letter's date" not in late.stderr


def test_comments_on_the_follow_up_are_due_then_recorded_and_no_longer_due(
    tmp_path: Path,
) -> None:
    """The State replied on 2026-06-15 to the Views of 2025-11-07: the deadlines list asks for
    our comments (60 days, unverified) and names the command; --record adds the our_comments
    step to that communication's follow-up, on one line, the rest of the file unchanged, and
    the deadline is then met."""
    root = corpus_repo(tmp_path / "repo")
    case = root / "cases" / "KG" / "KG-2016-E8ZT.yaml"
    before = case.read_text(encoding="utf-8")
    due = CliRunner().invoke(app, ["deadlines", "--repo", str(root), "--as-of", "2026-12-03"])
    assert "Our comments on the State's follow-up reply" in due.stdout
    assert "cattool letter KG-2016-E8ZT --to hrc --kind comments" in due.stdout
    wrote = CliRunner().invoke(
        app,
        ["letter", "KG-2016-E8ZT", "--repo", str(root), "--date", "2026-12-03", "--to", "hrc",
         "--kind", "comments", "--format", "md", "--record"],
    )  # fmt: skip
    assert wrote.exit_code == 0, wrote.output
    assert (root / "out" / "KG-2016-E8ZT" / "KG-2016-E8ZT_hrc-comments_2026-12-03_en.md").is_file()
    after = case.read_text(encoding="utf-8")
    added = [line for line in after.splitlines() if line not in before.splitlines()]
    assert added == ["      - {date: 2026-12-03, type: our_comments}"]
    assert len(after.splitlines()) == len(before.splitlines()) + 1
    valid = CliRunner().invoke(app, ["validate", "--repo", str(root), str(case)])
    assert valid.exit_code == 0, valid.output
    due = CliRunner().invoke(
        app, ["deadlines", "--repo", str(root), "--as-of", "2026-12-04", "--closed"]
    )
    assert due.exit_code == 0, due.output
    assert "KG-2016-E8ZT" in due.stdout  # its closed rules are still listed
    assert "Our comments on the State's follow-up reply" not in due.stdout


def test_a_un_complaint_warns_of_courts_it_can_name_only_by_their_kind(repo: Path) -> None:
    """The reviewing lawyer: the Committee cannot see which court gave the final decision when
    the table says "court". The courts of KG-2004-7MDK have only Russian names: the complaint
    is written (Russian is never pasted in) and warns with the YAML paths to fill in."""
    result = CliRunner().invoke(
        app, ["letter", "KG-2004-7MDK", "--repo", str(repo), "--date", "2006-08-15",
              "--to", "hrc", "--check"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "6 authorities are named only by kind" in result.stderr
    assert "legal_actions[3].authority.name.en" in result.stderr
    named = CliRunner().invoke(
        app, ["letter", "KZ-2021-F5QM", "--repo", str(repo), "--date", "2022-02-01",
              "--to", "cat", "--check"],
    )  # fmt: skip
    assert named.exit_code == 0, named.output
    # the procuracy offices are offices of the country data (named in English): only the four
    # courts are listed
    assert "4 authorities are named only by kind" in named.stderr
    assert (
        "(legal_actions[6].authority.name.en, legal_actions[7].authority.name.en, " in named.stderr
    )
    assert "legal_actions[0]" not in named.stderr
