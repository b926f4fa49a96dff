"""Reading files: CSV with or without a byte-order mark, XLSX's first sheet, every cell as
text (formulas never evaluated), and clear refusals for files that cannot be imported."""

from __future__ import annotations

import datetime as dt

import pytest

from riskpath.imports.readers import MAX_FILE_BYTES, MAX_ROWS, UnreadableFile, read_table
from tests.imports.factories import xlsx_file


def test_csv_with_and_without_a_byte_order_mark_reads_the_same() -> None:
    text = 'Date,Text\n2025-03-01,café\n\n27/3/2025,"two, parts"\n'
    plain = read_table("a.csv", text.encode("utf-8"))
    marked = read_table("a.csv", b"\xef\xbb\xbf" + text.encode("utf-8"))
    assert plain == marked
    assert plain.headings == ["Date", "Text"]
    # Blank rows are skipped but keep the numbering the user sees in their spreadsheet.
    assert plain.rows == [(2, ["2025-03-01", "café"]), (4, ["27/3/2025", "two, parts"])]


def test_xlsx_cells_become_the_text_a_person_reads() -> None:
    data = xlsx_file(
        [
            [dt.datetime(2025, 3, 1), dt.datetime(2025, 3, 1, 21, 30), 2, 2.5, True, "=1+2"],
            [dt.date(2025, 3, 2), None, "+44 7700 900123", "-3", "@someone", " spaced "],
        ],
        ["A", "B", "C", "D", "E", "F"],
    )
    table = read_table("book.xlsx", data)
    assert table.rows == [
        (2, ["2025-03-01", "2025-03-01 21:30", "2", "2.5", "Yes", "=1+2"]),
        (3, ["2025-03-02", "", "+44 7700 900123", "-3", "@someone", "spaced"]),
    ]


@pytest.mark.parametrize(
    "name,data,message",
    [
        ("a.csv", b"", "The selected file is empty"),
        ("a.xls", b"Date\n1\n", "The selected file must be a CSV or an Excel (.xlsx) file"),
        ("a.xlsx", b"Date,Text\n", "The selected file is not a real Excel (.xlsx) workbook"),
        (
            "a.xlsx",
            b"PK\x03\x04rubbish",
            "The selected file could not be opened as an Excel workbook",
        ),
        ("a.csv", b"Date,Text\n", "The file has column headings but no rows to import"),
        ("a.csv", b"\n\n", "The first row of the file must be the column headings"),
        (
            "a.csv",
            "Date\n\u00e9\n".encode("latin-1"),
            "The selected file is not UTF-8 text: in Excel, save it as “CSV UTF-8”",
        ),
    ],
)
def test_files_that_cannot_be_imported_say_why(name: str, data: bytes, message: str) -> None:
    with pytest.raises(UnreadableFile) as caught:
        read_table(name, data)
    assert caught.value.message == message


def test_a_file_over_the_size_limit_is_refused() -> None:
    data = b"Text\n" + b"x" * MAX_FILE_BYTES
    with pytest.raises(UnreadableFile, match="smaller than 5 MB"):
        read_table("big.csv", data)


def test_a_file_over_the_row_limit_is_refused() -> None:
    data = "Text\n" + "a\n" * (MAX_ROWS + 1)
    with pytest.raises(UnreadableFile, match="no more than 1,000 rows"):
        read_table("long.csv", data.encode())
    assert len(read_table("ok.csv", ("Text\n" + "a\n" * MAX_ROWS).encode()).rows) == MAX_ROWS


def test_a_csv_saved_with_semicolons_or_tabs_is_read_too() -> None:
    for sep in (";", "\t"):
        table = read_table("a.csv", f"Date{sep}Text\n2025-03-01{sep}one, two\n".encode())
        assert table.headings == ["Date", "Text"]
        assert table.rows == [(2, ["2025-03-01", "one, two"])]
