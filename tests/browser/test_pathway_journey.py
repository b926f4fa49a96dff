"""A whole under-18 Risk Management Pathway episode in a real browser, each step taken by
the person whose step it is: the social worker starts it from the strategy discussion and
records the section 47 outcome; the team manager records the route; the service manager
agrees it; the independent chair records the initial MARMM, the plan and its questions and
agrees the plan; business support records the minutes circulated; the police confirm their
flag; a review MARMM proposes the ending, which the service manager agrees. axe-core checks
every page on the way."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import Locator, expect

from riskpath.accounts.models import User
from riskpath.pathway.models import Episode, EpisodeStatus, Flag, FlagPurpose
from tests.browser.conftest import Browser, title
from tests.factories import PASSWORD, AreaFactory
from tests.pathway.scenario import build_pathway, working_days_ago

pytestmark = pytest.mark.browser


def typed(day: dt.date) -> str:
    return f"{day.day} {day.month} {day.year}"


def switch_user(browser: Browser, user: User) -> None:
    browser.page.context.clear_cookies()
    browser.sign_in(user.email, PASSWORD)


def step(browser: Browser, heading: str) -> Locator:
    """The section of the episode page for one step, by its heading. Only the step the
    pathway expects next is open; another is opened from its folded summary, by keyboard."""
    page = browser.page
    region = page.get_by_role("region", name=heading, exact=True)
    if not region.is_visible():
        summary = page.locator("summary", has_text=heading)
        summary.focus()
        page.keyboard.press("Enter")
        expect(region).to_be_visible()
    return region


def answer(section: Locator, question: str, option: str) -> None:
    section.get_by_role("group", name=question).get_by_label(option, exact=True).check()


def test_an_under_18_episode_from_strategy_discussion_to_ending(browser: Browser) -> None:
    p = build_pathway(AreaFactory())
    page = browser.page
    started = working_days_ago(p.area, 20)
    initial = working_days_ago(p.area, 10)
    review = working_days_ago(p.area, 2)
    assert started < initial < review <= dt.date.today()

    # The social worker starts the pathway from the strategy discussion.
    browser.sign_in(p.social_worker.email, PASSWORD)
    browser.click_link("Pathway", within=page.get_by_role("navigation", name="Menu"))
    expect(browser.heading()).to_have_text("Risk Management Pathway")
    expect(page.get_by_text("There are no open pathway episodes for you to see.")).to_be_visible()
    browser.click_link("Start the pathway for a young person")
    expect(browser.heading()).to_have_text("Start the pathway for a young person")

    # Forgetting the date: the error summary names it.
    browser.pick(p.child.family_name, f"{p.child.given_names} {p.child.family_name.upper()}")
    page.get_by_role("group", name="Which pathway?").get_by_label("Under 18").check()
    browser.click_button("Start the pathway", status=400)
    expect(page).to_have_title(title("Error: Start the pathway for a young person"))
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Enter the date of the strategy discussion"
    )
    assert not Episode.objects.exists()

    page.get_by_label("Date of the strategy discussion").fill(typed(started))
    page.get_by_label("Team manager").select_option(str(p.team_manager.pk))
    page.get_by_label("Team", exact=True).fill("Locality North")
    page.get_by_label("Who took part in the strategy discussion").fill(
        "Social worker, police, school"
    )
    page.get_by_label("Constabulary").check()
    browser.click_button("Start the pathway", status=200)
    expect(browser.heading()).to_have_text(str(p.child))
    expect(page.get_by_role("alert")).to_contain_text("The pathway has been started for")
    episode = Episode.objects.get(young_person=p.child)
    url = f"/pathway/{episode.pk}/"

    s47 = step(browser, "Record the section 47 outcome")
    answer(s47, "Is the threshold assessed as met?", "Yes")
    s47.get_by_label("Date of the section 47 outcome").fill(typed(started))
    browser.click_button("Record the section 47 outcome", status=200)
    expect(page.locator("[data-status]")).to_have_text("Route to record")

    # The team manager records the route: the Risk Management Pathway.
    switch_user(browser, p.team_manager)
    browser.goto(url)
    route = step(browser, "Record the route")
    answer(route, "How will the case be managed?", "Risk Management Pathway")
    route.get_by_label("Date of the route decision").fill(typed(started))
    browser.click_button("Record the route", status=200)
    expect(page.locator("[data-status]")).to_have_text("Service manager's agreement to the route")

    # The service manager agrees it, from the dashboard.
    switch_user(browser, p.service_manager)
    browser.click_link("Pathway", within=page.get_by_role("navigation", name="Menu"))
    browser.click_link(str(p.child))
    step(browser, "Agree the route").get_by_label("Date of the service manager's agreement").fill(
        typed(started)
    )
    browser.click_button("Agree the route", status=200)
    expect(page.locator("[data-status]")).to_have_text("Initial MARMM to hold")
    expect(page.locator("[data-next-steps]")).to_contain_text("Hold the initial MARMM")

    # The independent chair records the initial MARMM and the plan.
    switch_user(browser, p.chair)
    browser.goto(url)
    marmm = step(browser, "Record a MARMM held")
    marmm.get_by_label("Date the MARMM was held").fill(typed(initial))
    marmm.get_by_label("Independent chair").select_option(str(p.chair.pk))
    marmm.get_by_label("The young person or family attended").check()
    browser.click_button("Record the MARMM", status=200)
    expect(page.locator("[data-status]")).to_have_text("Risk management plan to agree")

    plan = step(browser, "Add a plan action")
    answer(plan, "Which part of the plan?", "Support for the young person and family")
    plan.get_by_label("Action", exact=True).fill("Weekly mentoring sessions")
    plan.get_by_label("Owning agency").select_option(label="Childrens services")
    browser.click_button("Add the plan action", status=200)
    expect(page.locator('[data-plan-section="support"]')).to_contain_text(
        "Weekly mentoring sessions"
    )

    # Agreeing the plan before its questions are answered is refused, saying why.
    step(browser, "Agree the plan").get_by_label("Date the plan was agreed").fill(typed(initial))
    browser.click_button("Agree the plan", status=400)
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "The plan cannot be agreed until the MARMM has answered"
    )

    questions = step(browser, "Answer the trigger-plan and NRM questions")
    answer(questions, "Is a missing-person trigger plan needed?", "Yes")
    questions.get_by_label("Trigger plan locating details").fill(
        "Likely to go to the retail park; phone and social media known"
    )
    answer(questions, "Is a National Referral Mechanism (NRM) referral needed?", "No")
    questions.get_by_label("Why no NRM referral is needed").fill("No indicators of trafficking")
    browser.click_button("Save the answers", status=200)

    step(browser, "Agree the plan").get_by_label("Date the plan was agreed").fill(typed(initial))
    browser.click_button("Agree the plan", status=200)
    expect(page.locator("[data-status]")).to_have_text("Risk management plan in place")
    expect(page.locator("[data-flags] tbody tr")).to_have_count(3)

    # Business support records the minutes and plan circulated and filed.
    switch_user(browser, p.business_support)
    browser.goto(url)
    minutes = step(browser, "Record the minutes and plan circulated")
    minutes.get_by_label("Date the minutes and plan were circulated").fill(typed(initial))
    minutes.get_by_label("Filed on the young person's social care record").check()
    browser.click_button("Record the minutes circulated", status=200)
    expect(page.get_by_role("alert")).to_contain_text("Done: record the minutes")

    # The police confirm their flag.
    switch_user(browser, p.officer)
    browser.goto(url)
    page.get_by_label("Date the flag was added").fill(typed(initial))
    browser.click_button("Confirm the police flag", status=200)
    expect(page.get_by_role("alert")).to_contain_text("The police flag is confirmed added.")
    police = Flag.objects.get(episode=episode, system="police", purpose=FlagPurpose.SET)
    assert police.confirmed_on == initial and police.confirmed_by == p.officer

    # A review MARMM, at which the team manager proposes ending the plan.
    switch_user(browser, p.chair)
    browser.goto(url)
    step(browser, "Record a MARMM held").get_by_label("Date the MARMM was held").fill(typed(review))
    browser.click_button("Record the MARMM", status=200)
    expect(page.locator("[data-marmms] tbody tr")).to_have_count(2)

    switch_user(browser, p.team_manager)
    browser.goto(url)
    ending = step(browser, "Propose ending the plan (at a MARMM)")
    ending.get_by_label("Why do the risks no longer warrant a plan?").fill(
        "Risks reduced: settled at school, no missing episodes"
    )
    ending.get_by_label("Date of the MARMM that decided to end the plan").fill(typed(review))
    browser.click_button("Propose ending the plan", status=200)
    expect(page.locator("[data-status]")).to_have_text(
        "Ending proposed: service manager's agreement"
    )

    # The service manager agrees the ending: the flags are to come off.
    switch_user(browser, p.service_manager)
    browser.goto(url)
    step(browser, "Agree the ending").get_by_label(
        "Date of the service manager's agreement to end the plan"
    ).fill(typed(review))
    browser.click_button("Agree the ending", status=200)
    expect(page.locator("[data-status]")).to_have_text("Plan ended")
    removals = page.locator('[data-flags] tr[data-flag$="-remove"]')
    expect(removals).to_have_count(3)
    expect(removals.first).to_contain_text("Remove the flag")
    history = page.locator("[data-history]")
    expect(history).to_contain_text("Service manager agreed the ending")
    episode.refresh_from_db()
    assert episode.status == EpisodeStatus.ENDED
    assert Flag.objects.filter(episode=episode, purpose=FlagPurpose.REMOVE).count() == 3

    # The ended plan stays on the dashboard until its flags come off; the quarter's
    # timeliness figures are a link away, and download as CSV.
    browser.click_link("Pathway", within=page.get_by_role("navigation", name="Menu"))
    expect(page.locator("tbody")).to_contain_text(str(p.child))
    browser.click_link("Timeliness report")
    expect(browser.heading()).to_contain_text("Pathway timeliness")
    expect(page.locator('[data-measure="initial_marmm"]')).to_contain_text("100%")
    expect(page.get_by_role("link", name=re.compile("as a spreadsheet"))).to_be_visible()
