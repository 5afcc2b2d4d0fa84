"""PDF output through LibreOffice: a clear error without it, real Cyrillic text with it."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from cattool.errors import CattoolError, ExitCode
from cattool.letters.pdf import docx_to_pdf, find_office

RUSSIAN = "«ЗАЯВЛЕНИЕ о преступлении»"
ENGLISH = "Statement about a crime"

needs_office = pytest.mark.skipif(find_office() is None, reason="LibreOffice (soffice) not on PATH")


def make_docx(path: Path) -> Path:
    docx = pytest.importorskip("docx")
    document = docx.Document()
    document.add_paragraph(RUSSIAN)
    document.add_paragraph(ENGLISH)
    document.save(str(path))
    return path


def test_missing_office_is_a_config_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    assert find_office() is None
    source = tmp_path / "letter.docx"
    source.write_bytes(b"not read")
    with pytest.raises(CattoolError) as caught:
        docx_to_pdf(source, tmp_path / "letter.pdf")
    assert caught.value.exit_code == ExitCode.CONFIG == 3
    assert "LibreOffice" in str(caught.value)
    assert "--format docx" in str(caught.value)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty-bin", "letter.docx"]


@needs_office
def test_converts_russian_and_english_text(tmp_path: Path) -> None:
    source = make_docx(tmp_path / "заявление.docx")
    out = tmp_path / "out"
    out.mkdir()
    target = out / "letter.pdf"
    target.write_bytes(b"old")  # replaced whole
    docx_to_pdf(source, target)
    assert target.read_bytes().startswith(b"%PDF")
    assert [p.name for p in out.iterdir()] == ["letter.pdf"]  # temporary folder removed
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) not on PATH: the PDF was made, its text not checked")
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(target), "-"],
        capture_output=True,
        check=True,
        encoding="utf-8",
    ).stdout
    words = " ".join(text.split())
    assert RUSSIAN in words
    assert ENGLISH in words


@needs_office
def test_unreadable_docx_names_file_not_content(tmp_path: Path) -> None:
    source = tmp_path / "broken.docx"
    source.write_bytes(b"PK\x03\x04 secret narrative words")
    target = tmp_path / "broken.pdf"
    with pytest.raises(CattoolError) as caught:
        docx_to_pdf(source, target)
    message = str(caught.value)
    assert caught.value.exit_code == ExitCode.CONFIG
    assert "broken.docx" in message
    assert "\n" not in message
    assert "secret" not in message
    assert sorted(p.name for p in tmp_path.iterdir()) == ["broken.docx"]


@needs_office
def test_timeout_is_a_config_error(tmp_path: Path) -> None:
    source = make_docx(tmp_path / "letter.docx")
    with pytest.raises(CattoolError) as caught:
        docx_to_pdf(source, tmp_path / "letter.pdf", timeout=0.01)
    assert caught.value.exit_code == ExitCode.CONFIG
    assert "did not finish" in str(caught.value)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["letter.docx"]
