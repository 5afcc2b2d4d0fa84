"""A cache of checked cases, so that a second run with nothing changed takes a fraction of a second.

Files in ``.cattool-cache/`` of the case repository (the folder ignores itself in git):
``cases.marshal``, the index, holds for each case file its stamp, content digest and what the
checks found; beside it, one file per payload kind, read only by the commands that need it:
``data.marshal`` the parsed cases without sensitive values (deadlines, export, list) and
``facts.marshal`` what statistics count of each case (stats). A warm ``validate`` reads only the
index; a warm ``stats`` the index and the facts. Each payload value is kept with the digest of
the content it came from, so that a payload written by an earlier run is never taken for a file
that has changed since; the files a command did not ask for are filled by the first command that
does (the workers of a cold run send back only the payload asked for).

Everything is under a fingerprint of what the result depends on: cattool's version and checking
code, the schema, vocabularies, country data, calendars and UN rules, ``cattool.yaml`` and the day
(some checks depend on today's date). A different fingerprint means a cold run. A file whose size,
modification time, change time and inode are all unchanged is trusted without reading it (the
change time moves on every write and on every attempt to set the modification time back), unless
it changed within two seconds of the index being written; any other file is read and its content
digest compared.

Safe by construction:

- written to a temporary file and renamed, so two cattool processes at once each leave a whole
  cache (the last one wins) and a crash never leaves half a file;
- a damaged or foreign cache file is ignored with a warning and rebuilt;
- in a repository that requires encryption, plain sensitive values are removed from what is
  cached (a case file should not have them; the cache never adds a copy);
- ``marshal`` holds only plain values (no code is run when it is read); the folder lives inside
  the user's own repository. ``cattool cache clear`` removes it; ``CATTOOL_NO_CACHE=1`` disables it.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import marshal
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from cattool.loading import FileRefused, read_case_bytes
from cattool.repo import CaseRepo, FoundFile, Stamp

CACHE_DIR = ".cattool-cache"
CACHE_FILE = "cases.marshal"
DATA_FILE = "data.marshal"
FACTS_FILE = "facts.marshal"
FORMAT = 4
RACY_NS = 2_000_000_000  # two seconds


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """Python's cycle collector paused while many small objects are made (a cache being read,
    facts being built): it would walk them again and again, finding no cycle in plain data."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def enabled() -> bool:
    return os.environ.get("CATTOOL_NO_CACHE", "") not in ("1", "true", "yes")


def fingerprint(repo: CaseRepo, today: Any) -> str:
    """What every cached result depends on, as one digest."""
    from cattool import __version__

    digest = hashlib.sha256()
    for part in (str(FORMAT), __version__, sys.version, str(today)):
        digest.update(part.encode() + b"\0")
    # an editable install changes without a new version: its checking code counts too
    package = Path(__file__).resolve().parent
    for name in ("checks.py", "validation.py", "loading.py", "problems.py", "privacy.py",
                 "countries.py", "vocabularies.py", "crypto.py", "cache.py", "repo.py",
                 "stats.py", "summary.py", "deadlines.py"):  # fmt: skip
        with contextlib.suppress(OSError):
            stat = (package / name).stat()
            digest.update(f"{name}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    names = ["case.schema.json", "vocabularies.yaml", "un.yaml"]
    names += [f"countries/{c}.yaml" for c in ("KZ", "KG", "TJ")]
    names += [f"calendars/{c}.yaml" for c in ("KZ", "KG", "TJ")]
    for name in [*names]:
        path = repo.schema_file(name)
        digest.update(name.encode() + b"\0")
        try:
            digest.update(path.read_bytes())
        except OSError:
            digest.update(b"<none>")
    with contextlib.suppress(OSError):
        digest.update((repo.root / "cattool.yaml").read_bytes())
    return digest.hexdigest()


def _stamp(stat: os.stat_result) -> Stamp:
    return (stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino)


def _digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=20).hexdigest()


