"""Actions and panel slots in a real browser: an HSB/AIM slot refuses a double booking; an
action recorded at a meeting reaches its owner's "My actions", who updates and closes it."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from riskpath.meetings.models import Action, AgendaItem
from tests.browser.conftest import Browser, title
from tests.factories import PASSWORD, AreaFactory, YoungPersonFactory
from tests.meetings.scenario import aim_panel, build_scene, decision_at, schedule

pytestmark = pytest.mark.browser


def test_an_aim_slot_refuses_a_double_booking(browser: Browser) -> None:
    scene = build_scene(AreaFactory())
    panel = aim_panel(scene)
    first = YoungPersonFactory(
        recording_agency=scene.social_care, given_names="Ellis", family_name="Marsh"
    )
    second = YoungPersonFactory(
        recording_agency=scene.social_care, given_names="Jordan", family_name="Pike"
    )
    page = browser.page

    browser.sign_in(scene.business_support.email, PASSWORD)
    browser.goto(f"/meetings/{panel.pk}/")
    slots = page.get_by_role("table", name="Referral slots")
    expect(slots.locator("[data-slot]")).to_have_count(8)
    browser.click_link("Book a referral into a slot")
    expect(browser.heading()).to_have_text("Panel slots")

    page.get_by_label("Slot").select_option("13:30")
    page.get_by_label("Young person referred").select_option(str(first.pk))
    page.get_by_label("Short title").fill("AIM assessment: Ellis")
    browser.click_button("Book the slot", status=200)
    expect(page.get_by_role("alert")).to_contain_text("booked into the 13:30 slot")
    expect(page.locator('[data-slot="13:30"]')).to_contain_text("AIM assessment: Ellis")

    page.get_by_label("Slot").select_option("13:30")
    page.get_by_label("Young person referred").select_option(str(second.pk))
    page.get_by_label("Short title").fill("AIM assessment: Jordan")
    browser.click_button("Book the slot", status=400)
    expect(page).to_have_title(title("Error: Panel slots"))
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("There is a problem")
    expect(summary.get_by_role("link")).to_have_text(["The 13:30 slot is already booked"])
    expect(page.locator('[data-slot="13:30"]')).to_contain_text("AIM assessment: Ellis")
    assert list(
        AgendaItem.objects.filter(meeting=panel).values_list("young_person", flat=True)
    ) == [first.pk]


def test_an_action_reaches_its_owner_who_updates_and_closes_it(browser: Browser) -> None:
    scene = build_scene(AreaFactory())
    meeting = schedule(scene)
    page = browser.page

    browser.sign_in(scene.business_support.email, PASSWORD)
    browser.goto(f"/meetings/{meeting.pk}/")
    browser.click_link("Record an action")
    expect(browser.heading()).to_have_text("Record an action")
    page.get_by_label("Action", exact=True).fill("Arrange a return-home interview")
    page.get_by_label("Owner (a person)").select_option(str(scene.officer.pk))
    due = meeting.starts_at.date() + dt.timedelta(days=14)
    page.get_by_label("Due date").fill(due.strftime("%d/%m/%Y"))
    browser.click_button("Record the action", status=200)
    expect(page.get_by_role("alert")).to_contain_text("The action has been recorded.")
    action = Action.objects.get()

    page.context.clear_cookies()
    browser.sign_in(scene.officer.email, PASSWORD)
    browser.click_link("Actions", within=page.get_by_role("navigation", name="Menu"))
    expect(browser.heading()).to_have_text("Action register")
    browser.click_link("My actions")
    expect(browser.heading()).to_have_text("My actions")
    browser.click_link("Arrange a return-home interview")
    expect(page).to_have_url(re.compile(rf"/meetings/actions/{action.pk}/$"))

    browser.click_button("Add update", status=400)
    expect(page.locator(".govuk-error-summary").get_by_role("link")).to_have_text(
        ["Enter the update"]
    )
    page.get_by_label("Update", exact=True).fill("Interview booked for Thursday")
    browser.click_button("Add update", status=200)
    expect(page.get_by_role("alert")).to_contain_text("Your update has been added.")
    expect(page.locator("[data-updates]")).to_contain_text("Interview booked for Thursday")

    browser.click_button("Close action", status=400)
    expect(page.locator(".govuk-error-summary").get_by_role("link")).to_have_text(
        ["Enter the outcome of the action"]
    )
    page.get_by_label("Outcome").fill("Interview held; no further concerns")
    browser.click_button("Close action", status=200)
    expect(page.get_by_role("alert")).to_contain_text("The action has been closed.")
    expect(page.locator("[data-outcome]")).to_have_text("Interview held; no further concerns")
    expect(page.get_by_role("button", name="Close action")).to_have_count(0)
    action.refresh_from_db()
    assert not action.is_open and action.closed_by == scene.officer


def test_a_decision_is_carried_into_a_partner_system_by_the_lead(browser: Browser) -> None:
    scene = build_scene(AreaFactory())
    panel = aim_panel(scene)
    decision = decision_at(
        panel, by=scene.business_support, young_person=scene.person, text="Complete AIM3"
    )
    page = browser.page

    browser.sign_in(scene.business_support.email, PASSWORD)
    browser.goto(f"/meetings/{panel.pk}/")
    browser.click_link("Carry into a partner system (Make a referral)")
    expect(browser.heading()).to_have_text("Carry a decision into a partner system")
    page.get_by_label("Mosaic").check()
    browser.click_button("Create the task", status=200)
    expect(page.get_by_role("alert")).to_contain_text("The partner-system task has been created.")

    page.context.clear_cookies()
    browser.sign_in(scene.lead.email, PASSWORD)
    browser.goto("/meetings/partner-tasks/")
    expect(browser.heading()).to_have_text("My partner-system tasks")
    browser.click_link("Carry into Mosaic: Make a referral")
    extract = page.get_by_label("Text to copy into Mosaic")
    expect(extract).to_have_attribute("readonly", "")
    expect(extract).to_have_value(re.compile(r"^HSB AIM\n"))
    expect(extract).to_have_value(re.compile("Complete AIM3"))
    browser.click_button("Mark as done", status=200)
    expect(page.get_by_role("alert")).to_contain_text("The task is marked done.")
    expect(page.get_by_role("table")).to_contain_text("Done")
    assert decision.tasks.get().done_by == scene.lead
