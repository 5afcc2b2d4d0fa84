"""Shared test set-up: a quiet terminal, no developer git config, and real repositories in tmp_path."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

# Before Typer is imported: plain, wide, colourless output whatever CI sets.
os.environ["TERMINAL_WIDTH"] = "200"
os.environ["_TYPER_FORCE_DISABLE_TERMINAL"] = "1"
os.environ.pop("GITHUB_ACTIONS", None)
os.environ["NO_COLOR"] = "1"

PROJECT = Path(__file__).resolve().parent.parent
MODEL_CASE = PROJECT / "cases" / "KG" / "KG-2016-0001.yaml"
REPO_CONFIG = 'cattool:\n  schema_version: "1.1"\n'


def build_tree(root: Path, files: dict[str, str | bytes]) -> Path:
    """Write ``{relative path: text or bytes}`` under ``root``; return ``root``."""
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


@pytest.fixture
def make_repo(tmp_path: Path) -> Callable[..., Path]:
    """A case repository in tmp_path with the given files (and a default cattool.yaml)."""

    def make(files: dict[str, str | bytes] | None = None, name: str = "repo") -> Path:
        root = tmp_path / name
        tree: dict[str, str | bytes] = {"cattool.yaml": REPO_CONFIG}
        tree.update(files or {})
        return build_tree(root, tree)

    return make


@pytest.fixture
def model_case_text() -> str:
    return MODEL_CASE.read_text(encoding="utf-8")


@pytest.fixture(autouse=True)
def _isolated_git(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Keep the developer's git configuration out; give commits a fixed identity."""
    home = tmp_path_factory.mktemp("home")
    config = home / ".gitconfig"
    config.write_text(
        "[user]\n\tname = Test Lawyer\n\temail = lawyer@example.org\n"
        "[init]\n\tdefaultBranch = main\n[commit]\n\tgpgsign = false\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(config))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("CATTOOL_TRACEBACK", raising=False)
