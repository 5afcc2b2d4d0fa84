"""Start-up time: `cattool --help` and `cattool validate ONE_FILE` next to an empty Typer app.

The floor is an empty Typer app: Python, Typer and Click starting and printing help, or taking
the same kinds of parameters as `cattool validate` (a list of paths, an enum, an optional
number) and doing nothing: Typer loads its pydantic adapters to convert such parameters, so a
command costs more than --help.
Each command runs --repeat times (default 15); the best time counts.

    python bench/bench_startup.py
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from installed import precompile

ROOT = Path(__file__).resolve().parent.parent
EMPTY_APP = """
from enum import Enum
from pathlib import Path
from typing import Optional
import typer
class Format(str, Enum):
    TEXT = "text"
    JSON = "json"
app = typer.Typer()
@app.command()
def hello(paths: Optional[list[Path]] = typer.Argument(None), repo: Path = Path("."),
          fmt: Format = Format.TEXT, jobs: Optional[int] = None) -> None:
    pass
@app.command()
def other() -> None:
    pass
app()
"""


def best(command: list[str], repeat: int, env: dict[str, str]) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        subprocess.run(command, capture_output=True, check=False, env=env)
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    precompile()  # as an installed cattool has its bytecode (see bench/installed.py)
    env = {**os.environ, "CATTOOL_NO_CACHE": "1"}
    with tempfile.TemporaryDirectory() as tmp:
        app = Path(tmp) / "empty_app.py"
        app.write_text(EMPTY_APP, encoding="utf-8")
        floor = best([sys.executable, str(app), "--help"], args.repeat, env)
        floor_run = best(
            [sys.executable, str(app), "hello", "x.yaml", "--repo", "."], args.repeat, env
        )
        cattool_help = best([sys.executable, "-m", "cattool", "--help"], args.repeat, env)
        case = ROOT / "cases" / "KG" / "KG-2016-0001.yaml"
        one = best(
            [sys.executable, "-m", "cattool", "validate", str(case), "--repo", str(ROOT)],
            args.repeat,
            env,
        )
    print(f"empty Typer app --help:          {floor * 1000:6.0f} ms")
    print(
        f"cattool --help:                  {cattool_help * 1000:6.0f} ms  ({cattool_help / floor:.2f}x)"
    )
    print(f"empty Typer app, one command:    {floor_run * 1000:6.0f} ms")
    print(
        f"cattool validate ONE_FILE (cold): {one * 1000:6.0f} ms  ({one / floor_run:.2f}x the "
        "empty command)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
