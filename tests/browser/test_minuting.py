"""The meeting itself in a real browser: the strategic exploitation meeting refuses minutes
until everyone present has signed the confidentiality declaration; live minuting saves as the
minute-taker types, keeps text through a dropped connection, and tells of a second editor's
change instead of overwriting it."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from riskpath.meetings import conduct
from riskpath.meetings.models import Attendance, ItemMinutes, MeetingKind
from tests.browser.conftest import Browser
from tests.factories import PASSWORD, AreaFactory
from tests.meetings.scenario import add_item, build_scene, schedule

pytestmark = pytest.mark.browser


def switch_user(browser: Browser, email: str) -> None:
    browser.page.context.clear_cookies()
    browser.sign_in(email, PASSWORD)


def take_expected_problems(browser: Browser, pattern: str) -> list[str]:
    """Remove (and return) the recorded request problems the test itself provoked: a 409 it
    expects, or the requests it made fail by taking the browser offline."""
    taken = [p for p in browser.console_errors if re.search(pattern, p)]
    browser.console_errors[:] = [p for p in browser.console_errors if p not in taken]
    return taken


def test_minutes_are_refused_until_everyone_present_has_signed_the_declaration(
    browser: Browser,
) -> None:
    scene = build_scene(AreaFactory())
    kind = MeetingKind.STRATEGIC_EXPLOITATION
    meeting = schedule(scene, meeting_type=scene.type_of(kind), chair=scene.chair)
    Attendance.objects.create(meeting=meeting, user=scene.officer, status="invited")
    add_item(meeting, "County lines trends")
    page = browser.page

    # Business support records who is there, and a guest.
    browser.sign_in(scene.business_support.email, PASSWORD)
    browser.goto(f"/meetings/{meeting.pk}/")
    browser.click_link("Record attendance")
    for user in (scene.chair, scene.officer):
        page.get_by_role("group", name=user.full_name).get_by_label("Present").check()
    browser.click_button("Save attendance", status=200)
    expect(page.get_by_role("alert")).to_contain_text("Attendance has been recorded.")
    browser.click_link("Add a guest")
    page.get_by_label("Name").fill("Ali Reed")
    browser.click_button("Add to the attendance", status=200)

    browser.click_link("Write the minutes")
    refusal = page.locator("#minutes-refused")
    expect(refusal).to_contain_text(
        "Minutes cannot be written until everyone present has signed the confidentiality "
        "declaration:"
    )
    for name in (scene.chair.full_name, scene.officer.full_name, "Ali Reed"):
        expect(refusal).to_contain_text(name)
    expect(page.locator("textarea")).to_have_count(0)

    # The officer agrees on the meeting page.
    switch_user(browser, scene.officer.email)
    browser.goto(f"/meetings/{meeting.pk}/")
    expect(page.locator("#declaration ~ .govuk-inset-text").first).to_contain_text(
        "information shared in this meeting is confidential"
    )
    browser.click_button("I agree to the confidentiality declaration", status=200)
    expect(page.get_by_role("alert")).to_contain_text(
        "You have signed the confidentiality declaration."
    )

    # The chair agrees too, and records that it was read out.
    switch_user(browser, scene.chair.email)
    browser.goto(f"/meetings/{meeting.pk}/")
    browser.click_button("I agree to the confidentiality declaration", status=200)
    browser.click_link("Record declarations signed on paper or read out")
    browser.click_button("Record that the declaration was read out", status=200)
    expect(page.get_by_role("alert")).to_contain_text("read out")

    # Still refused: the guest has not signed.
    switch_user(browser, scene.business_support.email)
    browser.goto(f"/meetings/{meeting.pk}/minuting/")
    expect(page.locator("#minutes-refused")).to_have_text(
        re.compile(r"signed the confidentiality declaration: Ali Reed$")
    )
    browser.goto(f"/meetings/{meeting.pk}/declaration/")
    paper = page.get_by_role("button", name=re.compile(r"^Signed on paper\W+Ali Reed$"))
    browser.follow(paper.click, status=200)
    expect(page.get_by_role("alert")).to_contain_text("Ali Reed signed on paper")

    browser.click_link("Write the minutes")
    expect(page.locator("#minutes-refused")).to_have_count(0)
    box = page.get_by_label("1. County lines trends")
    box.fill("Three new lines reported by two agencies.")
    box.blur()
    expect(page.locator("[data-minutes-status]").first).to_contain_text("Saved")
    item_minutes = ItemMinutes.objects.get(item__meeting=meeting)
    assert item_minutes.discussion == "Three new lines reported by two agencies."


def test_live_minuting_saves_as_typed_survives_offline_and_tells_of_a_conflict(
    browser: Browser,
) -> None:
    scene = build_scene(AreaFactory())
    meeting = schedule(scene)
    first = add_item(meeting, "Cohort review")
    second = add_item(meeting, "Open actions")
    page = browser.page
    browser.sign_in(scene.business_support.email, PASSWORD)
    browser.goto(f"/meetings/{meeting.pk}/minuting/")
    one = page.get_by_label("1. Cohort review")
    two = page.get_by_label("2. Open actions")
    status_one = page.locator(f"#minutes-status-{first.pk}")
    status_two = page.locator(f"#minutes-status-{second.pk}")

    # Typing, then a pause: saved without leaving the box.
    one.click()
    one.press_sequentially("Reviewed all tier 1.", delay=20)
    expect(status_one).to_have_text(re.compile(r"^Saved \d\d:\d\d$"))
    expect(one).to_be_focused()
    assert ItemMinutes.objects.get(item=first).discussion == "Reviewed all tier 1."
    # Tab moves on to the next item's box.
    page.keyboard.press("Tab")
    expect(two).to_be_focused()

    # Offline: the text is kept on this computer and sent when the connection returns.
    page.context.set_offline(True)
    two.press_sequentially("Two actions closed.", delay=20)
    page.keyboard.press("Shift+Tab")  # leaving the box saves at once
    expect(status_two).to_have_text("Not saved: offline, will retry")
    stored = page.evaluate(
        "(key) => window.localStorage.getItem(key)", f"riskpath:minutes:{meeting.pk}:{second.pk}"
    )
    assert stored is not None and "Two actions closed." in stored
    assert not ItemMinutes.objects.filter(item=second).exists()
    page.context.set_offline(False)
    expect(status_two).to_have_text(re.compile(r"^Saved \d\d:\d\d$"), timeout=20_000)
    assert ItemMinutes.objects.get(item=second).discussion == "Two actions closed."
    assert take_expected_problems(browser, r"failed \(net::ERR_INTERNET_DISCONNECTED\)")

    # A reload shows what was saved.
    browser.goto(f"/meetings/{meeting.pk}/minuting/")
    expect(one).to_have_value("Reviewed all tier 1.")
    expect(two).to_have_value("Two actions closed.")
    assert page.evaluate("() => window.localStorage.length") == 0

    # A second editor (the chair, elsewhere) saves the first item.
    current = ItemMinutes.objects.get(item=first)
    conduct.minutes_save(
        actor=scene.chair,
        meeting=meeting,
        edits=[
            conduct.MinutesEdit(
                item=first,
                discussion="Chair: tier 1 reviewed; one moved to tier 2.",
                expected_version=current.version,
            )
        ],
    )
    one.click()
    one.press("End")
    one.press_sequentially(" Nobody new.", delay=20)
    conflict = page.locator(f"[data-minutes-conflict='{first.pk}']")
    expect(conflict).to_be_visible()
    expect(conflict).to_contain_text(f"{scene.chair.full_name} saved this item while you were")
    expect(conflict).to_contain_text("Chair: tier 1 reviewed; one moved to tier 2.")
    expect(status_one).to_have_text("Not saved: someone else changed this item")
    expect(one).to_have_value("Reviewed all tier 1. Nobody new.")  # theirs beside, not over
    assert ItemMinutes.objects.get(item=first).discussion.startswith("Chair:")
    assert take_expected_problems(browser, r"answered 409")
    browser.assert_accessible()

    # Having seen it, the minute-taker keeps their own text.
    page.get_by_role("button", name=re.compile("^Keep my text and save it")).click()
    expect(status_one).to_have_text(re.compile(r"^Saved \d\d:\d\d$"))
    expect(conflict).to_be_hidden()
    assert ItemMinutes.objects.get(item=first).discussion == "Reviewed all tier 1. Nobody new."


def test_a_decision_is_recorded_and_the_chair_approves_the_minutes(browser: Browser) -> None:
    scene = build_scene(AreaFactory())
    meeting = schedule(scene)
    item = add_item(meeting, "Cohort review", young_person=scene.person)
    Attendance.objects.filter(meeting=meeting, user__in=[scene.chair, scene.officer]).update(
        status="present"
    )
    page = browser.page
    browser.sign_in(scene.business_support.email, PASSWORD)
    browser.goto(f"/meetings/{meeting.pk}/minuting/")
    page.get_by_label("1. Cohort review").fill("Discussed at length.")
    browser.click_button("Save all minutes", status=200)
    expect(page.get_by_role("alert")).to_contain_text("The minutes have been saved.")
    browser.click_link("Record a decision on Cohort review")
    browser.click_button("Record the decision", status=400)
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select decision")
    page.get_by_label("Escalate").check()
    page.get_by_label("What did the meeting decide?").fill("Escalate to the strategic panel")
    browser.click_button("Record the decision", status=200)
    expect(page.get_by_role("alert")).to_contain_text("The decision has been recorded.")
    browser.follow(
        page.get_by_role("button", name=re.compile("^Make this a confidential slot")).click,
        status=200,
    )
    expect(page.locator(f"#item-{item.pk}")).to_contain_text("Confidential slot")

    browser.goto(f"/meetings/{meeting.pk}/")
    browser.click_button("Mark the meeting as held", status=200)
    expect(page.get_by_role("alert")).to_contain_text("The meeting has been marked as held.")
    switch_user(browser, scene.chair.email)
    browser.goto(f"/meetings/{meeting.pk}/")
    minutes = page.locator("#minutes ~ .govuk-summary-list").first
    expect(minutes).to_contain_text("Discussed at length.")
    expect(minutes).to_contain_text("Escalate to the strategic panel")
    browser.click_button("Approve the minutes", status=200)
    expect(page.get_by_role("alert")).to_contain_text("The minutes have been approved.")
    expect(page.locator("#minutes ~ p").first).to_contain_text("Approved by")
