"""How long does a year's batch of complaints take? `cattool letter --all-open` as DOCX.

Makes a synthetic repository in which exactly N open cases (default 400) have everything a
complaint needs: it generates three times as many cases (bench/generate.py, seed 5, all valid; some
lack the victim's consent to a complaint, some are closed), gives their member organisations
the details a letter needs in cattool.yaml, finds with one untimed run which cases get a letter,
and keeps N of those. Then it times one run of

    cattool letter --all-open --kind complaint --format docx --date 2026-01-15

on that repository (no cache) and reports the time for the N letters, next to the time of
`cattool validate` on the same files (the floor of any command that reads every case). The
goal is a year's 400 complaints in at most 30 s.

    python bench/bench_letters.py --n 400
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate_repo
from installed import precompile

ENV = {**os.environ, "CATTOOL_NO_CACHE": "1"}


def run(command: list[str]) -> tuple[float, subprocess.CompletedProcess[str]]:
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False, env=ENV)
    return time.perf_counter() - started, done


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=400, help="letters to write (default 400)")
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args()
    precompile()  # as an installed cattool has its bytecode (see bench/installed.py)
    with tempfile.TemporaryDirectory(prefix="cattool-bench-letters-") as tmp:
        root = Path(tmp) / "repo"
        generate_repo(root, args.n * 3, args.seed, 0.0)
        files = sorted((root / "cases").rglob("*.yaml"))
        orgs = sorted(
            {
                m.group(1)
                for p in files
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
        letter = [sys.executable, "-m", "cattool", "letter", "--all-open", "--kind", "complaint",
                  "--format", "docx", "--date", "2026-01-15", "--repo", str(root)]  # fmt: skip

        # which cases get a letter: keep N of them, remove every other case file
        _, first = run([*letter, "--out-dir", str(Path(tmp) / "scratch")])
        ready = sorted({p.name.split("_")[0] for p in (Path(tmp) / "scratch").glob("*.docx")})
        if len(ready) < args.n:
            raise SystemExit(f"only {len(ready)} cases can have a letter:\n{first.stderr[:2000]}")
        keep = set(ready[: args.n])
        for path in files:
            if path.stem not in keep:
                path.unlink()
        shutil.rmtree(Path(tmp) / "scratch")

        validate_seconds, _ = run(
            [sys.executable, "-m", "cattool", "validate", "--repo", str(root)]
        )
        seconds, done = run(letter)
        written = len(list((root / "out").rglob("*.docx")))
        print(done.stdout.strip())
        print(done.stderr.strip()[:2000])
        print(f"cattool validate on the same {args.n} cases: {validate_seconds:.1f} s")
        print(f"{written} DOCX letters in {seconds:.1f} s ({written / seconds:.1f} letters/s)")
        if written != args.n:
            print(f"expected {args.n} letters, got {written}")
            return 1
    return 0 if done.returncode == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
