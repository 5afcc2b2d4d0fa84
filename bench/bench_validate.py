"""How fast is `cattool validate` on a large repository, next to what parsing alone costs?

Generates N synthetic cases (bench/generate.py; default 10,000, seed 1, 5 % broken), then times,
best of --repeat runs:

  floor, 1 core      read every file and parse it with yaml.CSafeLoader, in this process
  floor, all cores   the same on a multiprocessing pool of os.cpu_count() workers
  cattool validate   `cattool validate --repo DIR`, as a user runs it
  check-jsonschema   `check-jsonschema --schemafile schemas/case.schema.json FILES...` (schema only)

Prints a table and a Markdown copy, and writes the figures to bench/results/<timestamp>.json.

    python bench/bench_validate.py --n 10000
    python bench/bench_validate.py --data bench/data/10k --repeat 5   # keeps the files
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import MANIFEST_NAME, generate_repo
from installed import precompile

ROOT = Path(__file__).resolve().parent.parent
RESULTS_DIR = Path(__file__).resolve().parent / "results"
SCHEMA = ROOT / "schemas" / "case.schema.json"
ROWS = ("floor", "parallel", "cattool", "check-jsonschema")
# One problem per line: "path:line:column: yaml.path: message [code]".
CATTOOL_LINE = re.compile(r"^(?P<path>[^:\n]+\.ya?ml):\d+:\d+: ", re.MULTILINE)
CHECK_JSONSCHEMA_LINE = re.compile(
    r"^\s+(?:Failed to parse )?(?P<path>\S+\.ya?ml)(?:::|$)", re.MULTILINE
)


@dataclass
class Row:
    name: str
    command: str
    times: list[float] = field(default_factory=list)
    unavailable: str | None = None
    exit_codes: list[int] = field(default_factory=list)
    flagged: list[str] = field(default_factory=list)  # files the tool reported problems in

    @property
    def best(self) -> float | None:
        return min(self.times) if self.times else None


# ---------------------------------------------------------------------------------------------
# Measurements


def parse_file(path: str) -> bool:
    """Read and parse one file; False if it is not valid YAML (or holds an impossible date)."""
    with open(path, "rb") as handle:  # noqa: PTH123 - the floor: nothing between us and the bytes
        data = handle.read()
    try:
        yaml.load(data, Loader=yaml.CSafeLoader)
    except (yaml.YAMLError, ValueError):
        return False
    return True


def floor_serial(files: list[str]) -> int:
    return sum(parse_file(f) for f in files)


def floor_parallel(files: list[str]) -> int:
    workers = os.cpu_count() or 1
    chunk = max(1, len(files) // (workers * 8))
    with multiprocessing.Pool(workers) as pool:
        return sum(pool.imap_unordered(parse_file, files, chunksize=chunk))


def find_executable(name: str) -> str | None:
    """The tool installed next to this Python (same venv) first, else the one on PATH."""
    beside = Path(sys.executable).parent / name
    if beside.is_file() and os.access(beside, os.X_OK):
        return str(beside)
    return shutil.which(name)


def arg_batches(args: list[str]) -> list[list[str]]:
    """Split file arguments so no command line exceeds half the system limit."""
    try:
        limit = os.sysconf("SC_ARG_MAX")
    except (AttributeError, ValueError, OSError):
        limit = 32_000
    budget = max(4_000, limit // 2 - sum(len(k) + len(v) + 2 for k, v in os.environ.items()))
    batches: list[list[str]] = [[]]
    size = 0
    for arg in args:
        if batches[-1] and size + len(arg) + 1 > budget:
            batches.append([])
            size = 0
        batches[-1].append(arg)
        size += len(arg) + 1
    return batches


def run_tool(
    row: Row,
    commands: list[list[str]],
    cwd: Path,
    repeat: int,
    env: dict[str, str] | None = None,
) -> None:
    """Time the commands (run one after another) `repeat` times; exit 0 or 1 both count."""
    for attempt in range(repeat):
        total = 0.0
        outputs = []
        for command in commands:
            started = time.perf_counter()
            try:
                done = subprocess.run(
                    command,
                    cwd=cwd,
                    capture_output=True,
                    text=True,
                    encoding="utf-8",
                    errors="replace",
                    check=False,
                    env={**os.environ, **(env or {})},
                )
            except OSError as err:
                row.unavailable = f"cannot run: {err}"
                return
            total += time.perf_counter() - started
            row.exit_codes.append(done.returncode)
            if done.returncode not in (0, 1):
                tail = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["no output"]
                row.unavailable = f"exit code {done.returncode}: {tail[0][:200]}"
                return
            outputs.append(done.stdout + "\n" + done.stderr)
        row.times.append(total)
        progress(f"  {row.name}: run {attempt + 1}/{repeat}: {total:.2f} s")
        if attempt == 0:
            pattern = CATTOOL_LINE if row.name.startswith("cattool") else CHECK_JSONSCHEMA_LINE
            found = {
                _relative(m.group("path"), cwd) for out in outputs for m in pattern.finditer(out)
            }
            row.flagged = sorted(found)


def _relative(path: str, cwd: Path) -> str:
    candidate = Path(path)
    if candidate.is_absolute():
        try:
            return candidate.relative_to(cwd).as_posix()
        except ValueError:
            return candidate.as_posix()
    return candidate.as_posix()


def time_python(row: Row, func: Callable[[list[str]], int], files: list[str], repeat: int) -> int:
    parsed = 0
    for attempt in range(repeat):
        started = time.perf_counter()
        parsed = func(files)
        row.times.append(time.perf_counter() - started)
        progress(f"  {row.name}: run {attempt + 1}/{repeat}: {row.times[-1]:.2f} s")
    return parsed


def progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------------------------
# Reporting


def detection(row: Row, manifest: dict[str, str]) -> dict[str, Any] | None:
    """Which deliberately broken files the tool flagged, and which valid files it flagged."""
    if row.unavailable or not row.times:
        return None
    flagged = set(row.flagged)
    # The original of a duplicated case_id is rightly flagged too.
    twins = {name.removesuffix(".yml") + ".yaml" for name in manifest if name.endswith(".yml")}
    missed = sorted(name for name in manifest if name not in flagged)
    by_defect: dict[str, list[int]] = {}
    for name, defect in manifest.items():
        counts = by_defect.setdefault(defect.split(":")[0], [0, 0])
        counts[0] += name in flagged
        counts[1] += 1
    return {
        "broken_flagged": len(manifest) - len(missed),
        "broken_total": len(manifest),
        "valid_flagged": sorted(flagged - set(manifest) - twins),
        "missed_by_defect": {k: v[1] - v[0] for k, v in by_defect.items() if v[0] < v[1]},
        "missed_examples": missed[:5],
    }


def table(rows: list[Row], n_files: int, floor: float | None, markdown: bool) -> str:
    head = ("measurement", "seconds", "ms/file", "x floor (1 core)")
    lines = []
    body = []
    for row in rows:
        if row.unavailable or row.best is None:
            body.append((row.name, "unavailable", "", row.unavailable or ""))
            continue
        ratio = f"{row.best / floor:.1f}" if floor else ""
        body.append((row.name, f"{row.best:.2f}", f"{1000 * row.best / n_files:.2f}", ratio))
    if markdown:
        lines.append("| " + " | ".join(head) + " |")
        lines.append("|" + "|".join(["---", "---:", "---:", "---:"]) + "|")
        lines.extend("| " + " | ".join(cells) + " |" for cells in body)
    else:
        widths = [max(len(r[i]) for r in [head, *body]) for i in range(4)]
        for cells in [head, *body]:
            lines.append(
                "  ".join(
                    c.ljust(w) if i == 0 else c.rjust(w)
                    for i, (c, w) in enumerate(zip(cells, widths, strict=True))
                )
            )
    return "\n".join(lines)


def versions() -> dict[str, str | None]:
    found: dict[str, str | None] = {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpu_count": str(os.cpu_count()),
        "pyyaml": yaml.__version__,
        "libyaml": str(yaml.__with_libyaml__),
    }
    for tool in ("cattool", "check-jsonschema"):
        exe = find_executable(tool)
        out = None
        if exe:
            try:
                done = subprocess.run(
                    [exe, "--version"], capture_output=True, text=True, check=False, timeout=60
                )
                out = (
                    (done.stdout or done.stderr).strip().splitlines()[0]
                    if done.returncode == 0
                    else None
                )
            except (OSError, subprocess.TimeoutExpired, IndexError):
                out = None
        found[tool] = out
    try:
        commit = subprocess.run(
            ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=False,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(ROOT), "status", "--porcelain", "--", "cattool"],
            capture_output=True,
            text=True,
            check=False,
        ).stdout.strip()
        found["cattool_commit"] = commit + ("+uncommitted" if dirty else "") if commit else None
    except OSError:
        found["cattool_commit"] = None
    return found


# ---------------------------------------------------------------------------------------------


def prepare_data(args: argparse.Namespace, scratch: Path) -> tuple[Path, float | None]:
    """The repository to measure: reused from --data if it holds one, else generated."""
    data: Path = args.data or scratch / "repo"
    if (data / "cattool.yaml").is_file() and (data / MANIFEST_NAME).is_file():
        progress(f"reusing {data}")
        return data, None
    progress(f"generating {args.n} cases (seed {args.seed}, {args.invalid:.0%} broken) in {data}")
    started = time.perf_counter()
    generate_repo(data, args.n, args.seed, args.invalid)
    return data, time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=10_000, help="cases to generate (default 10000)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--invalid", type=float, default=0.05, help="broken fraction (0.05)")
    parser.add_argument(
        "--data", type=Path, help="repository to reuse, or where to generate one that is kept"
    )
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement; best counts")
    parser.add_argument(
        "--skip",
        action="append",
        choices=ROWS,
        default=[],
        help="leave a measurement out (repeatable)",
    )
    parser.add_argument(
        "--results",
        type=Path,
        default=RESULTS_DIR,
        help="folder for the JSON results (default bench/results)",
    )
    args = parser.parse_args(argv)
    precompile()  # as an installed cattool has its bytecode (see bench/installed.py)

    with tempfile.TemporaryDirectory(prefix="cattool-bench-") as scratch:
        data, generated_in = prepare_data(args, Path(scratch))
        data = data.resolve()
        case_files = sorted(p for p in (data / "cases").rglob("*") if p.suffix in (".yaml", ".yml"))
        files = [str(p) for p in case_files]
        relative = [p.relative_to(data).as_posix() for p in case_files]
        manifest: dict[str, str] = json.loads((data / MANIFEST_NAME).read_text("utf-8"))
        size = sum(p.stat().st_size for p in case_files)
        progress(f"{len(files)} files, {size / 1e6:.1f} MB, {len(manifest)} broken on purpose")

        rows: list[Row] = []
        parsed = None
        if "floor" not in args.skip:
            row = Row("floor, 1 core (read + CSafeLoader)", "in-process loop")
            parsed = time_python(row, floor_serial, files, args.repeat)
            rows.append(row)
        if "parallel" not in args.skip:
            row = Row(f"floor, {os.cpu_count()} cores (multiprocessing)", "multiprocessing.Pool")
            time_python(row, floor_parallel, files, args.repeat)
            rows.append(row)
        cattool_row = None
        if "cattool" not in args.skip:
            exe = find_executable("cattool")
            cattool_row = Row(
                "cattool validate", f"cattool validate --repo {data} (cold: no cache)"
            )
            warm_row = Row(
                "cattool validate, warm", f"cattool validate --repo {data} (nothing changed)"
            )
            if exe is None:
                cattool_row.unavailable = warm_row.unavailable = "cattool is not installed"
            else:
                command = [[exe, "validate", "--repo", str(data)]]
                run_tool(cattool_row, command, data, args.repeat, env={"CATTOOL_NO_CACHE": "1"})
                shutil.rmtree(data / ".cattool-cache", ignore_errors=True)
                subprocess.run(command[0], cwd=data, capture_output=True, check=False)  # fill it
                run_tool(warm_row, command, data, args.repeat)
            rows += [cattool_row, warm_row]
        cjs_row = None
        if "check-jsonschema" not in args.skip:
            exe = find_executable("check-jsonschema")
            cjs_row = Row(
                "check-jsonschema (schema only)", f"check-jsonschema --schemafile {SCHEMA} FILES..."
            )
            if exe is None:
                cjs_row.unavailable = "check-jsonschema is not installed"
            else:
                base = [exe, "--schemafile", str(SCHEMA)]
                commands = [base + batch for batch in arg_batches(relative)]
                cjs_row.command += f" ({len(commands)} batch{'es' if len(commands) > 1 else ''})"
                run_tool(cjs_row, commands, data, args.repeat)
            rows.append(cjs_row)

    floor = rows[0].best if rows and rows[0].name.startswith("floor, 1") else None
    ratios: dict[str, float | None] = {}
    by_name = {r.name.split(" (")[0]: r.best for r in rows if not r.unavailable}
    cattool_best = cattool_row.best if cattool_row and not cattool_row.unavailable else None
    cjs_best = cjs_row.best if cjs_row and not cjs_row.unavailable else None
    if cattool_best and floor:
        ratios["cattool / floor (1 core)"] = cattool_best / floor
    parallel = next(
        (r.best for r in rows if r.name.startswith("floor,") and r is not rows[0]), None
    )
    if cattool_best and parallel:
        ratios["cattool / floor (all cores)"] = cattool_best / parallel
    if cattool_best and cjs_best:
        ratios["check-jsonschema / cattool"] = cjs_best / cattool_best

    print()
    print(
        f"{len(files)} case files ({size / len(files) / 1024:.1f} KiB each on average, "
        f"{len(manifest)} broken), best of {args.repeat}, {os.cpu_count()} CPUs"
    )
    print(table(rows, len(files), floor, markdown=False))
    for name, value in ratios.items():
        print(f"{name}: {value:.1f}x")
    found = {}
    for row in (cattool_row, cjs_row):
        if row is None:
            continue
        found[row.name] = result = detection(row, manifest)
        if result:
            missed = ", ".join(f"{k} {v}" for k, v in result["missed_by_defect"].items())
            print(
                f"{row.name} flagged {result['broken_flagged']} of {result['broken_total']} "
                f"broken files{'; missed: ' + missed if missed else ''}; "
                f"{len(result['valid_flagged'])} valid files flagged"
            )
    print()
    print(table(rows, len(files), floor, markdown=True))

    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    results = {
        "timestamp": stamp,
        "dataset": {
            "files": len(files),
            "bytes": size,
            "broken": len(manifest),
            "seed": args.seed if generated_in is not None else None,
            "reused": str(args.data) if generated_in is None else None,
            "generated_in_seconds": generated_in,
            "parsed_by_floor": parsed,
        },
        "repeat": args.repeat,
        "environment": versions(),
        "rows": [{**asdict(r), "best": r.best, "flagged": len(r.flagged)} for r in rows],
        "ratios": ratios,
        "detection": found,
        "seconds_by_row": by_name,
    }
    args.results.mkdir(parents=True, exist_ok=True)
    out = args.results / f"{stamp}.json"
    out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"\nresults written to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
