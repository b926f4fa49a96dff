"""A whole PIMM in a real browser, as the partnership runs it: business support schedules it;
the agenda is built from the intelligence and the cohort; attendance is taken; the minutes have
a confidential slot; an action is agreed; the chair approves; the version for the young person
and family leaves the confidential slot out; and the next meeting's agenda carries the action
that is still open. axe-core checks every page on the way."""

from __future__ import annotations

import datetime as dt
import io
import re

import docx
import pytest
from playwright.sync_api import expect

from riskpath.core import clock
from riskpath.meetings.models import Action, AgendaItem, Meeting, MeetingStatus
from tests.browser.conftest import Browser
from tests.cohort.factories import intelligence, on_cohort
from tests.factories import PASSWORD, AreaFactory, YoungPersonFactory
from tests.meetings.scenario import build_scene, next_weekday

pytestmark = pytest.mark.browser

CONFIDENTIAL = "Police disclosed an operation planned at the flat next week."


def switch_user(browser: Browser, email: str) -> None:
    browser.page.context.clear_cookies()
    browser.sign_in(email, PASSWORD)


def test_a_whole_pimm_from_schedule_to_the_next_agenda(browser: Browser) -> None:
    scene = build_scene(AreaFactory())
    red = YoungPersonFactory(
        recording_agency=scene.social_care, given_names="Rowan", family_name="Redfern"
    )
    on_cohort(red, tier=1, by=scene.chair)
    reported = YoungPersonFactory(
        recording_agency=scene.police, given_names="Tay", family_name="Newlands"
    )
    intelligence(reported, scene.police, days_ago=3)
    intelligence(reported, scene.school, days_ago=2)
    page = browser.page
    day = next_weekday(2)

    # Business support schedules the PIMM.
    browser.sign_in(scene.business_support.email, PASSWORD)
    browser.click_link("Meetings", within=page.get_by_role("navigation", name="Menu"))
    browser.click_link("Schedule a meeting")
    page.get_by_label("Meeting type").select_option(label="PIMM")
    page.get_by_label("Date of the first meeting").fill(day.strftime("%d %m %Y"))
    page.get_by_label("How many meetings").fill("1")
    browser.click_button("Schedule", status=200)
    title = f"PIMM {day:%-d %B %Y}"
    expect(browser.heading()).to_have_text(title)
    expect(page.get_by_role("alert").first).to_contain_text(f"{title} has been scheduled.")
    meeting = Meeting.objects.get(title=title)

    # The agenda, built from the record: the tier-1 young person first, then the newly
    # reported one.
    browser.click_button("Build the agenda from the record", status=200)
    expect(page.get_by_role("alert")).to_contain_text("2 items added from the record.")
    agenda = page.locator("#agenda-sections")
    expect(agenda.locator("h3").nth(0)).to_have_text("Tier 1 young people")
    expect(agenda.locator("h4").nth(0)).to_contain_text("1. Rowan Redfern")
    expect(agenda.locator("h3").nth(1)).to_have_text("Newly reported by two or more agencies")
    expect(agenda.locator("h4").nth(1)).to_contain_text("2. Tay Newlands")
    expect(agenda).to_contain_text("Newly reported by 2 agencies")

    # Attendance.
    browser.click_link("Record attendance")
    for user in (scene.chair, scene.officer):
        page.get_by_role("group", name=user.full_name).get_by_label("Present").check()
    page.get_by_role("group", name=scene.social_worker.full_name).get_by_label("Apologies").check()
    browser.click_button("Save attendance", status=200)
    expect(page.get_by_role("alert")).to_contain_text("Attendance has been recorded.")

    # Minutes, with the second item made a confidential slot.
    browser.click_link("Write the minutes")
    slot = page.get_by_role("button", name=re.compile(r"^Make this a confidential slot\W+Tay"))
    browser.follow(slot.click, status=200)
    page.get_by_label("1. Rowan Redfern").fill("Reviewed at tier 1; school attendance improving.")
    page.get_by_label("2. Tay Newlands").fill(CONFIDENTIAL)
    browser.click_button("Save all minutes", status=200)
    assert AgendaItem.objects.get(meeting=meeting, young_person=reported).confidential

    # An action about the tier-1 young person.
    browser.goto(f"/meetings/{meeting.pk}/")
    browser.click_link("Record an action")
    page.get_by_label("Action", exact=True).fill("Share the attendance record with the lead")
    page.get_by_label("Owning agency").select_option(label=str(scene.school))
    due = day + dt.timedelta(days=21)
    page.get_by_label("Due date").fill(due.strftime("%d/%m/%Y"))
    page.get_by_label("About a young person").select_option(str(red.pk))
    browser.click_button("Record the action", status=200)
    action = Action.objects.get(meeting=meeting)

    # Held, then approved by the chair.
    browser.goto(f"/meetings/{meeting.pk}/")
    browser.click_button("Mark the meeting as held", status=200)
    switch_user(browser, scene.chair.email)
    browser.goto(f"/meetings/{meeting.pk}/")
    browser.click_button("Approve the minutes", status=200)
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.APPROVED

    # The family's version for the young person in the confidential slot leaves it out;
    # the full minutes keep it.
    def words(link_name: str) -> str:
        with page.expect_download() as info:
            page.get_by_role("link", name=link_name).click()
        document = docx.Document(io.BytesIO(open(info.value.path(), "rb").read()))
        return "\n".join(p.text for p in document.paragraphs)

    browser.goto(f"/meetings/{meeting.pk}/")
    assert CONFIDENTIAL in words("Word document of the full minutes")
    family = words("Word document of the version for Tay Newlands and family")
    assert CONFIDENTIAL not in family
    assert "Rowan Redfern" not in family

    # The next PIMM: the open action is carried into its agenda.
    switch_user(browser, scene.business_support.email)
    browser.click_link("Meetings", within=page.get_by_role("navigation", name="Menu"))
    browser.click_link("Schedule a meeting")
    page.get_by_label("Meeting type").select_option(label="PIMM")
    later = next_weekday(2, after=day + dt.timedelta(days=13))
    page.get_by_label("Date of the first meeting").fill(later.strftime("%d %m %Y"))
    page.get_by_label("How many meetings").fill("1")
    browser.click_button("Schedule", status=200)
    expect(browser.heading()).to_have_text(f"PIMM {later:%-d %B %Y}")
    browser.click_button("Build the agenda from the record", status=200)
    carried = page.locator("#section-open_actions")
    expect(carried).to_contain_text("Open action: Share the attendance record with the lead")
    assert AgendaItem.objects.filter(meeting__starts_at__date=later, action=action).exists()
    assert clock.today() < later
