"""A run is never held hostage by one file.

1. A property test: whatever YAML constructs a document holds (tags at the top or inside, anchors
   and aliases, several documents, over-long integers, odd scalars), reading and checking it gives
   a result or problems of that file, never an exception.
2. Each hostile kind of file (a named pipe, a socket, a loop of links, a link out of the
   repository, a huge integer, !!set, !!python/object, two documents, binary, UTF-16, a folder
   named x.yaml) put among the demo's good cases: validate (also --jobs 2), stats and list report
   the good ones exactly as before, report or skip the hostile one, and finish. What could block
   runs in a subprocess with a timeout, so that a regression fails instead of hanging.
3. A defect of cattool met on one file (an exception while it is checked, in this process or a
   worker, or a worker that dies) is an internal-error problem of that file; the other files are
   still checked and reported, and the run exits 70.
4. Control characters in a file name are escaped: one problem stays one line.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import socket
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path, PurePath
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from cattool import validation
from cattool.caseformat import CaseFormat
from cattool.checks import CheckContext
from cattool.cli import app
from cattool.loading import LoadedCase, read_case
from cattool.problems import INTERNAL_ERROR, Problem
from cattool.repo import CaseRepo

runner = CliRunner()
PROJECT = Path(__file__).resolve().parent.parent
MODEL = (PROJECT / "cases" / "KG" / "KG-2016-0001.yaml").read_text(encoding="utf-8")
CASE_COUNT = len(list((PROJECT / "cases").rglob("*.yaml")))
TIMEOUT = 120  # seconds for one command: a few at most; a blocked read would never end


# --- 1. property: any YAML construct is a result or a problem of that file ---------------------

ODD_SCALARS = [
    *("0x_", "0b_", "-0x_", "0o17", "0x1F", "0b101", "017", "09", "1_000", "1:20", "190:20:30.15"),
    *("+.5", ".inf", "-.Inf", ".NaN", "1e5", "12e03", "6.8523015e+5", "-0", "00", "+_1"),
    *("~", "null", "Null", "yes", "No", "on", "OFF", "y", "n", "=", "<<", "?", "-", ":"),
    *("2016-02-30", "2016-03-10T09:30:00Z", "2016-13-45 99:99", "2001-12-14t21:59:43.10-05:00"),
    *('"\\u0000"', '"\\x1b[31m"', '"a\\nb"', '"\\ud800"', "'it''s'", '"\\N\\_\\L\\P"', "''"),
    *("!!int abc", "!!int ''", "!!float x", "!!float ''", "!!bool maybe", "!!bool ''"),
    *("!!null x", "!!str 12", "!!timestamp nope", "!!binary aGVsbG8=", "!!binary '%%%'"),
    *("!custom x", "!<tag:example.com,2000:x> y", "!!python/object:os.system x"),
    *("!!python/name:os.system ''", "!!python/object/apply:os.system ['true']", "! x"),
    *("!!set {a, b}", "!!omap [a: 1, b: 2]", "!!pairs [a: 1]", "!!map [a]", "!!seq {a: 1}"),
    *("!!str [a]", "!!int [1]", "!!merge x", "!!value x", "!!yaml x", "&a x", "*a", "*nothing"),
    *("[a, *a]", "&a [1, 2]", "{&k a: b}", "{? [a]: b}", "{[a]: b}", "{1: a}", "{null: a}"),
    *("{a: 1, a: 2}", "{<<: {a: 1}}", "{<<: [{a: 1}]}", "[[[[[[]]]]]]", "{a: {b: {c: {}}}}"),
]
HUGE_INTS = st.one_of(
    st.integers(90, 6000).map(lambda n: "9" * n),
    st.integers(90, 6000).map(lambda n: "-1" + "0" * n),
    st.integers(90, 5000).map(lambda n: "0x" + "f" * n),
    st.integers(90, 5000).map(lambda n: "1" + "_0" * n),
    st.integers(3, 800).map(lambda n: "1" + ":59" * n),
)
SCALARS = st.one_of(st.sampled_from(ODD_SCALARS), HUGE_INTS, st.integers().map(str))
PREFIXES = st.sampled_from(["", "", "", "!!set ", "!!omap ", "!!map ", "!foo ", "&r ", "!!str "])
KEYS = st.sampled_from(
    ["case_id", "country", "victims", "incidents", "x_note", "legal_actions", "consent", "'1'"]
)


def _flow(tree: Any) -> str:
    """A tree of fragments as YAML flow text (the fragments are written as they are)."""
    if isinstance(tree, list):
        return "[" + ", ".join(_flow(item) for item in tree) + "]"
    if isinstance(tree, dict):
        return "{" + ", ".join(f"{key}: {_flow(value)}" for key, value in tree.items()) + "}"
    return str(tree)


TREES = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(KEYS, inner, max_size=4)
        | st.tuples(PREFIXES, inner).map(lambda p: p[0] + _flow(p[1]))
    ),
    max_leaves=12,
)
TOP = st.tuples(PREFIXES, st.dictionaries(KEYS, TREES, min_size=1, max_size=5)).map(
    lambda p: p[0] + _flow(p[1]) + "\n"
)
MODEL_LINES = MODEL.splitlines(keepends=True)


def _into_model(where_and_value: tuple[int, Any]) -> str:
    """The model case with the value of one of its ``key: value`` lines replaced."""
    where, value = where_and_value
    lines = [i for i, line in enumerate(MODEL_LINES) if ": " in line and not line.endswith(":\n")]
    index = lines[where % len(lines)]
    key = MODEL_LINES[index].split(": ", 1)[0]
    changed = [*MODEL_LINES]
    changed[index] = f"{key}: {_flow(value)}\n"
    return "".join(changed)


DOCUMENTS = st.one_of(
    TOP,
    st.tuples(st.integers(0, 400), TREES).map(_into_model),
    st.tuples(PREFIXES, st.just(MODEL)).map(lambda p: p[0] + "\n" + p[1]),  # a tag on the case
    st.lists(TOP, min_size=2, max_size=3).map("---\n".join),  # several documents
    st.tuples(TOP, st.sampled_from(["...\n", "--- |\n  text\n", "%YAML 1.1\n---\n"])).map("".join),
    st.just(MODEL + "---\n" + MODEL),
    st.tuples(st.integers(0, 400), HUGE_INTS).map(_into_model),
)


@pytest.fixture(scope="module")
def checker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[[str], Any]]:
    """Check one text as cases/KG/KG-2016-0001.yaml of a repository, as a worker does (and
    without the guard that would turn an exception into an internal-error problem)."""
    root = tmp_path_factory.mktemp("property") / "repo"
    (root / "cases" / "KG").mkdir(parents=True)
    shutil.copy(PROJECT / "cattool.yaml", root / "cattool.yaml")
    repo = CaseRepo(root, {})
    fmt = CaseFormat.for_repo(repo)
    ctx = CheckContext(fmt.countries, repo.organisations, dt.date(2026, 1, 1), False)
    path = root / "cases" / "KG" / "KG-2016-0001.yaml"
    relative = PurePath("KG/KG-2016-0001.yaml")

    def check(text: str) -> Any:
        path.write_bytes(text.encode("utf-8", errors="surrogatepass"))
        read = read_case(path)
        results = [
            validation.check_one_with_data(fmt, ctx, path, path, relative, want)
            for want in (None, "data", "facts")
        ]
        return read, results

    yield check


@settings(
    max_examples=400,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(text=DOCUMENTS)
def test_any_yaml_construct_is_a_result_or_a_problem_of_the_file(
    checker: Callable[[str], Any], text: str
) -> None:
    read, results = checker(text)
    assert isinstance(read, LoadedCase) or (read and all(isinstance(p, Problem) for p in read))
    if isinstance(read, LoadedCase):
        assert isinstance(read.data, dict)  # whatever the tags: a mapping of text keys
        assert all(isinstance(key, str) for key in read.data)
    for problems, *_ in results:
        assert all(p.code != INTERNAL_ERROR for p in problems)
        for problem in problems:
            assert "\n" not in str(problem)
            str(problem).encode("utf-8")  # printable, whatever the file holds


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("!!set {a, b}\n", "yaml-tag"),
        ("a: !!set {x, y}\n", "yaml-tag"),
        ("!!omap [a: 1]\n", "not-a-mapping"),
        ("a: !!python/object/apply:os.system ['touch /tmp/cattool-hacked']\n", "yaml-tag"),
        ("a: !!binary aGVsbG8=\n", "yaml-tag"),
        ("a: !custom x\n", "yaml-tag"),
        ("a: !!int abc\n", "yaml-tag"),
        ("a: 0x_\n", "yaml-tag"),
        ("a: !!bool maybe\n", "yaml-tag"),
        ("a: !!map [1]\n", "yaml-tag"),
        ("a: " + "1" * 5000 + "\n", "long-number"),
        ("a: [" + "9" * 101 + "]\n", "long-number"),
        ("a: 1\n---\nb: 2\n", "yaml-syntax"),
        ("a: b\x00c\n", "encoding"),
    ],
)
def test_each_construct_has_its_problem(tmp_path: Path, text: str, code: str) -> None:
    path = tmp_path / "KG-2016-0001.yaml"
    path.write_text(text, encoding="utf-8")
    found = read_case(path)
    assert isinstance(found, list)
    assert [p.code for p in found] == [code]
    assert not Path("/tmp/cattool-hacked").exists()


def test_plain_tags_and_an_unused_anchor_are_read(tmp_path: Path) -> None:
    path = tmp_path / "KG-2016-0001.yaml"
    path.write_text("a: !!str 12\nb: !!int '7'\nc: &x v\nd: " + "9" * 100 + "\n", "utf-8")
    found = read_case(path)
    assert isinstance(found, LoadedCase)
    assert found.data == {"a": "12", "b": 7, "c": "v", "d": int("9" * 100)}


# --- 2. hostile files among good ones ----------------------------------------------------------


def _fifo(path: Path) -> list[Path]:
    os.mkfifo(path)
    return [path]


def _socket(path: Path) -> list[Path]:
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    cwd = Path.cwd()
    os.chdir(path.parent)  # a short name to bind: a socket's path has a length limit
    try:
        server.bind(path.name)
    finally:
        os.chdir(cwd)
    server.close()  # the socket file stays
    return [path]


def _link(target: str) -> Callable[[Path], list[Path]]:
    def make(path: Path) -> list[Path]:
        path.symlink_to(target)
        return [path]

    return make


def _loop_pair(path: Path) -> list[Path]:
    other = path.with_name("loop-b.yaml")
    path.symlink_to(other.name)
    other.symlink_to(path.name)
    return [path, other]


def _leaving(path: Path) -> list[Path]:
    outside = path.parents[3] / "elsewhere" / "KG-2016-0001.yaml"
    outside.parent.mkdir(exist_ok=True)
    outside.write_text(MODEL, encoding="utf-8")
    path.symlink_to(outside)
    return [path]


def _content(data: bytes) -> Callable[[Path], list[Path]]:
    def make(path: Path) -> list[Path]:
        path.write_bytes(data)
        return [path]

    return make


def _folder(path: Path) -> list[Path]:
    path.mkdir()
    return [path]


def _model_with(extra: str) -> bytes:
    return (MODEL.replace("KG-2016-0001", "KG-2016-0ZZZ") + extra).encode()


# kind: (how to make it, the codes its file may have, whether a regression could block)
HOSTILE: dict[str, tuple[Callable[[Path], list[Path]], set[str], bool]] = {
    "fifo": (_fifo, {"not-a-file"}, True),
    "socket": (_socket, {"not-a-file"}, True),
    "link-loop": (_link("x.yaml"), {"unreadable"}, False),
    "link-loop-pair": (_loop_pair, {"unreadable"}, False),
    "link-to-nothing": (_link("nothing.yaml"), {"unreadable"}, False),
    "link-leaving": (_leaving, {"outside-repository"}, False),
    "link-to-device": (_link("/dev/zero"), {"outside-repository", "not-a-file"}, True),
    "huge-int": (_content(b"a: " + b"1" * 5000 + b"\n"), {"long-number"}, False),
    "huge-int-in-case": (
        _content(_model_with("x_ref: " + "7" * 5000 + "\n")),
        {"long-number"},
        False,
    ),
    "set": (_content(b"!!set {a, b}\n"), {"yaml-tag"}, False),
    "python-object": (
        _content(b"!!python/object/apply:os.system ['touch /tmp/cattool-hacked']\n"),
        {"not-a-mapping"},
        False,
    ),
    "python-object-inside": (
        _content(_model_with("x_run: !!python/object/apply:os.system ['true']\n")),
        {"yaml-tag"},
        False,
    ),
    "multi-document": (_content((MODEL + "---\n" + MODEL).encode()), {"yaml-syntax"}, False),
    "binary": (_content(bytes(range(256)) * 4), {"encoding"}, False),
    "nul": (_content(b"case_id: KG\x00\n"), {"encoding"}, False),
    "utf-16": (_content(MODEL.encode("utf-16")), {"encoding"}, False),
    "utf-16-no-bom": (_content(MODEL.encode("utf-16-le")), {"encoding"}, False),
    "folder": (_folder, {"not-a-file"}, False),
}


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the demo repository (its 48 good cases), with a warm cache."""
    root = tmp_path_factory.mktemp("hostile") / "a" / "repo"
    root.mkdir(parents=True)
    shutil.copy(PROJECT / "cattool.yaml", root / "cattool.yaml")
    shutil.copytree(PROJECT / "cases", root / "cases")
    return root


