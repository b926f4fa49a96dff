"""The disclosure as a PDF (fpdf2, in the standard PDF fonts, as the meetings' documents are
laid out), built only from text the redactions have already been burnt into; what it writes
is checked once more before the PDF is returned, so a redacted name can never reach it.
Compressed unless ``settings.MEETINGS_PDF_COMPRESS`` is False (the tests read the text of
uncompressed PDFs)."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

from django.conf import settings

from riskpath.governance.redaction import Burn, still_present

_PLAIN = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u2022": "-",
        "\u2026": "...",
        "\u00a0": " ",
        "\t": "    ",
        "\r": "",
    }
)


def latin1(text: str) -> str:
    """``text`` in the Latin-1 the standard PDF fonts can show."""
    out = []
    for ch in text.translate(_PLAIN):
        code = ord(ch)
        if code < 256:
            if (code >= 32 or ch == "\n") and not 127 <= code < 160:
                out.append(ch)
            continue
        base = unicodedata.normalize("NFKD", ch).encode("latin-1", "ignore").decode("latin-1")
        out.append(base or "?")
    return "".join(out)


@dataclass
class Block:
    kind: str  # "title", "subtitle", "heading", "label", "text"
    text: str


@dataclass
class Document:
    title: str
    footer: str
    blocks: list[Block] = field(default_factory=list)

    def add(self, kind: str, text: str) -> None:
        self.blocks.append(Block(kind, text))


class RedactionLeak(Exception):
    """A redacted term reached the text of the PDF: it is not produced."""


STYLES = {
    "subtitle": (12, "", 6.5),
    "heading": (14, "B", 8),
    "label": (11, "B", 6),
    "text": (10.5, "", 5.5),
}


def render(doc: Document, burns: list[Burn]) -> bytes:
    from fpdf import FPDF

    written: list[str] = []
    footer_text = latin1(doc.footer)

    class _PDF(FPDF):
        def footer(self) -> None:
            self.set_y(-12)
            self.set_font("helvetica", size=8)
            self.cell(0, 5, f"{footer_text} - page {self.page_no()} of {{nb}}", align="C")

    pdf = _PDF(format="A4")
    pdf.compress = bool(getattr(settings, "MEETINGS_PDF_COMPRESS", True))
    pdf.set_title(latin1(doc.title))
    pdf.set_creator("riskpath")
    pdf.set_auto_page_break(auto=True, margin=18)
    pdf.set_margins(18, 18, 18)
    pdf.add_page()
    pdf.set_font("helvetica", style="B", size=18)
    written.append(latin1(doc.title))
    pdf.multi_cell(0, 9, latin1(doc.title), new_x="LMARGIN", new_y="NEXT")
    for block in doc.blocks:
        size, style, height = STYLES.get(block.kind, STYLES["text"])
        if block.kind == "heading":
            pdf.ln(3)
        pdf.set_font("helvetica", style=style, size=size)
        text = latin1(block.text)
        written.append(text)
        for paragraph in text.split("\n") or [""]:
            pdf.multi_cell(0, height, paragraph, new_x="LMARGIN", new_y="NEXT")
    leaked = still_present("\n".join([*written, footer_text]), burns)
    if leaked:
        raise RedactionLeak(f"{len(leaked)} redacted term(s) would have reached the PDF")
    return bytes(pdf.output())