class Entry(NamedTuple):
    """What the cache knows of one case file (kept on disk as a plain tuple)."""

    size: int
    stamp: Stamp
    digest: str
    problems: list[
        tuple[int, int, str, str, str, str]
    ]  # line, column, path, message, code, severity
    case_id: str | None
    case_id_at: tuple[int, int] | None


# The payloads kept beside the index, each in its own file and read only by the commands that need
# it: the parsed cases without sensitive values (deadlines, export, list) and the facts that
# statistics count (stats).
PAYLOADS = {"data": DATA_FILE, "facts": FACTS_FILE}


@dataclass
class Cache:
    path: Path
    key: str
    entries: dict[str, tuple[Any, ...]] = field(default_factory=dict)  # name -> Entry's values
    dirty: bool = False
    warning: str | None = None
    written_ns: int = 0  # when the index was last written
    _payloads: dict[str, dict[str, Any]] = field(default_factory=dict)  # loaded on first use
    _payload_dirty: set[str] = field(default_factory=set)

    def payload_path(self, kind: str) -> Path:
        return self.path.with_name(PAYLOADS[kind])

    def payload(self, kind: str) -> dict[str, Any]:
        """One payload by file name (read from disk on first use; {} if missing or damaged, and
        then every file is checked again to fill it)."""
        if kind not in self._payloads:
            found: dict[str, Any] = {}
            path = self.payload_path(kind)
            try:
                blob = path.read_bytes()
            except OSError:
                blob = None  # none yet
            if blob is not None:
                try:
                    raw = marshal.loads(blob)
                    if not isinstance(raw, dict) or "key" not in raw:
                        raise ValueError("not a cattool cache")
                    if raw["key"] == self.key:  # else: another version, schema or day
                        if not isinstance(raw.get("data"), dict):
                            raise ValueError("not a cattool cache")
                        found = raw["data"]
                except Exception:
                    found = {}
                    self.warning = f"the cache {path} could not be read; it is rebuilt"
            self._payloads[kind] = found
        return self._payloads[kind]

    @classmethod
    def open(cls, repo: CaseRepo, key: str) -> Cache:
        path = repo.root / CACHE_DIR / CACHE_FILE
        cache = cls(path, key)
        try:
            blob = path.read_bytes()
        except OSError:
            return cache  # none yet
        try:
            raw = marshal.loads(blob)
            if not isinstance(raw, dict) or "format" not in raw:
                raise ValueError("not a cattool cache")
            if raw.get("format") != FORMAT or raw.get("key") != key:
                return cache  # another version, schema or day: start afresh
            entries = raw["entries"]
            if not isinstance(entries, dict):
                raise ValueError("not a cattool cache")
            cache.entries = entries
            cache.written_ns = int(raw.get("written_ns", 0))
        except Exception:
            cache.entries = {}
            cache.dirty = True
            cache.warning = f"the cache {path} could not be read; it is rebuilt"
        return cache

    def lookup(self, name: str, found: FoundFile) -> Entry | None:
        """The entry of a case file if the file is unchanged since it was checked."""
        values = self.entries.get(name)
        if values is None or found.is_link:
            return None  # a link is always checked afresh: where it points may have changed
        stamp = found.stamp
        try:
            if stamp is None:
                stamp = _stamp(os.stat(found.path))  # noqa: PTH116 - a path as text
            entry = Entry(*values)
        except (OSError, TypeError):
            return None
        # A stamp is trusted only if the file was last changed well before the index was written:
        # a file rewritten within the same clock tick (same size, same times) is read again, as
        # git does with "racily clean" files.
        if stamp == tuple(entry.stamp) and stamp[2] < self.written_ns - RACY_NS:
            return entry
        try:
            data, _ = read_case_bytes(found.path)  # never opens a pipe, nor reads a huge file
        except FileRefused:
            return None
        if len(data) == entry.size and _digest(data) == entry.digest:
            self.entries[name] = (*values[:1], stamp, *values[2:])  # touched, not changed
            self.dirty = True
            return entry
        return None

    def store(
        self,
        name: str,
        seen: tuple[int, Stamp, str] | None,
        entry_values: tuple[Any, ...],
        payloads: dict[str, Any],
    ) -> None:
        """Keep what checking a file found, with its payloads (kind -> value). ``seen`` is what
        ``read_seen`` gave the checker: the size, stamp and digest of the bytes it checked (None:
        it could not read them, and nothing is kept)."""
        if seen is None:
            return
        size, stamp, digest = seen
        self.entries[name] = (size, stamp, digest, *entry_values)
        for kind, value in payloads.items():
            # kept with the digest of the content it came from: a payload file that was not
            # loaded in this run keeps an older value, which is then never taken for this one
            self.payload(kind)[name] = (digest, _interned(value))
            self._payload_dirty.add(kind)
        self.dirty = True

    def payload_of(self, kind: str, name: str, entry: Entry) -> tuple[bool, Any]:
        """(found, value) of one payload for a file whose entry is current."""
        kept = self.payload(kind).get(name)
        if isinstance(kept, tuple) and len(kept) == 2 and kept[0] == entry.digest:
            return True, kept[1]
        return False, None

    def prune(self, keep: set[str]) -> None:
        """Forget files that are gone (only when the whole repository was scanned)."""
        gone = set(self.entries) - keep
        for name in gone:
            del self.entries[name]
        if gone:
            self.dirty = True  # payloads drop them when they are next written (see save)

    def save(self) -> None:
        if not self.dirty:
            return
        folder = self.path.parent
        try:
            folder.mkdir(exist_ok=True)
            ignore = folder / ".gitignore"
            if not ignore.exists():
                ignore.write_text("# cattool's cache: never commit it\n*\n", encoding="utf-8")
            for kind in sorted(self._payload_dirty):
                kept = {n: v for n, v in self._payloads[kind].items() if n in self.entries}
                payload = {"key": self.key, "data": kept}
                _write(folder, self.payload_path(kind), marshal.dumps(payload))
            index = {
                "format": FORMAT,
                "key": self.key,
                "entries": self.entries,
                "written_ns": time.time_ns(),
            }
            _write(folder, self.path, marshal.dumps(index))
        except Exception:
            pass
        self.dirty = False
        self._payload_dirty.clear()


