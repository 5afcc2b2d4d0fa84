"""The cache's payloads (data.marshal, facts.marshal) give exactly the results of a cold run.

Besides its index (cases.marshal) the cache keeps, per kind, what commands read of each case: the
parsed cases without sensitive values (``data``: deadlines, list, export, stats --as-of) and what
statistics count (``facts``: stats). Each value is kept with the digest of the content it came
from and is used only while the index says the file still has that content.

Every test works on a real copy of the demo repository (cases/ and cattool.yaml of the project)
and compares a run that may use the cache with one that cannot (CATTOOL_NO_CACHE=1). Tests that
say "nothing was checked again" count the calls of ``cattool.validation.check_one_with_data``
(small repositories are checked in-process, so the count is exact).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import marshal
import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from cattool.cache import CACHE_DIR, CACHE_FILE, DATA_FILE, FACTS_FILE
from cattool.cli import app

PROJECT = Path(__file__).resolve().parent.parent
runner = CliRunner()

EDITED = "cases/KG/KG-2016-J0D9.yaml"  # a 2016 case: intake 2016-02-10, refused on 2016-03-10
N_DEMO = len(list((PROJECT / "cases").rglob("*.yaml")))
STATS = ("stats", "2016", "--format", "json")
AS_OF = ("stats", "2016", "--format", "json", "--as-of", "2016-03-01")
LIST = ("list", "--format", "csv")
DEADLINES = ("deadlines",)
PAYLOAD_FILES = {"facts": FACTS_FILE, "data": DATA_FILE}


# --- helpers --------------------------------------------------------------------------------------


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A copy of the demo case repository (48 cases, the project's cattool.yaml); not a git
    repository, so the provenance of stats is the same in every run of a test."""
    root = tmp_path / "repo"
    root.mkdir()
    shutil.copytree(PROJECT / "cases", root / "cases")
    shutil.copy2(PROJECT / "cattool.yaml", root / "cattool.yaml")
    return root


