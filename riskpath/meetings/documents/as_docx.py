"""Lays any ``Document`` out as a Word file (python-docx)."""

from __future__ import annotations

import io
import re
from typing import Any

from riskpath.meetings.documents.content import Block, Document

# ---------------------------------------------------------------------------------------------
# Rendering
# ---------------------------------------------------------------------------------------------

_XML_BAD = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def render_docx(doc: Document) -> bytes:
    import docx
    from docx.oxml import OxmlElement
    from docx.shared import Pt

    out = docx.Document()
    out.core_properties.title = doc.title
    out.core_properties.author = "riskpath"

    def clean(text: str) -> str:
        return _XML_BAD.sub("", text)

    # Style ids looked up once: python-docx looks a style up by name on every paragraph,
    # which took most of the time of a 40-item meeting's minutes.
    style_ids = {
        name: out.styles[name].style_id
        for name in ("Title", "Subtitle", "Heading 1", "Heading 2", "List Bullet")
    }
    styled = {
        "subtitle": "Subtitle",
        "heading": "Heading 1",
        "subheading": "Heading 2",
        "bullet": "List Bullet",
    }

    def paragraph(text: str, style: str | None = None) -> Any:
        para = out.add_paragraph(text)
        if style is not None:
            para._p.style = style_ids[style]
        return para

    def table(block: Block) -> None:
        """A table with a bold heading row, repeated at the top of each page, whose rows
        are not split across pages."""
        grid = out.add_table(rows=1 + len(block.rows), cols=len(block.header))
        grid.style = out.styles["Table Grid"]
        total = sum(block.widths)
        section = out.sections[0]
        width = (section.page_width or 0) - (section.left_margin or 0)
        width -= section.right_margin or 0
        widths = [int(width * share / total) for share in block.widths]
        for column, size in zip(grid.columns, widths, strict=True):
            column.width = size
        rows = (block.header, *block.rows)
        for number, (row, cells) in enumerate(zip(grid.rows, rows, strict=True)):
            properties = row._tr.get_or_add_trPr()
            properties.append(OxmlElement("w:cantSplit"))
            if number == 0:
                properties.append(OxmlElement("w:tblHeader"))
            for cell, text, size in zip(row.cells, cells, widths, strict=True):
                cell.width = size
                run = cell.paragraphs[0].add_run(clean(text))
                run.bold = number == 0

    paragraph(clean(doc.title), "Title")
    for block in doc.blocks:
        text = clean(block.text)
        if block.kind in styled:
            paragraph(text, styled[block.kind])
        elif block.kind == "label":
            paragraph("").add_run(text).bold = True
        elif block.kind == "table":
            table(block)
        elif block.kind == "notice":
            run = paragraph("").add_run(text)
            run.bold = True
            run.font.size = Pt(12)
        else:
            paragraph(text)
    footer = out.sections[0].footer.paragraphs[0]
    footer.text = clean(doc.footer)
    buffer = io.BytesIO()
    out.save(buffer)
    return buffer.getvalue()
