"""The cache of checked cases gives exactly the results of a cold run, whatever changed.

Every test compares a run that may use the cache with a run that cannot (CATTOOL_NO_CACHE=1).
"""

from __future__ import annotations

import marshal
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cattool.cache import CACHE_DIR, CACHE_FILE
from cattool.cli import app

PROJECT = Path(__file__).resolve().parent.parent
CASE = "cases/KG/KG-2016-0001.yaml"
runner = CliRunner()


def validate(root: Path, monkeypatch: pytest.MonkeyPatch, *, cache: bool = True) -> tuple[int, str]:
    monkeypatch.setenv("CATTOOL_NO_CACHE", "" if cache else "1")
    result = runner.invoke(app, ["validate", "--repo", str(root)])
    return result.exit_code, result.stdout


def same_as_cold(root: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[int, str]:
    warm = validate(root, monkeypatch)
    cold = validate(root, monkeypatch, cache=False)
    assert warm == cold
    return warm


@pytest.fixture
def repo(make_repo: Callable[..., Path], model_case_text: str) -> Path:
    second = model_case_text.replace("case_id: KG-2016-0001", "case_id: KG-2016-0002")
    return make_repo({CASE: model_case_text, "cases/KG/KG-2016-0002.yaml": second})


def cache_file(root: Path) -> Path:
    return root / CACHE_DIR / CACHE_FILE


def test_a_warm_run_equals_a_cold_one_and_the_cache_ignores_itself(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert same_as_cold(repo, monkeypatch) == (0, "")
    assert cache_file(repo).is_file()
    assert (repo / CACHE_DIR / ".gitignore").read_text(encoding="utf-8").splitlines()[-1] == "*"
    entries = marshal.loads(cache_file(repo).read_bytes())["entries"]
    assert sorted(entries) == ["cases/KG/KG-2016-0001.yaml", "cases/KG/KG-2016-0002.yaml"]
    assert same_as_cold(repo, monkeypatch) == (0, "")  # now from the cache


def test_a_changed_file_is_checked_again(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    validate(repo, monkeypatch)
    case = repo / CASE
    text = case.read_text(encoding="utf-8")
    stat = case.stat()
    broken = text.replace("priority: high", "priority: hihg")
    assert len(broken) == len(text)
    case.write_text(broken, encoding="utf-8")
    os.utime(
        case, ns=(stat.st_atime_ns, stat.st_mtime_ns)
    )  # same size and time: the digest decides
    code, out = same_as_cold(repo, monkeypatch)
    assert code == 1 and "priority: 'hihg' is not" in out


def test_a_changed_schema_vocabulary_or_version_is_a_cold_run(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    validate(repo, monkeypatch)
    vocab = (PROJECT / "schemas" / "vocabularies.yaml").read_text(encoding="utf-8")
    (repo / "schemas").mkdir()
    # a repository copy of the vocabularies without 'high' and a schema to match would be long to
    # build; a copy that differs by a comment is enough to change the fingerprint
    (repo / "schemas" / "vocabularies.yaml").write_text(vocab + "\n# local copy\n", "utf-8")
    key_before = marshal.loads(cache_file(repo).read_bytes())["key"]
    assert same_as_cold(repo, monkeypatch) == (0, "")
    assert marshal.loads(cache_file(repo).read_bytes())["key"] != key_before

    import cattool

    monkeypatch.setattr(cattool, "__version__", "99.0")
    key_before = marshal.loads(cache_file(repo).read_bytes())["key"]
    assert same_as_cold(repo, monkeypatch) == (0, "")
    assert marshal.loads(cache_file(repo).read_bytes())["key"] != key_before


def test_a_deleted_file_leaves_the_cache(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    copy = repo / "cases" / "KG" / "KG-2016-0003.yaml"
    copy.write_text((repo / CASE).read_text(encoding="utf-8"), encoding="utf-8")
    code, out = same_as_cold(repo, monkeypatch)
    assert code == 1 and "[duplicate-case-id]" in out
    copy.unlink()
    assert same_as_cold(repo, monkeypatch) == (0, "")
    entries = marshal.loads(cache_file(repo).read_bytes())["entries"]
    assert "cases/KG/KG-2016-0003.yaml" not in entries


def test_a_corrupted_cache_is_rebuilt_with_a_warning(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    validate(repo, monkeypatch)
    cache_file(repo).write_bytes(b"\x00garbage")
    monkeypatch.setenv("CATTOOL_NO_CACHE", "")
    result = runner.invoke(app, ["validate", "--repo", str(repo)])
    assert (result.exit_code, result.stdout) == (0, "")
    assert "could not be read; it is rebuilt" in result.stderr
    assert marshal.loads(cache_file(repo).read_bytes())["entries"]


def test_two_processes_at_once(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (repo / CASE).write_text(
        (repo / CASE).read_text(encoding="utf-8").replace("priority: high", "priority: x"),
        encoding="utf-8",
    )
    expected = validate(repo, monkeypatch, cache=False)
    env = {**os.environ, "CATTOOL_NO_CACHE": ""}
    command = [sys.executable, "-m", "cattool", "validate", "--repo", str(repo)]
    procs = [
        subprocess.Popen(
            command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for _ in range(4)
    ]
    outputs = [(p.wait(), p.communicate()[0]) for p in procs]
    assert all(out == expected for out in outputs)
    assert validate(repo, monkeypatch) == expected  # the cache left behind is whole


def test_the_cache_never_holds_a_plain_sensitive_value_where_encryption_is_required(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = repo / "cattool.yaml"
    config.write_text(
        config.read_text(encoding="utf-8") + "encryption:\n  required: true\n", encoding="utf-8"
    )
    code, out = same_as_cold(repo, monkeypatch)
    assert code == 1 and "[plain-sensitive]" in out
    raw = cache_file(repo).read_bytes()
    assert b"Fictionov" not in raw and b"+996 555" not in raw


def test_cache_clear(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    validate(repo, monkeypatch)
    result = runner.invoke(app, ["cache", "clear", "--repo", str(repo)])
    assert result.exit_code == 0 and not (repo / CACHE_DIR).exists()
    again = runner.invoke(app, ["cache", "clear", "--repo", str(repo)])
    assert again.stdout == "no cache to remove\n"


@pytest.mark.parametrize(
    "text",
    ["victims: true\n", "incidents: 5\n", "victims: [1, {date_of_birth: 2000-01-01}]\n"],
)
def test_a_case_of_the_wrong_shape_is_cached_without_a_crash(
    make_repo: Callable[..., Path], monkeypatch: pytest.MonkeyPatch, text: str
) -> None:
    """Found by the property test: what goes into the cache is prepared from any shape of case."""
    root = make_repo({CASE: text})
    code, out = same_as_cold(root, monkeypatch)
    assert code == 1 and "[type]" in out


def test_a_file_saved_while_it_is_checked_is_checked_again_next_time(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An editor saves a case after cattool read it and before the run ends: the cache keeps
    the digest of the bytes that were checked, never of the new ones, so the next run reads the
    new text and finds its problem."""
    from cattool import loading, validation

    case = repo / CASE
    broken = case.read_text(encoding="utf-8").replace("priority: high", "priority: hihg")
    real = loading.read_case

    def read_then_save(path: Path, **options: object) -> object:
        loaded = real(path, **options)  # type: ignore[arg-type]
        if Path(path).name == case.name:
            case.write_text(broken, encoding="utf-8")  # saved during the run
        return loaded

    monkeypatch.setattr(validation, "read_case", read_then_save)
    assert validate(repo, monkeypatch) == (0, "")  # the text it read was valid
    monkeypatch.setattr(validation, "read_case", real)
    code, out = same_as_cold(repo, monkeypatch)
    assert code == 1 and "priority: 'hihg' is not" in out
