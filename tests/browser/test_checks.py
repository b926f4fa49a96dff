"""The checks that every browser test relies on can fail: a test of the tests."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import CSP_CONSOLE, Browser

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
    # A script without the page's nonce must be refused, and the refusal reported both in the
    # console (in whatever words this Chromium uses) and as a securitypolicyviolation event.
    with page.expect_console_message(lambda m: bool(CSP_CONSOLE.search(m.text))):
        page.evaluate(
            """() => {
              const script = document.createElement('script');
              script.textContent = 'document.body.dataset.injected = "ran"';
              document.body.append(script);
            }"""
        )
    page.wait_for_function("() => window.__riskpathCspReported >= 1")
    expect(page.locator("body")).not_to_have_attribute("data-injected", "ran")

    assert any(v.startswith("CSP console message") for v in browser.csp_violations)
    assert any(
        v.startswith("CSP violation on") and "script-src-elem blocked inline" in v
        for v in browser.csp_violations
    )
    with pytest.raises(AssertionError, match=r"script-src"):
        browser.assert_clean_console()
    browser.csp_violations.clear()  # deliberate, so teardown may pass


def test_unchecked_pages_are_caught(browser: Browser) -> None:
    browser.goto("/accounts/login/")
    browser.page.goto(browser.base_url + "/accounts/password/reset/")  # bypasses the checks
    with pytest.raises(AssertionError, match=r"/accounts/password/reset/"):
        browser.assert_every_page_checked()
    browser.check_page()
    browser.assert_every_page_checked()
