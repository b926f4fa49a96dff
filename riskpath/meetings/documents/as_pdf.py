"""Lays any ``Document`` out as a PDF (fpdf2), in the standard PDF fonts: text is reduced to
Latin-1, with typographic punctuation and letters outside it replaced by their nearest plain
form."""

from __future__ import annotations

import unicodedata
from typing import Any

from django.conf import settings

from riskpath.meetings.documents.content import Block, Document

_PLAIN = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u2010": "-",
        "\u2011": "-",
        "\u2022": "-",
        "\u2026": "...",
        "\u00a0": " ",
        "\u202f": " ",
        "\u2009": " ",
        "\t": "    ",
        "\r": "",
        "\u0141": "L",
        "\u0142": "l",
        "\u0152": "OE",
        "\u0153": "oe",
        "\u20ac": "EUR",
    }
)


def latin1(text: str) -> str:
    """``text`` in the Latin-1 the standard PDF fonts can show: typographic punctuation made
    plain, accents outside Latin-1 dropped from their letters, anything else a '?'."""
    text = text.translate(_PLAIN)
    out = []
    for ch in text:
        code = ord(ch)
        if code < 256:
            if code >= 32 or ch == "\n":
                if not 127 <= code < 160:
                    out.append(ch)
            continue
        base = unicodedata.normalize("NFKD", ch).encode("latin-1", "ignore").decode("latin-1")
        out.append(base or "?")
    return "".join(out)


def pdf_compress() -> bool:
    """PDFs are compressed unless settings.MEETINGS_PDF_COMPRESS is False (the tests read the
    text of uncompressed ones)."""
    return bool(getattr(settings, "MEETINGS_PDF_COMPRESS", True))


def render_pdf(doc: Document) -> bytes:
    from fpdf import FPDF
    from fpdf.fonts import FontFace

    footer_text = latin1(doc.footer)

    class _PDF(FPDF):
        def footer(self) -> None:
            self.set_y(-12)
            self.set_font("helvetica", size=8)
            self.cell(0, 5, f"{footer_text} - page {self.page_no()} of {{nb}}", align="C")

    pdf = _PDF(format="A4")
    pdf.compress = pdf_compress()
    pdf.set_title(latin1(doc.title))
    pdf.set_creator("riskpath")
    pdf.set_auto_page_break(auto=True, margin=18)
    pdf.set_margins(18, 18, 18)
    pdf.add_page()

    widths: dict[tuple[str, float, str], float] = {}

    def measure(word: str) -> float:
        key = (pdf.font_style, pdf.font_size_pt, word)
        if key not in widths:
            widths[key] = pdf.get_string_width(word)
        return widths[key]

    def write(
        text: str, *, size: float, style: str = "", height: float = 5.5, indent: float = 0
    ) -> None:
        """Left-aligned, wrapped at word boundaries. (fpdf2's own ``multi_cell`` measures
        every character again for every line; this measures each word once.)"""
        pdf.set_font("helvetica", style=style, size=size)
        for line in _wrap(latin1(text), pdf.epw - indent, measure):
            pdf.set_x(pdf.l_margin + indent)
            pdf.cell(pdf.epw - indent, height, line, new_x="LMARGIN", new_y="NEXT")

    def table(block: Block) -> None:
        """A bordered table whose heading row is repeated on each page it runs onto; a row
        that would not fit at the foot of a page starts the next one."""
        pdf.ln(1)
        pdf.set_font("helvetica", size=10)
        with pdf.table(
            col_widths=block.widths,
            width=pdf.epw,
            line_height=5,
            text_align="LEFT",
            first_row_as_headings=True,
            repeat_headings=1,
            headings_style=FontFace(emphasis="BOLD", fill_color=(235, 235, 235)),
        ) as grid:
            for cells in (block.header, *block.rows):
                row = grid.row()
                for text in cells:
                    row.cell(latin1(text))
        pdf.ln(2)

    write(doc.title, size=18, style="B", height=9)
    for block in doc.blocks:
        if block.kind == "subtitle":
            write(block.text, size=13, height=7)
            pdf.ln(2)
        elif block.kind == "heading":
            pdf.ln(4)
            write(block.text, size=15, style="B", height=8)
        elif block.kind == "subheading":
            pdf.ln(3)
            write(block.text, size=12.5, style="B", height=7)
        elif block.kind == "label":
            pdf.ln(1)
            write(block.text, size=11, style="B")
        elif block.kind == "bullet":
            pdf.set_font("helvetica", size=11)
            pdf.set_x(pdf.l_margin + 2)
            pdf.cell(4, 5.5, "-")
            write(block.text, size=11, indent=6)
        elif block.kind == "table":
            table(block)
        elif block.kind == "notice":
            pdf.set_font("helvetica", style="B", size=11)
            pdf.multi_cell(
                pdf.epw, 7, latin1(block.text), border=1, align="C", new_x="LMARGIN", new_y="NEXT"
            )
        else:
            write(block.text, size=11)
    return bytes(pdf.output())


def _wrap(text: str, width: float, measure: Any) -> list[str]:
    """``text`` broken into lines no wider than ``width`` (words longer than a line are cut)."""
    space = measure(" ")
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line: list[str] = []
        used = 0.0
        for word in paragraph.split():
            size = measure(word)
            while size > width:  # a word longer than a line: cut it where it fills one
                if line:
                    lines.append(" ".join(line))
                    line, used = [], 0.0
                cut = 1
                while cut < len(word) and measure(word[: cut + 1]) <= width:
                    cut += 1
                lines.append(word[:cut])
                word = word[cut:]
                size = measure(word)
            if line and used + space + size > width:
                lines.append(" ".join(line))
                line, used = [word], size
            else:
                used += (space if line else 0.0) + size
                line.append(word)
        lines.append(" ".join(line))
    return lines
