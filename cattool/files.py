"""Writing files so that a crash leaves the old file or the new one, never half of each."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from cattool.errors import RefusedError


def write_atomic(path: Path, text: str, *, replace: bool = True) -> None:
    """Write ``text`` to ``path`` so that readers see the old file or the new one, nothing between.

    With ``replace=False`` an existing file is never overwritten.
    """
    if not replace and path.exists():
        raise RefusedError(f"{path} already exists; nothing was written")
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        if path.exists():
            tmp.chmod(path.stat().st_mode & 0o777)
        if replace:
            tmp.replace(path)
        else:
            # link() fails if the target appeared meanwhile: never clobber a file we did not see.
            os.link(tmp, path)
            tmp.unlink()
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` through a temporary file in the same folder, then rename it into place."""
    write_with(path, lambda tmp: tmp.write_bytes(data))


def write_with(path: Path, write: Callable[[Path], object]) -> None:
    """Write through a temporary file in the same folder, then rename it into place."""
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    tmp = Path(name)
    try:
        write(tmp)
        tmp.replace(path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
