"""A lead professional records a young person and changes the record, in a real browser."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Locator, expect

from riskpath.accounts.enums import Role
from riskpath.people.models import YoungPerson
from tests.browser.conftest import Browser, title
from tests.factories import PASSWORD, AgencyFactory, AreaFactory, UserFactory

pytestmark = pytest.mark.browser


def summary_value(summary_list: Locator, key: str) -> Locator:
    """The value beside ``key`` in a GOV.UK summary list."""
    key_cell = summary_list.page.locator("dt", has_text=re.compile(f"^{re.escape(key)}$"))
    return summary_list.locator(".govuk-summary-list__row").filter(has=key_cell).locator("dd")


def test_lead_professional_records_and_changes_a_young_person(browser: Browser) -> None:
    agency = AgencyFactory(area=AreaFactory(), name="Eastmoor Youth Justice")
    lead = UserFactory(agency=agency, roles=[Role.LEAD_PROFESSIONAL])
    page = browser.page

    browser.sign_in(lead.email, PASSWORD)
    browser.click_link("Young people", within=page.get_by_role("navigation", name="Menu"))
    expect(browser.heading()).to_have_text("Young people")
    expect(page.get_by_text("There are no young people for you to see yet.")).to_be_visible()
    browser.click_link("Record a young person")

    expect(page).to_have_url(re.compile(r"/young-people/new/$"))
    expect(browser.heading()).to_have_text("Record a young person")
    page.get_by_label("Given names").fill("Jordan Lee")
    page.get_by_label("Family name").fill("Okafor")
    # A date that does not exist is refused, with the GOV.UK error pattern.
    page.get_by_label("Date of birth").fill("31 2 2011")
    page.get_by_label("Lead professional").select_option(label=f"{lead.full_name} ({agency})")
    browser.click_button("Record young person", status=400)

    expect(page).to_have_title(title("Error: Record a young person"))
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link")).to_have_text(
        ["Enter the date of birth as a real date, like 27 3 2010"]
    )
    expect(page.locator("#id_date_of_birth-error")).to_contain_text("as a real date")
    # What was typed is kept.
    expect(page.get_by_label("Given names")).to_have_value("Jordan Lee")
    expect(page.get_by_label("Lead professional")).to_have_value(str(lead.pk))
    assert not YoungPerson.objects.exists()

    page.get_by_label("Date of birth").fill("27 3 2011")
    browser.click_button("Record young person", status=200)

    person = YoungPerson.objects.get()
    expect(page).to_have_url(re.compile(rf"/young-people/{person.pk}/$"))
    expect(page.get_by_role("alert")).to_contain_text("Jordan Lee Okafor has been recorded.")
    expect(browser.heading()).to_have_text("Jordan Lee Okafor")
    details = page.locator(".govuk-summary-list")
    expect(summary_value(details, "Given names")).to_have_text("Jordan Lee")
    expect(summary_value(details, "Family name")).to_have_text("Okafor")
    expect(summary_value(details, "Date of birth")).to_have_text("27 March 2011")
    expect(summary_value(details, "Lead professional")).to_have_text(lead.full_name)
    expect(summary_value(details, "Recorded by")).to_have_text("Eastmoor Youth Justice")

    # Change the record.
    browser.click_link("Change details")
    expect(page).to_have_url(re.compile(rf"/young-people/{person.pk}/edit/$"))
    expect(browser.heading()).to_have_text("Change Jordan Lee Okafor")
    expect(page.get_by_label("Given names")).to_have_value("Jordan Lee")
    expect(page.get_by_label("Family name")).to_have_value("Okafor")
    expect(page.get_by_label("Date of birth")).to_have_value("27/03/2011")
    page.get_by_label("Family name").fill("Okafor-Reid")
    page.get_by_label("Lead professional").select_option(label="No lead professional yet")
    browser.click_button("Save changes", status=200)

    expect(page).to_have_url(re.compile(rf"/young-people/{person.pk}/$"))
    expect(page.get_by_role("alert")).to_contain_text("The record has been updated.")
    expect(browser.heading()).to_have_text("Jordan Lee Okafor-Reid")
    expect(summary_value(details, "Family name")).to_have_text("Okafor-Reid")
    expect(summary_value(details, "Lead professional")).to_have_text("None yet")
    person.refresh_from_db()
    assert (person.family_name, person.lead_professional_id) == ("Okafor-Reid", None)

    # The list shows the changed record.
    browser.click_link("Back to young people")
    people = page.get_by_role("table", name="1 young person")
    expect(
        people.get_by_role("row").filter(has_text="Okafor-Reid").get_by_role("cell")
    ).to_have_text(["Jordan Lee Okafor-Reid", "27 March 2011", "None yet"])
