"""Signing in and out in a real browser."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from riskpath.accounts.enums import Role
from tests.browser.conftest import Browser, title
from tests.factories import PASSWORD, AgencyFactory, AreaFactory, UserFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def practitioner():
    agency = AgencyFactory(area=AreaFactory())
    return UserFactory(agency=agency, roles=[Role.LEAD_PROFESSIONAL])


def test_sign_in_see_home_page_and_sign_out(browser: Browser, practitioner) -> None:
    page = browser.page

    # A signed-out visitor to the home page is sent to sign in.
    browser.goto("/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    expect(browser.heading()).to_have_text("Sign in to riskpath")
    expect(page).to_have_title(title("Sign in"))
    # GOV.UK Frontend's script ran under the nonce-based CSP.
    expect(page.locator("body")).to_have_class(re.compile(r"\bgovuk-frontend-supported\b"))

    page.get_by_label("E-mail address").fill(practitioner.email)
    page.get_by_label("Password").fill(PASSWORD)
    browser.click_button("Sign in", status=200)

    expect(page).to_have_url(browser.base_url + "/")
    expect(browser.heading()).to_have_text(f"Welcome, {practitioner.full_name}")
    banner = page.locator(".govuk-phase-banner")
    expect(banner).to_contain_text(f"Signed in as {practitioner.full_name}, {practitioner.agency}")
    menu = page.get_by_role("navigation", name="Menu")
    expect(menu.get_by_role("link", name="Home")).to_have_attribute("aria-current", "page")
    expect(menu.get_by_role("link", name="Young people")).to_be_visible()
    expect(menu.get_by_role("link", name="Users")).to_have_count(0)

    # Minutes this browser kept while offline (minuting.mjs) are forgotten on sign-out;
    # anything else the site stored is left alone.
    page.evaluate(
        "() => { localStorage.setItem('riskpath:minutes:m:i', '{\"text\": \"kept\"}');"
        " localStorage.setItem('elsewhere', 'x') }"
    )
    browser.click_link("Sign out", within=banner)
    expect(page).to_have_url(re.compile(r"/accounts/logout/$"))
    expect(browser.heading()).to_have_text("Sign Out")
    browser.click_button("Sign Out", status=200)
    assert page.evaluate("() => localStorage.getItem('riskpath:minutes:m:i')") is None
    assert page.evaluate("() => localStorage.getItem('elsewhere')") == "x"

    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    expect(browser.heading()).to_have_text("Sign in to riskpath")
    expect(page.get_by_role("link", name="Sign out")).to_have_count(0)

    # The session really has ended: the home page asks for sign-in again.
    browser.goto("/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/$"))


def test_wrong_password_shows_an_accessible_error(browser: Browser, practitioner) -> None:
    page = browser.page
    browser.goto("/accounts/login/")
    page.get_by_label("E-mail address").fill(practitioner.email)
    page.get_by_label("Password").fill("not-the-password-at-all")
    browser.click_button("Sign in")  # check_page runs axe on the error page

    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    expect(page).to_have_title(title("Error: Sign in"))
    summary = page.locator(".govuk-error-summary")
    expect(summary.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(summary.locator(".govuk-error-summary__list li")).to_have_count(1)
    # GOV.UK Frontend moves focus to the summary so screen readers announce it.
    expect(summary).to_be_focused()
    expect(page.get_by_label("E-mail address")).to_have_value(practitioner.email)
    expect(page.get_by_label("Password")).to_have_value("")
    expect(page.get_by_role("link", name="Sign out")).to_have_count(0)

    # The right password still works afterwards.
    page.get_by_label("Password").fill(PASSWORD)
    browser.click_button("Sign in", status=200)
    expect(browser.heading()).to_have_text(f"Welcome, {practitioner.full_name}")


def test_too_many_wrong_codes_lock_the_code_step_with_an_accessible_message(
    browser: Browser, practitioner
) -> None:
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from django.conf import settings

    TOTP.activate(practitioner, generate_totp_secret())
    page = browser.page
    browser.sign_in(practitioner.email, PASSWORD)
    expect(page).to_have_url(re.compile(r"/accounts/2fa/authenticate/$"))
    for _ in range(settings.SECOND_FACTOR_MAX_FAILURES):
        page.get_by_label("Code").fill("000000")
        browser.click_button("Sign In")  # check_page runs axe on each error page
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("The wrong code has been entered too many times")
    expect(summary).to_contain_text("You can try again in 15 minutes")
    expect(page.get_by_role("link", name="Sign out")).to_have_count(0)
