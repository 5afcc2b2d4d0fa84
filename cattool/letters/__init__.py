"""Letters: plan what a letter says, render it from a template, write DOCX, Markdown, text or PDF.

    plan = plan_letter(case, fmt, repo, kind="complaint", langs=("ru", "en"))
    paths = write_letter(repo, plan, formats=("docx",), force=False)

Files go to ``out/<case_id>/`` of the case repository (ignored by git), never into ``cases/``,
named ``<case_id>_procuracy-<kind>_<addressee>_<date>_<lang>.<ext>``. An existing file is never
replaced unless ``force``; every file is written to a temporary name and renamed into place.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from cattool.errors import CattoolError, ExitCode, RefusedError
from cattool.files import write_bytes, write_with
from cattool.letters.common import Gap, LetterPlan
from cattool.letters.document import parse, to_docx, to_markdown, to_text
from cattool.letters.procuracy import KINDS, LANGS, plan_letter
from cattool.repo import CaseRepo

FORMATS = ("docx", "md", "txt", "pdf")
LETTERHEAD = "letters/letterhead.docx"

__all__ = [
    "FORMATS",
    "KINDS",
    "LANGS",
    "Gap",
    "LetterIncomplete",
    "LetterPlan",
    "plan_letter",
    "render_markup",
    "target_paths",
    "write_letter",
]


class LetterIncomplete(CattoolError):
    """The case lacks what the letter needs; the message lists each gap with its YAML path."""

    exit_code = ExitCode.PROBLEMS

    def __init__(self, case_file: str, gaps: list[Gap]) -> None:
        lines = "\n".join(
            f"  {gap}" if str(gap).startswith("cattool.yaml:") else f"  {case_file}: {gap}"
            for gap in gaps
        )
        super().__init__(
            f"the letter cannot be written yet; fill in:\n{lines}\n"
            "then run the command again (cattool letter --check shows this list)."
        )
        self.gaps = gaps


def template_name(plan: LetterPlan, lang: str, *, part: str = "") -> str:
    if plan.recipient == "procuracy":
        return f"letters/procuracy-{plan.kind}.{lang}.md.j2"
    if plan.kind == "comments":  # the follow-up to a Committee's decision, hrc or cat alike
        return f"letters/un-follow-up-comments.{lang}.md.j2"
    return f"letters/un-{plan.recipient}{part}.{lang}.md.j2"


def render_markup(repo: CaseRepo, plan: LetterPlan, lang: str, *, part: str = "") -> str:
    from cattool.rendering import render

    return render(repo, template_name(plan, lang, part=part), plan.contexts[lang])


def stem(plan: LetterPlan, day: str) -> str:
    """The file name without language and extension, e.g. KG-2016-0001_procuracy-complaint_chui_2016-03-15."""
    if plan.recipient == "procuracy":
        return f"{plan.case_id}_procuracy-{plan.kind}_{plan.addressee_slug}_{day}"
    return f"{plan.case_id}_{plan.recipient}-{plan.kind}_{day}"


@dataclass(frozen=True)
class Target:
    lang: str
    fmt: str
    path: Path
    part: str = ""  # "" for the letter itself, "-form" for a companion sheet


def target_paths(
    repo: CaseRepo,
    plan: LetterPlan,
    formats: tuple[str, ...],
    *,
    out_dir: Path | None = None,
    day: str,
) -> list[Target]:
    folder = out_dir or repo.root / "out" / plan.case_id
    name = stem(plan, day)
    targets = [
        Target(lang, fmt, folder / f"{name}_{lang}.{fmt}")
        for lang in plan.contexts
        for fmt in formats
    ]
    if plan.recipient == "sr-torture":  # the companion sheet for the online form
        targets += [
            Target(lang, "md", folder / f"{name}_online-form_{lang}.md", part="-form")
            for lang in plan.contexts
        ]
    return targets


def write_letter(
    repo: CaseRepo,
    plan: LetterPlan,
    targets: list[Target],
    *,
    force: bool = False,
    progress: Callable[[Path], None] | None = None,
) -> list[Path]:
    """Render and write every target; refuse before writing anything if one exists already."""
    from cattool.rendering import find_template

    existing = [t.path for t in targets if t.path.exists()]
    if existing and not force:
        names = ", ".join(str(p) for p in existing)
        verb, them = ("exists", "it") if len(existing) == 1 else ("exist", "them")
        raise RefusedError(
            f"{names} {verb} already; nothing was written. Use --force to replace {them}."
        )
    markup = {(t.lang, t.part): render_markup(repo, plan, t.lang, part=t.part) for t in targets}
    letterhead = (
        find_template(repo, LETTERHEAD) if any(t.fmt in ("docx", "pdf") for t in targets) else None
    )
    written: list[Path] = []
    for target in targets:
        blocks = parse(markup[(target.lang, target.part)])
        target.path.parent.mkdir(parents=True, exist_ok=True)
        title = f"{plan.case_id} {plan.recipient} {plan.kind} ({target.lang})"
        if target.fmt == "md":
            write_bytes(target.path, to_markdown(blocks).encode("utf-8"))
        elif target.fmt == "txt":
            write_bytes(target.path, to_text(blocks).encode("utf-8"))
        elif target.fmt == "docx":
            assert letterhead is not None
            write_with(
                target.path,
                lambda tmp, b=blocks, t=title: to_docx(b, letterhead, tmp, title=t),  # type: ignore[misc]
            )
        elif target.fmt == "pdf":
            from cattool.letters.pdf import docx_to_pdf

            assert letterhead is not None
            with tempfile.TemporaryDirectory(dir=target.path.parent, prefix=".cattool-") as tmp:
                docx_path = Path(tmp) / (target.path.stem + ".docx")
                to_docx(blocks, letterhead, docx_path, title=title)
                docx_to_pdf(docx_path, target.path)
        else:
            raise CattoolError(f"unknown format {target.fmt}", ExitCode.USAGE)
        written.append(target.path)
        if progress:
            progress(target.path)
    return written
