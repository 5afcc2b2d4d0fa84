"""Build templates/letters/letterhead.docx: the Word template every letter is written into.

A4, margins for a filed letter (left 2.5 cm for the binding), Times New Roman 12 pt, the paragraph
styles cattool.letters.document.STYLES names, and a footer with the page number. A coalition
replaces it with its own letterhead by saving a copy (same style names) as
<its repository>/templates/letters/letterhead.docx.

    python tools/build_letterhead.py            # rewrite the template
    python tools/build_letterhead.py --check    # exit 1 if the committed template is out of date
"""

from __future__ import annotations

import sys
from pathlib import Path

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

OUT = Path(__file__).resolve().parent.parent / "templates" / "letters" / "letterhead.docx"


def _page_number_field(paragraph: docx.text.paragraph.Paragraph) -> None:
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, "PAGE"), ("separate", None), (None, "1"),
                       ("end", None)):  # fmt: skip
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        elif text == "PAGE":
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = " PAGE "
        else:
            element = OxmlElement("w:t")
            element.text = text
        run._r.append(element)


def build() -> docx.document.Document:
    document = docx.Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin, section.right_margin = Cm(2.5), Cm(1.5)
    section.top_margin, section.bottom_margin = Cm(2), Cm(2)

    normal = document.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(12)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), "Times New Roman")
    normal.paragraph_format.space_after = Pt(0)

    def style(name: str, *, bold: bool = False, align: int | None = None, before: int = 0,
              after: int = 6, left: float = 0, first: float = 0, keep: bool = False) -> None:  # fmt: skip
        st = document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        st.base_style = normal
        st.font.bold = bold
        fmt = st.paragraph_format
        if align is not None:
            fmt.alignment = align
        fmt.space_before, fmt.space_after = Pt(before), Pt(after)
        if left:
            fmt.left_indent = Cm(left)
        if first:
            fmt.first_line_indent = Cm(first)
        fmt.keep_together = keep
        fmt.keep_with_next = keep

    style("Letter Addressee", left=9, after=18)
    style("Letter Title", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, before=12, after=0)
    style("Letter Subtitle", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, after=12)
    style("Letter Heading", bold=True, before=12, after=6, keep=True)
    style("Letter Body", align=WD_ALIGN_PARAGRAPH.JUSTIFY, first=1.25)
    style("Letter Request", align=WD_ALIGN_PARAGRAPH.JUSTIFY, left=1.0, first=-0.6, after=4)
    style("Letter Bullet", left=1.0, first=-0.6, after=2)
    style("Letter Signature", before=24, keep=True)

    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _page_number_field(footer)
    core = document.core_properties
    core.author, core.title, core.comments = "", "cattool letter", ""
    core.last_modified_by = ""
    return document


def main() -> int:
    import io
    import tempfile

    document = build()
    if "--check" in sys.argv:
        with tempfile.TemporaryDirectory() as tmp:
            fresh = Path(tmp) / "letterhead.docx"
            document.save(str(fresh))
            same = _styles(fresh) == _styles(OUT)
        print(
            "up to date" if same else f"{OUT} is out of date: run python tools/build_letterhead.py"
        )
        return 0 if same else 1
    buffer = io.BytesIO()
    document.save(buffer)
    OUT.write_bytes(buffer.getvalue())
    print(f"wrote {OUT}")
    return 0


def _styles(path: Path) -> list[str]:
    return sorted(s.name for s in docx.Document(str(path)).styles)


if __name__ == "__main__":
    sys.exit(main())
