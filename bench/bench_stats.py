"""How long does `cattool stats` take on a large repository, next to parsing the same files?

Generates N synthetic cases (bench/generate.py; default 10,000, seed 1, all valid), then times,
best of --repeat runs:

  floor, 1 core     read every case file and parse it with yaml.CSafeLoader, nothing else
  cattool stats     `cattool stats 2013-2025 --format json --repo DIR`, as a user runs it
                    (it validates every file first, so that broken ones are skipped and counted)

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


def floor(files: list[Path]) -> None:
    for path in files:
        yaml.load(path.read_bytes(), Loader=yaml.CSafeLoader)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="cattool-bench-stats-") as tmp:
        root = Path(tmp) / "repo"
        files = generate_repo(root, args.n, args.seed, 0.0)
        floors, runs = [], []
        for _ in range(args.repeat):
            start = time.perf_counter()
            floor(files)
            floors.append(time.perf_counter() - start)
            start = time.perf_counter()
            done = subprocess.run(
                [sys.executable, "-m", "cattool", "stats", "2013-2025", "--format", "json",
                 "--repo", str(root)],
                capture_output=True, text=True, check=False,
            )  # fmt: skip
            runs.append(time.perf_counter() - start)
            if done.returncode != 0:
                print(done.stderr, file=sys.stderr)
                return 1
        best_floor, best = min(floors), min(runs)
        print(f"{args.n} case files, best of {args.repeat}")
        print(f"floor, 1 core (read + CSafeLoader): {best_floor:.2f} s")
        print(f"cattool stats 2013-2025:            {best:.2f} s")
        print(f"cattool stats / floor: {best / best_floor:.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
