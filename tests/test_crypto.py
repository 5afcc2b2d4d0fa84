"""Encrypted sensitive values: keys, encrypt/decrypt, rotation, required encryption, key errors.

Every identity lives in tmp_path: CATTOOL_IDENTITY is set with monkeypatch (the CLI reads it at
call time), so the real home folder is never touched. Repositories are the model case
(cases/KG/KG-2016-0001.yaml) in tmp_path, with the demo 'vof' organisation so letters work.
"""

from __future__ import annotations

import base64
import re
import stat
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import docx
import pyrage
import pytest
from demo_settings import VOF_SETTINGS
from pyrage import x25519
from typer.testing import CliRunner

from cattool.caseformat import CaseFormat
from cattool.cli import app
from cattool.crypto import PREFIX, SUFFIX, decrypt_value, is_encrypted, sensitive_values
from cattool.errors import CattoolError, ExitCode
from cattool.loading import format_path, node_at, read_case
from cattool.repo import CaseRepo

runner = CliRunner()
PROJECT = Path(__file__).resolve().parent.parent
CASE = "cases/KG/KG-2016-0001.yaml"
CASE_ID = "KG-2016-0001"
CONFIG = VOF_SETTINGS
REQUIRED = CONFIG + "encryption:\n  required: true\n"
NAME = "Фиктионов Тимур Бакирович"
# Every sensitive value of the model case (as written in the file), and parts of them.
SENSITIVE = (
    NAME,
    "Fictionov",
    "+996 555 000 222",
    "+996 555 000 111",
    "Sister of the victim",
    "Fictional street 1",
    "1994-07-02",
    "two officers kept him",
)
LETTER = f"out/{CASE_ID}/{CASE_ID}_procuracy-complaint_chui_2016-03-15_ru.docx"


# --- helpers ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def fmt() -> CaseFormat:
    return CaseFormat.for_repo(CaseRepo(PROJECT))


def cli(repo: Path, *args: str) -> Any:
    return runner.invoke(app, [*args, "--repo", str(repo)])


def use_identity(monkeypatch: pytest.MonkeyPatch, path: Path) -> Path:
    monkeypatch.setenv("CATTOOL_IDENTITY", str(path))
    return path


def new_identity(monkeypatch: pytest.MonkeyPatch, path: Path) -> str:
    """keys init at ``path`` (which becomes the current identity); returns the public key."""
    use_identity(monkeypatch, path)
    result = runner.invoke(app, ["keys", "init"])
    assert result.exit_code == 0, result.output
    found = re.search(r"public key: (age1\w+)", result.stdout)
    assert found, result.stdout
    return found.group(1)


def leaked(text: str) -> list[str]:
    return [value for value in SENSITIVE if value in text]


def enc_payloads(text: str) -> list[str]:
    return re.findall(r"ENC\[age:([A-Za-z0-9+/=]+)\]", text)


def sensitive_ranges(path: Path, fmt: CaseFormat) -> set[int]:
    """0-based line numbers taken by sensitive keys and their values (with what a block swallows)."""
    loaded = read_case(path)
    assert not isinstance(loaded, list), loaded
    lines: set[int] = set()
    for where, _, _, _ in sensitive_values(loaded.data, fmt.sensitive):
        key = node_at(loaded.root, where, key=True)
        value = node_at(loaded.root, where)
        # a block value ends where the next key begins (column 0, or the key's own column)
        at_next_key = value.end_mark.column <= key.start_mark.column and (
            value.end_mark.line > key.start_mark.line
        )
        end = value.end_mark.line - (1 if at_next_key else 0)
        lines.update(range(key.start_mark.line, end + 1))
    return lines


def outside_sensitive(path: Path, fmt: CaseFormat) -> list[str]:
    taken = sensitive_ranges(path, fmt)
    text = path.read_text(encoding="utf-8").splitlines()
    return [line for n, line in enumerate(text) if n not in taken]


def values(path: Path) -> dict[str, Any]:
    loaded = read_case(path)
    assert not isinstance(loaded, list), loaded
    return loaded.data


def sensitive_map(data: dict[str, Any], fmt: CaseFormat) -> dict[str, Any]:
    return {format_path(p): v for p, v, _, _ in sensitive_values(data, fmt.sensitive)}


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=root, check=True, capture_output=True)


