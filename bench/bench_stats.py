"""How long does `cattool stats` take on a large repository, next to parsing the same files?

Generates N synthetic cases (bench/generate.py; default 10,000, seed 1, all valid), then times,
best of --repeat runs:

  floor, 1 core     read every case file and parse it with yaml.CSafeLoader, nothing else
  validate, cold    `cattool validate --repo DIR` without the cache
  stats, cold       `cattool stats 2013-2025 --format json --repo DIR` without the cache (it
                    validates every file first, so that broken ones are skipped and counted)
  stats, warm       the same with the cache filled and nothing changed
  stats 2016, warm  `cattool stats 2016` (one year, tables in the terminal's format), warm
  validate, warm    `cattool validate` with the cache filled (every file valid: nothing to print)

    python bench/bench_stats.py --n 10000
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate_repo
from installed import precompile


def floor(files: list[Path]) -> None:
    for path in files:
        yaml.load(path.read_bytes(), Loader=yaml.CSafeLoader)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    precompile()  # as an installed cattool has its bytecode (see bench/installed.py)
    with tempfile.TemporaryDirectory(prefix="cattool-bench-stats-") as tmp:
        root = Path(tmp) / "repo"
        files = generate_repo(root, args.n, args.seed, 0.0)
        import os

        def timed(command: list[str], cache: bool) -> float:
            env = {**os.environ, "CATTOOL_NO_CACHE": "" if cache else "1"}
            started = time.perf_counter()
            done = subprocess.run(command, capture_output=True, text=True, check=False, env=env)
            if done.returncode not in (0, 1):
                raise SystemExit(done.stderr)
            return time.perf_counter() - started

        stats = [sys.executable, "-m", "cattool", "stats", "2013-2025", "--format", "json",
                 "--repo", str(root)]  # fmt: skip
        validate = [sys.executable, "-m", "cattool", "validate", "--repo", str(root)]
        floors, cold_validate, cold_stats, warm_stats = [], [], [], []
        for _ in range(args.repeat):
            start = time.perf_counter()
            floor(files)
            floors.append(time.perf_counter() - start)
            cold_validate.append(timed(validate, cache=False))
            cold_stats.append(timed(stats, cache=False))
        timed(stats, cache=True)  # fill the cache
        year = [sys.executable, "-m", "cattool", "stats", "2016", "--repo", str(root)]
        warm_year: list[float] = []
        warm_validate: list[float] = []
        for _ in range(args.repeat):
            warm_stats.append(timed(stats, cache=True))
            warm_year.append(timed(year, cache=True))
            warm_validate.append(timed(validate, cache=True))
        best_floor = min(floors)
        print(f"{args.n} case files, best of {args.repeat}")
        print(f"floor, 1 core (read + CSafeLoader): {best_floor:.2f} s")
        print(f"cattool validate, cold:             {min(cold_validate):.2f} s")
        print(f"cattool stats 2013-2025, cold:      {min(cold_stats):.2f} s")
        print(f"cattool stats 2013-2025, warm:      {min(warm_stats):.2f} s")
        print(f"cattool stats 2016 (tables), warm:  {min(warm_year):.2f} s")
        print(f"cattool validate, warm (all valid): {min(warm_validate):.2f} s")
        print(f"stats cold / validate cold: {min(cold_stats) / min(cold_validate):.2f}x")
        print(f"stats cold / floor: {min(cold_stats) / best_floor:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
