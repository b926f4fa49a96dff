"""The pages around the main journeys, including their error states: each is checked for
accessibility and CSP violations as it loads."""

from __future__ import annotations

import re
import uuid

import pytest
from django.core import mail
from playwright.sync_api import expect

from riskpath.accounts.enums import Role
from riskpath.accounts.models import User
from tests.browser.conftest import Browser
from tests.factories import (
    PASSWORD,
    AgencyFactory,
    AreaFactory,
    UserFactory,
    YoungPersonFactory,
)

pytestmark = pytest.mark.browser


def expect_error_summary(browser: Browser, *messages: str) -> None:
    summary = browser.page.locator(".govuk-error-summary")
    expect(summary.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(summary).to_be_focused()
    expect(summary.locator(".govuk-error-summary__list li")).to_have_text(list(messages))
    expect(browser.page).to_have_title(re.compile(r"^Error: "))


def test_area_administrator_forms_and_their_errors(browser: Browser) -> None:
    area = AreaFactory(name="Westbrook")
    agency = AgencyFactory(area=area, name="Westbrook Police")
    admin = UserFactory(agency=agency, roles=[Role.AREA_ADMINISTRATOR])
    colleague = UserFactory(agency=agency, roles=[Role.CHAIR], full_name="Priya Shah")
    page = browser.page

    browser.sign_in(admin.email, PASSWORD)

    # Adding a user: the roles checkboxes and the other fields, with and without errors.
    browser.goto("/admin/users/new/")
    expect(browser.heading()).to_have_text("Add a user")
    browser.click_button("Add user", status=400)
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link")).to_have_count(4)  # name, e-mail, agency, roles
    expect(summary.locator('a[href="#id_roles_0"]')).to_be_visible()
    expect(page.get_by_role("group", name="Roles")).to_have_attribute(
        "aria-describedby", re.compile(r"\bid_roles-error\b")
    )
    page.get_by_label("Full name").fill("Sam Carter")
    page.get_by_label("E-mail address").fill("sam.carter@example.test")
    page.get_by_label("Agency").select_option(label="Westbrook Police")
    page.get_by_role("group", name="Roles").get_by_label("Lead professional").check()
    browser.click_button("Add user", status=200)
    expect(page.get_by_role("alert")).to_contain_text("Success")
    expect(page.get_by_role("table", name="Users in Westbrook")).to_contain_text(
        "sam.carter@example.test"
    )
    assert User.objects.get(email="sam.carter@example.test").full_name == "Sam Carter"

    # Changing a user.
    browser.click_link("Priya Shah")
    expect(browser.heading()).to_have_text("Change Priya Shah")
    expect(page.get_by_label("Chair or vice-chair")).to_be_checked()
    expect(page.get_by_label("Active")).to_be_checked()
    expect(page.get_by_role("main")).to_contain_text(colleague.email)

    # Changing an agency.
    browser.goto("/admin/agencies/")
    browser.click_link("Westbrook Police")
    expect(browser.heading()).to_have_text("Change Westbrook Police")
    page.get_by_label("Agency name").fill("")
    browser.click_button("Save changes", status=400)
    expect_error_summary(browser, "Enter agency name")
    expect(page.locator("#id_name-error")).to_contain_text("Enter agency name")

    # Area settings with a blank name.
    browser.goto("/admin/area/")
    page.get_by_label("Area name").fill("")
    browser.click_button("Save settings", status=400)
    expect(page.locator(".govuk-error-summary")).to_be_focused()
    expect(page.get_by_label("Area name")).to_have_class(re.compile(r"\bgovuk-input--error\b"))

    # The audit log's filter, with a date that is not a date.
    browser.goto("/audit/")
    page.get_by_text("Filter events").click()
    page.get_by_label("From date").fill("yesterday")
    browser.click_button("Apply filter")
    expect_error_summary(browser, "Enter the from date as a real date, like 2026-11-01")
    expect(page.locator("details.govuk-details")).to_have_attribute("open", "")

    # The user's own account pages.
    browser.click_link("Change password", within=page.locator("footer"))
    expect(browser.heading()).to_have_text("Change Password")
    expect(page.get_by_label("Current Password")).to_be_visible()
    browser.click_link("Two-factor sign-in", within=page.locator("footer"))
    expect(browser.heading()).to_have_text("Two-Factor Authentication")


def test_practitioner_refusals_and_emergency_access(browser: Browser) -> None:
    area = AreaFactory()
    recording = AgencyFactory(area=area, name="Southgate Police")
    social_care = AgencyFactory(area=area, name="Southgate Children's Services")
    person = YoungPersonFactory(
        recording_agency=recording, given_names="Casey", family_name="Moore"
    )
    worker = UserFactory(agency=social_care, roles=[Role.SOCIAL_WORKER])
    page = browser.page

    browser.sign_in(worker.email, PASSWORD)

    # Administration is refused; an unknown record is not found.
    browser.goto("/admin/users/", status=403)
    expect(browser.heading()).to_have_text("You do not have access to this page")
    browser.goto(f"/young-people/{uuid.uuid4()}/", status=404)
    expect(browser.heading()).to_have_text("Page not found")

    # A record they are not involved with can be opened only through emergency access.
    browser.goto(f"/young-people/{person.pk}/", status=403)
    expect(page.get_by_role("main")).not_to_contain_text("Moore")
    browser.click_link("request emergency access")
    expect(browser.heading()).to_have_text("Request emergency access")
    browser.click_button("Open the record", status=400)
    expect(page.locator(".govuk-error-summary")).to_be_focused()
    page.get_by_label("Why do you need emergency access to this record?").fill(
        "Police report the young person missing tonight; need the lead professional's details."
    )
    browser.click_button("Open the record", status=200)
    expect(page).to_have_url(re.compile(rf"/young-people/{person.pk}/$"))
    expect(browser.heading()).to_have_text("Casey Moore")
    expect(page.locator(".govuk-warning-text")).to_contain_text("through emergency access")


def test_manager_deletes_a_record(browser: Browser) -> None:
    agency = AgencyFactory(area=AreaFactory())
    manager = UserFactory(agency=agency, roles=[Role.TEAM_MANAGER])
    person = YoungPersonFactory(recording_agency=agency, given_names="Alex", family_name="Ward")
    page = browser.page

    browser.sign_in(manager.email, PASSWORD)
    browser.goto(f"/young-people/{person.pk}/")
    browser.click_link("Delete this record")
    expect(browser.heading()).to_have_text("Delete the record of Alex Ward")
    browser.click_button("Delete record", status=400)
    expect(page.locator(".govuk-error-summary")).to_be_focused()
    page.get_by_label("Why is this record being deleted?").fill("Recorded twice by mistake.")
    browser.click_button("Delete record", status=200)
    expect(page).to_have_url(re.compile(r"/young-people/$"))
    expect(page.get_by_role("alert")).to_contain_text("The record of Alex Ward has been deleted.")
    restore = page.get_by_role("button", name="Restore Alex Ward")
    expect(restore).to_be_visible()
    browser.follow(restore.click, status=200)
    expect(page).to_have_url(re.compile(rf"/young-people/{person.pk}/$"))
    expect(page.get_by_role("alert")).to_contain_text("The record of Alex Ward has been restored.")


def test_signed_out_password_reset(browser: Browser) -> None:
    user = UserFactory(agency=AgencyFactory(area=AreaFactory()), roles=[Role.LEAD_PROFESSIONAL])
    page = browser.page
    browser.goto("/accounts/login/")
    browser.click_link("I have forgotten my password")
    expect(page).to_have_url(re.compile(r"/accounts/password/reset/$"))
    expect(browser.heading()).to_have_text("Password Reset")
    browser.click_button("Reset My Password")
    expect(page.locator(".govuk-error-summary")).to_be_focused()
    expect(page.locator("#id_email-error")).to_be_visible()
    page.get_by_label("E-mail address").fill(user.email)
    browser.click_button("Reset My Password", status=200)
    expect(page).to_have_url(re.compile(r"/accounts/password/reset/done/$"))
    expect(browser.heading()).to_have_text("Password Reset")
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [user.email]


def test_an_address_holding_a_nul_character_gets_an_accessible_error_page(
    browser: Browser,
) -> None:
    agency = AgencyFactory(area=AreaFactory())
    user = UserFactory(agency=agency, roles=[Role.LEAD_PROFESSIONAL])
    browser.sign_in(user.email, PASSWORD)
    browser.goto("/locations/?q=park%00", status=400)  # check_page runs axe on it
    expect_error_summary(
        browser, "q contains a character that cannot be used (NUL): remove it and try again"
    )
    expect(browser.heading()).to_have_text("There is a problem with the address")
