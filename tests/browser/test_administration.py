"""An area administrator's pages, in a real browser."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from riskpath.accounts.enums import Role
from riskpath.accounts.models import Agency
from tests.browser.conftest import Browser, title
from tests.factories import PASSWORD, AgencyFactory, AreaFactory, UserFactory

pytestmark = pytest.mark.browser


def test_area_administrator_visits_admin_pages_and_adds_an_agency(browser: Browser) -> None:
    area = AreaFactory(name="Northfield")
    agency = AgencyFactory(area=area, name="Northfield Police")
    admin = UserFactory(agency=agency, roles=[Role.AREA_ADMINISTRATOR])
    colleague = UserFactory(agency=agency, roles=[Role.LEAD_PROFESSIONAL])
    elsewhere = UserFactory(roles=[Role.LEAD_PROFESSIONAL])  # another area's user
    page = browser.page
    menu = page.get_by_role("navigation", name="Menu")

    browser.sign_in(admin.email, PASSWORD)
    expect(browser.heading()).to_have_text(f"Welcome, {admin.full_name}")
    expect(page.get_by_role("heading", name="Administration of Northfield")).to_be_visible()

    # Users: everyone in the area, nobody from elsewhere.
    browser.click_link("Users", within=menu)
    expect(page).to_have_url(re.compile(r"/admin/users/$"))
    expect(browser.heading()).to_have_text("Users")
    expect(menu.get_by_role("link", name="Users")).to_have_attribute("aria-current", "page")
    users = page.get_by_role("table", name="Users in Northfield")
    for user, roles in ((admin, "Area administrator"), (colleague, "Lead professional")):
        row = users.get_by_role("row").filter(has_text=user.email)
        expect(row.get_by_role("link", name=user.full_name)).to_be_visible()
        expect(row.get_by_role("cell").nth(2)).to_have_text(roles)
    expect(users.get_by_text(elsewhere.email)).to_have_count(0)

    # Agencies, then adding one: first with the name left out.
    browser.click_link("Agencies", within=menu)
    expect(browser.heading()).to_have_text("Agencies")
    agencies = page.get_by_role("table", name="Agencies in Northfield")
    expect(agencies.get_by_role("link", name="Northfield Police")).to_be_visible()
    browser.click_link("Add an agency")
    expect(browser.heading()).to_have_text("Add an agency")
    browser.click_button("Add agency", status=400)

    expect(page).to_have_title(title("Error: Add an agency"))
    summary = page.locator(".govuk-error-summary")
    expect(summary.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(summary).to_be_focused()
    name_input = page.get_by_label("Agency name")
    error_link = summary.get_by_role("link")
    expect(error_link).to_have_text(["Enter agency name"])
    expect(error_link).to_have_attribute("href", "#id_name")
    expect(page.locator("#id_name-error")).to_have_text("Error: Enter agency name")
    expect(name_input).to_have_attribute("aria-describedby", re.compile(r"\bid_name-error\b"))
    # The summary's link takes the keyboard to the field.
    error_link.click()
    expect(name_input).to_be_focused()
    assert not Agency.objects.filter(area=area).exclude(pk=agency.pk).exists()

    name_input.fill("Northfield Youth Justice Service")
    page.get_by_label("Kind of agency").select_option(label="Youth justice")
    browser.click_button("Add agency", status=200)

    expect(page).to_have_url(re.compile(r"/admin/agencies/$"))
    banner = page.get_by_role("alert")
    expect(banner).to_contain_text("Success")
    expect(banner).to_contain_text("Northfield Youth Justice Service has been added.")
    row = agencies.get_by_role("row").filter(has_text="Northfield Youth Justice Service")
    expect(row.get_by_role("cell")).to_have_text(
        ["Northfield Youth Justice Service", "Youth justice", "Active"]
    )
    created = Agency.objects.get(area=area, name="Northfield Youth Justice Service")
    assert created.kind == "youth_justice"

    # Area settings: the form shows the area as it is.
    browser.click_link("Area settings", within=menu)
    expect(browser.heading()).to_have_text("Area settings")
    expect(page.get_by_label("Area name")).to_have_value("Northfield")
    expect(page.get_by_label("England and Wales", exact=True)).to_be_checked()
    expect(
        page.get_by_label("Require two-factor sign-in for every user in the area")
    ).not_to_be_checked()

    # The audit log records what the administrator just did.
    browser.click_link("Audit log", within=menu)
    expect(browser.heading()).to_have_text("Audit log")
    events = page.locator("table.govuk-table")
    expect(events.get_by_role("row").filter(has_text="created an agency")).to_contain_text(
        f"{admin.full_name} created an agency: Northfield Youth Justice Service"
    )
    expect(events.get_by_role("row").filter(has_text="signed in")).to_contain_text(
        f"{admin.full_name} signed in"
    )
