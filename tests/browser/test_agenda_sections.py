"""A fortnight's PIMM agenda in a real browser: sections in the order of business, folded when
the agenda is long, a section read a page at a time, and the chair taking several items off at
once with one reason. axe-core checks every page on the way."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from riskpath.meetings.models import AgendaItem, AgendaSection, ItemKind
from tests.browser.conftest import Browser
from tests.factories import PASSWORD, AreaFactory
from tests.meetings.scenario import add_item, build_scene, schedule

pytestmark = pytest.mark.browser


def test_a_long_agenda_by_section(browser: Browser) -> None:
    scene = build_scene(AreaFactory())
    meeting = schedule(scene)
    add_item(meeting, "Safety plan for the estate", section=AgendaSection.TIER_ONE)
    for n in range(1, 41):
        add_item(meeting, f"Review {n:03d}", kind=ItemKind.COHORT_REVIEW, section="reviews")
    add_item(meeting, "Holiday cover for the panel", minutes_allowed=5)
    page = browser.page
    browser.sign_in(scene.chair.email, PASSWORD)
    browser.goto(f"/meetings/{meeting.pk}/")

    # 42 items: the sections are folded, each saying how many items it holds.
    sections = page.locator("#agenda-sections")
    expect(sections).to_contain_text("Reviews due")
    expect(sections).to_contain_text("40 items")
    first = page.get_by_role("heading", name="2. Review 001")
    expect(first).to_be_hidden()
    page.locator("#section-reviews summary").click()
    expect(first).to_be_visible()
    expect(page.get_by_role("heading", name="26. Review 025")).to_be_visible()
    expect(page.get_by_role("heading", name="27. Review 026")).to_have_count(0)  # first 25

    browser.follow(page.get_by_role("link", name=re.compile("^See all 40 items")).click)
    expect(browser.heading()).to_have_text("Reviews due")
    expect(page.locator("main")).to_contain_text("Page 1 of 2")

    # Two items off at once, with one reason; a missing reason is named first.
    page.get_by_label("2. Review 001").check()
    page.get_by_label("3. Review 002").check()
    browser.click_button("Take the selected items off the agenda", status=400)
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Enter why these items are coming off the agenda"
    )
    page.get_by_label("Why are these items coming off the agenda?").fill(
        "Both discussed at this week's MARMM"
    )
    browser.click_button("Take the selected items off the agenda", status=200)
    expect(page.get_by_role("alert").first).to_contain_text("2 items came off the agenda.")
    removed = AgendaItem.objects.filter(meeting=meeting, removed_at__isnull=False)
    assert sorted(i.title for i in removed) == ["Review 001", "Review 002"]
