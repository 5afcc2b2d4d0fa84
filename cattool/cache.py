"""A cache of checked cases, so that a second run with nothing changed takes a fraction of a second.

One file, ``.cattool-cache/cases.marshal`` in the case repository (the folder ignores itself in
git). For each case file it keeps the content digest, what the checks found and the parsed case,
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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cattool.repo import CaseRepo

CACHE_DIR = ".cattool-cache"
CACHE_FILE = "cases.marshal"
FORMAT = 2


def enabled() -> bool:
    return os.environ.get("CATTOOL_NO_CACHE", "") not in ("1", "true", "yes")


def fingerprint(repo: CaseRepo, today: Any) -> str:
    """What every cached result depends on, as one digest."""
    from cattool import __version__

    digest = hashlib.sha256()
    for part in (str(FORMAT), __version__, sys.version, str(today)):
        digest.update(part.encode() + b"\0")
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
    data: Any  # the parsed case (None if it could not be read)


@dataclass
class Cache:
    path: Path
    key: str
    entries: dict[str, Entry] = field(default_factory=dict)
    dirty: bool = False
    warning: str | None = None

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
        except Exception:
            cache.entries = {}
            cache.dirty = True
            cache.warning = f"the cache {path} could not be read; it is rebuilt"
        return cache

    def lookup(self, name: str, file: Path) -> Entry | None:
        entry = self.entries.get(name)
        if entry is None:
            return None
        try:
            stat = file.stat()
        except OSError:
            return None
        if _stamp(stat) == tuple(entry.stamp):
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

    def store(self, name: str, file: Path, entry_values: tuple[Any, ...]) -> None:
        try:
            stat = file.stat()
            digest = hashlib.blake2b(file.read_bytes()).hexdigest()
        except OSError:
            return
        self.entries[name] = Entry(stat.st_size, _stamp(stat), digest, *entry_values)
        self.dirty = True

    def prune(self, keep: set[str]) -> None:
        """Forget files that are gone (only when the whole repository was scanned)."""
        gone = set(self.entries) - keep
        for name in gone:
            del self.entries[name]
        self.dirty = self.dirty or bool(gone)

    def save(self) -> None:
        if not self.dirty:
            return
        folder = self.path.parent
        try:
            folder.mkdir(exist_ok=True)
            ignore = folder / ".gitignore"
            if not ignore.exists():
                ignore.write_text("# cattool's cache: never commit it\n*\n", encoding="utf-8")
            payload = marshal.dumps(
                {
                    "format": FORMAT,
                    "key": self.key,
                    "entries": {
                        name: (
                            e.size,
                            tuple(e.stamp),
                            e.digest,
                            e.problems,
                            e.case_id,
                            e.case_id_at,
                            e.data,
                        )
                        for name, e in self.entries.items()
                    },
                }
            )
            fd, tmp = tempfile.mkstemp(dir=folder, prefix=".cases.", suffix=".tmp")
            with os.fdopen(fd, "wb") as handle:
                handle.write(payload)
            Path(tmp).replace(self.path)
        except Exception:
            pass
        self.dirty = False


def clear(repo: CaseRepo) -> bool:
    folder = repo.root / CACHE_DIR
    if not folder.exists():
        return False
    shutil.rmtree(folder)
    return True