def _in_process(root: Path, args: list[str], env: dict[str, str]) -> tuple[int, str, str]:
    old = Path.cwd()
    os.chdir(root)
    try:
        result = runner.invoke(app, args, env=env)
    finally:
        os.chdir(old)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.stdout, result.stderr


def _subprocess(root: Path, args: list[str], env: dict[str, str]) -> tuple[int, str, str]:
    done = subprocess.run(
        [sys.executable, "-m", "cattool", *args],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,  # a read that blocks fails the test instead of hanging it
        env={**os.environ, **env},
        check=False,
    )
    return done.returncode, done.stdout, done.stderr


COMMANDS = {
    "validate": (["validate", "--format", "json"], {}),
    "validate-jobs-2": (["validate", "--format", "json", "--jobs", "2"], {"CATTOOL_NO_CACHE": "1"}),
    "stats": (["stats", "2016", "-f", "json"], {}),
    "list": (["list", "-f", "json"], {}),
}


def _outcomes(root: Path, run: Callable[..., tuple[int, str, str]]) -> dict[str, Any]:
    found = {}
    for name, (args, env) in COMMANDS.items():
        code, out, err = run(root, args, env)
        assert "Traceback" not in err and "internal error" not in err, (name, err)
        found[name] = (code, json.loads(out), err)
    return found


