"""A partner representative opens the network chart from a young person's page: the chart
draws over the table that holds the same links, a line shows its evidence when chosen, the
chart downloads as a PNG, and the young person they are not involved with is only counted."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from riskpath.accounts.enums import Role
from riskpath.links.models import LinkKind, LinkStrength
from tests.browser.conftest import Browser
from tests.factories import PASSWORD, AgencyFactory, AreaFactory, UserFactory, YoungPersonFactory
from tests.links.factories import IntelligenceItemFactory, LinkFactory, PersonOfInterestFactory

pytestmark = pytest.mark.browser
CANARY = "Quorblethwaite"


def test_the_network_chart_and_its_table(browser: Browser) -> None:
    area = AreaFactory()
    agency = AgencyFactory(area=area, name="Westbury Police")
    other = AgencyFactory(area=area, name="Children's social care")
    user = UserFactory(agency=agency, roles=[Role.PARTNER_REPRESENTATIVE])
    rowan = YoungPersonFactory(recording_agency=agency, given_names="Rowan", family_name="Ashby")
    sam = YoungPersonFactory(recording_agency=agency, given_names="Sam", family_name="Birch")
    hidden = YoungPersonFactory(recording_agency=other, given_names="Ula", family_name=CANARY)
    poi = PersonOfInterestFactory(recording_agency=agency, given_names="Dex", family_name="Cole")
    item = IntelligenceItemFactory(source_agency=agency, harm_types=["cce"])
    for person in (rowan, sam, hidden):
        link = LinkFactory(
            area=area,
            kind=LinkKind.EXPLOITED_BY,
            strength=LinkStrength.CONFIRMED,
            source_young_person=person,
            target_person_of_interest=poi,
        )
        link.evidence.add(item)
    page = browser.page

    browser.sign_in(user.email, PASSWORD)
    browser.goto(f"/young-people/{rowan.pk}/")
    browser.click_link("See these links as a network chart")
    expect(browser.heading()).to_have_text("Links around Rowan Ashby")
    # The chart, drawn by the script over the tables.
    chart = page.locator("#network-chart canvas").first
    expect(chart).to_be_attached()
    page.wait_for_function(
        "() => window.riskpathNetwork && window.riskpathNetwork.nodes().length === 2"
    )
    # The same records in the table, and the hidden young person only counted.
    records = page.get_by_role("table").first
    expect(records).to_contain_text("Rowan Ashby")
    expect(records).to_contain_text("Dex Cole")
    expect(page.locator("#network-hidden")).to_contain_text("1 linked record you may not open")
    assert CANARY not in page.content()
    # Choosing a line shows its evidence.
    page.evaluate("() => window.riskpathNetwork.edges()[0].emit('tap')")
    chosen = page.locator("#network-chosen")
    expect(chosen).to_contain_text("linked to")
    expect(chosen).to_contain_text(item.grading)
    expect(chosen).to_contain_text("Westbury Police")
    # A PNG for the meeting pack.
    with page.expect_download() as download:
        page.get_by_role("button", name="Download the chart as PNG").click()
    assert download.value.suggested_filename == "network-chart.png"
    browser.assert_accessible()
    browser.assert_clean_console()

    # Two steps out, through Dex, to Sam; a bad depth names the field.
    browser.goto(f"/network/young-people/{rowan.pk}/?depth=2&strength=confirmed")
    expect(page.get_by_role("table").first).to_contain_text("Sam Birch")
    assert CANARY not in page.content()
    browser.goto(f"/network/young-people/{rowan.pk}/?depth=9", status=400)
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select a depth of 1, 2 or 3")

    # The cohort's chart, from the menu.
    browser.click_link("Network", within=page.get_by_role("navigation", name="Menu"))
    expect(browser.heading()).to_have_text("The cohort's links")
