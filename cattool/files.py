"""Writing files so that a crash leaves the old file or the new one, never half of each, and so
that two commands writing one file at once never lose an edit (``held_for_update``)."""

from __future__ import annotations

import hashlib
import logging
import os
import random
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from cattool.errors import ConfigError, RefusedError

_LOG = logging.getLogger("cattool")


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


# --- one writer at a time: a lock and a content check around every read-modify-write ------------

LOCK_TIMEOUT = 5.0
"""Seconds a command waits for another cattool command writing the same file before it stops.

Editing one case takes a fraction of a second, so a few seconds cover several commands queued on
the same file; a command still waiting after that stops with exit 4 (nothing written) rather than
hang behind a command that is stuck or waiting for input."""

ABSENT = "absent"
"""The token of a file that does not exist (yet)."""

_POLL = (0.003, 0.012)  # seconds between two attempts to take a lock (random, so waiters spread)


def content_token(raw: bytes | None) -> str:
    """What a writer compares before it replaces a file: a digest of the bytes it read."""
    return ABSENT if raw is None else hashlib.sha256(raw).hexdigest()


def current_token(path: Path) -> str:
    """The token of the file at ``path`` as it is now (``ABSENT`` if there is none)."""
    try:
        return content_token(path.read_bytes())
    except FileNotFoundError:
        return ABSENT


def busy_message(path: Path) -> str:
    """Why a command gave up waiting for ``path`` (exit 4), and what to do."""
    return (
        f"another cattool command is writing {path.name}; {path} was left unchanged: "
        "run the command again"
    )


def changed_message(path: Path) -> str:
    """Why a command did not replace ``path``: it changed after the command read it (exit 4)."""
    return (
        f"{path.name} was changed by someone else while this command was working on it; "
        f"{path} was left unchanged: run the command again"
    )


def replace_if_unchanged(path: Path, text: str, token: str) -> None:
    """Write ``text`` to ``path`` atomically if the file is still the one whose token is ``token``
    (compare-and-swap on its content); otherwise refuse (exit 4) and write nothing.

    With ``token`` ``ABSENT`` the file is created and never replaces one that appeared meanwhile.
    Call it while holding the file (``held_for_update``): the lock keeps other cattool commands
    out, the comparison catches any other program (an editor, git) that wrote the file.
    """
    if current_token(path) != token:
        raise RefusedError(changed_message(path))
    try:
        write_atomic(path, text, replace=token != ABSENT)
    except FileExistsError:  # created by someone else between the comparison and the link
        raise RefusedError(changed_message(path)) from None


@dataclass
class HeldFile:
    """A file held for update: the bytes read under the lock (None: no such file yet) and their
    token. ``replace`` writes the new text if the file is still the one read."""

    path: Path
    raw: bytes | None
    token: str

    def replace(self, text: str) -> None:
        replace_if_unchanged(self.path, text, self.token)
        self.raw = text.encode("utf-8")
        self.token = content_token(self.raw)


@contextmanager
def held_for_update(path: Path, *, timeout: float = LOCK_TIMEOUT) -> Iterator[HeldFile]:
    """Hold ``path`` for a read-modify-write: an OS lock until the block ends, and what it holds.

    Every cattool command that writes a case goes through this, so two of them on one file run
    one after the other and the second reads what the first wrote. The lock is ``flock`` on the
    file itself (on its folder while the file does not exist yet): nothing is created for it, and
    the system releases it when the process ends, however it ends, so no lock is ever left stale.
    A command that cannot take it within ``timeout`` seconds stops with exit 4, nothing written.

    On Windows no OS lock is taken (a file open in another process cannot be replaced there);
    the content check of ``HeldFile.replace`` still refuses to write over a file that changed
    since it was read.
    """
    fd, is_file = _lock(path, timeout)
    try:
        if fd is not None and is_file:
            raw: bytes | None = _read_all(fd)
        elif fd is not None:
            raw = None
        else:
            try:
                raw = path.read_bytes()
            except FileNotFoundError:
                raw = None
        yield HeldFile(path, raw, content_token(raw))
    finally:
        if fd is not None:
            os.close(fd)  # releases the lock


def _read_all(fd: int) -> bytes:
    chunks = []
    while chunk := os.read(fd, 1 << 16):
        chunks.append(chunk)
    return b"".join(chunks)


def _lock(path: Path, timeout: float) -> tuple[int | None, bool]:
    """An open descriptor holding the lock for ``path`` and whether it is the file itself (else
    its folder: there is no file yet); (None, False) where no lock can be taken."""
    if sys.platform == "win32":
        return None, False
    import fcntl

    deadline = time.monotonic() + timeout
    while True:
        try:
            fd, is_file = os.open(path, os.O_RDONLY), True
        except FileNotFoundError:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, is_file = os.open(path.parent, os.O_RDONLY), False
        try:
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        raise RefusedError(busy_message(path)) from None
                    time.sleep(random.uniform(*_POLL))
                except OSError:
                    _LOG.warning(
                        "%s cannot be locked on this file system; it is written without the "
                        "lock (a change made meanwhile is still refused)",
                        path.name,
                    )
                    return fd, is_file
            if _still_the_one(fd, path, is_file):
                return fd, is_file
        except BaseException:
            os.close(fd)
            raise
        # The file was replaced (or created, or removed) while we waited: lock what is there now.
        os.close(fd)
        if time.monotonic() >= deadline:
            raise RefusedError(busy_message(path))


def _still_the_one(fd: int, path: Path, is_file: bool) -> bool:
    """Whether the locked descriptor is still what ``path`` names: a writer that held the lock
    before us replaced the file by renaming a new one into place."""
    if not is_file:
        return not path.exists()  # (a dangling link counts as none: creating it then fails)
    try:
        now = path.stat()
    except FileNotFoundError:
        return False
    held = os.fstat(fd)
    return (now.st_dev, now.st_ino) == (held.st_dev, held.st_ino)


# --- where a path leads ------------------------------------------------------------------------


def inside(path: Path, folder: Path) -> bool:
    """Whether ``path``, links followed, is ``folder`` or inside it."""
    try:
        Path(path).resolve().relative_to(Path(folder).resolve())
    except (ValueError, OSError):
        return False
    return True


def own_file(root: Path, path: Path) -> bool:
    """Whether the repository at ``root`` has its own copy at ``path`` (a schema, a vocabulary,
    country data, a template): True for a regular file inside the repository, links followed;
    False when there is nothing there (the built-in file is used). Anything else, a link that
    leaves the repository above all, is a ConfigError naming the file (never the link's target).
    """
    if not os.path.lexists(path):
        return False
    if not inside(path, root):
        raise ConfigError(
            f"{path} is a link to a file outside the repository; cattool reads a repository's "
            "own schemas, vocabularies, country data and templates only from files inside it. "
            "Put a copy of the file there instead of the link."
        )
    if not path.is_file():
        raise ConfigError(
            f"{path} is not a regular file (a folder, a broken link or a device); put the file "
            "itself there, or remove it to use the built-in one."
        )
    return True
