"""How long does a year's batch of complaints take? `cattool letter --all-open` as DOCX.

Generates N synthetic cases (default 400, seed 5, all valid), gives their member organisations
the details a letter needs in cattool.yaml, then times one run of

    cattool letter --all-open --kind complaint --format docx --date 2026-01-15

and reports letters per second. The goal is a year's 400 complaints in at most 30 s.

    python bench/bench_letters.py --n 400
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate_repo


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=400)
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="cattool-bench-letters-") as tmp:
        root = Path(tmp) / "repo"
        generate_repo(root, args.n, args.seed, 0.0)
        orgs = sorted(
            {
                m.group(1)
                for p in (root / "cases").rglob("*.yaml")
                for m in [re.search(r"^member_org: (\S+)", p.read_text("utf-8"), re.M)]
                if m
            }
        )
        details = "".join(
            f"  {org}:\n    name: Synthetic organisation {org}\n"
            f"    address: 1 Synthetic street\n    signatory: {{name: A. Synthetic}}\n"
            for org in orgs
        )
        config = root / "cattool.yaml"
        config.write_text(config.read_text("utf-8") + "organisations:\n" + details, "utf-8")
        command = [sys.executable, "-m", "cattool", "letter", "--all-open", "--kind", "complaint",
                   "--format", "docx", "--date", "2026-01-15", "--repo", str(root)]  # fmt: skip
        started = time.perf_counter()
        done = subprocess.run(
            command, capture_output=True, text=True, check=False,
            env={**os.environ, "CATTOOL_NO_CACHE": "1"},
        )  # fmt: skip
        seconds = time.perf_counter() - started
        written = len(list((root / "out").rglob("*.docx")))
        print(done.stdout.strip())
        print(done.stderr.strip()[:2000])
        print(f"{written} DOCX letters in {seconds:.1f} s ({written / seconds:.1f} letters/s)")
    return 0 if done.returncode == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
