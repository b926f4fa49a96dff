"""A police officer shares C-coded intelligence; a social worker sees only its summary, asks
to read it, and reads it once a police manager agrees. In a real browser, every page checked
for accessibility and CSP."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from riskpath.accounts.enums import AgencyKind, Role
from riskpath.intelligence.models import DisclosureRequest, IntelligenceItem
from tests.browser.conftest import Browser, title
from tests.factories import PASSWORD, AgencyFactory, AreaFactory, UserFactory, YoungPersonFactory

pytestmark = pytest.mark.browser

SECRET = "Seen getting into a grey hatchback outside the leisure centre at 23:00"


def sign_out(browser: Browser) -> None:
    browser.click_link("Sign out", within=browser.page.locator(".govuk-phase-banner"))
    browser.click_button("Sign Out", status=200)


def test_c_coded_intelligence_is_shared_on_request(browser: Browser) -> None:
    area = AreaFactory()
    police = AgencyFactory(area=area, name="Northvale Police", kind=AgencyKind.POLICE)
    care = AgencyFactory(area=area, name="Northvale Children's Services")
    officer = UserFactory(agency=police, roles=[Role.PARTNER_REPRESENTATIVE])
    manager = UserFactory(agency=police, roles=[Role.TEAM_MANAGER])
    worker = UserFactory(agency=care, roles=[Role.SOCIAL_WORKER], full_name="Priya Worker")
    person = YoungPersonFactory(
        recording_agency=care, given_names="Rowan", family_name="Testcase", date_of_birth=None
    )
    page = browser.page

    # The officer submits C-coded intelligence, first forgetting the conditions.
    browser.sign_in(officer.email, PASSWORD)
    browser.click_link("Intelligence", within=page.get_by_role("navigation", name="Menu"))
    expect(browser.heading()).to_have_text("Intelligence")
    browser.click_link("Submit intelligence")
    expect(browser.heading()).to_have_text("Submit intelligence")
    page.get_by_label("What is the intelligence?").fill(SECRET)
    page.get_by_label("Child criminal exploitation").check()
    page.get_by_label("County lines").check()
    browser.pick("testcase", "Rowan TESTCASE")
    page.get_by_label("2: Untested").check()
    page.get_by_label("B: Known indirectly, corroborated").check()
    page.get_by_label("Second-hand").check()
    page.get_by_label("C: Lawful sharing permitted with conditions").check()
    browser.click_button("Submit intelligence", status=400)

    expect(page).to_have_title(title("Error: Submit intelligence"))
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link")).to_have_text(
        ["Enter the handling conditions for a C-coded item"]
    )
    expect(page.get_by_label("What is the intelligence?")).to_have_value(SECRET)
    assert not IntelligenceItem.objects.exists()

    page.get_by_label("Handling conditions").fill("Police and social care managers only.")
    browser.click_button("Submit intelligence", status=200)
    item = IntelligenceItem.objects.get()
    expect(page).to_have_url(re.compile(rf"/intelligence/{item.pk}/$"))
    expect(page.get_by_role("alert")).to_contain_text("Your intelligence has been submitted.")
    expect(page.locator("#intelligence-text")).to_contain_text(SECRET)
    sign_out(browser)

    # The social worker sees a restricted summary on the young person's page, and asks.
    browser.sign_in(worker.email, PASSWORD)
    browser.goto(f"/young-people/{person.pk}/")
    section = page.get_by_role("table", name="Intelligence about Rowan Testcase")
    expect(section.get_by_role("cell", name="Restricted", exact=True).first).to_be_visible()
    browser.follow(lambda: section.get_by_role("link").first.click(), status=200)
    expect(page.locator("#restricted")).to_be_visible()
    expect(page.get_by_text(SECRET)).to_have_count(0)
    browser.click_link("Ask to read it in full")
    page.get_by_label("Why do you need to read this intelligence in full?").fill(
        "Allocated social worker; visiting the family tomorrow."
    )
    browser.click_button("Send request", status=200)
    expect(page.get_by_role("alert")).to_contain_text("Your request has been sent")
    expect(page.get_by_text(SECRET)).to_have_count(0)
    sign_out(browser)

    # A police manager agrees.
    browser.sign_in(manager.email, PASSWORD)
    browser.click_link("Intelligence", within=page.get_by_role("navigation", name="Menu"))
    browser.click_link("Disclosure requests (1 waiting)")
    expect(browser.heading()).to_have_text("Disclosure requests")
    browser.follow(lambda: page.get_by_role("link", name=re.compile("^Decide")).click())
    page.get_by_label("Share it in full").check()
    browser.click_button("Save decision", status=200)
    expect(page.get_by_role("alert")).to_contain_text("Priya Worker can now read the item")
    assert DisclosureRequest.objects.get().status == "granted"
    sign_out(browser)

    # The social worker now reads it.
    browser.sign_in(worker.email, PASSWORD)
    browser.goto(f"/intelligence/{item.pk}/")
    expect(page.locator("#intelligence-text")).to_contain_text(SECRET)
