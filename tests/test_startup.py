"""cattool starts fast: importing the CLI loads none of the heavy libraries a command may need."""

from __future__ import annotations

import json
import subprocess
import sys

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
    assert loaded & {"pandas", "matplotlib", "docx", "openpyxl", "pyrage", "jinja2"} == set()


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
