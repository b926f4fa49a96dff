"""Builders for import tests: a small partnership and files written the way partners write
them (CSV from any system, XLSX from Excel). Synthetic data only (Faker en_GB)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from typing import Any

from openpyxl import Workbook

from riskpath.accounts.enums import AgencyKind, Role
from riskpath.accounts.models import Agency, Area, User
from riskpath.core import clock
from riskpath.people.models import YoungPerson
from tests.factories import AgencyFactory, AreaFactory, UserFactory, YoungPersonFactory

INTELLIGENCE_HEADINGS = [
    "Date",
    "Young people",
    "Harm types",
    "Text",
    "Source evaluation",
    "Assessment",
    "Handling code",
    "Handling conditions",
    "Provenance",
    "Immediate risk",
]
MISSING_HEADINGS = [
    "Young person",
    "Date of birth",
    "Reported",
    "Returned",
    "Where found",
    "Kind",
    "Interview offered",
    "Interview done",
    "Interview by",
]


@dataclass
class Scene:
    area: Area
    police: Agency
    care: Agency
    officer: User  # partner representative of the police: may import
    qa: User  # quality-assurance member: may not import
    ours: YoungPerson  # recorded by the police
    theirs: YoungPerson  # recorded by social care: the officer is not involved with them
    other_area_person: YoungPerson


def build_scene(area: Area) -> Scene:
    police = AgencyFactory(area=area, name="Northvale Police", kind=AgencyKind.POLICE)
    care = AgencyFactory(area=area, name="Northvale Children's Services")
    other = AgencyFactory(area=AreaFactory())
    return Scene(
        area=area,
        police=police,
        care=care,
        officer=UserFactory(agency=police, roles=[Role.PARTNER_REPRESENTATIVE]),
        qa=UserFactory(agency=police, roles=[Role.QA_MEMBER]),
        ours=YoungPersonFactory(
            recording_agency=police,
            given_names="Rowan",
            family_name="Testcase",
            date_of_birth=dt.date(2010, 3, 27),
        ),
        theirs=YoungPersonFactory(
            recording_agency=care,
            given_names="Sasha",
            family_name="Example",
            date_of_birth=dt.date(2009, 11, 5),
        ),
        other_area_person=YoungPersonFactory(
            recording_agency=other,
            given_names="Far",
            family_name="Away",
            date_of_birth=dt.date(2010, 3, 27),
        ),
    )


def days_ago(n: int) -> dt.date:
    return clock.today() - dt.timedelta(days=n)


def uk(day: dt.date) -> str:
    return f"{day.day}/{day.month}/{day.year}"


def intelligence_row(**overrides: str) -> dict[str, str]:
    row = {
        "Date": days_ago(10).isoformat(),
        "Young people": "Rowan Testcase (27/3/2010)",
        "Harm types": "CCE; County lines",
        "Text": "Seen with older males near the station after school.",
        "Source evaluation": "2",
        "Assessment": "B",
        "Handling code": "P",
        "Handling conditions": "",
        "Provenance": "Second-hand",
        "Immediate risk": "No",
    }
    row.update(overrides)
    return row


def missing_row(**overrides: str) -> dict[str, str]:
    reported = days_ago(20)
    row = {
        "Young person": "Rowan Testcase",
        "Date of birth": "27/03/2010",
        "Reported": f"{uk(reported)} 21:30",
        "Returned": f"{reported + dt.timedelta(days=1)} 08:15",
        "Where found": "A friend's flat in the town centre",
        "Kind": "Missing",
        "Interview offered": "Yes",
        "Interview done": f"{uk(reported + dt.timedelta(days=2))} 16:00",
        "Interview by": "Missing persons co-ordinator",
    }
    row.update(overrides)
    return row


def csv_file(rows: list[dict[str, str]], headings: list[str] | None = None, bom: bool = False):
    headings = headings or list(rows[0])
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(headings)
    for row in rows:
        writer.writerow([row.get(h, "") for h in headings])
    return (("\ufeff" if bom else "") + buf.getvalue()).encode("utf-8")


def xlsx_file(rows: list[list[Any]], headings: list[str]) -> bytes:
    """An Excel workbook; cells may be dates, numbers or formulas ("=...")."""
    book = Workbook()
    sheet = book.active
    sheet.append(headings)
    for row in rows:
        sheet.append(row)
    book.create_sheet("Ignored").append(["not", "read"])
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()
