"""jsonschema-rs answers "valid?" for the common case; it must never accept what jsonschema rejects.

cattool trusts its yes and asks jsonschema for the details of every no, so the only way the fast
path could change a result is a document jsonschema-rs finds valid and jsonschema does not.
"""

from __future__ import annotations

import copy
import random
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from cattool.caseformat import CaseFormat
from cattool.loading import LoadedCase, read_case
from cattool.repo import CaseRepo, builtin_dir

PROJECT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def fmt() -> CaseFormat:
    fmt = CaseFormat.for_repo(CaseRepo(builtin_dir()))
    if fmt.fast is None:
        pytest.skip("jsonschema-rs is not installed: cattool runs on jsonschema alone")
    return fmt


def documents() -> list[tuple[str, Any]]:
    found = []
    for path in sorted((PROJECT / "tests" / "examples").rglob("*.yaml")) + sorted(
        (PROJECT / "cases").rglob("*.yaml")
    ):
        loaded = read_case(path)  # what cattool hands to the schema: none of the files it refuses
        if not isinstance(loaded, LoadedCase):
            continue
        data = loaded.data
        if _text_keys(data):  # cattool refuses other keys before any schema check (key-not-text)
            found.append((path.name, data))
    return found


def _text_keys(node: Any) -> bool:
    if isinstance(node, dict):
        return all(isinstance(k, str) and _text_keys(v) for k, v in node.items())
    if isinstance(node, list):
        return all(_text_keys(v) for v in node)
    return True


def mutations(data: Any, rng: random.Random, n: int) -> list[Any]:
    """Copies of a case with one value replaced by a value of another kind."""
    paths: list[tuple[Any, ...]] = []

    def walk(node: Any, path: tuple[Any, ...]) -> None:
        paths.append(path)
        if isinstance(node, dict):
            for k, v in node.items():
                walk(v, (*path, k))
        elif isinstance(node, list):
            for i, v in enumerate(node):
                walk(v, (*path, i))

    walk(data, ())
    replacements = [None, 0, -1, 1.5, True, "", "x" * 3, "2016-13-45", [], {}, ["x"], {"a": 1}]
    out = []
    for _ in range(n):
        path = rng.choice(paths[1:])
        copy_ = copy.deepcopy(data)
        node = copy_
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = rng.choice(replacements)
        out.append(copy_)
    return out


def test_the_fast_path_never_accepts_what_jsonschema_rejects(fmt: CaseFormat) -> None:
    rng = random.Random(7)
    checked = disagreements = 0
    for name, data in documents():
        for candidate in [data, *mutations(data, rng, 20)] if isinstance(data, dict) else [data]:
            python_errors = list(fmt.validator.iter_errors(candidate))
            if fmt.fast.is_valid(candidate) and python_errors:
                disagreements += 1
                pytest.fail(f"{name}: jsonschema-rs accepts, jsonschema says {python_errors[0]}")
            checked += 1
    assert checked > 1500 and disagreements == 0


def test_validate_gives_the_same_report_with_and_without_the_fast_path(tmp_path: Path) -> None:
    out = tmp_path / "generated"
    subprocess.run(
        [sys.executable, str(PROJECT / "bench" / "generate.py"), str(out), "--n", "120",
         "--seed", "11", "--invalid", "0.2"],
        check=True, capture_output=True,
    )  # fmt: skip
    script = (
        "import sys, cattool.caseformat as v\n"
        "if sys.argv[1] == 'slow': v._fast_validator = lambda schema: None\n"
        "from cattool.cli import main\n"
        "sys.argv = ['cattool', 'validate', '--repo', sys.argv[2]]\n"
        "main()\n"
    )
    runs = [
        subprocess.run(
            [sys.executable, "-c", script, mode, str(out)], capture_output=True, text=True
        )
        for mode in ("fast", "slow")
    ]
    assert runs[0].returncode == runs[1].returncode == 1
    assert runs[0].stdout == runs[1].stdout
    assert runs[0].stdout.count("\n") >= 20