@pytest.fixture(scope="module")
def baseline(demo: Path) -> dict[str, Any]:
    found = _outcomes(demo, _in_process)
    assert found["validate"][1]["files_checked"] == CASE_COUNT
    return found


def _good_problems(report: dict[str, Any], hostile: list[str]) -> list[dict[str, Any]]:
    return [p for p in report["problems"] if not any(p["path"].startswith(h) for h in hostile)]


def _figures(stats: dict[str, Any]) -> dict[str, Any]:
    kept = {k: v for k, v in stats.items() if k not in ("provenance", "skipped_files")}
    provenance = {
        k: v
        for k, v in stats["provenance"].items()
        if k not in ("case_files_read", "case_files_skipped")
    }
    return {**kept, "provenance": provenance}


def _check_against(
    baseline: dict[str, Any], found: dict[str, Any], hostile: list[str], codes: set[str]
) -> None:
    for name in ("validate", "validate-jobs-2"):
        code, report, _ = found[name]
        assert code == 1, (name, report)
        before = baseline[name][1]
        assert report["files_checked"] == before["files_checked"] + len(hostile), name
        assert _good_problems(report, hostile) == _good_problems(before, hostile), name
        theirs = [p for p in report["problems"] if p not in _good_problems(report, hostile)]
        assert {p["path"] for p in theirs} == set(hostile), (name, theirs)
        assert {p["code"] for p in theirs} <= codes, (name, theirs)
    code, stats, err = found["stats"]
    assert code == 0, err
    assert _figures(stats) == _figures(baseline["stats"][1])
    assert stats["provenance"]["case_files_skipped"] == len(hostile)
    assert "skipped" in err
    code, rows, err = found["list"]
    assert code == 0, err
    assert rows == baseline["list"][1]
    assert all(f"skipped {h}" in err for h in hostile), err


