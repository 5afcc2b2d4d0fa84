"""cattool starts fast: importing the CLI loads none of the heavy libraries a command may need."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

HEAVY = {
    "jsonschema", "jsonschema_rs", "pandas", "numpy", "matplotlib", "docx", "openpyxl",
    "pyrage", "holidays", "jinja2", "ruamel", "referencing",
}  # fmt: skip


def loaded_after(code: str) -> set[str]:
    script = f"import sys, json\n{code}\nprint(json.dumps(sorted({{m.split('.')[0] for m in sys.modules}})))"
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    return set(json.loads(done.stdout.splitlines()[-1]))


def test_importing_the_cli_loads_no_heavy_library() -> None:
    assert loaded_after("import cattool.cli") & HEAVY == set()


def test_help_loads_no_heavy_library() -> None:
    code = (
        "from cattool.cli import app\n"
        "try:\n    app(['--help'], prog_name='cattool')\nexcept SystemExit:\n    pass"
    )
    assert loaded_after(code) & HEAVY == set()


def test_validate_loads_neither_pandas_nor_the_document_libraries(tmp_path) -> None:
    (tmp_path / "cattool.yaml").write_text("cattool:\n  schema_version: '1.0'\n", "utf-8")
    code = (
        "import os\nos.environ['CATTOOL_NO_CACHE'] = '1'\n"
        "from cattool.cli import app\n"
        f"try:\n    app(['validate', '--repo', {str(tmp_path)!r}], prog_name='cattool')\n"
        "except SystemExit:\n    pass"
    )
    loaded = loaded_after(code)
    # nor rich: a validate that prints plain lines does not pay for importing it
    assert (
        loaded & {"pandas", "matplotlib", "docx", "openpyxl", "pyrage", "jinja2", "rich"} == set()
    )


def test_validating_a_valid_file_does_not_load_jsonschema(tmp_path) -> None:
    """The fast path (jsonschema-rs) says the file is valid; jsonschema is only for errors."""
    from pathlib import Path

    model = Path(__file__).resolve().parent.parent / "cases" / "KG" / "KG-2016-0001.yaml"
    repo = tmp_path / "repo"
    (repo / "cases" / "KG").mkdir(parents=True)
    (repo / "cattool.yaml").write_text("cattool:\n  schema_version: '1.0'\n", "utf-8")
    (repo / "cases" / "KG" / model.name).write_bytes(model.read_bytes())
    code = (
        "import os\nos.environ['CATTOOL_NO_CACHE'] = '1'\n"
        "from cattool.cli import app\n"
        f"try:\n    app(['validate', '--repo', {str(repo)!r}], prog_name='cattool')\n"
        "except SystemExit as exit:\n    assert exit.code == 0, exit.code"
    )
    loaded = loaded_after(code)
    assert "jsonschema_rs" in loaded
    assert "jsonschema" not in loaded


# --- only the module of the command being run is imported ---------------------------------------

COMMAND_MODULES_DIR = Path(__file__).resolve().parent.parent / "cattool" / "cli"


def test_commands_names_every_command_of_the_app_with_the_module_that_defines_it() -> None:
    import importlib

    import typer
    import typer.main

    from cattool.cli import COMMANDS, MODULE_ORDER, app, build_app

    full = typer.main.get_command(app)
    assert sorted(full.commands) == sorted(COMMANDS)
    for module in MODULE_ORDER:
        alone = typer.main.get_command(build_app([module]))
        # exactly the commands COMMANDS gives this module: none missing, none extra
        assert sorted(alone.commands) == sorted(c for c, m in COMMANDS.items() if m == module)
    # and no module of cattool/cli/ defines commands that COMMANDS forgets
    with_commands = {
        path.stem
        for path in COMMAND_MODULES_DIR.glob("*.py")
        if not path.stem.startswith("_")
        and isinstance(
            getattr(importlib.import_module(f"cattool.cli.{path.stem}"), "app", None), typer.Typer
        )
    }
    assert with_commands == set(MODULE_ORDER)


def modules_after_main(argv: list[str], cwd: Path | None = None) -> tuple[int, set[str]]:
    """The exit code of ``cattool.cli.main()`` with this command line, and every module loaded."""
    script = (
        "import json, sys\n"
        f"sys.argv = ['cattool', *{argv!r}]\n"
        "import cattool.cli\n"
        "try:\n    cattool.cli.main()\n    code = 0\n"
        "except SystemExit as exit:\n    code = exit.code or 0\n"
        "print(json.dumps([code, sorted(sys.modules)]))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        check=True,
        cwd=cwd,
        env={**os.environ, "CATTOOL_NO_CACHE": "1"},
    )
    code, modules = json.loads(done.stdout.splitlines()[-1])
    return code, set(modules)


def command_modules(loaded: set[str]) -> set[str]:
    from cattool.cli import MODULE_ORDER

    return {m for m in MODULE_ORDER if f"cattool.cli.{m}" in loaded}


def valid_repo(tmp_path: Path) -> Path:
    model = Path(__file__).resolve().parent.parent / "cases" / "KG" / "KG-2016-0001.yaml"
    repo = tmp_path / "repo"
    (repo / "cases" / "KG").mkdir(parents=True)
    (repo / "cattool.yaml").write_text("cattool:\n  schema_version: '1.0'\n", "utf-8")
    (repo / "cases" / "KG" / model.name).write_bytes(model.read_bytes())
    return repo


@pytest.mark.parametrize(
    ("argv", "module"),
    [
        (["validate", "--repo", "{repo}"], "validate"),
        (["--traceback", "validate", "--repo", "{repo}"], "validate"),
        (["stats", "--help"], "stats"),
        (["cache", "clear", "--repo", "{repo}"], "keys"),
    ],
)
def test_a_command_imports_only_its_own_module(
    tmp_path: Path, argv: list[str], module: str
) -> None:
    repo = valid_repo(tmp_path)
    code, loaded = modules_after_main([a.format(repo=repo) for a in argv])
    assert code == 0
    assert command_modules(loaded) == {module}


def test_a_mistyped_command_builds_the_whole_app_for_its_message(tmp_path: Path) -> None:
    from cattool.cli import MODULE_ORDER

    code, loaded = modules_after_main(["VALIDAT"])
    assert code == 2
    assert command_modules(loaded) == set(MODULE_ORDER)


def test_python_m_cattool_validate_imports_no_other_command_module(tmp_path: Path) -> None:
    """The real entry point, run as ``python -m cattool`` runs it (runpy, cattool/__main__.py);
    the modules loaded are written at exit. (-X importtime cannot tell: it does not list modules
    loaded by importlib.import_module, as build_app loads the command modules.)"""
    repo = valid_repo(tmp_path)
    listing = tmp_path / "modules.json"
    script = (
        "import atexit, json, runpy, sys\n"
        f"sys.argv = ['cattool', 'validate', '--repo', {str(repo)!r}]\n"
        f"atexit.register(lambda: open({str(listing)!r}, 'w').write(json.dumps(sorted(sys.modules))))\n"
        "runpy.run_module('cattool', run_name='__main__', alter_sys=True)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        env={**os.environ, "CATTOOL_NO_CACHE": "1"},
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "1 case file checked" in done.stderr  # validate really ran
    loaded = set(json.loads(listing.read_text(encoding="utf-8")))
    assert {"cattool.cli", "cattool.validation"} <= loaded
    assert command_modules(loaded) == {"validate"}


def run_cattool(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cattool", *args],
        capture_output=True,
        text=True,
        env={**os.environ, "CATTOOL_NO_CACHE": "1", "CATTOOL_TRACEBACK": ""},
    )


def test_traceback_before_the_command(tmp_path: Path) -> None:
    repo = valid_repo(tmp_path)
    plain = run_cattool("validate", "--repo", str(repo))
    traced = run_cattool("--traceback", "validate", "--repo", str(repo))
    assert plain.returncode == traced.returncode == 0
    assert (traced.stdout, traced.stderr) == (plain.stdout, plain.stderr)
    assert "1 case file checked" in traced.stderr

    # the option still does its work when only the command's module is built
    nowhere = tmp_path / "nowhere"
    nowhere.mkdir()
    quiet = run_cattool("validate", "--repo", str(nowhere))
    assert quiet.returncode == 3 and "Traceback" not in quiet.stderr
    assert quiet.stderr.startswith("cattool: ") and "no cattool.yaml" in quiet.stderr
    loud = run_cattool("--traceback", "validate", "--repo", str(nowhere))
    assert loud.returncode == 1
    assert "Traceback (most recent call last)" in loud.stderr
    assert "CattoolError" in loud.stderr and "no cattool.yaml" in loud.stderr


@pytest.mark.parametrize(
    ("word", "hint"), [("VALIDAT", None), ("validat", "Did you mean 'validate'?")]
)
def test_a_mistyped_command_is_a_usage_error_naming_it(word: str, hint: str | None) -> None:
    done = run_cattool(word)
    assert done.returncode == 2
    assert done.stdout == ""
    assert f"No such command '{word}'" in done.stderr
    assert done.stderr.startswith("Usage: cattool ")
    if hint:
        assert hint in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize("argv", [["--help", "validate"], ["-h", "stats"]])
def test_help_before_a_command_lists_every_command(argv: list[str]) -> None:
    """``cattool --help validate`` is the tool's help (click answers --help where it stands), so
    it must list every command, not only the one named after it."""
    from cattool.cli import COMMANDS, MODULE_ORDER

    done = subprocess.run(
        [sys.executable, "-m", "cattool", *argv], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    commands = done.stdout.split("Commands:")[1].splitlines()
    listed = {m[1] for line in commands if (m := re.match(r"^  (\S+)", line))}
    assert listed == set(COMMANDS)
    code, loaded = modules_after_main(argv)
    assert code == 0
    assert command_modules(loaded) == set(MODULE_ORDER)
