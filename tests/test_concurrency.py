"""No lost update: commands writing one case at once run one after the other, or say they did not.

Every command that writes a case holds it for update (``cattool.files.held_for_update``: an OS
lock on the file for the whole read-modify-write, and a compare-and-swap on its content before
the write). These tests start real processes at the same moment on one case and check that every
edit whose command exited 0 is in the file, and that every other command exited 4 with the
message that says so, having changed nothing.

Most rounds run through a launcher that imports cattool once and forks one process per command
(a fresh interpreter costs half a second of CPU, and 160 of them would take over a minute on a
two-core machine); each child is a real process running the real command line, with its own
descriptors and locks. The first round of each test and the lock tests start
``python -m cattool`` itself.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from demo_settings import VOF_SETTINGS

from cattool.editing import edit_case, save_validated
from cattool.errors import ExitCode, RefusedError
from cattool.files import (
    ABSENT,
    LOCK_TIMEOUT,
    content_token,
    held_for_update,
    replace_if_unchanged,
)
from cattool.loading import read_case
from cattool.repo import CaseRepo

pytestmark = pytest.mark.skipif(
    sys.platform == "win32", reason="no OS lock on Windows (only the content check)"
)

CASE = "cases/KG/KG-2016-0001.yaml"
MODEL_CASE = Path(__file__).resolve().parent.parent / CASE
CASE_ID = "KG-2016-0001"
# Eight fields of the model case with free text, one per writer: each round sets each to a value
# of its own, so the file shows which writer's edit survived.
FIELDS = (
    "district",
    "assignee",
    "summary_public",
    "victims[0].occupation",
    "incidents[0].narrative_public",
    "legal_actions[0].our_ref",
    "legal_actions[2].their_ref",
    "legal_actions[3].our_ref",
)
ROUNDS = 20
CLI_ROUNDS = 1  # of the ROUNDS, started as `python -m cattool` (the others through the launcher)

LAUNCHER = r"""
import json, os, sys

import pyrage, ruamel.yaml, ruamel.yaml.util  # what the commands import lazily, imported once
import cattool.caseformat, cattool.cases, cattool.checks, cattool.crypto, cattool.editing
import cattool.validation, cattool.cli.event, cattool.cli.keys, cattool.cli.set_cmd
from cattool.cli import main

plan, out_dir, watched = sys.argv[1:4]
for warm in (["set", "--help"], ["event", "add", "--help"], ["encrypt", "--help"]):
    sys.argv, sys.stdout = ["cattool", *warm], open(os.devnull, "w")  # Typer's own imports
    try:
        main()
    except SystemExit:
        pass
sys.stdout = sys.__stdout__
rounds = json.loads(open(plan, encoding="utf-8").read())
results = []
for r, commands in enumerate(rounds):
    pids = []
    for i, argv in enumerate(commands):
        pid = os.fork()
        if pid == 0:  # the child: one command, its output in two files, its exit code
            os.dup2(os.open(os.devnull, os.O_RDONLY), 0)
            for fd, kind in ((1, "out"), (2, "err")):
                name = os.path.join(out_dir, f"{r}-{i}.{kind}")
                os.dup2(os.open(name, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), fd)
            sys.argv = ["cattool", *argv]
            code = 0
            try:
                main()
            except SystemExit as done:
                code = done.code if isinstance(done.code, int) else int(done.code is not None)
            except BaseException:
                code = 99
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code)
        pids.append(pid)
    codes = [os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) for pid in pids]
    results.append(
        [
            [code, *(open(os.path.join(out_dir, f"{r}-{i}.{kind}"), encoding="utf-8").read()
                     for kind in ("out", "err"))]
            for i, code in enumerate(codes)
        ]
        + [open(watched, encoding="utf-8").read()]  # the case after the round
    )
print(json.dumps(results))
"""

HOLDER = r"""
import sys, time
from pathlib import Path
from cattool.files import held_for_update

with held_for_update(Path(sys.argv[1])):
    print("held", flush=True)
    time.sleep(float(sys.argv[2]))