@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_a_hostile_file_leaves_the_good_ones_alone(
    demo: Path, baseline: dict[str, Any], kind: str
) -> None:
    make, codes, may_block = HOSTILE[kind]
    try:
        made = make(demo / "cases" / "KG" / "x.yaml")
    except OSError as err:  # a socket's path too long for this system, say
        pytest.skip(f"cannot make a {kind} here: {err}")
    try:
        found = _outcomes(demo, _subprocess if may_block else _in_process)
        hostile = [str(p.relative_to(demo)) for p in made]
        _check_against(baseline, found, hostile, codes)
    finally:
        for path in made:
            if path.is_dir() and not path.is_symlink():
                path.rmdir()
            else:
                path.unlink()
    assert not Path("/tmp/cattool-hacked").exists()


def test_every_hostile_file_at_once(demo: Path, baseline: dict[str, Any]) -> None:
    made: list[Path] = []
    codes: set[str] = set()
    try:
        for n, (_kind, (make, kind_codes, _)) in enumerate(sorted(HOSTILE.items())):
            try:
                made += make(demo / "cases" / "TJ" / f"h{n}.yaml")
            except OSError:
                continue  # (a socket: see above)
            codes |= kind_codes
        found = _outcomes(demo, _subprocess)
        _check_against(baseline, found, [str(p.relative_to(demo)) for p in made], codes)
    finally:
        for path in made:
            if path.is_dir() and not path.is_symlink():
                path.rmdir()
            elif path.is_symlink() or path.exists():
                path.unlink()


