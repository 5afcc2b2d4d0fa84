"""Make the cattool under test start as an installed one does.

`pip install cattool` (a wheel) compiles every module to bytecode at install time. An editable
install (`pip install -e .`) compiles a module when it is first imported, and never when
PYTHONDONTWRITEBYTECODE is set (this project's CI machine sets it): every run would then compile
all of cattool's modules again, about 0.1 s that no user pays, while the libraries it is compared
with (Typer, check-jsonschema) are installed with their bytecode. Every benchmark calls
``precompile()`` first so that the comparison is fair.
"""

from __future__ import annotations

import compileall
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "cattool"


def precompile() -> None:
    compileall.compile_dir(str(PACKAGE), quiet=1)
