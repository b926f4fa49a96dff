"""Duplicate records in a real browser: likely existing records shown before a new young person
is recorded, and a manager merging two records and undoing the merge."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from riskpath.accounts.enums import Role
from riskpath.people.models import (
    MergeRecord,
    PersonOfInterest,
    PersonOfInterestMerge,
    YoungPerson,
)
from tests.browser.conftest import Browser
from tests.factories import PASSWORD, AgencyFactory, AreaFactory, UserFactory, YoungPersonFactory
from tests.people.factories import MissingEpisodeFactory, PersonOfInterestFactory

pytestmark = pytest.mark.browser


def test_check_on_create_then_merge_and_undo(browser: Browser) -> None:
    agency = AgencyFactory(area=AreaFactory(), name="Westbrook Children's Services")
    manager = UserFactory(agency=agency, roles=[Role.TEAM_MANAGER])
    existing = YoungPersonFactory(
        recording_agency=agency,
        given_names="Jordan",
        family_name="Mitchell",
        date_of_birth=dt.date(2010, 10, 2),
    )
    page = browser.page
    browser.sign_in(manager.email, PASSWORD)

    # Recording a likely duplicate shows the existing record first.
    browser.goto("/young-people/new/")
    page.get_by_label("Given names").fill("Jordon")
    page.get_by_label("Family name").fill("Michell")
    page.get_by_label("Date of birth").fill("10 2 2010")
    browser.click_button("Record young person", status=200)
    expect(browser.heading()).to_have_text("Is this young person already recorded?")
    card = page.locator(".govuk-summary-card")
    expect(card.get_by_role("link", name="Jordan Mitchell")).to_be_visible()
    expect(card).to_contain_text("Date of birth has day and month swapped: +")
    assert YoungPerson.objects.count() == 1

    # The user decides it is someone else (as happens, wrongly, in real life).
    browser.click_button("None of these — record a new young person", status=200)
    duplicate = YoungPerson.objects.get(family_name="Michell")
    expect(page).to_have_url(re.compile(rf"/young-people/{duplicate.pk}/$"))
    MissingEpisodeFactory(young_person=duplicate)

    # A manager merges the duplicate into the existing record.
    browser.goto(f"/young-people/{existing.pk}/")
    browser.click_link("Merge with another record of Jordan Mitchell")
    expect(browser.heading()).to_have_text("Merge with another record")
    page.get_by_label(re.compile(r"^Jordon Michell, born 10 February 2010")).check()
    browser.click_button("Continue", status=200)
    expect(browser.heading()).to_have_text("Are these the same young person?")
    page.get_by_label(re.compile(r"^Keep Jordan Mitchell")).check()
    page.get_by_label("Why are these the same young person?").fill(
        "Same school and birthday; day and month were swapped when recorded."
    )
    browser.click_button("Merge records", status=200)
    expect(browser.heading()).to_have_text(
        "The record of Jordon Michell was merged into Jordan Mitchell"
    )
    expect(page.locator(".govuk-summary-list")).to_contain_text("Missing episodes: 1")
    assert existing.missing_episodes.count() == 1
    assert YoungPerson.all_objects.get(pk=duplicate.pk).is_deleted

    # And undoes it.
    browser.click_button("Undo merge", status=200)
    expect(page).to_have_url(re.compile(rf"/young-people/{duplicate.pk}/$"))
    expect(page.get_by_role("alert")).to_contain_text("The merge has been undone")
    assert duplicate.missing_episodes.count() == 1
    assert MergeRecord.objects.get().is_undone


def test_the_duplicate_report_journey(browser: Browser) -> None:
    agency = AgencyFactory(area=AreaFactory(), name="Eastfield Children's Services")
    manager = UserFactory(agency=agency, roles=[Role.SERVICE_MANAGER], full_name="Sam Manager")
    for given, family, dob in (
        ("Jordan", "Mitchell", dt.date(2010, 10, 2)),
        ("Jordon", "Michell", dt.date(2010, 2, 10)),
        ("Amara", "Okafor", dt.date(2009, 5, 17)),
        ("Amarah", "Okafor", dt.date(2009, 5, 17)),
    ):
        YoungPersonFactory(
            recording_agency=agency, given_names=given, family_name=family, date_of_birth=dob
        )
    page = browser.page
    browser.sign_in(manager.email, PASSWORD)
    browser.goto("/young-people/")
    browser.click_link("Likely duplicate records")
    expect(browser.heading()).to_have_text("Likely duplicate records")
    expect(page.locator("main")).to_contain_text("2 likely pairs.")
    cards = page.locator(".govuk-summary-card")
    expect(cards).to_have_count(2)
    okafor = cards.filter(has_text="Okafor")
    expect(okafor).to_contain_text("Same date of birth: +")

    # The Okafors are sisters: not the same person, remembered.
    okafor.get_by_label("Why are they different people? (optional)").fill("Twin sisters")
    browser.follow(okafor.get_by_role("button", name=re.compile("^Not the same person")).click)
    expect(page.get_by_role("alert")).to_contain_text("Marked as different people")
    expect(page.locator(".govuk-summary-card")).to_have_count(1)

    # The other pair goes to the merge.
    browser.follow(page.get_by_role("link", name=re.compile("^Compare and merge")).click)
    expect(browser.heading()).to_have_text("Are these the same young person?")


def test_merge_two_records_of_a_person_of_interest_and_undo(browser: Browser) -> None:
    agency = AgencyFactory(area=AreaFactory(), name="Northgate Police")
    manager = UserFactory(agency=agency, roles=[Role.SERVICE_MANAGER])
    keep = PersonOfInterestFactory(
        recording_agency=agency,
        given_names="Marcus",
        family_name="Hollings",
        date_of_birth=dt.date(1999, 4, 3),
    )
    away = PersonOfInterestFactory(
        recording_agency=agency,
        given_names="Markus",
        family_name="Holings",
        aliases=["T-Money"],
        date_of_birth=dt.date(1999, 4, 3),
    )
    page = browser.page
    browser.sign_in(manager.email, PASSWORD)
    browser.goto(f"/young-people/persons-of-interest/{keep.pk}/")
    browser.click_link("Merge with another record of Marcus Hollings")
    expect(browser.heading()).to_have_text("Merge with another record")
    page.get_by_label(re.compile(r"^Markus Holings, born 3 April 1999")).check()
    browser.click_button("Continue", status=200)
    expect(browser.heading()).to_have_text("Are these the same person?")
    page.get_by_label(re.compile(r"^Keep Marcus Hollings")).check()
    page.get_by_label("Why are these the same person?").fill(
        "Same date of birth and street name; the surname was misspelt by one force."
    )
    browser.click_button("Merge records", status=200)
    expect(browser.heading()).to_have_text(
        "The record of Markus Holings was merged into Marcus Hollings"
    )
    keep.refresh_from_db()
    assert keep.aliases == ["Markus Holings", "T-Money"]
    assert PersonOfInterest.all_objects.get(pk=away.pk).is_deleted

    browser.click_button("Undo merge", status=200)
    expect(page).to_have_url(re.compile(rf"/persons-of-interest/{away.pk}/$"))
    expect(page.get_by_role("alert")).to_contain_text("The merge has been undone")
    assert PersonOfInterestMerge.objects.get().is_undone
    keep.refresh_from_db()
    assert keep.aliases == []
