"""Reading a partner's spreadsheet into rows of ``{heading: text}``.

CSV (UTF-8, with or without a byte-order mark) or XLSX (the first sheet). Every cell becomes
text: nothing is ever evaluated, so a cell that looks like a formula (``=``, ``+``, ``-``,
``@``) is kept as the text it is. Row numbers are the ones the user sees in their spreadsheet,
the heading row being row 1."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from dataclasses import dataclass, field
from typing import Any

MAX_FILE_BYTES = 5 * 1024 * 1024
# An import is one transaction, and every row appends to the audit chain under its lock: a
# larger file would hold up every other audited write in the installation for minutes.
MAX_ROWS = 1_000
MAX_COLUMNS = 50
MAX_CELL_CHARS = 20_000
ZIP_MAGIC = b"PK\x03\x04"


class UnreadableFile(Exception):
    """The file as a whole cannot be read; the message says why and what to do."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class Table:
    """The heading row as written, and each non-blank data row with its spreadsheet row
    number. ``cells`` are in the same order as ``headings``."""

    headings: list[str]
    rows: list[tuple[int, list[str]]] = field(default_factory=list)


def file_kind(name: str, head: bytes) -> str:
    """The file's type, "csv" or "xlsx", from its name and its first bytes."""
    lower = name.lower()
    if lower.endswith(".xlsx"):
        if not head.startswith(ZIP_MAGIC):
            raise UnreadableFile("The selected file is not a real Excel (.xlsx) workbook")
        return "xlsx"
    if lower.endswith(".csv") or lower.endswith(".txt"):
        if head.startswith(ZIP_MAGIC):
            raise UnreadableFile(
                "The selected file is an Excel workbook: give it a name ending .xlsx"
            )
        return "csv"
    raise UnreadableFile("The selected file must be a CSV or an Excel (.xlsx) file")


def read_table(name: str, data: bytes) -> Table:
    """The file's heading row and data rows, or UnreadableFile naming the problem."""
    if not data:
        raise UnreadableFile("The selected file is empty")
    if len(data) > MAX_FILE_BYTES:
        raise UnreadableFile(
            f"The selected file must be smaller than {MAX_FILE_BYTES // (1024 * 1024)} MB"
        )
    kind = file_kind(name, data[:4])
    raw = _csv_rows(data) if kind == "csv" else _xlsx_rows(data)
    return _table(raw)


def _table(raw: Any) -> Table:
    table: Table | None = None
    count = 0
    for number, values in enumerate(raw, start=1):
        cells = [_trim(value) for value in values]
        if table is None:
            if not any(cells):
                raise UnreadableFile("The first row of the file must be the column headings")
            while cells and not cells[-1]:
                cells.pop()
            if len(cells) > MAX_COLUMNS:
                raise UnreadableFile(f"The file must have no more than {MAX_COLUMNS} columns")
            table = Table(headings=cells)
            continue
        if not any(cells):
            continue  # blank rows are skipped, but still counted in the numbering
        count += 1
        if count > MAX_ROWS:
            raise UnreadableFile(
                f"The file must have no more than {MAX_ROWS:,} rows: split it into smaller files"
            )
        table.rows.append((number, cells))
    if table is None:
        raise UnreadableFile("The selected file is empty")
    if not table.rows:
        raise UnreadableFile("The file has column headings but no rows to import")
    return table


def _trim(value: str) -> str:
    return value.strip()


def _csv_rows(data: bytes) -> Any:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UnreadableFile(
            "The selected file is not UTF-8 text: in Excel, save it as “CSV UTF-8”"
        ) from None
    if "\x00" in text:
        raise UnreadableFile("The selected file is not a CSV file")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    try:
        for row in reader:
            yield [_check_length(cell) for cell in row]
    except csv.Error:
        raise UnreadableFile(
            f"The selected file could not be read as CSV after row {reader.line_num}"
        ) from None


def _delimiter(text: str) -> str:
    """Commas, unless the heading row is plainly separated by semicolons or tabs (as some
    European spreadsheet settings save "CSV")."""
    first = text.split("\n", 1)[0]
    return max([",", ";", "\t"], key=first.count) if first.count(",") == 0 else ","


def _xlsx_rows(data: bytes) -> Any:
    from openpyxl import load_workbook

    unopenable = "The selected file could not be opened as an Excel workbook"
    try:
        # data_only=False: a formula cell gives its formula text, never a computed value.
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception:  # noqa: BLE001 - openpyxl raises many kinds of error for a damaged or foreign file
        raise UnreadableFile(unopenable) from None
    try:
        if not book.worksheets:
            raise UnreadableFile("The workbook has no sheets")
        rows = book.worksheets[0].iter_rows(values_only=True)
        while True:
            try:
                row = next(rows)
            except StopIteration:
                break
            except (zipfile.BadZipFile, KeyError, ValueError, SyntaxError):
                raise UnreadableFile(unopenable) from None
            yield [_check_length(_cell_text(value)) for value in row[: MAX_COLUMNS + 1]]
    finally:
        book.close()


def _check_length(text: str) -> str:
    if len(text) > MAX_CELL_CHARS:
        raise UnreadableFile(
            f"A cell of the file has more than {MAX_CELL_CHARS:,} characters: shorten it"
        )
    return text


def _cell_text(value: Any) -> str:
    """An Excel cell as the text a person would read in it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = getattr(value, "text", None)  # an array formula: keep its formula text
    if isinstance(text, str):
        return text
    return str(value)


def normalise_heading(heading: str) -> str:
    """Headings match whatever their case and spacing: "Young  people " is "young people"."""
    return " ".join(heading.replace("_", " ").split()).casefold()
