"""Reading what a response shows a person: HTML and JSON as text, CSV and spreadsheets cell by
cell, PDF and Word documents as their words. Used by the tests that look for planted strings
in every output."""

from __future__ import annotations

import io
import re
import zipfile
from typing import Any

import docx
import openpyxl


def docx_text(content: bytes) -> str:
    document = docx.Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    for section in document.sections:
        parts += [p.text for p in section.header.paragraphs]
        parts += [p.text for p in section.footer.paragraphs]
    return "\n".join(parts)


_SHOWN = re.compile(rb"\(((?:[^()\\]|\\.)*)\)\s*Tj")
_ESCAPE = re.compile(rb"\\([0-7]{1,3}|.)", re.DOTALL)
_ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}


def pdf_text(content: bytes) -> str:
    """The text an uncompressed PDF shows (its ``(...) Tj`` strings), one per line. Tests set
    ``MEETINGS_PDF_COMPRESS = False``: a compressed PDF is refused rather than read as empty."""
    assert content.startswith(b"%PDF-")
    assert b"/FlateDecode" not in content, "build PDFs uncompressed in tests"

    def unescape(match: re.Match[bytes]) -> bytes:
        code = match.group(1)
        if code[:1].isdigit():
            return bytes([int(code, 8)])
        return _ESCAPES.get(code, code)

    return "\n".join(
        _ESCAPE.sub(unescape, m.group(1)).decode("latin-1") for m in _SHOWN.finditer(content)
    )


def xlsx_text(content: bytes) -> str:
    book = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    cells = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows(values_only=True):
            cells.extend(str(v) for v in row if v is not None)
    return "\n".join(cells)


def body(response: Any) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return bytes(response.content)


def shown_text(response: Any) -> str:
    """Everything ``response`` would show its reader, as text."""
    content = body(response)
    kind = response.get("Content-Type", "")
    if content.startswith(b"%PDF-"):
        return pdf_text(content)
    if content.startswith(b"PK") and zipfile.is_zipfile(io.BytesIO(content)):
        if "spreadsheet" in kind or "xlsx" in response.get("Content-Disposition", ""):
            return xlsx_text(content)
        return docx_text(content)
    return content.decode("utf-8", errors="replace")
