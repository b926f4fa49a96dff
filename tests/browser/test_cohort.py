"""The chair adds a young person to the cohort, changes their tier and removes them, in a real
browser; a partner sees the cohort list."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from riskpath.accounts.enums import Role
from riskpath.cohort.models import CohortMembership
from tests.browser.conftest import Browser, title
from tests.cohort.factories import intelligence
from tests.factories import PASSWORD, AgencyFactory, AreaFactory, UserFactory, YoungPersonFactory

pytestmark = pytest.mark.browser


def test_chair_adds_changes_and_removes_a_young_person(browser: Browser) -> None:
    area = AreaFactory()
    police = AgencyFactory(area=area, name="Eastmoor Police")
    school = AgencyFactory(area=area, name="Eastmoor Academy")
    chair = UserFactory(agency=police, roles=[Role.CHAIR])
    lead = UserFactory(agency=school, roles=[Role.LEAD_PROFESSIONAL])
    person = YoungPersonFactory(
        recording_agency=police, lead_professional=lead, given_names="Rowan", family_name="Ashby"
    )
    intelligence(person, police, grade="B2", harm_types=["cce"])
    page = browser.page

    browser.sign_in(chair.email, PASSWORD)
    browser.click_link("Cohort", within=page.get_by_role("navigation", name="Menu"))
    expect(browser.heading()).to_have_text("Cohort")
    expect(page.get_by_text("There is nobody on the cohort.")).to_be_visible()
    browser.click_link("Add a young person to the cohort")
    browser.pick("Ashby", "Rowan ASHBY")
    browser.click_button("Continue")

    expect(browser.heading()).to_have_text("Add Rowan Ashby to the cohort")
    suggestion = page.locator("#suggestion")
    expect(suggestion).to_contain_text("Suggested tier: Tier 2 (amber)")
    expect(suggestion).to_contain_text("exploitation suspected (child criminal exploitation)")
    # Nothing chosen: refused, naming what is missing.
    browser.click_button("Add to the cohort", status=400)
    expect(page).to_have_title(title("Error: Add Rowan Ashby to the cohort"))
    expect(page.locator(".govuk-error-summary").get_by_role("link")).to_have_text(
        [
            "Select tier",
            "Select the criteria the young person meets",
            "Enter why the PIMM made this decision",
        ]
    )
    page.get_by_label("Tier 2 (amber)").check()
    page.get_by_label(re.compile("^Tier 2: Exploitation is suspected")).check()
    page.get_by_label("Why did the PIMM make this decision?").fill("Seen with older youths")
    page.get_by_label("Meeting").fill("PIMM 2 March")
    browser.click_button("Add to the cohort", status=200)

    expect(page).to_have_url(re.compile(rf"/cohort/{person.pk}/$"))
    expect(page.get_by_role("alert")).to_contain_text("Rowan Ashby has been added to the cohort.")
    history = page.get_by_role("region", name="Tier history")
    expect(history).to_contain_text("Added at Tier 2 (amber)")
    expect(history).to_contain_text("PIMM 2 March")

    browser.click_link("Change tier")
    expect(browser.heading()).to_have_text("Change Rowan Ashby's tier")
    page.get_by_label("Tier 1 (red)").check()
    page.get_by_label(re.compile("^Tier 1: Rapid escalation")).check()
    page.get_by_label("Why did the PIMM make this decision?").fill("Arrested with a knife")
    browser.click_button("Change tier", status=200)
    expect(page.get_by_role("alert")).to_contain_text("Rowan Ashby is now at Tier 1 (red).")
    expect(history).to_contain_text("Tier 2 (amber) to Tier 1 (red)")

    browser.click_link("Remove from the cohort")
    page.get_by_label("Moved out of area").check()
    page.get_by_label("Why did the PIMM make this decision?").fill("Family moved")
    browser.click_button("Remove from the cohort", status=400)
    expect(page.locator("#id_receiving_area-error")).to_contain_text(
        "Enter the area the young person has moved to"
    )
    page.get_by_label("Receiving area").fill("Westhaven")
    browser.click_button("Remove from the cohort", status=200)
    expect(page.get_by_role("alert")).to_contain_text("Rowan Ashby has left the cohort.")
    expect(history).to_contain_text("Left the cohort from Tier 1 (red)")
    membership = CohortMembership.objects.get()
    assert (membership.exit_reason, membership.receiving_area) == ("moved_out", "Westhaven")

    browser.click_link("Back to the cohort")
    expect(page.get_by_text("There is nobody on the cohort.")).to_be_visible()
