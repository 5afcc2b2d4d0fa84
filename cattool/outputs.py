"""What every output obeys, in one place: where it may be written, which repository files may
override the built-in ones, and how text from a case is written into a spreadsheet or Markdown
so that it stays text.

- **Where** (``check_output``): no output of any command goes inside ``cases/`` or over a case
  file (links followed), ``--force`` or not; a file output never names a folder; a missing
  folder is never made on the way (only the folder an option names for a folder output, and the
  repository's ``out/``). Each is a usage error (exit 2) before anything is written.
- **Overrides** (``own_file``): a repository's own schema, vocabulary, country data or template
  is read only if it is a regular file inside the repository; a link that leaves it is a
  configuration error (exit 3) naming the file.
- **Spreadsheets** (``formula_like``, ``csv_text``, ``xlsx_append``): a text cell that starts with
  ``=``, ``+``, ``-``, ``@``, a tab or a carriage return (the OWASP rule for CSV injection) could be
  run as a formula. In CSV it is written with a single quote in front, and quoted; in XLSX it is
  stored as a string cell (never a formula) with Excel's quote prefix, so its text is kept
  exactly. Numbers stay numbers: a negative count is not text and is never touched.
- **Markdown** (``md_text``): text from a case is escaped so that it cannot become HTML, a link,
  an image or a block (a heading, a list, a table row) of the document it is put in.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cattool.errors import UsageError
from cattool.files import inside

if TYPE_CHECKING:
    from cattool.repo import CaseRepo

# --- where outputs go ---------------------------------------------------------------------------


def check_output(
    repo: CaseRepo, path: Path, *, folder: bool = False, option: str = "--output"
) -> None:
    """Stop with a usage error (exit 2), before anything is written, if ``path`` may not be
    written: inside ``cases/`` or over a case file (links followed, whatever ``--force`` says);
    for a file, a path that is a folder or whose folder does not exist; for a folder
    (``folder=True``), a path that is a file or whose parent folder does not exist.

    The one missing folder cattool makes on the way is the repository's own ``out/``.
    """
    shown = str(path)
    if inside(path, repo.cases_dir):
        raise UsageError(
            f"{option} {shown}: outputs never go inside cases/ or over a case file; nothing was "
            f"written. Choose another {option}."
        )
    if folder:
        if path.exists() and not path.is_dir():
            raise UsageError(
                f"{option} {shown} is a file, not a folder; nothing was written. Name a folder."
            )
        if path.is_dir():
            return
    elif path.is_dir():
        raise UsageError(
            f"{option} {shown} is a folder; nothing was written. Name the file to write, e.g. "
            f"{Path(shown) / 'name.ext'}."
        )
    parent = path.parent
    if parent.is_dir() or _same(parent, repo.root / "out"):
        return
    what = "is not a folder" if parent.exists() else "does not exist"
    raise UsageError(
        f"{option} {shown}: the folder {parent} {what}; nothing was written. Create it first, or "
        f"choose another {option}."
    )


def _same(a: Path, b: Path) -> bool:
    try:
        return os.path.normcase(a.resolve()) == os.path.normcase(b.resolve())
    except OSError:
        return False


# --- spreadsheet cells --------------------------------------------------------------------------

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def formula_like(value: Any) -> bool:
    """A text a spreadsheet could read as a formula (numbers are never formula-like)."""
    return isinstance(value, str) and value.startswith(FORMULA_START)


def _csv_field(value: Any) -> str:
    if value is None:
        return ""
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        value = value.item()  # a numpy scalar
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        text = str(int(value)) if value.is_integer() else f"{value:g}"
    elif isinstance(value, int):
        text = str(value)
    else:
        text = str(value)
        if formula_like(text):
            return '"' + ("'" + text).replace('"', '""') + '"'
    if any(ch in text for ch in ',"\r\n'):
        return '"' + text.replace('"', '""') + '"'
    return text


def csv_text(rows: Iterable[Sequence[Any]]) -> str:
    """Rows as CSV text (comma, double quotes, one "\\n" per row), every text cell safe to open
    in a spreadsheet: a formula-like text gets a leading single quote and is quoted. Numbers
    (``int``, ``float``) are written as numbers, a negative one included."""
    lines = []
    for row in rows:
        fields = [_csv_field(value) for value in row]
        lines.append('""' if fields == [""] else ",".join(fields))  # as the csv module writes it
    return "".join(line + "\n" for line in lines)


def csv_records(records: Iterable[dict[str, Any]], columns: Sequence[str]) -> str:
    """Mappings as CSV under a header of ``columns`` (a missing value is an empty cell)."""
    return csv_text([list(columns), *([record.get(c) for c in columns] for record in records)])


def xlsx_append(sheet: Any, values: Sequence[Any]) -> None:
    """Append a row to an openpyxl sheet; a formula-like text is stored as a string cell (data
    type 's', with Excel's quote prefix), so it is shown as written and never run."""
    sheet.append(list(values))
    if not values:
        return
    for value, cell in zip(values, sheet[sheet.max_row], strict=False):
        if formula_like(value):
            cell.data_type = "s"
            cell.quotePrefix = True


# --- Markdown -----------------------------------------------------------------------------------

# Inline: a backslash (so that no escape of ours can be undone), a backtick (code spans), a bar
# (table cells), '<' and '>' (HTML and <autolinks>), an entity, and a ']' that would close a
# link or an image ("[text](url)", "![alt](url)", "[text][ref]").
_INLINE = re.compile(r"[\\`|<>]|\](?=[(\[])|&(?=#?[A-Za-z0-9]+;)")
_INLINE_AS = {
    "\\": "\\\\",
    "`": "\\`",
    "|": "\\|",
    "<": "&lt;",
    ">": "&gt;",
    "]": "\\]",
    "&": "&amp;",
}
# At the start of a line: what would open a block (a heading, a bulleted or "1." item, a fence,
# a link definition "[x]: url", a thematic break or a setext underline). "1)" is left as it is:
# the letters' own templates number their incidents so, and it is a list, never HTML or a link.
_LINE_START = re.compile(
    r"^(?P<lead>[ \t]*)(?:"
    r"(?P<number>\d{1,9})(?P<dot>\.)(?=\s|$)"
    r"|(?P<rule>(?:[-*_][ \t]*){3,}$|=+[ \t]*$)"
    r"|(?P<mark>#|[-+*](?=\s|$)|:{3}|~{3}|\[(?=[^\]]*\]:))"
    r")"
)


def _line(line: str) -> str:
    line = _INLINE.sub(lambda m: _INLINE_AS[m[0][0]], line)
    match = _LINE_START.match(line)
    if not match:
        return line
    lead = match["lead"]
    if match["number"]:
        return f"{lead}{match['number']}\\{match['dot']}{line[match.end() :]}"
    start = len(lead)
    return f"{lead}\\{line[start:]}"


def md_text(text: str) -> str:
    """Text from a case, escaped for Markdown: it reads the same once rendered, and cannot
    become HTML (``<script>`` is written ``&lt;script&gt;``), a link or an image (``[x](url)``
    keeps its brackets as text) or a block of the document (a line starting with "#", "- ",
    "1." or ":::"). Emphasis (``*``, ``_``) is left as it is: it changes how a text looks, not
    what the document is; a bare address (``http://...``) stays text, though some renderers
    show it as the link it reads as.
    """
    return "\n".join(_line(line) for line in str(text).split("\n"))
