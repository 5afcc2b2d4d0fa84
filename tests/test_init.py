"""cattool init: a real git repository in tmp_path, and a real pre-commit hook that blocks a bad case."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cattool.cli import app

runner = CliRunner()
BIN = Path(sys.executable).parent


def git(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=False)


def test_init_creates_a_working_repository(tmp_path: Path, model_case_text: str) -> None:
    target = tmp_path / "cases-kg"
    result = runner.invoke(
        app, ["init", str(target), "--coalition", "Coalition against Torture in Kyrgyzstan"]
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == f"Created the case repository {target} (11 files)."
    for name in [
        "cattool.yaml",
        "README.md",
        ".gitignore",
        ".pre-commit-config.yaml",
        ".github/workflows/validate.yml",
        ".gitlab-ci.yml",
        "schemas/README.md",
        "templates/README.md",
        "cases/KZ/.gitkeep",
        "cases/KG/.gitkeep",
        "cases/TJ/.gitkeep",
    ]:
        assert (target / name).is_file(), name
    readme = (target / "README.md").read_text(encoding="utf-8")
    assert readme.startswith("# Coalition against Torture in Kyrgyzstan: case repository\n")
    assert "$" not in (target / ".gitlab-ci.yml").read_text(encoding="utf-8").replace(
        "$CI", ""
    ).replace("$CATTOOL_PIP_SPEC", "")
    ignored = (target / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert "/out/" in ignored and "*.key" in ignored

    log = git(target, "log", "--format=%s")
    assert log.stdout.strip() == "Create the case repository (cattool init)"
    assert git(target, "status", "--porcelain").stdout == ""
    assert git(target, "branch", "--show-current").stdout.strip() == "main"

    # It works at once: empty, then with a case, from a subfolder too.
    os.chdir(target / "cases" / "KG")
    try:
        first = runner.invoke(app, ["validate"])
        assert first.exit_code == 0
        assert first.stderr == "0 case files checked: all valid\n"
        (target / "cases" / "KG" / "KG-2016-0001.yaml").write_text(
            model_case_text, encoding="utf-8"
        )
        second = runner.invoke(app, ["validate"])
        assert second.exit_code == 0, second.output
        assert second.stderr == "1 case file checked: all valid\n"
    finally:
        os.chdir(tmp_path)


def test_init_refuses_a_folder_that_is_not_empty(tmp_path: Path) -> None:
    target = tmp_path / "existing"
    target.mkdir()
    (target / "notes.txt").write_text("keep me", encoding="utf-8")
    result = runner.invoke(app, ["init", str(target)])
    assert result.exit_code == 4
    assert result.stdout == ""
    assert result.stderr.startswith(f"cattool: {target} already exists and is not empty;")
    assert (target / "notes.txt").read_text(encoding="utf-8") == "keep me"
    assert sorted(p.name for p in target.iterdir()) == ["notes.txt"]


def test_init_accepts_an_empty_folder(tmp_path: Path) -> None:
    target = tmp_path / "empty"
    target.mkdir()
    result = runner.invoke(app, ["init", str(target), "--no-commit"])
    assert result.exit_code == 0, result.output
    assert git(target, "log").returncode != 0  # no commit was made
    assert "cattool.yaml" in git(target, "diff", "--cached", "--name-only").stdout


def test_repo_option_points_at_the_repository(tmp_path: Path) -> None:
    target = tmp_path / "r"
    assert runner.invoke(app, ["init", str(target)]).exit_code == 0
    result = runner.invoke(app, ["validate", "--repo", str(target)])
    assert result.exit_code == 0
    assert result.stderr == "0 case files checked: all valid\n"


@pytest.mark.skipif(
    shutil.which("pre-commit", path=str(BIN)) is None,
    reason="pre-commit is not installed in this environment (it is in the dev group)",
)
def test_pre_commit_hook_blocks_an_invalid_case(tmp_path: Path, model_case_text: str) -> None:
    target = tmp_path / "coalition"
    assert runner.invoke(app, ["init", str(target)]).exit_code == 0
    env = {
        **os.environ,
        "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-cache"),
    }
    install = subprocess.run(
        [str(BIN / "pre-commit"), "install"],
        cwd=target,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert install.returncode == 0, install.stderr

    bad = model_case_text.replace("place_type: police_station", "place_type: polise_station")
    case = target / "cases" / "KG" / "KG-2016-0001.yaml"
    case.write_text(bad, encoding="utf-8")
    git(target, "add", "cases")
    blocked = subprocess.run(
        ["git", "commit", "-m", "Add a case"],
        cwd=target,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert blocked.returncode != 0
    out = blocked.stdout + blocked.stderr
    assert (
        "cases/KG/KG-2016-0001.yaml:51:17: incidents[0].place_type: 'polise_station' is not a "
        "place type; did you mean 'police_station'? [enum]" in out
    )
    assert (
        git(target, "log", "--format=%s").stdout.strip()
        == "Create the case repository (cattool init)"
    )

    case.write_text(model_case_text, encoding="utf-8")
    git(target, "add", "cases")
    passed = subprocess.run(
        ["git", "commit", "-m", "Add a case"],
        cwd=target,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert git(target, "log", "-1", "--format=%s").stdout.strip() == "Add a case"
