"""A cache of checked cases, so that a second run with nothing changed takes a fraction of a second.

Two files in ``.cattool-cache/`` of the case repository (the folder ignores itself in git):
``cases.marshal``, small, holds for each case file its content digest and what the checks found;
``data.marshal`` holds the parsed cases, read only by commands that need them (stats,
deadlines, export), so that a warm ``validate`` does not pay for loading every case. Both are
under a fingerprint of everything the result depends on: cattool's version, the schema,
vocabularies, country data, calendars and UN rules, ``cattool.yaml`` and the day (some checks
depend on today's date). A different fingerprint means a cold run. A file whose size,
modification time, change time and inode are all unchanged is trusted without reading it (the
change time moves on every write and on every attempt to set the modification time back); any
other file is read and its content digest compared.

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
import hashlib
import marshal
import os
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cattool.repo import CaseRepo

CACHE_DIR = ".cattool-cache"
CACHE_FILE = "cases.marshal"
DATA_FILE = "data.marshal"
FORMAT = 3
RACY_NS = 2_000_000_000  # two seconds


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
                 "countries.py", "vocabularies.py", "crypto.py", "cache.py"):  # fmt: skip
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


def _stamp(stat: os.stat_result) -> tuple[int, int, int, int]:
    return (stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino)


@dataclass
class Entry:
    size: int
    stamp: tuple[int, int, int, int]  # size, mtime, ctime, inode
    digest: str
    problems: list[
        tuple[int, int, str, str, str, str]
    ]  # line, column, yaml path, message, code, severity
    case_id: str | None
    case_id_at: tuple[int, int] | None


@dataclass
class Cache:
    path: Path
    key: str
    entries: dict[str, Entry] = field(default_factory=dict)
    dirty: bool = False
    warning: str | None = None
    _data: dict[str, Any] | None = None  # loaded on first use
    data_dirty: bool = False
    written_ns: int = 0  # when the index was last written

    @property
    def data_path(self) -> Path:
        return self.path.with_name(DATA_FILE)

    def data(self) -> dict[str, Any]:
        """The parsed cases by name (read from disk on first use; {} if unreadable)."""
        if self._data is None:
            self._data = {}
            try:
                raw = marshal.loads(self.data_path.read_bytes())
                if isinstance(raw, dict) and raw.get("key") == self.key:
                    self._data = raw["data"]
            except Exception:  # missing or damaged: entries without data are checked again
                self._data = {}
        return self._data

    @classmethod
    def open(cls, repo: CaseRepo, key: str) -> Cache:
        path = repo.root / CACHE_DIR / CACHE_FILE
        cache = cls(path, key)
        if not path.is_file():
            return cache
        try:
            raw = marshal.loads(path.read_bytes())
            if not isinstance(raw, dict) or "format" not in raw:
                raise ValueError("not a cattool cache")
            if raw.get("format") != FORMAT or raw.get("key") != key:
                return cache  # another version, schema or day: start afresh
            cache.entries = {name: Entry(*values) for name, values in raw["entries"].items()}
            cache.written_ns = int(raw.get("written_ns", 0))
        except Exception:
            cache.entries = {}
            cache.dirty = True
            cache.warning = f"the cache {path} could not be read; it is rebuilt"
        return cache

    def lookup(self, name: str, file: Path) -> Entry | None:
        entry = self.entries.get(name)
        if entry is None or file.is_symlink():
            return None  # a link is always checked afresh: where it points may have changed
        try:
            stat = file.stat()
        except OSError:
            return None
        # A stamp is trusted only if the file was last changed well before the index was written:
        # a file rewritten within the same clock tick (same size, same times) is read again, as
        # git does with "racily clean" files.
        if _stamp(stat) == tuple(entry.stamp) and stat.st_ctime_ns < self.written_ns - RACY_NS:
            return entry
        try:
            data = file.read_bytes()
        except OSError:
            return None
        if len(data) == entry.size and hashlib.blake2b(data).hexdigest() == entry.digest:
            entry.stamp = _stamp(stat)  # touched, not changed
            self.dirty = True
            return entry
        return None

    def store(self, name: str, file: Path, entry_values: tuple[Any, ...], data: Any) -> None:
        try:
            stat = file.stat()
            digest = hashlib.blake2b(file.read_bytes()).hexdigest()
        except OSError:
            return
        self.entries[name] = Entry(stat.st_size, _stamp(stat), digest, *entry_values)
        self.data()[name] = data
        self.dirty = self.data_dirty = True

    def prune(self, keep: set[str]) -> None:
        """Forget files that are gone (only when the whole repository was scanned)."""
        gone = set(self.entries) - keep
        for name in gone:
            del self.entries[name]
        if gone:
            data = self.data()
            for name in gone:
                data.pop(name, None)
            self.dirty = self.data_dirty = True

    def save(self) -> None:
        if not self.dirty:
            return
        folder = self.path.parent
        try:
            folder.mkdir(exist_ok=True)
            ignore = folder / ".gitignore"
            if not ignore.exists():
                ignore.write_text("# cattool's cache: never commit it\n*\n", encoding="utf-8")
            entries = {
                name: (e.size, tuple(e.stamp), e.digest, e.problems, e.case_id, e.case_id_at)
                for name, e in self.entries.items()
            }
            if self.data_dirty and self._data is not None:
                data = {"key": self.key, "data": self._data}
                _write(folder, self.data_path, marshal.dumps(data))
            index = {
                "format": FORMAT,
                "key": self.key,
                "entries": entries,
                "written_ns": time.time_ns(),
            }
            _write(folder, self.path, marshal.dumps(index))
        except Exception:
            pass
        self.dirty = self.data_dirty = False


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
