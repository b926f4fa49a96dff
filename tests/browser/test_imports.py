"""A police officer imports a partner's export: the first file has a bad row, so nothing is
imported and the problem is shown by row and column; the corrected file is imported, and
importing it again adds nothing. In a real browser, every page checked for accessibility."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from riskpath.accounts.enums import AgencyKind, Role
from riskpath.intelligence.models import IntelligenceItem
from tests.browser.conftest import Browser, title
from tests.factories import PASSWORD, AgencyFactory, AreaFactory, UserFactory, YoungPersonFactory
from tests.imports.factories import csv_file, intelligence_row

pytestmark = pytest.mark.browser


def test_an_import_with_a_bad_row_imports_nothing_then_the_fixed_file_imports(
    browser: Browser,
) -> None:
    area = AreaFactory()
    police = AgencyFactory(area=area, name="Northvale Police", kind=AgencyKind.POLICE)
    officer = UserFactory(agency=police, roles=[Role.PARTNER_REPRESENTATIVE])
    YoungPersonFactory(
        recording_agency=police,
        given_names="Rowan",
        family_name="Testcase",
        date_of_birth=dt.date(2010, 3, 27),
    )
    page = browser.page
    good = [intelligence_row(), intelligence_row(Text="Seen at the skate park late at night.")]
    bad = [
        good[0],
        intelligence_row(Text="Seen at the skate park late at night.", Date="31/2/2025"),
    ]

    browser.sign_in(officer.email, PASSWORD)
    browser.click_link("Imports", within=page.get_by_role("navigation", name="Menu"))
    expect(browser.heading()).to_have_text("Import records")

    page.get_by_label("Intelligence", exact=True).check()
    page.get_by_label("Upload a file").set_input_files(
        {"name": "partner-export.csv", "mimeType": "text/csv", "buffer": csv_file(bad)}
    )
    browser.click_button("Check and import", status=400)

    expect(page).to_have_title(title("Error: Import records"))
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link")).to_have_text(
        ["The file has 1 problem, listed below. Nothing was imported."]
    )
    table = page.get_by_role("table", name="1 problem in the file")
    expect(table.get_by_role("row").nth(1).get_by_role("cell")).to_have_text(
        [
            "3",
            "Date",
            "Enter the date of the intelligence as a real date, like 27/3/2025 or 2025-03-27",
        ]
    )
    assert not IntelligenceItem.objects.exists()

    page.get_by_label("Intelligence", exact=True).check()
    page.get_by_label("Upload a file").set_input_files(
        {"name": "partner-export.csv", "mimeType": "text/csv", "buffer": csv_file(good)}
    )
    browser.click_button("Check and import", status=200)
    expect(page.get_by_role("alert")).to_contain_text(
        "Import complete: 2 records created, 0 already imported."
    )
    assert IntelligenceItem.objects.count() == 2

    page.get_by_label("Intelligence", exact=True).check()
    page.get_by_label("Upload a file").set_input_files(
        {"name": "partner-export.csv", "mimeType": "text/csv", "buffer": csv_file(good)}
    )
    browser.click_button("Check and import", status=200)
    expect(page.get_by_role("alert")).to_contain_text(
        "Import complete: 0 records created, 2 already imported."
    )
    assert IntelligenceItem.objects.count() == 2
