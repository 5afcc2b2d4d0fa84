"""Findings in the user's files: ``Problem`` values collected into a ``Report``.

A problem names the file, the line and column, the YAML path and a stable code; its message never
contains a value from a sensitive field. ``CODES`` is the catalogue of codes, each with a title and
the fix, shown by ``cattool validate --explain CODE`` and in docs/checks.md.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Any

INTERNAL_ERROR = "internal-error"  # the code of a file whose check a defect in cattool stopped


class DefectPolicy:
    """What becomes of an unexpected exception while one file is read or checked: by default a
    problem of that file (``INTERNAL_ERROR``) and the run goes on; with ``reraise`` (the command
    line's ``--traceback``) the exception itself, for the bug report."""

    reraise: bool = False


DEFECTS = DefectPolicy()

# What would break "one problem, one line" or cannot be written out as UTF-8: control characters
# (a newline in a file name), the line separators, and the lone surrogates that stand for the
# bytes of a file name that is not UTF-8.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:  # a byte of a file name that is not UTF-8 (surrogateescape)
        return f"\\x{code - 0xDC00:02x}"
    return {"\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(char) or (
        f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"
    )


def printable(text: object) -> str:
    """``text`` on one line, as UTF-8 can write it: a newline, a tab, any other control
    character and a byte of a file name that is not UTF-8 are written as escapes (\\n, \\t,
    \\x1b, \\xff)."""
    shown = str(text)
    return _UNPRINTABLE.sub(_escape, shown) if _UNPRINTABLE.search(shown) else shown


def _surrogates_escaped(text: str) -> str:
    """A path for JSON: control characters stay (JSON escapes them), the bytes of a name that is
    not UTF-8 are written as \\xff."""
    return _SURROGATES.sub(_escape, text) if _SURROGATES.search(text) else text


_SURROGATES = re.compile("[\ud800-\udfff]")


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Problem:
    path: Path
    line: int  # 1-based, as editors count
    column: int  # 1-based
    yaml_path: str  # "victims[0].date_of_birth"; "(file)" for the whole file
    message: str
    code: str
    severity: Severity = Severity.ERROR

    def __str__(self) -> str:
        """``path:line:column: yaml.path: message [code]``, always one line (see ``printable``)."""
        where = f"{self.path}:{self.line}:{self.column}"
        marker = "warning: " if self.severity is Severity.WARNING else ""
        return printable(f"{where}: {marker}{self.yaml_path}: {self.message} [{self.code}]")

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (str(self.path), self.line, self.column, self.yaml_path, self.code)

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": _surrogates_escaped(str(self.path)),
            "line": self.line,
            "column": self.column,
            "yaml_path": _surrogates_escaped(self.yaml_path),
            "message": _surrogates_escaped(self.message),
            "code": self.code,
            "severity": self.severity.value,
        }


@dataclass(slots=True)
class Report:
    """What one validation run found, in a stable order (by file, then line)."""

    files_checked: int = 0
    problems: list[Problem] = field(default_factory=list)

    def extend(self, problems: Iterable[Problem]) -> None:
        self.problems.extend(problems)

    def sort(self) -> None:
        self.problems.sort(key=Problem.sort_key)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.WARNING]

    @property
    def files_with_errors(self) -> int:
        return len({p.path for p in self.errors})

    def __iter__(self) -> Iterator[Problem]:
        return iter(self.problems)

    def summary(self) -> str:
        files = _plural(self.files_checked, "case file")
        if not self.problems:
            return f"{files} checked: all valid"
        parts = []
        if self.errors:
            parts.append(_plural(len(self.errors), "problem"))
        if self.warnings:
            parts.append(_plural(len(self.warnings), "warning"))
        bad = len({p.path for p in self.problems})
        return f"{' and '.join(parts)} in {bad} of {files}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "files_checked": self.files_checked,
            "errors": len(self.errors),
            "warnings": len(self.warnings),
            "problems": [p.to_dict() for p in self.problems],
        }


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


@dataclass(frozen=True, slots=True)
class Code:
    title: str
    fix: str
    severity: Severity = Severity.ERROR


