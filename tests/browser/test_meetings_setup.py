"""A meeting administrator sets up the PIMM and schedules a series of six from its preset
fortnightly recurrence, in a real browser; one falls on a bank holiday, is flagged, and is
moved to the next working day. axe-core checks every page on the way."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from riskpath.accounts.enums import AgencyKind, Role
from riskpath.core import clock
from riskpath.core.workdays import holiday_name, is_working_day
from riskpath.meetings.models import Meeting, MeetingType
from tests.browser.conftest import Browser, title
from tests.factories import PASSWORD, AgencyFactory, AreaFactory, UserFactory

pytestmark = pytest.mark.browser

CALENDAR = "england-and-wales"


def next_monday_bank_holiday(after: dt.date) -> dt.date:
    """The first bank holiday on a Monday (Easter, May, August) after ``after``."""
    day = after + dt.timedelta(days=1)
    while day.weekday() != 0 or holiday_name(day, CALENDAR) is None:
        day += dt.timedelta(days=1)
    return day


def test_administrator_schedules_a_pimm_series_and_moves_the_bank_holiday(
    browser: Browser,
) -> None:
    area = AreaFactory()
    police = AgencyFactory(area=area, name="Northvale Police", kind=AgencyKind.POLICE)
    care = AgencyFactory(area=area, name="Northvale Children's Services")
    admin = UserFactory(agency=care, roles=[Role.ADMINISTRATOR], full_name="Bea Support")
    UserFactory(agency=police, roles=[Role.CHAIR], full_name="Corin Hale")
    page = browser.page

    # The first meeting four weeks before a Monday bank holiday: the third falls on it.
    holiday = next_monday_bank_holiday(clock.today() + dt.timedelta(days=35))
    first = holiday - dt.timedelta(days=28)
    working_after = holiday + dt.timedelta(days=1)
    while not is_working_day(working_after, CALENDAR):
        working_after += dt.timedelta(days=1)

    browser.sign_in(admin.email, PASSWORD)
    browser.click_link("Meetings", within=page.get_by_role("navigation", name="Menu"))
    expect(browser.heading()).to_have_text("Meetings")

    # The area has no meeting types yet: install the presets.
    browser.click_link("Meeting types", within=page.locator("#main-content"))
    expect(browser.heading()).to_have_text("Meeting types")
    browser.click_link("Add the preset meeting types")
    expect(page.get_by_role("listitem").filter(has_text="HSB/AIM panel")).to_be_visible()
    browser.click_button("Add the preset meeting types", status=200)
    expect(page.get_by_role("alert")).to_contain_text("9 meeting types added")

    # The PIMM: its chair as a core member, and a terms-of-reference review date that is due.
    browser.click_link("PIMM")
    expect(browser.heading()).to_have_text("PIMM")
    expect(page.get_by_text("FREQ=WEEKLY;INTERVAL=2").first).to_be_visible()
    browser.click_link("Core members")
    browser.click_button("Add the member", status=400)
    expect(page).to_have_title(title("Error: Core members of PIMM"))
    page.locator("#id_user").select_option(label="Corin Hale (Northvale Police)")
    page.get_by_label("Chair", exact=True).check()
    browser.click_button("Add the member", status=200)
    expect(page.get_by_role("alert")).to_contain_text("Corin Hale is now a core member of PIMM.")
    browser.click_link("Back to PIMM")
    browser.click_link("Change the configuration")
    review = clock.today() + dt.timedelta(days=14)
    page.get_by_label("Terms of reference review date").fill(review.strftime("%d %m %Y"))
    page.get_by_label("Recurrence (optional)").fill("every other week")
    browser.click_button("Save the meeting type", status=400)
    expect(page.locator("#id_recurrence-error")).to_contain_text("not a valid iCalendar RRULE")
    page.get_by_label("Recurrence (optional)").fill("FREQ=WEEKLY;INTERVAL=2")
    browser.click_button("Save the meeting type", status=200)
    expect(page.get_by_role("alert")).to_contain_text("PIMM has been saved.")
    pimm = MeetingType.objects.get(area=area, name="PIMM")
    assert pimm.terms_review_on == review

    # Schedule six from the preset fortnightly recurrence.
    browser.click_link("Schedule a meeting")
    expect(browser.heading()).to_have_text("Schedule a meeting")
    expect(page.get_by_label("Meeting type")).to_have_value(str(pimm.pk))
    page.get_by_label("Date of the first meeting").fill(first.strftime("%d %m %Y"))
    page.get_by_label("How many meetings").fill("6")
    page.get_by_label("Where (optional)").fill("Northvale Civic Centre")
    browser.click_button("Schedule", status=200)

    expect(browser.heading()).to_have_text("Meetings")
    expect(page.get_by_role("alert")).to_contain_text("6 meetings of PIMM have been scheduled.")
    flagged_title = f"PIMM {holiday:%-d %B %Y}"
    expect(page.get_by_text(f"{flagged_title} falls on a bank holiday")).to_be_visible()
    expect(page.get_by_text("Invitations sent to 1 person.")).to_be_visible()
    expect(page.get_by_text("Terms of reference due for review")).to_be_visible()
    row = page.get_by_role("row").filter(has_text=flagged_title)
    expect(row).to_contain_text("Bank holiday")
    assert Meeting.objects.filter(meeting_type=pimm).count() == 6
    assert len(mail.outbox) == 1 and len(mail.outbox[0].attachments) == 6

    # The flagged meeting: moved to the next working day.
    browser.click_link(flagged_title, within=row)
    expect(browser.heading()).to_have_text(flagged_title)
    expect(page.get_by_text("falls on a bank holiday")).to_be_visible()
    browser.click_link("Move this meeting off the bank holiday")
    expect(browser.heading()).to_have_text(f"Move {flagged_title}")
    page.get_by_label("New date").fill(working_after.strftime("%d %m %Y"))
    browser.click_button("Move the meeting", status=200)
    moved_title = f"PIMM {working_after:%-d %B %Y}"
    expect(browser.heading()).to_have_text(moved_title)
    expect(page.get_by_role("alert")).to_contain_text(
        f"The meeting has been moved to {working_after:%A %-d %B %Y}, 10:00."
    )
    expect(page.get_by_text("falls on a bank holiday")).to_have_count(0)
    meeting = Meeting.objects.get(meeting_type=pimm, title=moved_title)
    assert meeting.holiday == "" and timezone.localtime(meeting.starts_at).hour == 10
    assert len(mail.outbox) == 2  # the updated invitation
    assert re.search(r"SEQUENCE:1\r?\n", mail.outbox[1].attachments[0][1])

    # Invitations again on request, then the meeting is cancelled with a reason.
    browser.click_link("Send invitations")
    expect(browser.heading()).to_have_text(f"Send invitations to {moved_title}")
    expect(page.get_by_role("listitem").filter(has_text="Corin Hale")).to_be_visible()
    browser.click_button("Send invitations", status=200)
    expect(page.get_by_text("Invitations sent to 1 person.")).to_be_visible()
    assert len(mail.outbox) == 3
    browser.click_link("Cancel the meeting")
    browser.click_button("Cancel the meeting", status=400)
    expect(page.locator("#id_reason-error")).to_contain_text("Enter why the meeting is cancelled")
    page.get_by_label("Why is the meeting cancelled?").fill("Moved into the next PIMM")
    browser.click_button("Cancel the meeting", status=200)
    expect(page.get_by_role("alert")).to_contain_text(f"{moved_title} has been cancelled.")
    expect(page.locator("#cancelled")).to_contain_text("Moved into the next PIMM")
    expect(page.get_by_role("link", name="Move the meeting")).to_have_count(0)
    assert "METHOD:CANCEL" in mail.outbox[3].attachments[0][1]

    # A core member leaves the PIMM.
    browser.goto(f"/meetings/types/{pimm.pk}/members/")
    browser.click_link("Remove Corin Hale")
    browser.click_button("Remove the member", status=200)
    expect(page.get_by_role("alert")).to_contain_text("Corin Hale is no longer a core member")
    expect(page.get_by_text("PIMM has no core members yet.")).to_be_visible()
