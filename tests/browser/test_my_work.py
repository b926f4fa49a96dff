"""My work in a real browser, for three roles: the service manager finds "agree the route" on
their home page, follows it to the episode and agrees it, and it leaves their list; the police
partner finds the police flag and confirms it; the police partner reads a notification, marks it
read and chooses a daily digest. axe-core checks every page on the way."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from riskpath.accounts.models import User
from riskpath.notifications.models import Delivery, Preference
from tests.browser.conftest import Browser
from tests.factories import PASSWORD, AreaFactory, YoungPersonFactory
from tests.pathway.scenario import act, build_pathway, to_plan

pytestmark = pytest.mark.browser


def typed(day: dt.date) -> str:
    return f"{day.day} {day.month} {day.year}"


def switch_user(browser: Browser, user: User) -> None:
    browser.page.context.clear_cookies()
    browser.sign_in(user.email, PASSWORD)


def test_home_to_the_item_to_done_for_three_roles(browser: Browser) -> None:
    p = build_pathway(AreaFactory())
    page = browser.page
    episode = p.open_under_18()
    started = episode.strategy_discussion_date
    act(p.social_worker, episode, "record_s47_outcome", threshold_met=True, recorded_on=started)
    act(p.team_manager, episode, "record_route", route="rmp", recorded_on=started)

    # The service manager: the route to agree is on the home page; followed, agreed, gone.
    browser.sign_in(p.service_manager.email, PASSWORD)
    work = page.locator("table.riskpath-work")
    expect(work.first).to_contain_text("Service manager to agree the route")
    browser.click_link("Service manager to agree the route")
    region = page.get_by_role("region", name="Agree the route", exact=True)
    region.get_by_label("Date of the service manager's agreement").fill(typed(started))
    browser.click_button("Agree the route", status=200)
    expect(page.locator("[data-status]")).to_have_text("Initial MARMM to hold")
    browser.click_link("Home", within=page.get_by_role("navigation", name="Menu"))
    expect(page.get_by_text("Service manager to agree the route")).to_have_count(0)

    # The police partner: once a plan is agreed (another young person's), the police flag is
    # theirs.
    other = YoungPersonFactory(recording_agency=p.social_care, date_of_birth=p.child.date_of_birth)
    to_plan(dataclasses.replace(p, child=other))
    switch_user(browser, p.officer)
    expect(page.locator("table.riskpath-work").first).to_contain_text(
        "Add the flag in the police system"
    )
    browser.click_link("Partner-system tasks (1)")
    browser.click_link("Add the flag in the police system")
    page.get_by_label("Date the flag was added").fill(typed(dt.date.today()))
    browser.click_button("Confirm the police flag", status=200)
    expect(page.get_by_role("alert")).to_contain_text("The police flag is confirmed added.")
    browser.click_link("Home", within=page.get_by_role("navigation", name="Menu"))
    expect(page.get_by_text("Add the flag in the police system")).to_have_count(0)

    # Their notification: read, marked read, and a daily digest chosen instead of e-mails.
    menu = page.get_by_role("navigation", name="Menu")
    expect(menu).to_contain_text("Notifications 1 due or new")  # the count, read aloud too
    browser.follow(menu.get_by_role("link", name=re.compile(r"^Notifications")).click)
    expect(page.locator("table")).to_contain_text("Your turn: Add the flag in the police system")
    browser.click_button("Mark all as read")
    expect(page.get_by_role("alert")).to_contain_text("marked read")
    browser.click_link("Choose how you are e-mailed of them")
    browser.click_button("Save", status=200)  # nothing changed: still valid
    page.get_by_label("Once a day: one e-mail listing them all").check()
    browser.click_button("Save")
    expect(page.get_by_role("alert")).to_contain_text("Your choice is saved")
    assert Preference.objects.get(user=p.officer).delivery == Delivery.DIGEST
