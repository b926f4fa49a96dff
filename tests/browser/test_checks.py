"""The checks that every browser test relies on can fail: a test of the tests."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import Browser

pytestmark = pytest.mark.browser


def test_axe_reports_a_violation_readably(browser: Browser) -> None:
    browser.goto("/accounts/login/")
    browser.page.evaluate(
        """() => {
          const img = document.createElement('img');
          img.id = 'broken-image';
          img.src = '/static/govuk/assets/images/favicon.svg';
          document.querySelector('main').append(img);
        }"""
    )
    with pytest.raises(AssertionError) as failure:
        browser.assert_accessible()
    message = str(failure.value)
    assert "1 accessibility violation(s) on " in message
    assert "- image-alt (critical): Images must have alternative text" in message
    assert "at #broken-image" in message


def test_csp_violations_are_caught(browser: Browser) -> None:
    browser.goto("/accounts/login/")
    page = browser.page
    # A script without the page's nonce must be refused, and the refusal reported.
    page.evaluate(
        """() => {
          const script = document.createElement('script');
          script.textContent = 'document.body.dataset.injected = "ran"';
          document.body.append(script);
        }"""
    )
    expect(page.locator("body")).not_to_have_attribute("data-injected", "ran")
    with pytest.raises(AssertionError, match=r"script-src"):
        # The violation event reaches Python asynchronously; poll until it has.
        for _ in range(50):
            browser.assert_clean_console()
            page.wait_for_timeout(100)
    assert any("script-src" in v for v in browser.csp_violations)
    assert any(re.search(r"Content Security Policy|Refused to", v) for v in browser.csp_violations)
    browser.csp_violations.clear()  # deliberate, so teardown may pass


def test_unchecked_pages_are_caught(browser: Browser) -> None:
    browser.goto("/accounts/login/")
    browser.page.goto(browser.base_url + "/accounts/password/reset/")  # bypasses the checks
    with pytest.raises(AssertionError, match=r"/accounts/password/reset/"):
        browser.assert_every_page_checked()
    browser.check_page()
    browser.assert_every_page_checked()