# The catalogue of problem codes. Codes are stable: tools and people search for them.
CODES: dict[str, Code] = {
    # Reading the file
    "unreadable": Code(
        "The file cannot be read, or it is a symbolic link that leads round in a loop",
        "Check that the file exists and you may read it; replace a looping link with the case "
        "file itself.",
    ),
    "not-a-file": Code(
        "A path named like a case file that is not a regular file: a folder, a named pipe "
        "(FIFO), a socket or a device",
        "Case files are ordinary files: remove it from cases/, or rename it so that its name "
        "does not end in .yaml or .yml. cattool never opens it (a pipe could make it wait "
        "forever); the case files inside such a folder are still checked.",
    ),
    "too-large": Code(
        "The file is larger than the limit for one case (1 MiB), or nested more than 50 levels",
        "Keep documents and photos outside the case file and refer to them by path; a case "
        "needs only a few levels of nesting.",
    ),
    "encoding": Code(
        "The file is not valid UTF-8 text",
        "Save the file as UTF-8 in your editor (in Notepad: Save as, Encoding: UTF-8).",
    ),
    "empty-file": Code(
        "The file is empty", "Fill it in (cattool new-case writes a start) or delete it."
    ),
    "merge-conflict": Code(
        "Git merge-conflict markers are left in the file",
        "Keep the right version between <<<<<<<, ======= and >>>>>>>, then delete the marker lines.",
    ),
    "key-not-text": Code(
        "A key that is a number, true/false, empty or a list instead of text",
        "Keys are names such as case_id: write the key in quotes ('2016': ...) or remove it.",
    ),
    "tab-indent": Code(
        "A tab character is used for indentation",
        "YAML allows only spaces for indentation: replace the tab with spaces.",
    ),
    "yaml-syntax": Code(
        "The YAML cannot be parsed",
        "Fix the syntax at the line shown (often a missing ':' or quote).",
    ),
    "duplicate-key": Code(
        "The same key appears twice in one mapping",
        "Keep one of them: YAML would otherwise silently use the last one.",
    ),
    "alias": Code(
        "YAML anchors and aliases (& and *) are not allowed in case files",
        "Write the value out in full; aliases can hide huge expansions.",
    ),
    "yaml-tag": Code(
        "A YAML tag (such as !!set, !!binary, !!python/object or !custom) in a case file, or a "
        "value that cannot be read as what its tag or its form says (!!int on a word, 0x "
        "without digits)",
        "Remove the tag: case files hold only text, numbers, true/false, lists and mappings, "
        "written plainly; put a text that looks like a number in quotes.",
    ),
    "long-number": Code(
        "A number of more than 100 digits",
        "A case needs no such number: if it is text (an account or a document number), put it "
        "in quotes.",
    ),
    "not-a-mapping": Code(
        "The file is not a mapping of keys to values",
        "A case file starts with keys such as 'schema_version:' and 'case_id:' at the left margin.",
    ),
    # Schema
    "old-format": Code(
        "A case file in an older version of the format",
        "Run cattool migrate --write (after upgrading cattool), review the change with git diff "
        "and commit it.",
    ),
    "required": Code("A required key is missing", "Add the key with a value."),
    "unknown-key": Code(
        "A key that the case format does not know",
        "Check the spelling; a coalition's own additions must start with 'x_'.",
    ),
    "enum": Code("A value that is not in the vocabulary", "Use one of the values listed."),
    "type": Code(
        "A value of the wrong kind", "Give the kind of value named (text, number, list...)."
    ),
    "pattern": Code("A value in the wrong form", "Write it in the form shown."),
    "format": Code("A value in the wrong form", "Dates are written YYYY-MM-DD and must exist."),
    "min-items": Code("A list is too short", "Add at least the number of items named."),
    "unique-items": Code("A list repeats an item", "Remove the repeated item."),
    "min-length": Code("A text is empty", "Fill it in or remove the key."),
    "range": Code("A number is out of range", "Check the number."),
    "schema": Code("The case does not match the case format", "See the message."),
    # Semantic checks
    "duplicate-case-id": Code(
        "Two case files have the same case_id",
        "Give one of them a new id (cattool new-case picks a free one) and rename its file.",
    ),
    "file-name": Code(
        "The file name does not match the case_id",
        "Rename the file to <case_id>.yaml, or correct the case_id.",
    ),
    "wrong-folder": Code(
        "The case file is not in the folder of its country",
        "Move it to cases/<COUNTRY>/.",
        Severity.WARNING,
    ),
    "id-mismatch": Code(
        "The case_id does not agree with the country or the intake year",
        "The case_id starts with the country code and the year of intake_date.",
    ),
    "duplicate-id": Code(
        "Two items in the case have the same id", "Give each victim, incident, event... its own id."
    ),
    "dangling-reference": Code(
        "A reference to an id that does not exist in the case", "Correct the id or add the item."
    ),
    "link-missing": Code(
        "An appeal, an appeal decision or an annulment does not say which decision it is about",
        "Write responds_to (an appeal: the decision appealed; an appeal decision: the appeal) or "
        "annuls (an annulment: the decision set aside); cattool migrate --write fills in what "
        "the timeline implies, for you to check.",
        Severity.WARNING,
    ),
    "date-order": Code("Dates are in an impossible order", "Check both dates."),
    "future-date": Code("A date in the future", "Check the date; record events once they happen."),
    "timeline-order": Code(
        "Timeline events are not in date order",
        "Sort legal_actions by date so the timeline reads in order.",
        Severity.WARNING,
    ),
    "age-group": Code(
        "age_group contradicts the date of birth or age",
        "A child is under 18 at the incident; correct age_group or the age.",
    ),
    "child-consent": Code(
        "A child victim has no consent from a parent or guardian",
        "Add a consent record given by the parent or guardian: given_by: {role: guardian}.",
    ),
    "consent-missing": Code(
        "An action is not covered by a consent record of that scope",
        "Record the person's consent for that scope, or do not take the action.",
    ),
    "consent-withdrawn": Code(
        "An action was taken after the person withdrew consent",
        "Check the dates; stop acting on withdrawn consent.",
    ),
    "unknown-region": Code(
        "A region code that is not in the country data",
        "Use a region code listed in schemas/countries/<COUNTRY>.yaml.",
    ),
    "outside-repository": Code(
        "A case file that is a link to a file outside the repository",
        "Put the case file itself in cases/; cattool never follows a link out of the repository.",
    ),
    "plain-sensitive": Code(
        "A sensitive value is stored in plain text in a repository that requires encryption",
        "Run cattool encrypt (it encrypts every plain sensitive value for the repository's "
        "recipients). cattool keys init makes your key if you have none.",
    ),
    "unknown-office": Code(
        "An authority's office id that is not in the country data",
        "Use an office id listed under 'authorities' in schemas/countries/<COUNTRY>.yaml "
        "(cattool offices KG lists them), or leave 'office' out.",
    ),
    "unknown-code": Code(
        "A Criminal Code edition that is not in the country data",
        "Use an edition listed in schemas/countries/<COUNTRY>.yaml, e.g. CC-KZ-2014.",
    ),
    "unknown-article": Code(
        "A Criminal Code article that is not in the country data for that edition",
        "Check the article, or add it to the country data with its source.",
    ),
    "code-not-in-force": Code(
        "The Criminal Code edition or article was not in force at the incident date",
        "Qualify the act under the code in force when it happened (country data lists the dates).",
    ),
    "cat-not-accepted": Code(
        "A complaint to the Committee against Torture against a State that has not accepted it",
        "Only States with an Article 22 declaration can be complained about to CAT; use the Human "
        "Rights Committee instead.",
    ),
    "unknown-org": Code(
        "A member organisation that is not in cattool.yaml",
        "Use a code listed under organisations in cattool.yaml, or add the organisation there.",
    ),
    # cattool itself
    INTERNAL_ERROR: Code(
        "A defect in cattool stopped the check of this file (the other files were checked)",
        "Not necessarily a mistake in the file: run cattool --traceback validate FILE and report "
        "what it prints to the maintainers (check it for personal data first). The run exits "
        "with code 70.",
    ),
}


def code_info(code: str) -> Code:
    return CODES.get(code, CODES["schema"])


def codes_markdown() -> str:
    """docs/checks.md: the catalogue of problem codes (a test keeps the file in step)."""
    lines = [
        "# Problem codes",
        "",
        "Every problem `cattool validate` prints ends with a stable code in brackets. "
        "`cattool explain CODE` prints the same text. Warnings do not fail a run unless `--strict`.",
        "",
        "| code | severity | what it means | how to fix it |",
        "|---|---|---|---|",
    ]
    for name, info in CODES.items():
        lines.append(f"| `{name}` | {info.severity.value} | {info.title} | {info.fix} |")
    return "\n".join(lines) + "\n"
