"""The young-person picker in a real browser: a partner finds the children an item is about
by typing, from the keyboard, and sees only enough to pick those whose records they may not
open. Every state of the page is checked for accessibility and CSP."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from riskpath.accounts.enums import AgencyKind, Role
from riskpath.audit.models import AuditEvent
from riskpath.intelligence.models import IntelligenceItem
from tests.browser.conftest import Browser
from tests.factories import PASSWORD, AgencyFactory, AreaFactory, UserFactory, YoungPersonFactory

pytestmark = pytest.mark.browser


def test_a_partner_picks_two_young_people_by_typing(browser: Browser) -> None:
    area = AreaFactory()
    school = AgencyFactory(area=area, name="Northvale Academy", kind=AgencyKind.EDUCATION)
    care = AgencyFactory(area=area, name="Northvale Children's Services")
    teacher = UserFactory(agency=school, roles=[Role.PARTNER_REPRESENTATIVE])
    first = YoungPersonFactory(
        recording_agency=care,
        given_names="Rowan",
        family_name="Quillfeather",
        date_of_birth=dt.date(2011, 5, 17),
        locality="Kingswood",
    )
    second = YoungPersonFactory(
        recording_agency=school,  # the teacher's own agency recorded her: full details
        given_names="Ada",
        family_name="Quillfeather",
        date_of_birth=dt.date(2012, 8, 3),
        locality="Hanham",
    )
    for n in range(30):  # the rest of the area, never listed
        # A fixed given name: a random one may sound like the search ("Clive" and "quillf").
        YoungPersonFactory(recording_agency=care, given_names="Sam", family_name=f"Bystander{n}")
    page = browser.page

    browser.sign_in(teacher.email, PASSWORD)
    browser.goto("/intelligence/new/")
    picker = page.locator('[data-module="rp-picker"][data-name="young_people"]')
    # Nobody is listed before a search, and the no-script Search button is hidden.
    expect(picker.locator(".rp-picker__chosen input")).to_have_count(0)
    expect(picker.get_by_role("button", name="Search")).to_be_hidden()
    assert "Bystander" not in page.content()

    box = picker.get_by_label("Find a young person by name")
    box.fill("q")
    expect(picker.get_by_role("option")).to_have_count(0)  # one letter: no search
    box.fill("quillf")
    options = picker.get_by_role("option")
    expect(options).to_have_count(2)
    # Not involved with Rowan: name, year of birth and locality only.
    expect(options.filter(has_text="Rowan")).to_have_text(
        "Rowan QUILLFEATHER, born 2011, Kingswood"
    )
    expect(options.filter(has_text="Ada")).to_have_text(
        "Ada QUILLFEATHER, born 3 August 2012, Hanham"
    )
    browser.assert_accessible()
    box.press("Escape")

    browser.pick("quillfeather", "Rowan QUILLFEATHER")
    browser.pick("ada quill", "Ada QUILLFEATHER")
    chosen = picker.locator(".rp-picker__chosen")
    expect(chosen.get_by_role("checkbox")).to_have_count(2)
    expect(picker.locator("[data-rp-picker-status]")).to_have_text(
        re.compile("Ada QUILLFEATHER.* added")
    )
    # Changing one's mind: untick.
    chosen.get_by_label(re.compile("Rowan")).uncheck()

    page.get_by_label("What is the intelligence?").fill("Seen outside the station late at night")
    page.get_by_label("Child criminal exploitation").check()
    page.get_by_label("2: Untested").check()
    page.get_by_label("B: Known indirectly, corroborated").check()
    page.get_by_label("Second-hand").check()
    page.get_by_label("P: Lawful sharing permitted").check()
    browser.click_button("Submit intelligence", status=200)
    item = IntelligenceItem.objects.get()
    assert list(item.young_people.all()) == [second]
    assert first not in item.young_people.all()
    searches = AuditEvent.objects.filter(verb="PERSON_SEARCHED", actor=teacher)
    assert searches.exists()
    # What was typed is kept as a digest, never as the text.
    assert all(e.changes["query"]["length"] >= 2 for e in searches)
    assert "quill" not in str([e.changes for e in searches]).lower()