"""


# --- helpers ---------------------------------------------------------------------------------------


def git(root: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=True)
    return done.stdout


@pytest.fixture
def repo(make_repo: Callable[..., Path], model_case_text: str) -> Path:
    """The model case in a git repository whose .gitignore is the one cattool init writes."""
    from cattool.scaffold import SKELETON

    root = make_repo(
        {
            "cattool.yaml": VOF_SETTINGS,
            ".gitignore": (SKELETON / "gitignore").read_text(encoding="utf-8").replace("$$", "$"),
            CASE: model_case_text,
        }
    )
    git(root, "init", "--quiet")
    git(root, "add", "--all")
    git(root, "commit", "--quiet", "-m", "start")
    return root


Result = tuple[int, str, str]  # exit code, stdout, stderr


def at_once(commands: list[list[str]]) -> list[Result]:
    """Start ``python -m cattool`` for every command at the same moment; wait for all."""
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "cattool", *argv],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for argv in commands
    ]
    return [(p.wait(), *p.communicate()) for p in procs]


Round = tuple[list[Result], str]  # the results of a round's commands, the case after it


def round_at_once(commands: list[list[str]], case: Path) -> Round:
    return at_once(commands), case.read_text(encoding="utf-8")


def rounds_at_once(rounds: list[list[list[str]]], case: Path, tmp_path: Path) -> list[Round]:
    """Each round's commands at once, each in a process of its own forked by the launcher."""
    work = tmp_path / "launcher"
    work.mkdir(exist_ok=True)
    plan = work / "rounds.json"
    plan.write_text(json.dumps(rounds), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-c", LAUNCHER, str(plan), str(work), str(case)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    return [
        ([(code, out, err) for code, out, err in round_[:-1]], round_[-1])
        for round_ in json.loads(done.stdout)
    ]


def case_data(root: Path) -> Any:
    return case_data_of(root / CASE)


def case_data_of(path: Path, text: str | None = None) -> Any:
    loaded = read_case(path, raw=None if text is None else text.encode("utf-8"))
    assert not isinstance(loaded, list), loaded
    return loaded.data


def value_at(data: Any, yaml_path: str) -> Any:
    from cattool.editing import parse_yaml_path

    for step in parse_yaml_path(yaml_path):
        data = data[step]
    return data


def words(text: str) -> str:
    return " ".join(text.split())


def assert_refused(result: Result) -> None:
    """Exit 4 with the message: which file, that nothing changed, what to do."""
    code, _, err = result
    message = words(err)
    assert code == ExitCode.REFUSED, result
    assert f"{CASE_ID}.yaml" in message and "was left unchanged" in message, result
    assert "run the command again" in message, result
    assert "another cattool command is writing" in message or "changed by someone else" in message


def assert_no_file_left(root: Path) -> None:
    """The lock is nothing git could commit, and no writer left a file: only the case changed."""
    status = git(root, "status", "--porcelain", "--untracked-files=all")
    assert status.splitlines() == [f" M {CASE}"], status
    assert sorted(p.name for p in (root / "cases" / "KG").iterdir()) == [f"{CASE_ID}.yaml"]


def holder(path: Path, seconds: float) -> subprocess.Popen[str]:
    """A process holding ``path`` for update; returns once it holds it."""
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(path), str(seconds)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None and proc.stdout.readline() == "held\n"
    return proc


def stop(proc: subprocess.Popen[str]) -> int:
    proc.kill()
    code = proc.wait()
    assert proc.stdout is not None
    proc.stdout.close()
    return code


# --- eight writers on one case, twenty rounds -------------------------------------------------------