@pytest.fixture
def case_repo(make_repo: Callable[..., Path], model_case_text: str) -> Callable[..., Path]:
    def make(config: str = CONFIG, name: str = "repo") -> Path:
        return make_repo({"cattool.yaml": config, CASE: model_case_text}, name=name)

    return make


@pytest.fixture
def encrypted(
    case_repo: Callable[..., Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """The model case encrypted for one recipient, alice, whose identity is the current one."""
    repo = case_repo()
    public = new_identity(monkeypatch, tmp_path / "keys" / "alice.txt")
    assert cli(repo, "keys", "add", "alice", public).exit_code == 0
    result = cli(repo, "encrypt")
    assert result.exit_code == 0, result.output
    return repo


# --- 1. round trip ----------------------------------------------------------------------------------


def test_keys_init_writes_a_private_identity_and_never_replaces_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "config" / "cattool" / "identity.txt"
    public = new_identity(monkeypatch, path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    secret = path.read_text(encoding="utf-8")
    assert "AGE-SECRET-KEY-" in secret
    assert str(x25519.Identity.from_str(secret.split()[-1]).to_public()) == public

    again = runner.invoke(app, ["keys", "init"])
    assert again.exit_code == 4, again.output
    assert str(path) in again.stderr
    assert "Traceback" not in again.output
    assert path.read_text(encoding="utf-8") == secret


def test_encrypt_changes_only_the_sensitive_values(
    case_repo: Callable[..., Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    fmt: CaseFormat,
) -> None:
    repo = case_repo()
    case = repo / CASE
    before_text = case.read_text(encoding="utf-8")
    before = values(case)
    public = new_identity(monkeypatch, tmp_path / "keys" / "alice.txt")
    added = cli(repo, "keys", "add", "alice", public)
    assert added.exit_code == 0, added.output
    assert f"alice {public}" in (repo / "recipients.txt").read_text(encoding="utf-8")

    result = cli(repo, "encrypt")
    assert result.exit_code == 0, result.output
    assert "encrypted 6 values in 1 of 1 case files" in result.stdout
    assert leaked(result.output) == []

    after_text = case.read_text(encoding="utf-8")
    after = values(case)
    assert leaked(after_text) == []
    plain = sensitive_map(before, fmt)
    sealed = sensitive_map(after, fmt)
    assert (
        sorted(plain)
        == sorted(sealed)
        == [
            "incidents[0].narrative",
            "source_contact",
            "victims[0].contacts",
            "victims[0].date_of_birth",
            "victims[0].full_name",
            "victims[0].full_name_latin",
        ]
    )
    assert all(is_encrypted(v) for v in sealed.values()), sealed
    # Every value that is not sensitive is the same, and so is every line around the values.
    for key in ("case_id", "summary_public", "legal_actions", "consent", "perpetrators"):
        assert after[key] == before[key]

    # (comment and blank lines are compared by the next test: a block value's end mark takes in
    # the comments after it, so they fall inside the range before encryption, outside after)
    def content(lines: list[str]) -> list[str]:
        return [line for line in lines if line.strip() and not line.lstrip().startswith("#")]

    assert content(outside_sensitive(case, fmt)) == content(
        [
            line
            for n, line in enumerate(before_text.splitlines())
            if n not in sensitive_ranges(PROJECT / CASE, fmt)
        ]
    )
    assert "member_org: vof            # documenting coalition member (code)" in after_text
    assert before_text.splitlines()[0] in after_text.splitlines()[0]

    checked = cli(repo, "validate")
    assert checked.exit_code == 0, checked.output
    again = cli(repo, "encrypt")
    assert again.exit_code == 0
    assert "encrypted 0 values" in again.stdout
    assert case.read_text(encoding="utf-8") == after_text


def test_encrypt_keeps_every_comment_and_blank_line(encrypted: Path) -> None:
    before = (PROJECT / CASE).read_text(encoding="utf-8").splitlines()
    after = (encrypted / CASE).read_text(encoding="utf-8").splitlines()
    assert [ln for ln in after if ln.lstrip().startswith("#")] == [
        ln for ln in before if ln.lstrip().startswith("#")
    ]
    assert sum(not ln.strip() for ln in after) == sum(not ln.strip() for ln in before)


def test_decrypt_writes_plain_copies_outside_cases_and_keeps_existing_ones(
    encrypted: Path, tmp_path: Path, fmt: CaseFormat
) -> None:
    out = tmp_path / "export"
    result = cli(encrypted, "decrypt", "--out-dir", str(out))
    assert result.exit_code == 0, result.output
    assert leaked(result.output) == []
    copy = out / "KG-2016-0001.yaml"
    assert values(copy) == values(PROJECT / CASE)  # the same values, dates as text
    assert sensitive_map(values(copy), fmt)["victims[0].full_name"] == NAME

    # never inside cases/, whether given relative to the repository or absolute
    for inside in ("cases", "cases/KG", str(encrypted / "cases" / "KG" / "plain")):
        refused = cli(encrypted, "decrypt", "--out-dir", inside)
        assert refused.exit_code == 2, (inside, refused.output)
        assert "cases/" in refused.stderr
    assert sorted(p.name for p in (encrypted / "cases" / "KG").iterdir()) == ["KG-2016-0001.yaml"]

    copy.write_text("edited by hand\n", encoding="utf-8")
    kept = cli(encrypted, "decrypt", "--out-dir", str(out))
    assert kept.exit_code == 4, kept.output
    assert "--force" in kept.stderr
    assert copy.read_text(encoding="utf-8") == "edited by hand\n"
    forced = cli(encrypted, "decrypt", "--out-dir", str(out), "--force")
    assert forced.exit_code == 0, forced.output
    assert values(copy) == values(PROJECT / CASE)


def test_a_text_beginning_with_json_survives_the_round_trip(
    make_repo: Callable[..., Path],
    model_case_text: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    fmt: CaseFormat,
) -> None:
    text = model_case_text.replace(
        "        Fictional account. T.F. says", "        JSON: Fictional account. T.F. says"
    )
    repo = make_repo({"cattool.yaml": CONFIG, CASE: text})
    public = new_identity(monkeypatch, tmp_path / "keys" / "alice.txt")
    cli(repo, "keys", "add", "alice", public)
    assert cli(repo, "encrypt").exit_code == 0
    shown = cli(repo, "show", CASE_ID, "--reveal")
    assert shown.exit_code == 0, shown.output
    assert "JSON: Fictional account. T.F. says" in shown.stdout
    result = cli(repo, "decrypt", "--out-dir", str(tmp_path / "plain"))
    assert result.exit_code == 0, result.output
    narrative = values(tmp_path / "plain" / "KG-2016-0001.yaml")["incidents"][0]["narrative"]
    assert narrative["en"].startswith("JSON: Fictional account.")


# --- 2. no key at all -------------------------------------------------------------------------------


def test_an_encrypted_repository_works_without_any_key(
    encrypted: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    git(encrypted, "init", "-q")
    git(encrypted, "add", "-A")
    git(encrypted, "commit", "-qm", "encrypted cases")
    payloads = enc_payloads((encrypted / CASE).read_text(encoding="utf-8"))
    assert len(payloads) == 6
    # a change to commit-compare: one more sensitive value, encrypted, and a status
    assert cli(encrypted, "set", CASE_ID, "case_status", "monitoring").exit_code == 0

    missing = use_identity(monkeypatch, tmp_path / "nobody" / "identity.txt")
    for args in (
        ["validate"],
        ["stats", "2016"],
        ["list"],
        ["show", CASE_ID],
        ["show", CASE_ID, "--format", "json"],
        ["timeline", CASE_ID],
        ["deadlines", "--as-of", "2016-04-01"],
        ["diff"],
        ["diff", "--format", "md"],
        ["log", CASE_ID],
        ["letter", CASE_ID, "--check"],
        ["export", "--public"],
        ["export", "--coalition"],
    ):
        result = cli(encrypted, *args)
        assert result.exit_code == 0, (args, result.output)
        assert "ENC[" not in result.output, args
        assert not any(p[:24] in result.output for p in payloads), args
        assert leaked(result.output) == [], args
    shown = cli(encrypted, "show", CASE_ID).stdout
    assert "<hidden: use --reveal>" in shown
    assert "monitoring" in cli(encrypted, "diff").stdout

    for args in (
        ["letter", CASE_ID, "--date", "2016-03-15"],
        ["show", CASE_ID, "--reveal"],
        ["timeline", CASE_ID, "--reveal"],
        ["decrypt", "--out-dir", str(tmp_path / "plain")],
    ):
        result = cli(encrypted, *args)
        assert result.exit_code == 3, (args, result.output)
        assert str(missing) in result.stderr, args
        assert "keys init" in result.stderr
        assert "Traceback" not in result.output
        assert leaked(result.output) == []
    assert not (encrypted / "out").exists()
    assert not (tmp_path / "plain").exists()


# --- 3. with the key --------------------------------------------------------------------------------


def test_with_the_key_letters_and_reveal_use_the_real_values(encrypted: Path) -> None:
    result = cli(encrypted, "letter", CASE_ID, "--date", "2016-03-15")
    assert result.exit_code == 0, result.output
    assert leaked(result.stdout) == []
    text = "\n".join(p.text for p in docx.Document(str(encrypted / LETTER)).paragraphs)
    assert NAME in text
    assert "ENC[" not in text
    shown = cli(encrypted, "show", CASE_ID, "--reveal")
    assert shown.exit_code == 0, shown.output
    assert f"name: {NAME}" in shown.stdout
    assert "+996 555 000 222" in shown.stdout
    assert "ENC[" not in shown.stdout
    markdown = cli(
        encrypted, "letter", CASE_ID, "--date", "2016-03-15", "--format", "md", "--stdout"
    )
    assert markdown.exit_code == 0, markdown.output
    assert NAME in markdown.stdout


# --- 4. a wrong key ---------------------------------------------------------------------------------


def test_a_wrong_key_names_the_field_and_never_its_value(
    encrypted: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    new_identity(monkeypatch, tmp_path / "keys" / "mallory.txt")
    encrypted_paths = {
        "source_contact",
        "victims[0].full_name",
        "victims[0].full_name_latin",
        "victims[0].date_of_birth",
        "victims[0].contacts",
        "incidents[0].narrative",
    }
    for args in (
        ["letter", CASE_ID, "--date", "2016-03-15"],
        ["show", CASE_ID, "--reveal"],
        ["decrypt", "--out-dir", str(tmp_path / "plain")],
    ):
        result = cli(encrypted, *args)
        assert result.exit_code == 3, (args, result.output)
        named = re.search(r"cannot decrypt (\S+):", result.stderr)
        assert named, result.stderr
        assert named.group(1) in encrypted_paths
        assert "Traceback" not in result.output
        assert "ENC[" not in result.output
        assert leaked(result.output) == []
    assert not (encrypted / "out").exists()


# --- 5. rotation ------------------------------------------------------------------------------------


def test_rotation_after_removing_a_recipient_locks_them_out(
    case_repo: Callable[..., Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = case_repo()
    alice = tmp_path / "keys" / "alice.txt"
    bob = tmp_path / "keys" / "bob.txt"
    bob_public = new_identity(monkeypatch, bob)
    alice_public = new_identity(monkeypatch, alice)
    assert cli(repo, "keys", "add", "alice", alice_public).exit_code == 0
    assert cli(repo, "keys", "add", "bob", bob_public).exit_code == 0
    assert cli(repo, "keys", "add", "bob2", bob_public).exit_code == 2  # the same key twice
    assert cli(repo, "encrypt").exit_code == 0

    use_identity(monkeypatch, bob)
    before = cli(repo, "show", CASE_ID, "--reveal")
    assert before.exit_code == 0, before.output
    assert NAME in before.stdout

    use_identity(monkeypatch, alice)
    removed = cli(repo, "keys", "remove", "bob")
    assert removed.exit_code == 0, removed.output
    assert "history" in removed.stdout
    assert bob_public not in (repo / "recipients.txt").read_text(encoding="utf-8")
    rotated = cli(repo, "keys", "rotate")
    assert rotated.exit_code == 0, rotated.output
    assert "re-encrypted 6 values in 1 case files for 1 recipients" in rotated.stdout

    # Bob's key opens none of the current values any more; Alice's opens every one.
    text = (repo / CASE).read_text(encoding="utf-8")
    payloads = enc_payloads(text)
    assert len(payloads) == 6
    bob_key = x25519.Identity.from_str(bob.read_text(encoding="utf-8").split()[-1])
    alice_key = x25519.Identity.from_str(alice.read_text(encoding="utf-8").split()[-1])
    for payload in payloads:
        with pytest.raises(pyrage.DecryptError):
            pyrage.decrypt(base64.b64decode(payload), [bob_key])
        assert pyrage.decrypt(base64.b64decode(payload), [alice_key])

    use_identity(monkeypatch, bob)
    for args in (["show", CASE_ID, "--reveal"], ["letter", CASE_ID, "--date", "2016-03-15"]):
        locked = cli(repo, *args)
        assert locked.exit_code == 3, (args, locked.output)
        assert "cannot decrypt" in locked.stderr
        assert NAME not in locked.output
    use_identity(monkeypatch, alice)
    after = cli(repo, "show", CASE_ID, "--reveal")
    assert after.exit_code == 0, after.output
    assert NAME in after.stdout

    listing = (repo / "recipients.txt").read_text(encoding="utf-8")
    last = cli(repo, "keys", "remove", "alice")
    assert last.exit_code == 4, last.output
    assert (repo / "recipients.txt").read_text(encoding="utf-8") == listing
    unknown = cli(repo, "keys", "remove", "carol")
    assert unknown.exit_code == 2, unknown.output
    shown = cli(repo, "keys", "show")
    assert shown.exit_code == 0, shown.output
    assert f"recipient: alice {alice_public}  <- you" in shown.stdout


# --- 6. a repository that requires encryption -------------------------------------------------------


def test_a_repository_requiring_encryption_flags_and_then_keeps_values_encrypted(
    case_repo: Callable[..., Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = case_repo(REQUIRED)
    case = repo / CASE
    flagged = cli(repo, "validate")
    assert flagged.exit_code == 1, flagged.output
    found = [line for line in flagged.stdout.splitlines() if line.endswith("[plain-sensitive]")]
    where = sorted(line.split(": ")[1] for line in found)
    assert where == [
        "incidents[0].narrative",
        "source_contact",
        "victims[0].contacts",
        "victims[0].date_of_birth",
        "victims[0].full_name",
        "victims[0].full_name_latin",
    ]
    assert all(re.match(r".*KG-2016-0001\.yaml:\d+:\d+: ", line) for line in found)
    assert leaked(flagged.output) == []

    public = new_identity(monkeypatch, tmp_path / "keys" / "alice.txt")
    assert cli(repo, "keys", "add", "alice", public).exit_code == 0
    assert cli(repo, "encrypt").exit_code == 0
    passed = cli(repo, "validate")
    assert passed.exit_code == 0, passed.output

    added = cli(
        repo,
        "event",
        "add",
        CASE_ID,
        "--type",
        "response_received",
        "--date",
        "2016-05-02",
        "--note",
        "secret text",
    )
    assert added.exit_code == 0, added.output
    assert "secret text" not in added.output
    text = case.read_text(encoding="utf-8")
    assert "secret text" not in text
    event = values(case)["legal_actions"][-1]
    assert event["type"] == "response_received"
    assert is_encrypted(event["outcome_note"])

    changed = cli(repo, "set", CASE_ID, "victims[0].full_name", "New Name")
    assert changed.exit_code == 0, changed.output
    assert "New Name" not in changed.output
    text = case.read_text(encoding="utf-8")
    assert "New Name" not in text
    assert is_encrypted(values(case)["victims"][0]["full_name"])
    assert cli(repo, "validate").exit_code == 0

    revealed = cli(repo, "show", CASE_ID, "--reveal")
    assert "name: New Name" in revealed.stdout
    timeline = cli(repo, "timeline", CASE_ID, "--reveal", "--format", "md")
    assert "secret text" in timeline.stdout


def test_editing_a_repository_requiring_encryption_without_recipients_writes_nothing(
    case_repo: Callable[..., Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = case_repo(REQUIRED)
    use_identity(monkeypatch, tmp_path / "nobody.txt")
    before = (repo / CASE).read_bytes()
    result = cli(repo, "set", CASE_ID, "victims[0].full_name", "New Name")
    assert result.exit_code == 3, result.output
    assert "recipients" in result.stderr
    assert "New Name" not in result.output
    assert (repo / CASE).read_bytes() == before


@pytest.mark.parametrize(
    ("field", "value"),
    [("victims[0].date_of_birth", "garbage"), ("victims[0].contacts", "[1, 2]")],
    ids=["date", "contacts"],
)
def test_an_invalid_sensitive_value_is_refused_even_when_it_would_be_encrypted(
    case_repo: Callable[..., Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    field: str,
    value: str,
) -> None:
    repo = case_repo(REQUIRED)
    public = new_identity(monkeypatch, tmp_path / "keys" / "alice.txt")
    assert cli(repo, "keys", "add", "alice", public).exit_code == 0
    assert cli(repo, "encrypt").exit_code == 0
    before = (repo / CASE).read_bytes()
    result = cli(repo, "set", CASE_ID, field, value)
    assert result.exit_code == 1, result.output
    assert (repo / CASE).read_bytes() == before


def test_diff_reveal_decrypts_with_the_key(
    case_repo: Callable[..., Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = case_repo(REQUIRED)
    public = new_identity(monkeypatch, tmp_path / "keys" / "alice.txt")
    assert cli(repo, "keys", "add", "alice", public).exit_code == 0
    assert cli(repo, "encrypt").exit_code == 0
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "encrypted")
    assert cli(repo, "set", CASE_ID, "victims[0].full_name", "New Name").exit_code == 0
    masked = cli(repo, "diff")
    assert masked.exit_code == 0, masked.output
    assert "New Name" not in masked.stdout
    assert "ENC[" not in masked.stdout
    git(repo, "commit", "-qam", "renamed")
    logged = cli(repo, "log", CASE_ID, "--reveal")
    assert "New Name" in logged.stdout  # log decrypts
    shown = cli(repo, "diff", "HEAD~1..HEAD", "--reveal")
    assert shown.exit_code == 0, shown.output
    assert "ENC[" not in shown.stdout
    assert "New Name" in shown.stdout


# --- 7. and 8. an identity others can read, a damaged value ------------------------------------------


def test_an_identity_readable_by_others_is_refused(
    encrypted: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    identity = tmp_path / "keys" / "alice.txt"
    identity.chmod(0o644)
    for args in (["show", CASE_ID, "--reveal"], ["letter", CASE_ID, "--date", "2016-03-15"]):
        result = cli(encrypted, *args)
        assert result.exit_code == 3, (args, result.output)
        assert f"chmod 600 {identity}" in result.stderr
        assert leaked(result.output) == []
        assert "Traceback" not in result.output
    identity.chmod(0o600)
    assert cli(encrypted, "show", CASE_ID, "--reveal").exit_code == 0


@pytest.mark.parametrize(
    "damage",
    [
        lambda v: v[: len(v) // 2] + SUFFIX,  # truncated base64
        lambda v: v[:-20] + "!!!!" + SUFFIX,  # not base64 at all
        lambda v: PREFIX + "YWdl" + SUFFIX,  # valid base64, not an age file
        lambda v: PREFIX + SUFFIX,  # nothing inside
    ],
    ids=["truncated", "not-base64", "not-age", "empty"],
)
def test_a_damaged_value_names_its_path(
    encrypted: Path, damage: Callable[[str], str], fmt: CaseFormat
) -> None:
    case = encrypted / CASE
    text = case.read_text(encoding="utf-8")
    sealed = values(case)["victims"][0]["full_name"]
    case.write_text(text.replace(sealed, damage(sealed)), encoding="utf-8")
    for args in (
        ["show", CASE_ID, "--reveal"],
        ["letter", CASE_ID, "--date", "2016-03-15"],
        ["decrypt", "--out-dir", str(encrypted.parent / "plain")],
    ):
        result = cli(encrypted, *args)
        assert result.exit_code == 3, (args, result.output)
        assert "cannot decrypt victims[0].full_name" in result.stderr
        assert "Traceback" not in result.output
        assert leaked(result.output) == []


def test_decrypt_value_never_puts_the_ciphertext_in_its_message() -> None:
    identity = x25519.Identity.generate()
    sealed = PREFIX + "AAAA" * 10 + SUFFIX
    with pytest.raises(CattoolError) as caught:
        decrypt_value(sealed, identity, ("victims", 0, "full_name"))
    assert caught.value.exit_code == ExitCode.CONFIG
    assert "victims[0].full_name" in str(caught.value)
    assert "AAAA" not in str(caught.value)
