"""A partner representative records a location and a group, adds a member to the group and
links the group to the location, in a real browser."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from riskpath.accounts.enums import Role
from riskpath.groups.models import Group, GroupMembership
from riskpath.links.models import Link
from riskpath.locations.models import Location
from tests.browser.conftest import Browser, title
from tests.factories import PASSWORD, AgencyFactory, AreaFactory, UserFactory, YoungPersonFactory

pytestmark = pytest.mark.browser


def test_record_a_place_a_group_a_member_and_a_link(browser: Browser) -> None:
    agency = AgencyFactory(area=AreaFactory(), name="Westbury Police")
    user = UserFactory(agency=agency, roles=[Role.PARTNER_REPRESENTATIVE])
    YoungPersonFactory(recording_agency=agency, given_names="Rowan", family_name="Ashby")
    page = browser.page
    menu = page.get_by_role("navigation", name="Menu")

    browser.sign_in(user.email, PASSWORD)
    browser.click_link("Locations", within=menu)
    expect(browser.heading()).to_have_text("Locations")
    expect(page.get_by_text("No locations have been recorded yet.")).to_be_visible()
    browser.click_link("Record a location")

    page.get_by_label("Name", exact=True).fill("Market Street chicken shop")
    page.get_by_label("Takeaway").check()
    page.get_by_label("Postcode").fill("BS16 1Q")
    browser.click_button("Record location", status=400)
    expect(page).to_have_title(title("Error: Record a location"))
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link")).to_have_text(["Enter a real UK postcode, like BS16 1QY"])
    assert not Location.objects.exists()

    page.get_by_label("Postcode").fill("bs16 1qy")
    page.get_by_label("Latitude").fill("51.4839")
    page.get_by_label("Longitude").fill("-2.5132")
    browser.click_button("Record location", status=200)
    location = Location.objects.get()
    expect(page).to_have_url(re.compile(rf"/locations/{location.pk}/$"))
    expect(browser.heading()).to_have_text("Market Street chicken shop")
    expect(page.get_by_text("BS16 1QY")).to_be_visible()
    expect(page.get_by_text("No links have been recorded.")).to_be_visible()

    # A group, with a member from the young people the user is involved with.
    browser.click_link("Groups", within=menu)
    browser.click_link("Record a group")
    page.get_by_label("Name", exact=True).fill("Market Street group")
    page.get_by_label("Peer group").check()
    browser.click_button("Record group", status=200)
    group = Group.objects.get()
    expect(browser.heading()).to_have_text("Market Street group")
    browser.click_link("Add a member")
    browser.pick("Ashby", "Rowan ASHBY")
    page.get_by_label("Date they joined").fill("4 2 2026")
    browser.click_button("Add member", status=200)
    expect(page.get_by_role("alert")).to_contain_text("Rowan Ashby has been added to the group.")
    current = page.get_by_role("table", name="Current members")
    expect(current.get_by_role("row").filter(has_text="Rowan Ashby")).to_contain_text(
        "4 February 2026"
    )
    assert GroupMembership.objects.filter(group=group, left_on__isnull=True).count() == 1

    # Link the group to the location, from the group's page.
    browser.click_link("Add a link")
    expect(browser.heading()).to_have_text("Add a link to Market Street group")
    page.get_by_label("Location", exact=True).check()
    browser.click_button("Continue", status=200)
    browser.pick("chicken", "Market Street chicken shop", one="location")
    page.get_by_label("Frequents").check()
    page.get_by_label("Last seen").fill("1 2 2026")
    page.get_by_label("First seen").fill("2 2 2026")
    browser.click_button("Record link", status=400)
    expect(page.locator(".govuk-error-summary").get_by_role("link")).to_have_text(
        ["The date last seen must be the same as or after the date first seen"]
    )
    page.get_by_label("First seen").fill("3 1 2026")
    browser.click_button("Record link", status=200)
    expect(page.get_by_role("alert")).to_contain_text("The link has been recorded.")
    link = Link.objects.get()
    assert (link.source, link.target) == (group, location)

    links = page.get_by_role("table", name="Links")
    expect(links.get_by_role("row").nth(1)).to_contain_text(
        "Market Street group frequents Market Street chicken shop"
    )
    browser.click_link("View link to Market Street chicken shop")
    expect(page).to_have_url(re.compile(rf"/links/{link.pk}/$"))
    expect(browser.heading()).to_contain_text("frequents")

    # The location's page shows the same link.
    browser.click_link("Market Street chicken shop", within=browser.heading())
    expect(page.get_by_role("table", name="Links")).to_contain_text("Market Street group")