def test_eight_writers_on_one_case_lose_no_edit(repo: Path, tmp_path: Path) -> None:
    def round_of(r: int) -> list[list[str]]:
        return [
            ["set", CASE_ID, field, f"round-{r}-writer-{w}", "--repo", str(repo)]
            for w, field in enumerate(FIELDS)
        ]

    case = repo / CASE
    rounds = [round_at_once(round_of(r), case) for r in range(CLI_ROUNDS)]
    rounds += rounds_at_once([round_of(r) for r in range(CLI_ROUNDS, ROUNDS)], case, tmp_path)

    # After each round every field holds the value of its writer if that exited 0, else the value
    # it had before the round: no edit that exited 0 lost, none refused applied.
    expected = {field: value_at(case_data_of(MODEL_CASE), field) for field in FIELDS}
    refused = 0
    for r, (results, after) in enumerate(rounds):
        for w, (field, result) in enumerate(zip(FIELDS, results, strict=True)):
            code, out, _ = result
            if code == ExitCode.OK:
                assert out.rstrip().endswith(f"-> round-{r}-writer-{w}"), result
                expected[field] = f"round-{r}-writer-{w}"
            else:
                assert_refused(result)
                refused += 1
        data = case_data_of(case, after)
        assert {field: value_at(data, field) for field in FIELDS} == expected, f"round {r}"
        # the first writer of a round to take the lock never waits, so it never gives up
        assert any(code == ExitCode.OK for code, _, _ in results)
    print(f"{refused} of {len(FIELDS) * ROUNDS} writers refused")
    assert at_once([["validate", "--repo", str(repo)]])[0][0] == ExitCode.OK
    assert_no_file_left(repo)


def test_four_event_adds_at_once_keep_every_event(repo: Path, tmp_path: Path) -> None:
    before = len(case_data(repo)["legal_actions"])

    def round_of(r: int) -> list[list[str]]:
        return [
            ["event", "add", CASE_ID, "--type", "complaint_sent", "--date", f"2016-05-0{w + 1}",
             "--our-ref", f"VOF-{r}/{w}", "--direction", "outgoing", "--no-input",
             "--repo", str(repo)]
            for w in range(4)
        ]  # fmt: skip

    case = repo / CASE
    rounds = [round_at_once(round_of(0), case)]
    rounds += rounds_at_once([round_of(r) for r in (1, 2, 3)], case, tmp_path)

    added: list[str] = []
    for r, (results, after) in enumerate(rounds):
        for w, result in enumerate(results):
            if result[0] == ExitCode.OK:
                assert f"(complaint_sent, 2016-05-0{w + 1})" in result[1], result
                added.append(f"VOF-{r}/{w}")
            else:
                assert_refused(result)
        refs = [e.get("our_ref") for e in case_data_of(case, after)["legal_actions"][before:]]
        assert sorted(refs) == sorted(added), f"round {r}"  # every event that exited 0, once
    events = case_data(repo)["legal_actions"]
    ours = [e["our_ref"] for e in events[before:]]
    assert sorted(ours) == sorted(added) and len(events) == before + len(added)
    ids = [e["event_id"] for e in events]
    assert len(set(ids)) == len(ids)  # each writer read the events of the one before it
    assert [e["date"] for e in events] == sorted(e["date"] for e in events)
    assert_no_file_left(repo)


