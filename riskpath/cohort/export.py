"""The cohort list as CSV or XLSX: exactly the rows and columns the list page shows, with
every cell defused against spreadsheet formula injection."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from openpyxl import Workbook

from riskpath.cohort.selectors import CohortRow
from riskpath.intelligence.enums import HarmType

COLUMNS = [
    "Name",
    "Tier",
    "Lead professional",
    "Harm types",
    "Agencies reporting",
    "Locality",
    "On the cohort since",
    "Last discussed",
    "Next review",
]
DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> str:
    """Text for a spreadsheet cell: anything a spreadsheet could read as a formula is
    prefixed with an apostrophe."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(DANGEROUS) else text


def _date(value: object) -> str:
    return value.strftime("%Y-%m-%d") if value is not None else ""  # type: ignore[attr-defined]


def row_values(row: CohortRow) -> list[str]:
    person = row.person
    lead = person.lead_professional
    harm_labels = dict(HarmType.choices)
    return [
        safe_cell(v)
        for v in [
            str(person),
            row.membership.tier,
            (lead.full_name or lead.email) if lead else "",
            "; ".join(str(harm_labels.get(h, h)) for h in row.harm_types),
            "; ".join(row.agencies),
            person.locality,
            _date(row.membership.entered_at.date()),
            _date(row.membership.last_discussed_on),
            _date(row.membership.next_review_on),
        ]
    ]


def as_csv(rows: Iterable[CohortRow]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow(row_values(row))
    return buffer.getvalue().encode("utf-8")


def as_xlsx(rows: Iterable[CohortRow]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Cohort"
    sheet.append(COLUMNS)
    for row in rows:
        sheet.append(row_values(row))
    for cells in sheet.iter_rows():
        for cell in cells:
            cell.data_type = "s"  # text, never a formula
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
