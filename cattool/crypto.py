"""Encrypted sensitive values: only what the schema marks sensitive is encrypted, one value at a time.

In a case file an encrypted value is a plain YAML string of one documented form::

    full_name: "ENC[age:YWdlLWVuY3J5cHRpb24ub3JnL3YxCi0+IFgyNTUxOSB...]"

The base64 text is an age file (https://age-encryption.org/v1) encrypted to every recipient of
the repository; the plain text encrypted is ``S:`` and the text, or ``J:`` and the JSON of a value that is
not a string (``contacts``, a mapping). Key names, structure and every other value stay readable, so validation, statistics,
lists, deadlines and review work without a key; letters, UN submissions and ``show --reveal``
decrypt in memory with the user's identity.

Keys:

- the identity (secret key) of each person lives outside the repository: ``CATTOOL_IDENTITY``
  (a file path) or ``<config folder>/cattool/identity.txt``, created with mode 0600;
- the repository lists its recipients (public keys) in ``recipients.txt``, one ``NAME age1...``
  per line, committed with the cases.
"""

from __future__ import annotations

import base64
import datetime as dt
import functools
import json
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cattool.errors import CattoolError, ConfigError, ExitCode, RefusedError
from cattool.loading import YamlPath, format_path
from cattool.privacy import ANY_ITEM, Pattern, as_pattern
from cattool.sealed import PREFIX, SUFFIX, is_encrypted

RECIPIENTS_FILE = "recipients.txt"
IDENTITY_ENV = "CATTOOL_IDENTITY"


# --- keys ---------------------------------------------------------------------------------------


def identity_path() -> Path:
    """Where this user's identity is: $CATTOOL_IDENTITY, else the OS's config folder."""
    if os.environ.get(IDENTITY_ENV):
        return Path(os.environ[IDENTITY_ENV]).expanduser()
    if sys.platform == "win32":
        base = Path(os.environ.get("APPDATA") or Path.home() / "AppData" / "Roaming")
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support"
    else:
        base = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    return base / "cattool" / "identity.txt"


def create_identity(path: Path | None = None) -> tuple[Path, str]:
    """Make a new identity file (mode 0600); refuse if one exists. Returns (path, public key)."""
    from pyrage import x25519

    path = path or identity_path()
    if path.exists():
        raise RefusedError(
            f"{path} exists already: your identity is kept (cattool keys show prints its public "
            "key). Delete the file yourself only if you are sure no case is encrypted to it."
        )
    identity = x25519.Identity.generate()
    public = str(identity.to_public())
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write("# cattool identity: keep this file secret, never commit it.\n")
        handle.write(f"# public key: {public}\n{identity}\n")
    return path, public


def load_identity(path: Path | None = None) -> Any:
    from pyrage import x25519

    path = path or identity_path()
    if not path.is_file():
        raise CattoolError(
            f"no identity at {path}: run cattool keys init, then ask someone who holds a key to "
            "add your public key (cattool keys add) and re-encrypt (cattool keys rotate)",
            ExitCode.CONFIG,
        )
    if sys.platform != "win32" and path.stat().st_mode & 0o077:
        raise CattoolError(
            f"{path} can be read by other users of this computer: run chmod 600 {path}",
            ExitCode.CONFIG,
        )
    lines = [
        ln.strip()
        for ln in path.read_text(encoding="utf-8").splitlines()
        if ln.strip().startswith("AGE-SECRET-KEY-")
    ]
    if not lines:
        raise CattoolError(f"{path} holds no age identity (AGE-SECRET-KEY-...)", ExitCode.CONFIG)
    try:
        return x25519.Identity.from_str(lines[0])
    except Exception:
        raise CattoolError(f"{path}: the identity cannot be read", ExitCode.CONFIG) from None


def public_key(identity: Any) -> str:
    return str(identity.to_public())


@dataclass(frozen=True)
class Recipient:
    name: str
    key: str


def read_recipients(root: Path) -> list[Recipient]:
    path = root / RECIPIENTS_FILE
    if not path.is_file():
        return []
    found = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        parts = line.split()
        if len(parts) != 2 or not parts[1].startswith("age1"):
            raise ConfigError(f"{path}:{number}: write each recipient as 'NAME age1...'")
        found.append(Recipient(parts[0], parts[1]))
    return found


def write_recipients(root: Path, recipients: list[Recipient]) -> None:
    from cattool.files import write_atomic

    lines = [
        "# Who can read the encrypted values of these cases: NAME and age public key per line.",
        "# Change it with cattool keys add/remove, then run cattool keys rotate.",
        *(f"{r.name} {r.key}" for r in recipients),
    ]
    write_atomic(root / RECIPIENTS_FILE, "\n".join(lines) + "\n")


def age_recipients(recipients: list[Recipient]) -> list[Any]:
    from pyrage import x25519

    if not recipients:
        raise CattoolError(
            f"no recipients in {RECIPIENTS_FILE}: add at least your own key first "
            "(cattool keys init, then cattool keys add NAME PUBKEY)",
            ExitCode.CONFIG,
        )
    try:
        return [x25519.Recipient.from_str(r.key) for r in recipients]
    except Exception:
        raise ConfigError(f"{RECIPIENTS_FILE}: a public key cannot be read") from None


# --- values -------------------------------------------------------------------------------------