def test_encrypt_and_edits_at_once(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A command over many files (encrypt) holds each case as it goes, like an edit."""
    from pyrage import x25519

    from cattool.caseformat import CaseFormat
    from cattool.crypto import plain_sensitive

    (repo / "recipients.txt").write_text(
        f"alice {x25519.Identity.generate().to_public()}\n", encoding="utf-8"
    )
    edits = [["set", CASE_ID, f, f"edited-{w}", "--repo", str(repo)] for w, f in enumerate(FIELDS)]
    [(results, _)] = rounds_at_once(
        [[*edits[:4], ["encrypt", "--repo", str(repo)], *edits[4:]]], repo / CASE, tmp_path
    )
    data = case_data(repo)
    for w, (field, result) in enumerate(zip(FIELDS, [*results[:4], *results[5:]], strict=True)):
        if result[0] == ExitCode.OK:
            assert value_at(data, field) == f"edited-{w}", result
        else:
            assert_refused(result)
    fmt = CaseFormat.for_repo(CaseRepo(repo))
    if results[4][0] == ExitCode.OK:
        assert plain_sensitive(data, fmt.sensitive) == []
    else:
        assert_refused(results[4])


# --- the lock: waiting, giving up, and a killed holder ----------------------------------------------


def test_a_writer_gives_up_after_the_timeout_and_changes_nothing(repo: Path) -> None:
    path = repo / CASE
    before = path.read_bytes()
    proc = holder(path, 60)
    try:
        start = time.monotonic()
        [result] = at_once([["set", CASE_ID, "district", "Waited", "--repo", str(repo)]])
        waited = time.monotonic() - start
    finally:
        stop(proc)
    assert_refused(result)
    assert "another cattool command is writing KG-2016-0001.yaml" in words(result[2])
    assert waited >= LOCK_TIMEOUT
    assert path.read_bytes() == before


def test_a_writer_killed_while_holding_the_lock_leaves_no_stale_lock(repo: Path) -> None:
    proc = holder(repo / CASE, 60)
    os.kill(proc.pid, signal.SIGKILL)
    assert stop(proc) == -signal.SIGKILL
    start = time.monotonic()
    [result] = at_once([["set", CASE_ID, "district", "After", "--repo", str(repo)]])
    assert result[0] == ExitCode.OK, result
    assert time.monotonic() - start < LOCK_TIMEOUT  # it did not wait for the dead process
    assert case_data(repo)["district"] == "After"
    assert_no_file_left(repo)


def test_a_writer_waits_for_the_holder_then_reads_what_it_wrote(tmp_path: Path) -> None:
    path = tmp_path / "case.yaml"
    path.write_text("one\n", encoding="utf-8")
    seen: list[bytes | None] = []
    with held_for_update(path) as first:
        waiter = threading.Thread(
            target=lambda: seen.append(_read_held(path)), daemon=True
        )  # flock: two descriptors exclude each other, even in one process
        waiter.start()
        time.sleep(0.3)
        assert seen == []  # still waiting
        first.replace("two\n")  # a new file renamed into place: the waiter locked the old one
    waiter.join(LOCK_TIMEOUT)
    assert seen == [b"two\n"]


def _read_held(path: Path) -> bytes | None:
    with held_for_update(path) as held:
        return held.raw


def test_the_timeout_refuses_with_the_file_name(tmp_path: Path) -> None:
    path = tmp_path / "KG-2016-0001.yaml"
    path.write_text("one\n", encoding="utf-8")
    with held_for_update(path), pytest.raises(RefusedError) as refused:  # noqa: SIM117
        with held_for_update(path, timeout=0.2):
            pytest.fail("took a lock held by another descriptor")
    assert refused.value.exit_code == ExitCode.REFUSED
    assert str(refused.value).startswith("another cattool command is writing KG-2016-0001.yaml; ")
    assert path.read_text(encoding="utf-8") == "one\n"


# --- compare-and-swap: the file changed between the read and the write ----------------------------


def test_a_file_changed_since_it_was_read_is_not_replaced(tmp_path: Path) -> None:
    path = tmp_path / "KG-2016-0001.yaml"
    path.write_text("one\n", encoding="utf-8")
    token = content_token(path.read_bytes())
    path.write_text("changed by an editor\n", encoding="utf-8")
    with pytest.raises(RefusedError) as refused:
        replace_if_unchanged(path, "two\n", token)
    assert refused.value.exit_code == ExitCode.REFUSED
    assert "KG-2016-0001.yaml was changed by someone else" in str(refused.value)
    assert "run the command again" in str(refused.value)
    assert path.read_text(encoding="utf-8") == "changed by an editor\n"
    assert [p.name for p in tmp_path.iterdir()] == ["KG-2016-0001.yaml"]  # no temporary file left

    replace_if_unchanged(path, "two\n", content_token(path.read_bytes()))
    assert path.read_text(encoding="utf-8") == "two\n"


def test_a_new_file_never_replaces_one_that_appeared(tmp_path: Path) -> None:
    path = tmp_path / "new" / "KG-2016-0002.yaml"
    with held_for_update(path) as held:  # no file yet: its folder is held (and made)
        assert (held.raw, held.token) == (None, ABSENT)
        path.write_text("someone else's\n", encoding="utf-8")
        with pytest.raises(RefusedError):
            held.replace("ours\n")
    assert path.read_text(encoding="utf-8") == "someone else's\n"
    with held_for_update(tmp_path / "new" / "KG-2016-0003.yaml") as held:
        held.replace("ours\n")
    assert (tmp_path / "new" / "KG-2016-0003.yaml").read_text(encoding="utf-8") == "ours\n"


def test_an_edit_of_a_case_changed_meanwhile_is_refused(repo: Path) -> None:
    path = repo / CASE
    with edit_case(path) as edit:
        edit.data["district"] = "Ours"
        text = path.read_text(encoding="utf-8").replace("district: Sokuluk", "district: Theirs")
        path.write_text(text, encoding="utf-8")  # another program, which takes no lock
        with pytest.raises(RefusedError) as refused:
            save_validated(CaseRepo(repo, {}), path, edit.dump(), held=edit.held)
    assert "was changed by someone else" in str(refused.value)
    assert case_data(repo)["district"] == "Theirs"


def test_migrate_refuses_a_file_changed_since_it_was_planned(
    make_repo: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    import cattool.files
    from cattool.migrate import migrate_repository

    root = make_repo({"cattool.yaml": 'cattool:\n  schema_version: "1.0"\n'})
    examples = Path(__file__).parent / "examples" / "format-1.0"
    for source in sorted(examples.glob("*.yaml")):
        (root / "cases" / source.name[:2]).mkdir(parents=True, exist_ok=True)
        (root / "cases" / source.name[:2] / source.name).write_bytes(source.read_bytes())
    first = sorted((root / "cases").rglob("*.yaml"))[0]
    hold = cattool.files.held_for_update

    def meanwhile(path: Path, **kwargs: Any) -> Any:
        if path == first:  # someone edits the file after the plan, before the write
            path.write_bytes(path.read_bytes() + b"# edited meanwhile\n")
        return hold(path, **kwargs)

    monkeypatch.setattr(cattool.files, "held_for_update", meanwhile)
    case_repo = CaseRepo(root, {})
    from cattool.caseformat import CaseFormat

    countries = CaseFormat.for_repo(case_repo).countries
    with pytest.raises(RefusedError) as refused:
        migrate_repository(case_repo, countries, [root / "cases"], write=True)
    assert f"{first.name} was changed by someone else" in str(refused.value)
    assert "0 file(s) before it were upgraded" in str(refused.value)
    assert first.read_bytes().endswith(b"# edited meanwhile\n")
    assert b'schema_version: "1.0"' in first.read_bytes()


def test_a_dangling_link_is_no_file_and_is_never_replaced(tmp_path: Path) -> None:
    path = tmp_path / "KG-2016-0004.yaml"
    path.symlink_to(tmp_path / "gone.yaml")
    with held_for_update(path, timeout=1) as held:
        assert held.raw is None
        with pytest.raises(RefusedError):
            held.replace("ours\n")
    assert path.is_symlink() and not (tmp_path / "gone.yaml").exists()


def test_on_windows_no_lock_is_taken_but_the_content_check_stays(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import cattool.files

    path = tmp_path / "KG-2016-0001.yaml"
    path.write_text("one\n", encoding="utf-8")
    monkeypatch.setattr(cattool.files.sys, "platform", "win32")
    with held_for_update(path) as first, held_for_update(path, timeout=0) as second:
        assert first.raw == second.raw == b"one\n"  # no lock: both have it at once
        first.replace("two\n")
        with pytest.raises(RefusedError) as refused:
            second.replace("three\n")
    assert "was changed by someone else" in str(refused.value)
    assert path.read_text(encoding="utf-8") == "two\n"
