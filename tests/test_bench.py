"""The benchmark's generator: its valid cases pass `cattool validate`, its broken ones are caught.

The benchmark's figures are only worth something if the synthetic repository looks like a real one
to cattool; this keeps bench/generate.py honest as the case format changes.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_generated_repository_validates_as_the_manifest_says(tmp_path: Path) -> None:
    out = tmp_path / "synthetic"
    subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "generate.py"),
            str(out),
            "--n",
            "60",
            "--seed",
            "7",
            "--invalid",
            "0.15",
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    manifest = json.loads((out / "bench_manifest.json").read_text("utf-8"))
    files = sorted(p.relative_to(out).as_posix() for p in (out / "cases").rglob("*") if p.is_file())
    assert len(files) == 60
    assert 5 <= len(manifest) <= 12

    result = subprocess.run(
        [sys.executable, "-m", "cattool", "validate", "--repo", str(out)],
        capture_output=True,
        text=True,
        cwd=out,
    )
    assert result.returncode == 1, result.stderr
    flagged = {m.group(1) for m in re.finditer(r"^([^:\n]+\.ya?ml):\d+:\d+: ", result.stdout, re.M)}
    # a duplicated case_id is reported in both files; the manifest lists the copy
    assert set(manifest) <= flagged
    assert all(name in manifest or "duplicate-case-id" in result.stdout for name in flagged)
    assert set(files) - flagged, "some generated cases must be valid"