def encrypt_value(value: Any, recipients: list[Any]) -> str:
    import pyrage

    # "S:" text as it is, "J:" anything else as JSON: no text can be mistaken for the other
    text = (
        "S:" + value
        if isinstance(value, str)
        else "J:" + json.dumps(_plain(value), ensure_ascii=False)
    )
    sealed = pyrage.encrypt(text.encode("utf-8"), recipients)
    return PREFIX + base64.b64encode(sealed).decode("ascii") + SUFFIX


def decrypt_value(value: str, identity: Any, path: YamlPath) -> Any:
    import pyrage

    try:
        sealed = base64.b64decode(value[len(PREFIX) : -len(SUFFIX)], validate=True)
        text = pyrage.decrypt(sealed, [identity]).decode("utf-8")
    except Exception:
        raise CattoolError(
            f"cannot decrypt {format_path(path)}: your identity is not among the recipients it "
            "was encrypted to, or the value is damaged (ask a key holder to run cattool keys "
            "rotate)",
            ExitCode.CONFIG,
        ) from None
    if text.startswith("S:"):
        return text[2:]
    if text.startswith("J:"):
        return json.loads(text[2:])
    raise CattoolError(
        f"cannot decrypt {format_path(path)}: the value is not in a form cattool knows",
        ExitCode.CONFIG,
    )


def _plain(value: Any) -> Any:
    """ruamel's commented containers as plain dicts and lists (for JSON)."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def sensitive_values(
    data: Any, patterns: frozenset[Pattern], path: YamlPath = ()
) -> Iterator[tuple[YamlPath, Any, Any, Any]]:
    """(path, value, container, key) of every value at a path the schema marks sensitive."""
    pattern = as_pattern(path)
    if path and pattern in patterns:
        return  # handled by the caller one level up
    yield from _sensitive_below(data, patterns, _prefixes(patterns), path, pattern)


@functools.lru_cache(maxsize=8)
def _prefixes(patterns: frozenset[Pattern]) -> frozenset[Pattern]:
    """Every path that leads to a sensitive field: only those are walked (a case's incidents,
    events and methods hold none, and walking them made this the slowest step of a cold run)."""
    return frozenset(p[:n] for p in patterns for n in range(len(p) + 1))


def _sensitive_below(
    data: Any,
    patterns: frozenset[Pattern],
    prefixes: frozenset[Pattern],
    path: YamlPath,
    pattern: Pattern,
) -> Iterator[tuple[YamlPath, Any, Any, Any]]:
    items: list[tuple[Any, Any]]
    if isinstance(data, dict):
        items = list(data.items())
    elif isinstance(data, list):
        items = list(enumerate(data))
    else:
        return
    for key, value in items:
        step = ANY_ITEM if isinstance(key, int) else key
        here_pattern = (*pattern, step)
        if here_pattern in patterns:
            yield (*path, key), value, data, key
        elif here_pattern in prefixes:
            yield from _sensitive_below(value, patterns, prefixes, (*path, key), here_pattern)


def plain_sensitive(data: Any, patterns: frozenset[Pattern]) -> list[YamlPath]:
    """Paths of sensitive values that are still plain (empty values do not count)."""
    return [
        path
        for path, value, _, _ in sensitive_values(data, patterns)
        if value not in (None, "", [], {}) and not is_encrypted(value)
    ]


def encrypt_in_place(data: Any, patterns: frozenset[Pattern], recipients: list[Any]) -> int:
    """Encrypt every plain sensitive value of ``data`` (ruamel or plain); return how many."""
    count = 0
    for _, value, container, key in list(sensitive_values(data, patterns)):
        if value in (None, "", [], {}) or is_encrypted(value):
            continue
        _replace_keeping_comments(container, key, encrypt_value(value, recipients))
        count += 1
    return count


def _replace_keeping_comments(container: Any, key: Any, new: str) -> None:
    """Put ``new`` in place of a value; the comments and blank lines after a mapping or list
    value (ruamel keeps the next section's heading there) move to the new line."""
    from ruamel.yaml.comments import CommentedBase, CommentedMap

    old = container[key]
    trailing = None
    if isinstance(old, CommentedBase):
        from cattool.roundtrip import detach_trailing_comment

        trailing = detach_trailing_comment(old)
    container[key] = new
    if trailing and isinstance(container, CommentedMap):
        container.yaml_add_eol_comment("#", key)  # creates the comment slot
        token = container.ca.items[key][2]
        token.value = "\n" + trailing


def reencrypt_in_place(
    data: Any, patterns: frozenset[Pattern], identity: Any, recipients: list[Any]
) -> int:
    count = 0
    for path, value, container, key in list(sensitive_values(data, patterns)):
        if is_encrypted(value):
            container[key] = encrypt_value(decrypt_value(value, identity, path), recipients)
            count += 1
    return count


def revealed(data: Any, patterns: frozenset[Pattern], identity: Any | None = None) -> Any:
    """A copy of a case with every encrypted value decrypted (in memory only).

    Without encrypted values no identity is needed and ``data`` itself is returned.
    """
    import copy

    found = [
        (path, value)
        for path, value, _, _ in sensitive_values(data, patterns)
        if is_encrypted(value)
    ]
    if not found:
        return data
    identity = identity or load_identity()
    out = copy.deepcopy(data)
    for path, value, container, key in list(sensitive_values(out, patterns)):
        if is_encrypted(value):
            container[key] = decrypt_value(value, identity, path)
    return out


def repository_requires_encryption(config: dict[str, Any]) -> bool:
    setting = config.get("encryption")
    return isinstance(setting, dict) and bool(setting.get("required"))