@pytest.fixture
def checked(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the files checked (parsed and validated) afresh, in order."""
    from cattool import validation

    calls: list[str] = []
    real = validation.check_one_with_data

    def counting(fmt: Any, ctx: Any, path: Path, *rest: Any) -> Any:
        calls.append(Path(path).name)
        return real(fmt, ctx, path, *rest)

    monkeypatch.setattr(validation, "check_one_with_data", counting)
    return calls


def run(root: Path, *args: str, cache: bool = True) -> tuple[int, str]:
    result = runner.invoke(
        app, [*args, "--repo", str(root)], env={"CATTOOL_NO_CACHE": "" if cache else "1"}
    )
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout


def cold(root: Path, *args: str) -> tuple[int, str]:
    return run(root, *args, cache=False)


def same_as_cold(root: Path, *args: str) -> tuple[int, str]:
    """A run that may use the cache, after checking that it equals a cold run (the cold run goes
    second: it cannot fill the cache the warm run reads)."""
    warm = run(root, *args)
    assert warm == cold(root, *args)
    assert warm[0] == 0, warm[1]
    return warm


def cache_path(root: Path, name: str) -> Path:
    return root / CACHE_DIR / name


def index_entries(root: Path) -> dict[str, tuple[Any, ...]]:
    return marshal.loads(cache_path(root, CACHE_FILE).read_bytes())["entries"]


def index_key(root: Path) -> str:
    return marshal.loads(cache_path(root, CACHE_FILE).read_bytes())["key"]


def payload_file(root: Path, kind: str) -> dict[str, Any]:
    return marshal.loads(cache_path(root, PAYLOAD_FILES[kind]).read_bytes())


def write_payload(root: Path, kind: str, raw: Any) -> None:
    cache_path(root, PAYLOAD_FILES[kind]).write_bytes(marshal.dumps(raw))


def tables(out: str) -> dict[str, list[tuple[str, list[Any]]]]:
    return {
        t["key"]: [(r["label"], r["values"]) for r in t["rows"]] for t in json.loads(out)["tables"]
    }


def violations(out: str) -> dict[str, int]:
    return {label: values[0] for label, values in tables(out)["by_violation"]}


def edit_violation(root: Path) -> None:
    """EDITED becomes cidt instead of torture: same size and modification time (only its change
    time and content differ), so only the content digest can tell."""
    case = root / EDITED
    text = case.read_text(encoding="utf-8")
    stat = case.stat()
    changed = text.replace("violation_type: torture\n", "violation_type: cidt   \n")
    assert changed != text and len(changed) == len(text)
    case.write_text(changed, encoding="utf-8")
    os.utime(case, ns=(stat.st_atime_ns, stat.st_mtime_ns))


def digest_of(root: Path, name: str) -> str:
    return hashlib.blake2b((root / name).read_bytes(), digest_size=20).hexdigest()


def fill(root: Path, kind: str) -> None:
    """Fill the cache with one kind of payload (stats: facts; list: data)."""
    assert run(root, *(STATS if kind == "facts" else LIST))[0] == 0
    assert cache_path(root, PAYLOAD_FILES[kind]).is_file()


# --- warm equals cold -----------------------------------------------------------------------------


def test_a_warm_stats_run_equals_a_cold_one_and_reads_the_facts_from_the_cache(
    repo: Path, checked: list[str]
) -> None:
    code, before = cold(repo, *STATS)
    assert code == 0
    assert json.loads(before)["provenance"]["cases_counted"] == 9
    assert not (repo / CACHE_DIR).exists()  # CATTOOL_NO_CACHE=1 writes nothing
    assert checked == sorted(checked) and len(checked) == N_DEMO

    checked.clear()
    assert run(repo, *STATS) == (0, before)  # fills the cache
    assert len(checked) == N_DEMO
    facts = payload_file(repo, "facts")
    assert facts["key"] == index_key(repo)
    assert sorted(facts["data"]) == sorted(index_entries(repo))
    assert len(facts["data"]) == N_DEMO
    # each fact is kept under the digest of the content it came from
    entries = index_entries(repo)
    assert all(facts["data"][n][0] == entries[n][2] == digest_of(repo, n) for n in entries)
    assert not cache_path(repo, DATA_FILE).exists()  # stats asked for facts only

    checked.clear()
    assert run(repo, *STATS) == (0, before)  # from the cache
    assert checked == []


def test_an_edited_case_is_counted_anew_and_alone(repo: Path, checked: list[str]) -> None:
    _, before = same_as_cold(repo, *STATS)
    assert violations(before) == {"Torture": 4, "Cruel": 4, "Death in custody": 1}

    edit_violation(repo)
    checked.clear()
    _, after = same_as_cold(repo, *STATS)
    # the warm run (first in same_as_cold) checked the edited file only; the cold one all of them
    assert checked[0] == Path(EDITED).name and checked[1:] == sorted(checked[1:])
    assert len(checked) == 1 + N_DEMO
    assert after != before
    assert violations(after) == {"Torture": 3, "Cruel": 5, "Death in custody": 1}
    assert json.loads(after)["provenance"]["cases_counted"] == 9

    checked.clear()
    assert run(repo, *STATS) == (0, after)
    assert checked == []


def test_validate_fills_only_the_index_and_each_command_its_own_payload(
    repo: Path, checked: list[str]
) -> None:
    expected = {args: cold(repo, *args) for args in (STATS, DEADLINES, LIST)}
    assert all(code == 0 for code, _ in expected.values())
    assert "KG-2016-J0D9" in expected[LIST][1] and "overdue" in expected[DEADLINES][1]
    checked.clear()

    result = runner.invoke(app, ["validate", "--repo", str(repo)], env={"CATTOOL_NO_CACHE": ""})
    assert result.exit_code == 0
    assert len(index_entries(repo)) == N_DEMO
    assert not cache_path(repo, FACTS_FILE).exists() and not cache_path(repo, DATA_FILE).exists()

    checked.clear()
    assert run(repo, *STATS) == expected[STATS]
    assert len(checked) == N_DEMO  # the index alone cannot give facts
    assert cache_path(repo, FACTS_FILE).is_file() and not cache_path(repo, DATA_FILE).exists()

    checked.clear()
    assert run(repo, *DEADLINES) == expected[DEADLINES]
    assert len(checked) == N_DEMO  # facts are no parsed cases
    assert cache_path(repo, DATA_FILE).is_file()

    checked.clear()
    for args in (LIST, DEADLINES, STATS, LIST):
        assert run(repo, *args) == expected[args], args
    assert checked == []  # every payload now comes from the cache
    # the facts survived the runs that wrote data (each kind has its own file)
    assert len(payload_file(repo, "facts")["data"]) == N_DEMO
    assert len(payload_file(repo, "data")["data"]) == N_DEMO


@pytest.mark.parametrize("command", [STATS, LIST, DEADLINES], ids=lambda c: c[0])
def test_files_with_errors_give_the_same_output_warm_and_cold(
    repo: Path, command: tuple[str, ...]
) -> None:
    case = repo / EDITED
    case.write_text(
        case.read_text(encoding="utf-8").replace("priority: normal", "priority: hihg"), "utf-8"
    )
    (repo / "cases" / "KG" / "KG-2099-ZZZZ.yaml").write_text("victims: [\n", encoding="utf-8")
    _, first = same_as_cold(repo, *command)
    assert same_as_cold(repo, *command)[1] == first
    if command == STATS:
        prov = json.loads(first)["provenance"]
        assert (prov["case_files_read"], prov["case_files_skipped"]) == (N_DEMO + 1, 2)
        assert prov["cases_counted"] == 8


@pytest.mark.parametrize("command", [STATS, LIST], ids=lambda c: c[0])
def test_a_warm_run_checks_no_unchanged_file_again_even_one_with_errors(
    repo: Path, checked: list[str], command: tuple[str, ...]
) -> None:
    case = repo / EDITED
    case.write_text(
        case.read_text(encoding="utf-8").replace("priority: normal", "priority: hihg"), "utf-8"
    )
    (repo / "cases" / "KG" / "KG-2099-ZZZZ.yaml").write_text("victims: [\n", encoding="utf-8")
    run(repo, *command)
    checked.clear()
    run(repo, *command)
    assert checked == []


# --- a payload is used only under its digest --------------------------------------------------------


@pytest.mark.parametrize(("kind", "command"), [("facts", STATS), ("data", LIST)])
def test_a_stale_payload_is_never_used(
    repo: Path, checked: list[str], kind: str, command: tuple[str, ...]
) -> None:
    """The payload is filled, the file changes, validate brings the index up to date (and leaves
    the payload file alone): the old payload must not be taken for the new content."""
    _, before = same_as_cold(repo, *command)
    old_digest = digest_of(repo, EDITED)
    assert payload_file(repo, kind)["data"][EDITED][0] == old_digest

    edit_violation(repo)
    result = runner.invoke(app, ["validate", "--repo", str(repo)], env={"CATTOOL_NO_CACHE": ""})
    assert result.exit_code == 0
    # the situation under test: the index has the new digest, the payload the old one
    assert index_entries(repo)[EDITED][2] == digest_of(repo, EDITED) != old_digest
    assert payload_file(repo, kind)["data"][EDITED][0] == old_digest

    checked.clear()
    warm = run(repo, *command)
    assert checked == [Path(EDITED).name]
    assert warm == cold(repo, *command)
    assert warm[1] != before
    if kind == "facts":
        assert violations(warm[1])["Torture"] == violations(before)["Torture"] - 1
    else:
        row = next(line for line in warm[1].splitlines() if line.startswith("KG-2016-J0D9"))
        assert ",cidt," in row
    assert payload_file(repo, kind)["data"][EDITED][0] == digest_of(repo, EDITED)


@pytest.mark.parametrize(("kind", "command"), [("facts", STATS), ("data", LIST)])
def test_a_payload_is_used_exactly_when_its_digest_is_that_of_the_file(
    repo: Path, checked: list[str], kind: str, command: tuple[str, ...]
) -> None:
    """A value planted in the payload file under the file's digest is what the command shows
    (so warm runs really read the payload); under any other digest it is ignored."""
    fill(repo, kind)
    _, expected = cold(repo, *command)
    raw = payload_file(repo, kind)
    digest, value = raw["data"][EDITED]
    if kind == "facts":
        assert value[5] == "torture"  # CaseFacts.to_plain: the sixth value is violation
        planted = (*value[:5], "cidt", *value[6:])
    else:
        assert value["violation_type"] == "torture"
        planted = {**value, "violation_type": "cidt"}

    raw["data"][EDITED] = (digest, planted)
    write_payload(repo, kind, raw)
    checked.clear()
    code, shown = run(repo, *command)
    assert code == 0 and checked == []
    assert shown != expected
    if kind == "facts":
        assert violations(shown) == {"Torture": 3, "Cruel": 5, "Death in custody": 1}
    else:
        row = "KG-2016-J0D9,KG,2016-02-10,issyk_kul,vof,torture,"
        assert row in expected
        assert shown == expected.replace(row, row.replace(",torture,", ",cidt,"))

    raw["data"][EDITED] = ("0" * len(digest), planted)
    write_payload(repo, kind, raw)
    checked.clear()
    assert run(repo, *command) == (0, expected)
    assert checked == [Path(EDITED).name]
    assert payload_file(repo, kind)["data"][EDITED] == (digest, value)  # mended


# --- damaged payload files ------------------------------------------------------------------------


def _garbage(blob: bytes, key: str) -> bytes:
    return b"\x00garbage\xff" * 10


def _truncated(blob: bytes, key: str) -> bytes:
    return blob[: len(blob) // 2]


def _empty(blob: bytes, key: str) -> bytes:
    return b""


def _foreign_key(blob: bytes, key: str) -> bytes:
    raw = marshal.loads(blob)
    return marshal.dumps({"key": "another day, another version", "data": raw["data"]})


def _no_data(blob: bytes, key: str) -> bytes:
    return marshal.dumps({"key": key})


def _not_a_dict(blob: bytes, key: str) -> bytes:
    return marshal.dumps([key, 1, 2])


DAMAGES = [_garbage, _truncated, _empty, _foreign_key, _no_data, _not_a_dict]


@pytest.mark.parametrize("damage", DAMAGES, ids=lambda f: f.__name__.strip("_"))
@pytest.mark.parametrize(("kind", "command"), [("facts", STATS), ("data", LIST)])
def test_a_damaged_payload_file_is_ignored_and_rebuilt(
    repo: Path, checked: list[str], kind: str, command: tuple[str, ...], damage: Any
) -> None:
    fill(repo, kind)
    path = cache_path(repo, PAYLOAD_FILES[kind])
    if damage is _foreign_key:
        # a foreign file holding wrong values under the right digests: the key keeps them out
        raw = payload_file(repo, kind)
        raw["data"] = {n: (d, None) for n, (d, _) in raw["data"].items()}
        path.write_bytes(marshal.dumps(raw))
    path.write_bytes(damage(path.read_bytes(), index_key(repo)))

    checked.clear()
    same_as_cold(repo, *command)
    assert len(checked) == 2 * N_DEMO  # the warm run checked every file again, as the cold one
    rebuilt = payload_file(repo, kind)
    assert rebuilt["key"] == index_key(repo) and len(rebuilt["data"]) == N_DEMO
    checked.clear()
    run(repo, *command)
    assert checked == []


@pytest.mark.parametrize(("kind", "command"), [("facts", STATS), ("data", LIST)])
def test_a_payload_file_of_the_wrong_shape_under_the_right_key_is_ignored(
    repo: Path, kind: str, command: tuple[str, ...]
) -> None:
    fill(repo, kind)
    write_payload(repo, kind, {"key": index_key(repo), "data": [EDITED, 1, 2]})
    same_as_cold(repo, *command)


# --- facts: plain values and the data path agree --------------------------------------------------


def _demo_facts(root: Path) -> list[Any]:
    """The facts of every demo case, worked out from the parsed cases as the data path does."""
    from cattool.caseformat import CaseFormat
    from cattool.facts import case_facts
    from cattool.repo import find_repo
    from cattool.validation import scan

    case_repo = find_repo(root)
    fmt = CaseFormat.for_repo(case_repo)
    report, data = scan(case_repo, [case_repo.cases_dir], want="data")
    assert report.problems == [] and len(data) == N_DEMO
    return [case_facts(value, fmt, None) for _, value in sorted(data.items())]


SET_FIELDS = {"agencies", "places", "contexts", "methods"}


def test_case_facts_survive_to_plain_marshal_and_from_plain(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cattool.facts import CaseFacts

    monkeypatch.setenv("CATTOOL_NO_CACHE", "1")
    all_facts = _demo_facts(repo)
    names = [f.name for f in dataclasses.fields(CaseFacts)]
    assert set(names) >= SET_FIELDS
    for facts in all_facts:
        plain = facts.to_plain()
        assert marshal.loads(marshal.dumps(plain)) == plain  # the cache can hold it as it is
        back = CaseFacts.from_plain(marshal.loads(marshal.dumps(plain)))
        assert isinstance(back, CaseFacts)
        assert back.to_plain() == plain
        for name in names:
            mine, theirs = getattr(facts, name), getattr(back, name)
            if name in SET_FIELDS:
                assert sorted(theirs) == sorted(mine), (facts.case_id, name)
            else:
                assert theirs == mine, (facts.case_id, name)
                assert type(theirs) is type(mine), (facts.case_id, name)
    # the demo cases give every field a value other than its default somewhere, so a field that
    # does not come back would show above
    defaults = CaseFacts("", "", "", "", dt.date(2000, 1, 1), "", 1)
    for name in names[7:]:
        assert any(getattr(f, name) != getattr(defaults, name) for f in all_facts), name


def test_a_made_up_case_facts_with_every_field_set_round_trips() -> None:
    from cattool.facts import CaseFacts

    facts = CaseFacts(
        "KG-2016-ABCD", "KG", "osh_city", "vof", dt.date(2016, 2, 29), "torture", 3,
        agencies={"police_mvd", "gknb"}, places={"ivs"}, contexts={"arrest", "prison"},
        methods={"beating", "electric_shock"},
        victims=[{"sex": "male", "age": "child", "vulnerabilities": ["minor", "disability"]},
                 {"sex": "female", "age": "adult", "vulnerabilities": []}],
        stage="verdict", conviction=True, refusal_grounds=["limitation", "no_crime"],
        refused=True, answer_days=17, un=[("ccpr", "violation"), ("cat", "pending")],
        claimed=[(1000.5, "KGS")], awarded=[(250.0, "USD"), (10.0, "")],
    )  # fmt: skip
    back = CaseFacts.from_plain(marshal.loads(marshal.dumps(facts.to_plain())))
    for field in dataclasses.fields(CaseFacts):
        mine, theirs = getattr(facts, field.name), getattr(back, field.name)
        if field.name in SET_FIELDS:
            assert sorted(theirs) == sorted(mine), field.name
        else:
            assert theirs == mine, field.name


def test_the_facts_the_workers_send_equal_those_of_the_parsed_cases(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """scan(want="facts") (in-process and on a pool of two workers), want="data" and want=None
    each give what they say; the facts equal those worked out from the parsed cases."""
    from cattool.repo import find_repo
    from cattool.validation import scan

    monkeypatch.setenv("CATTOOL_NO_CACHE", "1")
    expected = [f.to_plain() for f in _demo_facts(repo)]
    case_repo = find_repo(repo)
    for jobs in (1, 2):
        report, facts = scan(case_repo, [case_repo.cases_dir], want="facts", jobs=jobs)
        assert report.problems == []
        assert [facts[p] for p in sorted(facts)] == expected, jobs
        report, data = scan(case_repo, [case_repo.cases_dir], want="data", jobs=jobs)
        assert len(data) == N_DEMO and all(isinstance(v, dict) for v in data.values())
        # parsed cases without sensitive values
        assert not any("full_name" in v for c in data.values() for v in c.get("victims", []))
        assert scan(case_repo, [case_repo.cases_dir], want=None, jobs=jobs)[1] == {}


def test_stats_on_a_pool_of_workers_fills_only_the_facts(repo: Path, checked: list[str]) -> None:
    _, expected = cold(repo, *STATS)
    checked.clear()
    assert run(repo, *STATS, "--jobs", "2") == (0, expected)  # checked by the workers
    assert checked == []  # (not in this process)
    facts = payload_file(repo, "facts")["data"]
    entries = index_entries(repo)
    assert len(facts) == N_DEMO and all(facts[n][0] == entries[n][2] for n in entries)
    assert not cache_path(repo, DATA_FILE).exists()
    assert run(repo, *STATS) == (0, expected)
    assert checked == []


# --- stats --as-of reads the parsed cases ---------------------------------------------------------


def test_stats_as_of_equals_a_cold_run_whatever_the_cache_holds(
    repo: Path, checked: list[str]
) -> None:
    _, as_of = same_as_cold(repo, *AS_OF)  # a cache without facts: data filled
    prov = json.loads(as_of)["provenance"]
    assert (prov["as_of"], prov["cases_counted"]) == ("2016-03-01", 4)
    assert cache_path(repo, DATA_FILE).is_file() and not cache_path(repo, FACTS_FILE).exists()
    checked.clear()
    assert run(repo, *AS_OF) == (0, as_of)
    assert checked == []  # from data.marshal

    _, whole = same_as_cold(repo, *STATS)  # now the facts too
    assert tables(whole)["refusals"] and not tables(as_of)["refusals"]  # refused on 2016-03-10
    checked.clear()
    assert run(repo, *AS_OF) == (0, as_of)
    assert checked == []  # the facts did not push the data out

    edit_violation(repo)
    checked.clear()
    _, edited = same_as_cold(repo, *AS_OF)
    assert checked[0] == Path(EDITED).name and len(checked) == 1 + N_DEMO
    assert edited != as_of and violations(edited)["Torture"] == violations(as_of)["Torture"] - 1


def test_stats_as_of_today_equals_stats_from_the_facts(repo: Path) -> None:
    """Two paths to the same figures: as of today they come from the parsed cases, without
    --as-of from the cached facts; cold or warm, both give the same JSON."""
    today = ("--as-of", dt.date.today().isoformat())
    _, plain = cold(repo, *STATS)
    assert cold(repo, *STATS, *today) == (0, plain)
    assert run(repo, *STATS) == (0, plain)
    assert run(repo, *STATS, *today) == (0, plain)
    assert run(repo, *STATS) == (0, plain)
    assert run(repo, *STATS, *today) == (0, plain)


@pytest.mark.parametrize(("kind", "command"), [("facts", STATS), ("data", LIST)])
def test_a_damaged_payload_file_is_named_in_a_warning_once(
    repo: Path, kind: str, command: tuple[str, ...]
) -> None:
    fill(repo, kind)
    path = cache_path(repo, PAYLOAD_FILES[kind])
    path.write_bytes(b"\x00not marshal at all")
    result = runner.invoke(app, [*command, "--repo", str(repo)], env={"CATTOOL_NO_CACHE": ""})
    assert result.exit_code == 0, result.output
    assert f"cattool: warning: the cache {path} could not be read; it is rebuilt" in " ".join(
        result.stderr.split()
    )
    again = runner.invoke(app, [*command, "--repo", str(repo)], env={"CATTOOL_NO_CACHE": ""})
    assert "warning: the cache" not in again.stderr  # rebuilt: no warning the next time
