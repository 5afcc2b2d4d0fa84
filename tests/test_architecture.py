"""Imports run one way, downwards, through the layers docs/architecture.md draws; no module takes
another module's private names. Read from the source (ast), so a lazy import inside a function
counts as much as one at the top."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "cattool"

# From the ground up; a module may import its own layer and the ones below it.
LAYERS: list[tuple[str, tuple[str, ...]]] = [
    ("base", ("errors", "problems", "dates", "sealed", "texts", "versions", "russian", "workdays")),
    (
        "case format and loading",
        (
            "loading",
            "privacy",
            "vocabularies",
            "countries",
            "repo",
            "caseformat",
            "checks",
            "files",
            "outputs",
            "roundtrip",
        ),
    ),
    ("procedure and the law in time", ("procedure", "facts")),
    (
        "storage, encryption and cache",
        ("crypto", "cache", "validation", "cases", "editing", "intake", "migrate", "scaffold"),
    ),
    ("documents and views", ("letters", "rendering", "summary")),
    ("figures, exports and review", ("stats", "stats_output", "export", "diffing")),
    ("command line", ("cli", "__main__", "__init__")),
]
LAYER_OF = {name: rank for rank, (_, names) in enumerate(LAYERS) for name in names}


def _module(path: Path) -> str:
    return ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts)


def _top(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def _imports(path: Path) -> list[tuple[int, str, list[str]]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("cattool"):
            found.append((node.lineno, node.module, [a.name for a in node.names]))
        elif isinstance(node, ast.Import):
            found += [(node.lineno, a.name, []) for a in node.names if a.name.startswith("cattool")]
    return found


FILES = sorted(PACKAGE.rglob("*.py"))


def test_every_module_has_a_layer() -> None:
    assert sorted({_top(_module(p)) for p in FILES} - set(LAYER_OF)) == []


def test_imports_run_downwards_only() -> None:
    upward = []
    for path in FILES:
        here = _module(path)
        rank = LAYER_OF[_top(here)]
        for line, target, _ in _imports(path):
            if target == "cattool":
                continue
            if LAYER_OF[_top(target)] > rank:
                upward.append(f"{path.relative_to(PACKAGE.parent)}:{line}: {here} -> {target}")
    assert upward == []


def test_no_module_takes_another_modules_private_names() -> None:
    private = [
        f"{path.relative_to(PACKAGE.parent)}:{line}: {name} from {target}"
        for path in FILES
        for line, target, names in _imports(path)
        for name in names
        if name.startswith("_")
        and not (name.startswith("__") and name.endswith("__"))  # __version__ is public
        and not _module(path).startswith(target + ".")  # a package's own private module
    ]
    assert private == []
