"""The cohort list as CSV or XLSX: exactly the rows and columns the list page shows, with
every cell defused against spreadsheet formula injection (``core.exports``)."""

from __future__ import annotations

from collections.abc import Iterable

from riskpath.cohort.selectors import CohortRow
from riskpath.core import exports

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


def _date(value: object) -> str:
    return value.strftime("%Y-%m-%d") if value is not None else ""  # type: ignore[attr-defined]


def row_values(row: CohortRow) -> list[str]:
    """One row as the list page shows it (the cells are defused by ``core.exports``)."""
    person = row.person
    lead = person.lead_professional
    return [
        str(v)
        for v in [
            str(person),
            row.membership.tier,
            (lead.full_name or lead.email) if lead else "",
            "; ".join(row.harm_type_labels),
            "; ".join(row.agencies),
            person.locality,
            _date(row.membership.entered_at.date()),
            _date(row.membership.last_discussed_on),
            _date(row.membership.next_review_on),
        ]
    ]


def as_csv(rows: Iterable[CohortRow]) -> bytes:
    return exports.csv_bytes(COLUMNS, (row_values(r) for r in rows))


def as_xlsx(rows: Iterable[CohortRow]) -> bytes:
    return exports.xlsx_bytes(COLUMNS, (row_values(r) for r in rows), title="Cohort")
