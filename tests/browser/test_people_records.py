"""A social worker fills in a young person's fuller record, records a missing episode and a
referral from it, then records the young person as a person of interest and adds disruption,
in a real browser (axe and CSP checked on every page)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from riskpath.accounts.enums import AgencyKind, Role
from riskpath.people.models import DisruptionActivity, MissingEpisode, PersonOfInterest
from riskpath.referrals.models import Referral
from tests.browser.conftest import Browser, title
from tests.factories import PASSWORD, AgencyFactory, AreaFactory, UserFactory, YoungPersonFactory

pytestmark = pytest.mark.browser


def test_social_worker_records_missing_referral_and_person_of_interest(browser: Browser) -> None:
    agency = AgencyFactory(
        area=AreaFactory(), name="Westbury Children's Services", kind=AgencyKind.SOCIAL_CARE
    )
    worker = UserFactory(agency=agency, roles=[Role.SOCIAL_WORKER])
    person = YoungPersonFactory(recording_agency=agency, given_names="Tyler", family_name="Ashdown")
    page = browser.page
    browser.sign_in(worker.email, PASSWORD)
    browser.goto(f"/young-people/{person.pk}/")
    expect(browser.heading()).to_have_text("Tyler Ashdown")
    expect(page.get_by_text("No missing episodes have been recorded.")).to_be_visible()

    # The fuller record: a bad NHS number is refused, then a good one is kept, spaced.
    browser.click_link("Change details")
    page.get_by_label("Known aliases (optional)").fill("Ty\nTA")
    page.get_by_label("Postcode (optional)").fill("bs16 1qy")
    page.get_by_label("NHS number (optional)").fill("943 476 5918")
    browser.click_button("Save changes", status=400)
    expect(page).to_have_title(title("Error: Change Tyler Ashdown"))
    expect(page.locator(".govuk-error-summary")).to_contain_text("does not match")
    page.get_by_label("NHS number (optional)").fill("943 476 5919")
    browser.click_button("Save changes", status=200)
    expect(page.get_by_text("943 476 5919")).to_be_visible()
    expect(page.get_by_text("BS16 1QY")).to_be_visible()

    # A missing episode
    browser.click_link("Record a missing episode")
    expect(browser.heading()).to_have_text("Record a missing episode")
    page.get_by_label("Absent without authorisation").check()
    page.get_by_label("Time reported").fill("3 2 2025 21:30")
    page.get_by_label("Time of return (optional)").fill("3 2 2025 20:00")
    browser.click_button("Record missing episode", status=400)
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "The time of return must be after the time reported"
    )
    page.get_by_label("Time of return (optional)").fill("4 2 2025 08:15")
    page.get_by_label("Where found (optional)").fill("Railway station")
    browser.click_button("Record missing episode", status=200)
    episodes = page.get_by_role("table", name=re.compile("1 episode"))
    expect(episodes).to_contain_text("Absent without authorisation")
    expect(episodes).to_contain_text("Railway station")
    assert MissingEpisode.objects.get().where_found == "Railway station"

    # A referral to the NRM: the social worker's agency is a first responder.
    browser.click_link("Record a referral")
    page.get_by_label("Referred or signposted to").select_option(
        label="National Referral Mechanism"
    )
    page.get_by_label("Made", exact=True).check()
    page.get_by_label("Date made (optional)").fill("5 2 2025")
    browser.click_button("Record referral", status=200)
    referrals = page.get_by_role("table", name=re.compile("1 referral"))
    expect(referrals).to_contain_text("National Referral Mechanism")
    expect(referrals).to_contain_text("5 February 2025")
    assert Referral.objects.get().to == "nrm"

    # The young person is also a person of interest: one identity, two roles.
    browser.click_link("Record this young person as a person of interest")
    expect(browser.heading()).to_have_text("Record Tyler Ashdown as a person of interest")
    page.get_by_label("Description (optional)").fill("Seen passing packages to younger children")
    browser.click_button("Record person of interest", status=200)
    poi = PersonOfInterest.objects.get()
    expect(page).to_have_url(re.compile(rf"/persons-of-interest/{poi.pk}/$"))
    expect(browser.heading()).to_have_text("Tyler Ashdown")
    expect(page.get_by_text("No disruption has been recorded.")).to_be_visible()
    page.get_by_label("Kind of disruption").select_option(label="Child abduction warning notice")
    page.get_by_label("Date", exact=True).fill("6 2 2025")
    page.get_by_label("Outcome (optional)").fill("Served by the police")
    browser.click_button("Record disruption", status=200)
    history = page.get_by_role("table", name="Disruption history, newest first")
    expect(history).to_contain_text("Child abduction warning notice")
    expect(history).to_contain_text("6 February 2025")
    assert DisruptionActivity.objects.get().outcome == "Served by the police"

    # The list, from the navigation, and back to the young person by the link.
    browser.click_link("Persons of interest", within=page.get_by_role("navigation", name="Menu"))
    expect(page.get_by_role("table", name="1 person of interest")).to_contain_text("Tyler Ashdown")
    browser.goto(f"/young-people/{person.pk}/")
    browser.click_link("Also recorded as a person of interest")
    expect(page).to_have_url(re.compile(rf"/persons-of-interest/{poi.pk}/$"))
