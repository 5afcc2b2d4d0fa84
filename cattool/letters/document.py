"""A letter as a list of blocks, read from the small markup the templates write, and its outputs.

Templates (templates/letters/*.md.j2) render to a restricted Markdown:

    ::: addressee            lines set to the right (the addressee block); closed by ":::"
    ::: signature            lines kept together at the end (date, signature, name)
    # Title                  centred title          ## Subtitle     centred, under the title
    ### Heading              a section heading
    1. text                  a numbered item (the number is kept as written)
    - text                   a bulleted item
    | a | b |                a table row (the first row is the header; a |---| row is skipped)
    any other line           a paragraph (blank lines are ignored)

Every text from a case is passed through ``escape`` before the template sees it, so a narrative
paragraph that starts with "#", "1." or ":::" stays a paragraph, and a "|" in it neither starts
a table nor splits a cell: it cannot change the layout. The same block list becomes Markdown,
plain text or a Word document; in Markdown every text goes through ``cattool.outputs.md_text``,
so that a case's "<script>" or "[link](url)" is printed as text, never as HTML or a link.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

FENCE = re.compile(r"^:::\s*(?P<name>[a-z]+)\s*$")
NUMBERED = re.compile(r"^(?P<number>\d+)\.\s+(?P<text>.*)$")
BLOCK_START = re.compile(r"^\s*(#|:::|- |\d+\.\s)")
LITERAL = "\ue000"  # marks a line of case text that must stay a paragraph (Unicode private use)
BAR = "\ue001"  # a "|" of case text while the markup is read: never a table's cell boundary
FENCES = ("addressee", "signature")


@dataclass
class Block:
    kind: str  # paragraph, title, subtitle, heading, numbered, bullet, addressee, signature, page
    text: str = ""
    lines: list[str] = field(default_factory=list)
    number: str = ""
    rows: list[list[str]] = field(default_factory=list)  # a table: header first


def escape(value: Any) -> Any:
    """Make a value from a case safe to put into the markup: it can only ever be text.

    A line that would start a block ("#", "1.", "- ", ":::") is marked with ``LITERAL``, which
    the parser drops again; single line breaks inside a paragraph become spaces, so a narrative
    typed with hard line breaks still makes whole paragraphs.
    """
    if not isinstance(value, str):
        return value
    value = value.replace(LITERAL, "").replace(BAR, "").replace("\r\n", "\n").replace("|", BAR)
    paragraphs = [" ".join(p.split("\n")).strip() for p in re.split(r"\n\s*\n", value)]
    return "\n\n".join(LITERAL + p if BLOCK_START.match(p) else p for p in paragraphs if p)


def escape_tree(value: Any) -> Any:
    """``escape`` every text in a template context (dicts, lists, tuples), nothing else."""
    if isinstance(value, str):
        return escape(value)
    if isinstance(value, dict):
        return {k: escape_tree(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [escape_tree(v) for v in value]
    return value


def _clean(text: str) -> str:
    return text.replace(LITERAL, "").replace(BAR, "|").strip()


def parse(markup: str) -> list[Block]:
    """The blocks of a rendered template: one block per non-empty line, or per fence."""
    blocks: list[Block] = []
    fence: Block | None = None
    for raw in markup.splitlines():
        line = raw.strip()
        if fence is not None:
            if line == ":::":
                blocks.append(fence)
                fence = None
            elif line:
                fence.lines.append(_clean(line))
            continue
        if not line:
            continue
        if line.startswith(LITERAL):
            blocks.append(Block("paragraph", _clean(line)))
            continue
        if line.startswith("|") and line.endswith("|"):
            cells = [_clean(c) for c in _split_row(line[1:-1])]
            if all(re.fullmatch(r":?-{3,}:?", c) for c in cells):
                continue  # the Markdown header separator
            if not blocks or blocks[-1].kind != "table":
                blocks.append(Block("table"))
            blocks[-1].rows.append(cells)
            continue
        match = FENCE.match(line)
        if match and match["name"] in FENCES:
            fence = Block(match["name"])
            continue
        heading = re.match(r"^(#{1,3})\s+(.*)$", line)
        numbered = NUMBERED.match(line)
        if heading:
            kind = {1: "title", 2: "subtitle", 3: "heading"}[len(heading[1])]
            blocks.append(Block(kind, _clean(heading[2])))
        elif numbered:
            blocks.append(Block("numbered", _clean(numbered["text"]), number=numbered["number"]))
        elif line.startswith("- "):
            blocks.append(Block("bullet", _clean(line[2:])))
        else:
            blocks.append(Block("paragraph", _clean(line)))
    if fence is not None:
        blocks.append(fence)
    return blocks


def _split_row(inner: str) -> list[str]:
    """Cells of a table row; a '\\|' inside a cell is a literal bar."""
    return [c.replace("\\|", "|").strip() for c in re.split(r"(?<!\\)\|", inner)]


def join(parts: Iterable[list[Block]]) -> list[Block]:
    """Several letters (languages) in one document, each starting on a new page."""
    out: list[Block] = []
    for part in parts:
        if out:
            out.append(Block("page"))
        out.extend(part)
    return out


# --- Markdown and plain text ---------------------------------------------------------------------


def to_markdown(blocks: list[Block]) -> str:
    """The blocks as Markdown; every text through ``md_text``: a block's text is text (the
    markup has no inline syntax), so nothing of a case, nor of a template, becomes HTML, a
    link or a block of its own ("# x" -> "\\# x", "<b>" -> "&lt;b&gt;")."""
    from cattool.outputs import md_text

    out: list[str] = []
    for block in blocks:
        text = md_text(block.text)
        if block.kind == "page":
            out.append("---")
        elif block.kind in ("addressee", "signature"):
            out.append("  \n".join(md_text(line) for line in block.lines))
        elif block.kind == "title":
            out.append(f"# {text}")
        elif block.kind == "subtitle":
            out.append(f"## {text}")
        elif block.kind == "heading":
            out.append(f"### {text}")
        elif block.kind == "numbered":
            out.append(f"{block.number}. {text}")
        elif block.kind == "bullet":
            out.append(f"- {text}")
        elif block.kind == "table":
            out.append(_md_table(block.rows))
        else:
            out.append(text)
    return "\n\n".join(out) + "\n"


def _md_table(rows: list[list[str]]) -> str:
    from cattool.outputs import md_text

    width = max(len(r) for r in rows)
    cells = [[md_text(c) for c in r] + [""] * (width - len(r)) for r in rows]
    lines = ["| " + " | ".join(cells[0]) + " |", "|" + "---|" * width]
    lines += ["| " + " | ".join(r) + " |" for r in cells[1:]]
    return "\n".join(lines)


def to_text(blocks: list[Block], width: int = 80) -> str:
    out: list[str] = []
    for block in blocks:
        if block.kind == "page":
            out.append("\f")
        elif block.kind == "addressee":
            indent = " " * (width // 2)
            out.append("\n".join(indent + line for line in block.lines))
        elif block.kind == "signature":
            out.append("\n".join(block.lines))
        elif block.kind in ("title", "subtitle"):
            out.append(block.text.center(width).rstrip())
        elif block.kind == "heading":
            out.append(block.text)
        elif block.kind == "table":
            width_of = [max(len(r[i]) if i < len(r) else 0 for r in block.rows)
                        for i in range(max(len(r) for r in block.rows))]  # fmt: skip
            out.append(
                "\n".join(
                    "  ".join(
                        (r[i] if i < len(r) else "").ljust(w) for i, w in enumerate(width_of)
                    ).rstrip()
                    for r in block.rows
                )
            )
        elif block.kind in ("numbered", "bullet"):
            mark = f"{block.number}. " if block.kind == "numbered" else "- "
            out.append(
                textwrap.fill(
                    block.text, width, initial_indent=mark, subsequent_indent=" " * len(mark)
                )
            )
        else:
            out.append(textwrap.fill(block.text, width))
    return "\n\n".join(out) + "\n"


# --- Word ----------------------------------------------------------------------------------------

# Paragraph styles the letterhead template defines; a coalition's own template may lack some,
# and then the paragraph is formatted directly instead.
STYLES = {
    "addressee": "Letter Addressee",
    "title": "Letter Title",
    "subtitle": "Letter Subtitle",
    "heading": "Letter Heading",
    "paragraph": "Letter Body",
    "numbered": "Letter Request",
    "bullet": "Letter Bullet",
    "signature": "Letter Signature",
}


def to_docx(blocks: list[Block], template: Path, out: Path, *, title: str = "") -> None:
    """Write the blocks into a copy of the letterhead template (its header, footer and styles)."""
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm

    document = docx.Document(str(template))
    body = document.element.body
    # A template's body holds only letterhead content, if any; drop trailing empty paragraphs.
    for existing in reversed(document.paragraphs):
        if existing.text.strip() or existing._p.xpath(".//w:drawing"):
            break
        body.remove(existing._p)
    known = {style.name for style in document.styles}
    # Each style's id, looked up once: python-docx looks a style name up among all styles (and
    # the default style among them again) for every paragraph, which made a batch of letters
    # spend half its time there.
    from docx.enum.style import WD_STYLE_TYPE

    default = document.styles.default(WD_STYLE_TYPE.PARAGRAPH)
    style_ids = {
        name: (
            None if default is not None and style.style_id == default.style_id else style.style_id
        )
        for style in document.styles
        if style.type == WD_STYLE_TYPE.PARAGRAPH and (name := style.name) in STYLES.values()
    }

    def add(kind: str, text: str = "") -> Any:
        style = STYLES.get(kind)
        paragraph = document.add_paragraph()
        if style in style_ids and style_ids[style] is not None:
            paragraph._p.get_or_add_pPr().style = style_ids[style]
        if text:
            paragraph.add_run(text)
        if style not in known:  # direct formatting for a template without our styles
            fmt = paragraph.paragraph_format
            if kind == "addressee":
                fmt.left_indent = Cm(9)
            elif kind in ("title", "subtitle"):
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
                for run in paragraph.runs:
                    run.bold = kind == "title"
            elif kind == "heading":
                for run in paragraph.runs:
                    run.bold = True
            elif kind in ("numbered", "bullet"):
                fmt.left_indent, fmt.first_line_indent = Cm(1), Cm(-0.6)
            elif kind == "paragraph":
                paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        return paragraph

    page_break_pending = False
    previous: Any = None
    for block in blocks:
        if block.kind == "page":
            page_break_pending = True
            continue
        paragraph: Any = None
        if block.kind == "table":
            _docx_table(document, block.rows, known)
        elif block.kind in ("addressee", "signature"):
            paragraph = add(block.kind)
            for i, line in enumerate(block.lines):
                run = paragraph.add_run(line)
                if i < len(block.lines) - 1:
                    run.add_break()
        elif block.kind == "numbered":
            paragraph = add("numbered", f"{block.number}.\t{block.text}")
        elif block.kind == "bullet":
            paragraph = add("bullet", f"–\t{block.text}")
        else:
            paragraph = add(block.kind, block.text)
        if page_break_pending and paragraph is not None:
            paragraph.paragraph_format.page_break_before = True
            page_break_pending = False
        if paragraph is not None:
            if block.kind == "signature":
                # never a signature alone on the last page: it goes with what it signs
                paragraph.paragraph_format.keep_together = True
                if previous is not None:
                    previous.paragraph_format.keep_with_next = True
            elif block.kind in ("heading", "title", "subtitle"):
                paragraph.paragraph_format.keep_with_next = True
            previous = paragraph
    import datetime as dt

    document.core_properties.title = title
    document.core_properties.created = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    document.core_properties.author = ""
    document.core_properties.comments = ""
    document.save(str(out))


def _docx_table(document: Any, rows: list[list[str]], known: set[str]) -> None:
    """A real Word table, header row bold and repeated on each page."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    width = max(len(r) for r in rows)
    table = document.add_table(rows=len(rows), cols=width)
    if "Table Grid" in known:
        table.style = "Table Grid"
    for i, row in enumerate(rows):
        for j in range(width):
            cell = table.cell(i, j)
            cell.text = row[j] if j < len(row) else ""
            if i == 0:
                for run in cell.paragraphs[0].runs:
                    run.bold = True
    header = table.rows[0]._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    header.append(repeat)
    document.add_paragraph()  # Word needs a paragraph between a table and what follows