def read_seen(path: Path) -> tuple[bytes | None, tuple[int, Stamp, str] | None]:
    """A case file's bytes, and its size, stamp and digest for the cache (None, None if it
    cannot be read, is not a regular file or is too large: the reader then says why, and nothing
    is kept). The stamp is taken before the bytes are read: a file written meanwhile has a newer
    stamp than the one kept, so the next run reads it again."""
    try:
        raw, stat = read_case_bytes(path)
    except FileRefused:
        return None, None
    return raw, (len(raw), _stamp(stat), _digest(raw))


def _interned(value: Any) -> Any:
    """The value with its short texts interned: marshal then writes each repeated code ("KG",
    "police", "male") once and refers back to it, so the file is smaller and reads faster."""
    if isinstance(value, str):
        return sys.intern(value) if len(value) <= 40 else value
    if isinstance(value, tuple):
        return tuple(_interned(v) for v in value)
    if isinstance(value, list):
        return [_interned(v) for v in value]
    if isinstance(value, dict):
        return {_interned(k): _interned(v) for k, v in value.items()}
    return value


def _write(folder: Path, path: Path, payload: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{path.stem}.", suffix=".tmp")
    with os.fdopen(fd, "wb") as handle:
        handle.write(payload)
    Path(tmp).replace(path)


def clear(repo: CaseRepo) -> bool:
    folder = repo.root / CACHE_DIR
    if not folder.exists():
        return False
    shutil.rmtree(folder)
    return True
