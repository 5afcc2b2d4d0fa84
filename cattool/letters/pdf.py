"""Turn a letter's Word document into a PDF with LibreOffice, run headless.

cattool writes letters as DOCX itself (python-docx) and leaves the page layout to a word processor:
for PDF output it asks LibreOffice (``soffice``) to convert that DOCX. LibreOffice is an outside
program, not a Python package, so ``find_office`` looks for it on PATH and ``docx_to_pdf`` says
how to install it when it is missing.

Each conversion runs in a fresh temporary folder created next to the PDF, with a private,
throw-away LibreOffice user profile (``-env:UserInstallation=file:///...``). So two conversions
at once do not fight over one profile, and a LibreOffice the user has open is neither used nor
disturbed (without its own profile, ``soffice`` hands the job to the running instance, or fails
on its lock). The finished PDF is moved into place with ``os.replace``, so the target is either
the old file or the complete new one, never half a PDF; the temporary folder is always removed.

Errors name the file and quote LibreOffice's own first line of error, never the document's text.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

from cattool.errors import CattoolError, ExitCode

OFFICE_PROGRAMS = ("soffice", "libreoffice")

MISSING_OFFICE = (
    "PDF output needs LibreOffice (the 'soffice' program), which is not installed here. "
    "Install it (Debian/Ubuntu: sudo apt-get install libreoffice-writer; Windows/macOS: "
    "libreoffice.org) or use --format docx."
)

# Lines LibreOffice prints on every run on machines without Java; they never explain a failure.
_NOISE = ("Warning: failed to launch javaldx",)
_MAX_REASON = 200


def find_office() -> str | None:
    """The path of LibreOffice's ``soffice`` (or ``libreoffice``) program on PATH, or None."""
    for name in OFFICE_PROGRAMS:
        found = shutil.which(name)
        if found:
            return found
    return None


def docx_to_pdf(docx_path: Path, pdf_path: Path, *, timeout: float = 120) -> None:
    """Convert ``docx_path`` to ``pdf_path`` with headless LibreOffice; replace any old PDF.

    Raises CattoolError (exit code CONFIG) when LibreOffice is missing, fails or takes longer
    than ``timeout`` seconds; ``pdf_path`` is then left as it was.
    """
    office = find_office()
    if office is None:
        raise CattoolError(MISSING_OFFICE, ExitCode.CONFIG)
    source = Path(docx_path).resolve()
    target = Path(pdf_path)
    if not source.is_file():
        raise CattoolError(f"Cannot make a PDF of {docx_path}: the file does not exist.")
    try:
        work = Path(tempfile.mkdtemp(prefix=".cattool-pdf-", dir=target.parent))
    except OSError as error:
        raise CattoolError(
            f"Cannot make {pdf_path}: cannot write in the folder {target.parent} "
            f"({error.strerror or error})."
        ) from error
    try:
        outdir = work / "out"
        command = [
            office,
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--nologo",
            f"-env:UserInstallation={(work / 'profile').as_uri()}",
            "--convert-to",
            "pdf:writer_pdf_Export",
            "--outdir",
            str(outdir),
            str(source),
        ]
        returncode, stdout, stderr = _run(command, timeout, docx_path)
        produced = _produced_pdf(outdir, source)
        if returncode != 0 or produced is None:
            reason = _first_error_line(stderr, stdout) or f"exit status {returncode}, no PDF made"
            raise CattoolError(
                f"LibreOffice could not convert {docx_path} to PDF: {reason}", ExitCode.CONFIG
            )
        try:
            produced.replace(target)  # os.replace: atomic on one file system
        except OSError as error:
            raise CattoolError(
                f"Cannot write {pdf_path}: {error.strerror or error}.", ExitCode.CONFIG
            ) from error
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _run(command: list[str], timeout: float, docx_path: Path) -> tuple[int, str, str]:
    """Run LibreOffice; on timeout kill it and every process it started, then raise."""
    posix = sys.platform != "win32"
    try:
        process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
            errors="replace",
            start_new_session=posix,  # its own process group, so a timeout kills soffice.bin too
        )
    except OSError as error:
        raise CattoolError(
            f"Cannot start LibreOffice ({command[0]}) to convert {docx_path}: "
            f"{error.strerror or error}.",
            ExitCode.CONFIG,
        ) from error
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill(process, posix)
        raise CattoolError(
            f"LibreOffice could not convert {docx_path} to PDF: it did not finish within "
            f"{timeout:g} seconds.",
            ExitCode.CONFIG,
        ) from None
    except BaseException:  # Ctrl-C: leave no LibreOffice behind
        _kill(process, posix)
        raise
    return process.returncode, stdout, stderr


def _kill(process: subprocess.Popen[str], posix: bool) -> None:
    if posix:
        with contextlib.suppress(OSError):
            os.killpg(process.pid, signal.SIGKILL)
    with contextlib.suppress(OSError):
        process.kill()
    process.communicate()


def _produced_pdf(outdir: Path, source: Path) -> Path | None:
    """The PDF LibreOffice wrote: named after the source, or else the only PDF in ``outdir``."""
    expected = outdir / f"{source.stem}.pdf"
    if expected.is_file():
        return expected
    found = sorted(outdir.glob("*.pdf")) if outdir.is_dir() else []
    return found[0] if len(found) == 1 else None


def _first_error_line(*outputs: str) -> str:
    """LibreOffice's first meaningful line of error (stderr first), shortened to one line."""
    for output in outputs:
        for line in output.splitlines():
            line = line.strip()
            if not line or line.startswith(_NOISE) or line.startswith("convert "):
                continue
            return line if len(line) <= _MAX_REASON else line[: _MAX_REASON - 1] + "…"
    return ""