def test_a_folder_named_on_the_command_line_is_read_inside_or_said_to_be_a_folder(
    demo: Path,
) -> None:
    folder = demo / "cases" / "KG" / "y.yaml"
    folder.mkdir()
    try:
        code, out, err = _in_process(demo, ["validate", "cases/KG/y.yaml"], {})
        assert code == 1
        assert out == (
            "cases/KG/y.yaml:1:1: (file): this is a folder, not a case file: give it a name that "
            "does not end in .yaml or .yml (the case files inside it are still checked) "
            "[not-a-file]\n"
        )
        shutil.copy(demo / "cases" / "KG" / "KG-2016-0001.yaml", folder / "KG-2016-0001.yaml")
        code, out, err = _in_process(demo, ["validate", "cases/KG/y.yaml"], {})
        assert "cases/KG/y.yaml/KG-2016-0001.yaml" in out  # read inside it (a second copy)
        assert "2 case files" in err
        code, out, err = _in_process(demo, ["validate", "cases/KG"], {})  # a folder, as meant
        assert code == 1 and "[not-a-file]" in out and "[duplicate-case-id]" in out
    finally:
        shutil.rmtree(folder)


def test_stats_into_a_folder_is_a_usage_error(demo: Path) -> None:
    (demo / "reports").mkdir(exist_ok=True)
    for args in (["-o", "reports"], ["-o", "reports", "--force"]):
        code, _, err = _in_process(demo, ["stats", "2016", "-f", "json", *args], {})
        assert code == 2, err
        assert "is a folder" in err


# --- 3. a defect of cattool met on one file -----------------------------------------------------

VICTIM = "KG-2016-0001"


@pytest.fixture
def defect_on_one_file(monkeypatch: pytest.MonkeyPatch) -> None:
    """Checking the case KG-2016-0001 raises, as a bug in a check would (in a forked worker too)."""
    real = validation._check_loaded

    def broken(fmt: Any, ctx: Any, loaded: LoadedCase, *args: Any) -> Any:
        if loaded.data.get("case_id") == VICTIM:
            raise ZeroDivisionError("a value from the case")
        return real(fmt, ctx, loaded, *args)

    monkeypatch.setattr(validation, "_check_loaded", broken)


