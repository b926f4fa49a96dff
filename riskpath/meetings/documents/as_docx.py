"""Lays any ``Document`` out as a Word file (python-docx)."""

from __future__ import annotations

import io
import re
from typing import Any

from riskpath.meetings.documents.content import Document

# ---------------------------------------------------------------------------------------------
# Rendering
# ---------------------------------------------------------------------------------------------

_XML_BAD = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def render_docx(doc: Document) -> bytes:
    import docx
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

    paragraph(clean(doc.title), "Title")
    for block in doc.blocks:
        text = clean(block.text)
        if block.kind in styled:
            paragraph(text, styled[block.kind])
        elif block.kind == "label":
            paragraph("").add_run(text).bold = True
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
