"""``cattool init``: create a coalition's own case repository that works at once."""

from __future__ import annotations

from pathlib import Path
from string import Template

from cattool import __version__
from cattool.errors import CattoolError, ExitCode, RefusedError
from cattool.repo import git

SKELETON = Path(__file__).resolve().parent / "skeleton"

# skeleton file -> place in the new repository
FILES = {
    "cattool.yaml": "cattool.yaml",
    "README.md": "README.md",
    "gitignore": ".gitignore",
    "pre-commit-config.yaml": ".pre-commit-config.yaml",
    "github-validate.yml": ".github/workflows/validate.yml",
    "gitlab-ci.yml": ".gitlab-ci.yml",
    "schemas-README.md": "schemas/README.md",
    "templates-README.md": "templates/README.md",
}
COUNTRY_FOLDERS = ("KZ", "KG", "TJ")


def init_repo(path: Path, coalition: str, *, commit: bool = True) -> list[Path]:
    """Create the repository at ``path`` and return the files written (relative to ``path``).

    Refuses a folder that exists and is not empty, so nothing of the user's is ever overwritten.
    """
    if path.exists() and (not path.is_dir() or any(path.iterdir())):
        raise RefusedError(
            f"{path} already exists and is not empty; cattool init writes only into a new or "
            "empty folder, so nothing of yours is overwritten. Choose another path."
        )
    values = {"coalition": coalition, "version": __version__}
    written: list[Path] = []
    path.mkdir(parents=True, exist_ok=True)
    for source, target in FILES.items():
        text = Template((SKELETON / source).read_text(encoding="utf-8")).substitute(values)
        out = path / target
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")
        written.append(Path(target))
    for country in COUNTRY_FOLDERS:
        keep = path / "cases" / country / ".gitkeep"
        keep.parent.mkdir(parents=True, exist_ok=True)
        keep.touch()
        written.append(keep.relative_to(path))

    git(path, "init", "--quiet")
    git(path, "symbolic-ref", "HEAD", "refs/heads/main")
    git(path, "add", "--all")
    if commit:
        result = git(
            path,
            "commit",
            "--quiet",
            "-m",
            "Create the case repository (cattool init)",
            check=False,
        )
        if result.returncode != 0:
            raise CattoolError(
                f"The repository was created in {path} and its files are staged, but git could not "
                "commit them (is your git user.name and user.email set?). Commit them yourself "
                "with: git commit -m 'Create the case repository'",
                ExitCode.CONFIG,
            )
    return written
