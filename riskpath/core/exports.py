"""Downloads of rows for a spreadsheet: CSV and XLSX, every cell defused against formula
injection. The one way riskpath writes a table out (the cohort, the audit log, pathway
figures, …)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from django.http import HttpResponse, StreamingHttpResponse
from openpyxl import Workbook

# What a spreadsheet may read as the start of a formula.
DANGEROUS = ("=", "+", "-", "@", "\t", "\r")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def defuse(value: object) -> str:
    """Text for a spreadsheet cell: anything a spreadsheet could read as a formula is
    prefixed with an apostrophe."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(DANGEROUS) else text


def attachment(filename: str) -> str:
    return f'attachment; filename="{filename}"'


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_rows(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> Iterator[str]:
    """The lines of a CSV file, each cell defused."""
    writer = csv.writer(_Echo())
    yield writer.writerow([defuse(c) for c in header])
    for row in rows:
        yield writer.writerow([defuse(c) for c in row])


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    return "".join(csv_rows(header, rows)).encode("utf-8")


def csv_response(
    filename: str, header: Sequence[str], rows: Iterable[Sequence[Any]]
) -> StreamingHttpResponse:
    """A CSV download streamed row by row (for exports that may be long)."""
    response = StreamingHttpResponse(csv_rows(header, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = attachment(filename)
    return response


def xlsx_bytes(header: Sequence[str], rows: Iterable[Sequence[Any]], title: str = "Sheet") -> bytes:
    """An XLSX workbook of one sheet; every cell is text, never a formula."""
    book = Workbook(write_only=False)
    sheet = book.active
    assert sheet is not None
    sheet.title = title[:31]
    sheet.append([defuse(c) for c in header])
    for row in rows:
        sheet.append([defuse(c) for c in row])
    for row_cells in sheet.iter_rows():
        for cell in row_cells:
            cell.data_type = "s"  # text, never a formula
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def xlsx_response(
    filename: str, header: Sequence[str], rows: Iterable[Sequence[Any]], title: str = "Sheet"
) -> HttpResponse:
    response = HttpResponse(xlsx_bytes(header, rows, title), content_type=XLSX)
    response["Content-Disposition"] = attachment(filename)
    return response
