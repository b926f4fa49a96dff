"""The header search in a real browser: a social worker types a misspelt name into the box in
the header, from the keyboard, sees the results grouped by kind (one record they may open, one
they may not, shown without details and with the way to emergency access), and opens the
record. Then the picker for persons of interest on the intelligence form. Every page is
checked for accessibility (axe) and CSP."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from riskpath.accounts.enums import AgencyKind, Role
from riskpath.locations.models import Location
from riskpath.people.models import PersonOfInterest
from tests.browser.conftest import Browser
from tests.factories import PASSWORD, AgencyFactory, AreaFactory, UserFactory, YoungPersonFactory

pytestmark = pytest.mark.browser


def test_header_search_to_results_to_the_record(browser: Browser) -> None:
    area = AreaFactory()
    care = AgencyFactory(
        area=area, name="Eastvale Children's Services", kind=AgencyKind.SOCIAL_CARE
    )
    police = AgencyFactory(area=area, name="Eastvale Police", kind=AgencyKind.POLICE)
    worker = UserFactory(agency=care, roles=[Role.SOCIAL_WORKER])
    mine = YoungPersonFactory(
        recording_agency=care,
        given_names="Imogen",
        family_name="Fairweather",
        date_of_birth=dt.date(2011, 5, 17),
        locality="Hanham",
    )
    YoungPersonFactory(  # recorded by the police: not the worker's to open
        recording_agency=police,
        given_names="Isla",
        family_name="Fairweather",
        date_of_birth=dt.date(2012, 1, 9),
        locality="Kingswood",
    )
    Location.objects.create(
        area=area,
        name="Fairweather Park",
        address="Fairweather Road",
        postcode="BS15 2AA",
        kind="park",
        recording_agency=police,
        recorded_by=UserFactory(agency=police),
    )
    page = browser.page

    browser.sign_in(worker.email, PASSWORD)
    box = page.get_by_label("Search young people, persons of interest, locations and groups")
    box.fill("fairwether")  # misspelt
    browser.follow(lambda: box.press("Enter"))
    expect(browser.heading()).to_have_text("Search results")
    expect(page.get_by_role("link", name="Young people (1)")).to_be_visible()
    expect(page.get_by_role("link", name="Locations (1)")).to_be_visible()
    expect(page.get_by_role("link", name="Fairweather Park")).to_be_visible()
    expect(page.get_by_text("record matches that you cannot open")).to_be_visible()
    assert "Isla" not in page.content() and "Kingswood" not in page.content()
    expect(
        page.get_by_role("link", name="use emergency access to this record (result 2)")
    ).to_be_visible()
    browser.click_link("Imogen FAIRWEATHER")
    assert page.url.endswith(f"/young-people/{mine.pk}/")
    browser.assert_every_page_checked()


def test_choosing_a_person_of_interest_by_typing(browser: Browser) -> None:
    area = AreaFactory()
    police = AgencyFactory(area=area, name="Eastvale Police", kind=AgencyKind.POLICE)
    officer = UserFactory(agency=police, roles=[Role.PARTNER_REPRESENTATIVE])
    PersonOfInterest.objects.create(
        area=area,
        given_names="Declan",
        family_name="Marsh",
        aliases=["Deeko"],
        recording_agency=police,
        recorded_by=officer,
    )
    for n in range(20):
        PersonOfInterest.objects.create(
            area=area,
            given_names=f"Bystander{n}",
            family_name="Nobody",
            recording_agency=police,
            recorded_by=officer,
        )
    page = browser.page
    browser.sign_in(officer.email, PASSWORD)
    browser.goto("/intelligence/new/")
    assert "Bystander" not in page.content() and "Declan" not in page.content()
    picker = page.locator('[data-name="persons_of_interest"]')
    box = picker.get_by_label("Find a person of interest by name")
    box.fill("deko")
    option = picker.get_by_role("option", name="Declan MARSH (also known as Deeko)")
    option.wait_for()
    browser.assert_accessible()
    box.press("ArrowDown")
    page.locator(":focus").press("Enter")
    chosen = picker.locator(".rp-picker__chosen").get_by_label("Declan MARSH (also known as Deeko)")
    expect(chosen).to_be_checked()
    browser.assert_accessible()
    browser.assert_clean_console()
