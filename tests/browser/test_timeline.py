"""A social worker reads a young person's timeline in a real browser: filters it, pages
through it, follows the cohort tier to the cohort, adds a link from the page and sees it on
the timeline, and follows a link to the person of interest's page."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from riskpath.accounts.enums import AgencyKind, Role
from riskpath.cohort.models import CohortMembership
from riskpath.core import clock
from riskpath.links.models import Link
from tests.browser.conftest import Browser
from tests.cohort.factories import intelligence, missing_episode, on_cohort
from tests.factories import PASSWORD, AgencyFactory, AreaFactory, UserFactory, YoungPersonFactory
from tests.links.factories import LocationFactory, PersonOfInterestFactory

pytestmark = pytest.mark.browser


def test_read_filter_and_page_through_a_young_persons_timeline(browser: Browser) -> None:
    area = AreaFactory()
    social_care = AgencyFactory(area=area, name="Children's services", kind=AgencyKind.SOCIAL_CARE)
    police = AgencyFactory(area=area, name="Constabulary", kind=AgencyKind.POLICE)
    user = UserFactory(agency=social_care, roles=[Role.SOCIAL_WORKER])
    chair = UserFactory(agency=social_care, roles=[Role.CHAIR])
    person = YoungPersonFactory(
        recording_agency=social_care, given_names="Rowan", family_name="Ashby"
    )
    for n in range(55):
        intelligence(person, police, days_ago=n + 1, harm_types=["cce"])
    missing_episode(person, police, days_ago=0)
    on_cohort(person, tier=2, by=chair)
    CohortMembership.objects.filter(young_person=person).update(tier=1)
    poi = PersonOfInterestFactory(recording_agency=police, given_names="Vince", family_name="Hale")
    Link.objects.create(
        area=area,
        kind="exploited_by",
        source_young_person=person,
        target_person_of_interest=poi,
        last_seen=clock.today() - dt.timedelta(days=100),
        recorded_by=user,
    )
    LocationFactory(recording_agency=police, name="Station Road chicken shop")
    page = browser.page
    menu = page.get_by_role("navigation", name="Menu")

    browser.sign_in(user.email, PASSWORD)
    browser.click_link("Young people", within=menu)
    browser.click_link("Rowan Ashby")
    expect(browser.heading()).to_have_text("Rowan Ashby")
    expect(page.get_by_role("heading", name="Timeline", level=2)).to_be_visible()
    entries = page.get_by_role("list", name="Timeline entries, newest first").get_by_role(
        "listitem"
    )
    expect(entries).to_have_count(50)
    expect(entries.first).to_contain_text("Reported missing by Constabulary")
    expect(entries.nth(1)).to_contain_text("Constabulary shared intelligence graded 1BP")
    expect(entries.filter(has_text="Added to the cohort at Tier 2 (amber)")).to_have_count(1)

    # Only missing episodes, then everything again.
    page.get_by_role("checkbox", name="Missing episodes").check()
    browser.click_button("Apply filters", status=200)
    expect(page).to_have_url(re.compile(r"\?kind=missing#timeline$"))
    expect(entries).to_have_count(1)
    expect(entries.first).to_contain_text("Reported missing by Constabulary: not yet returned")
    expect(page.get_by_role("checkbox", name="Missing episodes")).to_be_checked()
    browser.click_link("Clear filters")
    expect(entries).to_have_count(50)

    # The older entries: the rest of the intelligence, and the oldest link.
    browser.click_link("Older entries")
    expect(entries).to_have_count(8)
    expect(entries.last).to_contain_text("Linked: Rowan Ashby exploited by Vince Hale")
    browser.click_link("Newer entries")
    expect(entries).to_have_count(50)

    # The cohort tier links to the cohort record.
    browser.click_link("On the cohort at Tier 1 (red)")
    expect(page).to_have_url(re.compile(rf"/cohort/{person.pk}/$"))
    browser.click_link(f"Open {person}'s record")

    # Add a link from the young person's page; it joins the timeline.
    browser.click_link("Add a link")
    expect(browser.heading()).to_have_text("Add a link to Rowan Ashby")
    page.get_by_label("Location", exact=True).check()
    browser.click_button("Continue", status=200)
    browser.pick("station road", "Station Road chicken shop", one="location")
    page.get_by_label("Frequents").check()
    page.get_by_label("Last seen").fill(clock.today().strftime("%d %m %Y"))
    browser.click_button("Record link", status=200)
    expect(page.get_by_role("alert")).to_contain_text("The link has been recorded.")
    expect(browser.heading()).to_have_text("Rowan Ashby")
    expect(entries.first).to_contain_text("Linked: Rowan Ashby frequents Station Road chicken shop")

    # The person of interest's page lists their links.
    links = page.get_by_role("table", name="Links")
    browser.click_link("Vince Hale", within=links)
    expect(browser.heading()).to_have_text("Vince Hale")
    expect(page.get_by_role("table", name="Links")).to_contain_text("Rowan Ashby")
    expect(page.get_by_text("There is no intelligence about Vince Hale")).to_be_visible()