@pytest.mark.parametrize("jobs", [[], ["--jobs", "2"]], ids=["one-process", "workers"])
def test_a_defect_on_one_file_is_its_problem_and_exit_70(
    demo: Path, baseline: dict[str, Any], defect_on_one_file: None, jobs: list[str]
) -> None:
    no_cache = {"CATTOOL_NO_CACHE": "1"}
    code, out, err = _in_process(demo, ["validate", "--format", "json", *jobs], no_cache)
    assert code == 70, err
    report = json.loads(out)
    assert report["files_checked"] == CASE_COUNT
    (problem,) = report["problems"]
    assert problem["path"] == f"cases/KG/{VICTIM}.yaml"
    assert problem["code"] == INTERNAL_ERROR
    assert "ZeroDivisionError" in problem["message"]
    assert "a value from the case" not in out + err
    assert (
        f"cattool: error: a defect in cattool stopped the check of 1 file(s): cases/KG/{VICTIM}"
        in err
    )
    assert "cattool --traceback validate" in err

    code, out, err = _in_process(demo, ["validate", *jobs], no_cache)
    assert code == 70
    assert out.endswith(f"[{INTERNAL_ERROR}]\n") and out.count("\n") == 1

    code, out, err = _in_process(demo, ["stats", "2016", "-f", "json", *jobs], no_cache)
    assert code == 70, err
    assert json.loads(out)["provenance"]["case_files_skipped"] == 1
    assert "cattool: error: a defect in cattool" in err

    code, out, err = _in_process(demo, ["list", "-f", "json"], no_cache)
    assert code == 70, err
    assert len(json.loads(out)) == CASE_COUNT - 1
    assert f"skipped cases/KG/{VICTIM}.yaml ({INTERNAL_ERROR})" in err


def test_traceback_shows_the_defect(demo: Path, defect_on_one_file: None) -> None:
    old = Path.cwd()
    os.chdir(demo)
    try:
        result = runner.invoke(
            app,
            ["--traceback", "validate", f"cases/KG/{VICTIM}.yaml"],
            env={"CATTOOL_NO_CACHE": "1"},
        )
    finally:
        os.chdir(old)
    assert isinstance(result.exception, ZeroDivisionError)
    from cattool.problems import DEFECTS

    assert DEFECTS.reraise is False  # for that command only


def _dies_in_a_worker(tasks: list[Any]) -> list[Any]:
    if os.getpid() != _MAIN_PID:
        os._exit(9)  # as a crash, or the kernel's out-of-memory killer, would end it
    raise AssertionError("only ever called in a worker")


_MAIN_PID = os.getpid()


def test_a_worker_that_dies_loses_no_file(
    demo: Path, baseline: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(validation, "_worker_batch", _dies_in_a_worker)
    code, out, err = _in_process(
        demo, ["validate", "--format", "json", "--jobs", "2"], {"CATTOOL_NO_CACHE": "1"}
    )
    assert code == baseline["validate-jobs-2"][0]
    assert json.loads(out) == baseline["validate-jobs-2"][1]
    assert "cattool: warning: the worker processes failed (BrokenProcessPool)" in err


# --- 4. names ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("bad\nname.yaml", "bad\\nname.yaml"),
        ("tab\tand\x1b[31mred.yaml", "tab\\tand\\x1b[31mred.yaml"),
        ("line\u2028sep.yaml", "line\\u2028sep.yaml"),
        (os.fsdecode(b"latin\xe9.yaml"), "latin\\xe9.yaml"),
    ],
    ids=["newline", "tab-and-escape", "line-separator", "not-utf-8"],
)
def test_control_characters_in_a_file_name_are_escaped(
    make_repo: Callable[..., Path], name: str, shown: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    try:
        root = make_repo({f"cases/KG/{name}": MODEL})
    except (OSError, UnicodeEncodeError) as err:
        pytest.skip(f"this file system refuses the name: {err}")
    monkeypatch.chdir(root)
    result = runner.invoke(app, ["validate"])
    assert result.exit_code == 1, result.output
    assert result.stdout.splitlines() == [
        f"cases/KG/{shown}:3:10: case_id: the file is named '{shown}' but the case_id is "
        "KG-2016-0001; rename the file to KG-2016-0001.yaml [file-name]"
    ]
    as_json = runner.invoke(app, ["validate", "--format", "json"])
    (problem,) = json.loads(as_json.stdout)["problems"]
    # JSON escapes a control character itself; a byte that is not UTF-8 is written as \xe9
    assert problem["path"] == f"cases/KG/{name}".replace("\udce9", "\\xe9")
    listed = runner.invoke(app, ["list"])
    assert listed.exit_code == 0
    assert "\n" not in listed.stderr.strip()
