"""cattool timeline reads the procedural model: the stage after each event, annulments, appeals and
their outcome, links the model inferred, days waiting from what the model counts as answered, and
nothing dated after --as-of counted. On cases of the fictional corpus (tests/corpus/cases) with a
messy history, through the command line."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from cases_builder import events, load_model, repo_of, variant
from test_corpus import corpus_repo
from typer.testing import CliRunner

from cattool.cli import app

runner = CliRunner()
COLUMNS = ("Date", "Event", "Type", "Authority", "Refs", "Stage after", "Days", "Note")
Table = dict[str, dict[str, str]]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return corpus_repo(tmp_path_factory.mktemp("timeline") / "repo")


def timeline(repo: Path, case: str, as_of: str, *more: str) -> str:
    result = runner.invoke(
        app, ["timeline", case, "--as-of", as_of, "--format", "md", *more, "--repo", str(repo)]
    )
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    return result.stdout


def tables(markdown: str) -> tuple[Table, Table]:
    """The counted table and the not-counted one, each as {event id: {column: cell}}."""
    found: list[Table] = [{}, {}]
    section = 0
    for line in markdown.splitlines():
        if line.startswith("### Not counted in the stages"):
            section = 1
        if not line.startswith("| ") or line.startswith("| Date |"):
            continue
        cells = [c.strip() for c in line.strip("|").split(" | ")]
        assert len(cells) == len(COLUMNS), line
        row = dict(zip(COLUMNS, cells, strict=True))
        found[section][row["Event"].split(" ")[0]] = row
    return found[0], found[1]


def unlinked(repo: Path, case: str, *links: tuple[str, str]) -> None:
    """Take the named links (event line prefix, link text) out of a corpus case file."""
    path = next((repo / "cases").rglob(f"{case}.yaml"))
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    for event, link in links:
        at = next(i for i, line in enumerate(lines) if line.startswith(f"  - {{event_id: {event},"))
        assert link in lines[at], (event, link)
        lines[at] = lines[at].replace(link, "", 1)
    path.write_text("".join(lines), encoding="utf-8")


# --- a refusal annulled, the check reopened, a second refusal that names no complaint ------------


def test_an_annulled_refusal_says_by_what_and_the_appeal_says_it_was_granted(corpus: Path) -> None:
    out = timeline(corpus, "TJ-2011-N7KD", "2011-12-05")
    counted, _ = tables(out)
    assert {e: r["Stage after"] for e, r in counted.items()} == {
        "e1": "complaint pending",
        "e2": "refused; annulled by e4 on 2011-10-20",
        "e3": "refusal appealed; granted: e2 annulled by e4 on 2011-10-20",
        "e4": "check; annuls e2",
        "e5": "refused",  # the second refusal: it names no complaint, and stands
    }
    assert {e: r["Days"] for e, r in counted.items()} == {
        "e1": "",  # answered by the refusal e2
        "e2": "11 days after e1",
        "e3": "10 days after e2",  # answered: the refusal it appeals was annulled
        "e4": "35 days after e3",
        "e5": "",
    }
    assert "(inferred)" not in out  # every link is in the file
    assert (
        counted["e4"]["Note"] == "&lt;hidden: use --reveal&gt;"
    )  # escaped in Markdown, reads <hidden: ...>
    assert out.splitlines()[-1] == (
        "- now: criminal proceedings: refused since 2011-12-02; "
        "domestic remedies: refusal not appealed"
    )


def test_the_outcome_notes_show_only_with_reveal(corpus: Path) -> None:
    counted, _ = tables(timeline(corpus, "TJ-2011-N7KD", "2011-12-05", "--reveal"))
    assert counted["e4"]["Note"].startswith("Отказ отменён")


def test_events_after_the_as_of_date_are_listed_apart_and_change_no_stage(corpus: Path) -> None:
    out = timeline(corpus, "TJ-2011-N7KD", "2011-12-05")
    counted, later = tables(out)
    assert list(counted) == ["e1", "e2", "e3", "e4", "e5"]
    assert list(later) == ["e6", "e7", "e8", "e9", "e10", "e11"]
    assert {r["Stage after"] for r in later.values()} == {"not counted (after the as-of date)"}
    assert "### Not counted in the stages: recorded after 2011-12-05" in out.splitlines()
    # the appeals of December to June, read on 2011-12-05, say nothing of how they ended
    assert "rejected" not in out and "exhausted" not in out


def test_an_event_without_a_full_date_is_listed_apart(
    make_repo: Callable[..., Path], model_case_text: str
) -> None:
    case = variant(
        load_model(model_case_text),
        "KG-2016-0001",
        legal_actions=events(
            ("e1", "2016-03-01", "complaint_sent"),
            ("e2", "2016-03", "refusal_to_open"),  # the month only: the model cannot place it
            e1={"direction": "outgoing"},
            e2={"direction": "incoming", "responds_to": "e1"},
        ),
    )
    out = timeline(repo_of(make_repo, case), "KG-2016-0001", "2016-05-01")
    counted, apart = tables(out)
    assert counted["e1"]["Days"] == "waiting 61 days"
    assert apart["e2"]["Stage after"] == "not counted (no full date)"
    assert "### Not counted in the stages: without a full date or a type" in out.splitlines()
    assert out.splitlines()[-1].startswith("- now: criminal proceedings: complaint pending")


def test_each_appeal_says_how_it_ended_once_the_as_of_date_has_passed(corpus: Path) -> None:
    out = timeline(corpus, "TJ-2011-N7KD", "2019-03-01")
    counted, later = tables(out)
    assert later == {}
    assert "Not counted" not in out
    stages = {e: r["Stage after"] for e, r in counted.items()}
    assert stages["e6"] == "refusal appealed; rejected by e7 on 2012-02-01"
    assert stages["e7"] == "refused; appeal rejected"
    assert stages["e10"] == "refusal appealed; rejected by e11 on 2012-06-12"
    assert stages["e11"] == "refused; appeal rejected"
    assert all(r["Days"].count("waiting") == 0 for r in counted.values())
    assert out.splitlines()[-2:] == [
        "- now: criminal proceedings: refused since 2012-06-12; domestic remedies: exhausted",
        "- UN u1 (ccpr): decided",
    ]


# --- links the file leaves out, which the model infers -------------------------------------------


def test_a_link_the_model_inferred_is_marked_and_listed_for_the_file(tmp_path: Path) -> None:
    repo = corpus_repo(tmp_path / "repo")
    unlinked(
        repo,
        "TJ-2011-N7KD",
        ("e4", ", annuls: e2, responds_to: e3"),
        ("e6", ", responds_to: e5"),
        ("e7", " responds_to: e6,"),
    )
    out = timeline(repo, "TJ-2011-N7KD", "2012-03-01")
    counted, _ = tables(out)
    assert counted["e2"]["Stage after"] == "refused; annulled by e4 on 2011-10-20"
    assert counted["e4"]["Stage after"] == "check; annuls e2 (inferred)"
    assert counted["e4"]["Days"] == ""
    assert counted["e6"]["Days"] == "10 days after e5 (inferred)"
    assert counted["e7"]["Days"] == "51 days after e6 (inferred)"
    assert counted["e7"]["Stage after"] == "refused; appeal rejected"
    assert counted["e6"]["Stage after"] == "refusal appealed; rejected by e7 on 2012-02-01"
    # the court appeal names its refusal; nothing has answered it on 2012-03-01
    assert counted["e8"]["Stage after"] == "refusal appealed; pending"
    assert counted["e8"]["Days"] == "80 days after e5; waiting 10 days"
    assert counted["e3"]["Days"] == "10 days after e2"  # answered: e2 was annulled after it
    note = next(line for line in out.splitlines() if line.startswith("(inferred)"))
    assert note.endswith(
        "Write it in the file: e4 annuls: e2; e6 responds_to: e5; e7 responds_to: e6."
    )


# --- days waiting from what the model counts as answered ------------------------------------------


def test_a_reminder_citing_the_complaint_does_not_answer_it(corpus: Path) -> None:
    out = timeline(corpus, "TJ-2017-Q8RD", "2017-06-10")
    counted, later = tables(out)
    assert counted["e1"]["Days"] == "waiting 31 days"
    assert counted["e2"]["Days"] == "26 days after e1; waiting 5 days"
    assert {e: r["Stage after"] for e, r in counted.items()} == {
        "e1": "complaint pending",
        "e2": "complaint pending",
    }
    assert list(later) == ["e3"]  # the refusal of 2017-07-20 is not yet known
    assert out.splitlines()[-1] == (
        "- now: criminal proceedings: complaint pending since 2017-05-10; "
        "domestic remedies: awaiting answer"
    )


def test_a_refusal_that_names_no_complaint_still_answers_the_complaint_and_reminder(
    tmp_path: Path,
) -> None:
    repo = corpus_repo(tmp_path / "repo")
    unlinked(repo, "TJ-2017-Q8RD", ("e3", " responds_to: e1,"))
    counted, later = tables(timeline(repo, "TJ-2017-Q8RD", "2017-07-25"))
    assert later == {}
    assert {e: r["Days"] for e, r in counted.items()} == {
        "e1": "",
        "e2": "26 days after e1",
        "e3": "",
    }
    assert counted["e3"]["Stage after"] == "refused"


def test_an_unlinked_reply_or_registration_answers_what_was_sent_before_it(
    make_repo: Callable[..., Path], model_case_text: str
) -> None:
    ours, theirs = {"direction": "outgoing"}, {"direction": "incoming"}
    case = variant(
        load_model(model_case_text),
        "KG-2016-0001",
        legal_actions=events(
            ("e1", "2016-03-01", "complaint_sent"),
            ("e2", "2016-03-05", "reminder_sent"),
            ("e3", "2016-03-10", "response_received"),  # a reply that names nothing
            ("e4", "2016-03-20", "complaint_sent"),
            ("e5", "2016-04-01", "registered"),  # names nothing either: a move of the track
            ("e6", "2016-04-05", "complaint_sent"),
            e1=ours,
            e2={**ours, "responds_to": "e1"},
            e3=theirs,
            e4=ours,
            e5=theirs,
            e6=ours,
        ),
    )
    repo = repo_of(make_repo, case)
    counted, _ = tables(timeline(repo, "KG-2016-0001", "2016-03-15"))
    assert {e: r["Days"] for e, r in counted.items()} == {
        "e1": "",
        "e2": "4 days after e1",
        "e3": "",
    }
    counted, _ = tables(timeline(repo, "KG-2016-0001", "2016-04-10"))
    assert {e: (r["Stage after"], r["Days"]) for e, r in counted.items()} == {
        "e1": ("complaint pending", ""),
        "e2": ("complaint pending", "4 days after e1"),
        "e3": ("complaint pending", ""),
        "e4": ("complaint pending", ""),
        "e5": ("check", ""),  # Kyrgyzstan before 2019: registration opens a check
        "e6": ("check", "waiting 5 days"),  # sent after the registration: nothing answers it
    }


def test_an_appeal_the_model_has_pending_waits_though_a_letter_acknowledged_it(
    make_repo: Callable[..., Path], model_case_text: str
) -> None:
    case = variant(
        load_model(model_case_text),
        "KG-2016-0001",
        legal_actions=events(
            ("e1", "2016-03-01", "complaint_sent"),
            ("e2", "2016-03-20", "refusal_to_open"),
            ("e3", "2016-04-01", "appeal_filed"),
            ("e4", "2016-04-10", "response_received"),  # "your appeal is being examined"
            e1={"direction": "outgoing"},
            e2={"direction": "incoming", "responds_to": "e1"},
            e3={"direction": "outgoing", "responds_to": "e2"},
            e4={"direction": "incoming", "responds_to": "e3"},
        ),
    )
    out = timeline(repo_of(make_repo, case), "KG-2016-0001", "2016-05-01")
    counted, _ = tables(out)
    assert counted["e3"]["Stage after"] == "refusal appealed; pending"
    assert counted["e3"]["Days"] == "12 days after e2; waiting 30 days"
    assert counted["e4"]["Stage after"] == "refusal appealed"
    assert out.splitlines()[-1].endswith("domestic remedies: appeal pending")


def test_a_pending_appeal_waits_and_its_decision_after_the_as_of_date_is_not_used(
    corpus: Path,
) -> None:
    before = timeline(corpus, "KZ-2021-F5QM", "2021-11-15")
    counted, later = tables(before)
    assert counted["e2"]["Stage after"] == "refused; annulled by e4 on 2021-04-02"
    assert counted["e3"]["Stage after"] == "refusal appealed; granted by e4 on 2021-04-02"
    assert counted["e4"]["Stage after"] == "check; appeal granted: e2 set aside"
    assert counted["e5"]["Stage after"] == "investigation"  # registration in the ERDR
    assert counted["e8"]["Stage after"] == "discontinued; appeal rejected"
    assert counted["e9"]["Stage after"] == "discontinuance appealed; pending"
    assert counted["e9"]["Days"] == "32 days after e6; waiting 14 days"
    assert list(later) == ["e10"]
    assert before.splitlines()[-1] == (
        "- now: criminal proceedings: discontinuance appealed since 2021-11-01; "
        "domestic remedies: appeal pending"
    )
    after = timeline(corpus, "KZ-2021-F5QM", "2021-12-14")
    counted, later = tables(after)
    assert later == {}
    assert counted["e9"]["Stage after"] == "discontinuance appealed; rejected by e10 on 2021-12-14"
    assert counted["e9"]["Days"] == "32 days after e6"
    assert after.splitlines()[-1] == (
        "- now: criminal proceedings: discontinued since 2021-12-14; domestic remedies: exhausted"
    )


def test_the_compensation_claim_shows_the_civil_track(corpus: Path) -> None:
    out = timeline(corpus, "TJ-2012-Y4VN", "2015-01-01")
    counted, _ = tables(out)
    assert counted["e7"]["Stage after"] == "final"
    assert counted["e9"]["Stage after"] == "compensation claim: awarded"
    assert counted["e10"]["Stage after"] == "compensation claim: final"
    assert counted["e11"]["Stage after"] == "compensation claim: claim filed"
    assert counted["e11"]["Days"] == "waiting 85 days"  # the second claim, not yet decided
    assert out.splitlines()[-2:] == [
        "- now: criminal proceedings: final since 2012-11-20; domestic remedies: exhausted",
        "- compensation claim: claim filed",
    ]


# --- the closing lines are those of cattool show; the text output says the same -----------------


@pytest.mark.parametrize(
    ("case", "as_of"),
    [
        ("TJ-2011-N7KD", "2019-03-01"),
        ("TJ-2012-Y4VN", "2015-01-01"),
        ("KZ-2021-F5QM", "2021-05-01"),
    ],
)
def test_the_closing_lines_are_the_lines_of_show(corpus: Path, case: str, as_of: str) -> None:
    shown = runner.invoke(app, ["show", case, "--as-of", as_of, "--repo", str(corpus)]).stdout
    lines = [line.strip() for line in shown.splitlines()]
    start = next(i for i, line in enumerate(lines) if line.startswith("now: "))
    end = next(i for i in range(start, len(lines)) if lines[i] == "")
    now = [line for line in lines[start:end] if line != "compensation awarded"]
    assert timeline(corpus, case, as_of).splitlines()[-len(now) :] == [f"- {n}" for n in now]


def test_the_text_table_says_what_the_markdown_says(
    corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "260")
    result = runner.invoke(
        app, ["timeline", "TJ-2011-N7KD", "--as-of", "2011-12-05", "--repo", str(corpus)]
    )
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "Timeline of TJ-2011-N7KD: stages and days waiting as of 2011-12-05"
    assert "Stage after" in lines[1]
    row = next(line for line in lines if " e2 (incoming) " in line)
    assert "refused; annulled by e4 on 2011-10-20" in row
    assert "Not counted in the stages: recorded after 2011-12-05" in lines
    assert next(line for line in lines if " e7 (incoming) " in line).count(
        "not counted (after the as-of date)"
    )
    assert lines[-1] == (
        "now: criminal proceedings: refused since 2011-12-02; "
        "domestic remedies: refusal not appealed"
    )


def test_a_narrow_terminal_gets_each_event_as_lines_not_a_cut_table(
    corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    result = runner.invoke(
        app, ["timeline", "TJ-2011-N7KD", "--as-of", "2011-12-05", "--repo", str(corpus)]
    )
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    at = lines.index("2011-09-05  e2 (incoming)  Refusal to open a criminal case")
    assert lines[at + 1 : at + 4] == [
        "    authority: Прокуратура района Сино",
        "    stage after: refused; annulled by e4 on 2011-10-20",
        "    days: 11 days after e1",
    ]
    assert "…" not in result.stdout
