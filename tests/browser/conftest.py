"""Browser tests: Debian's headless Chromium, driven by Playwright's sync API, against
pytest-django's live server.

Every page a test loads is checked twice over before the test may pass:

* accessibility: axe-core (WCAG 2.0, 2.1 and 2.2 A and AA rules) finds no violations;
* Content-Security-Policy: the browser reported no violation, either as a console message
  ("Refused to ..." in older Chromium; "... violates the following Content Security Policy
  directive ..." in current Chromium) or as a ``securitypolicyviolation`` event.

Tests move between pages through :class:`Browser`, whose helpers run both checks after each
page load; a teardown guard fails the test if any page it loaded went unchecked, so a new test
cannot forget. The real CSP applies: contexts are never created with ``bypass_csp``.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser as PlaywrightBrowser
from playwright.sync_api import (
    ConsoleMessage,
    Locator,
    Page,
    Playwright,
    Request,
    Response,
    sync_playwright,
)

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]
AXE_PATH = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def title(text: str) -> str:
    """A page's full <title>: "Sign in" becomes "Sign in \u2013 riskpath"."""
    return f"{text} \N{EN DASH} riskpath"


# How Chromium words a CSP violation in the console, old and new.
CSP_CONSOLE = re.compile(r"Refused to|Content[- ]Security[- ]Policy", re.IGNORECASE)

# Reports every CSP violation to Python, whatever the console says and across navigations.
# Init scripts and exposed bindings are injected by the DevTools protocol, so the page's CSP
# does not apply to them (and they need no nonce).
# ``__riskpathCspReported`` counts reports Python has received, for tests that wait on one.
CSP_LISTENER = """
window.__riskpathCspReported = 0;
document.addEventListener('securitypolicyviolation', async (e) => {
  await window.__riskpathCspViolation({
    directive: e.violatedDirective,
    blocked: e.blockedURI,
    source: e.sourceFile,
    line: e.lineNumber,
    sample: e.sample,
  });
  window.__riskpathCspReported += 1;
});
"""

# Runs axe in the page and returns only what a failure message needs.
AXE_RUN = """
async (tags) => {
  /*AXE*/
  ;
  const results = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
  return {
    violations: results.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      helpUrl: v.helpUrl,
      nodes: v.nodes.map((n) => ({target: n.target, summary: n.failureSummary})),
    })),
    passes: results.passes.length,
  };
}
"""


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE_PATH.exists():
        pytest.fail(f"axe-core is missing at {AXE_PATH}: run 'npm ci'")
    return AXE_PATH.read_text(encoding="utf-8")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Run the browser tests after every other test (keeping each group's order).

    Once started, Playwright's sync API leaves an asyncio event loop running in the test
    thread until the session ends, and Django then refuses database access unless
    DJANGO_ALLOW_ASYNC_UNSAFE is set. Running the browser tests last keeps both the loop and
    that setting away from the rest of the suite (some of which runs ``riskpath check
    --deploy`` in a subprocess, which rightly rejects the setting)."""
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


@pytest.fixture(scope="session")
def playwright_instance() -> Iterator[Playwright]:
    # Playwright's sync API runs an event loop in the test thread; Django refuses database
    # access from a thread with a running loop unless told that this is deliberate. Set only
    # for as long as the loop runs, so the rest of the suite keeps Django's async safety.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as p:
            yield p
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="session")
def chromium(playwright_instance: Playwright) -> Iterator[PlaywrightBrowser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"The browser tests need Debian's Chromium at {CHROMIUM}")
    browser = playwright_instance.chromium.launch(
        executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
    )
    yield browser
    browser.close()


def format_axe_violations(url: str, violations: list[dict[str, Any]]) -> str:
    lines = [f"{len(violations)} accessibility violation(s) on {url}:"]
    for v in violations:
        lines.append(f"- {v['id']} ({v['impact']}): {v['help']} <{v['helpUrl']}>")
        for node in v["nodes"]:
            target = " ".join(t if isinstance(t, str) else json.dumps(t) for t in node["target"])
            lines.append(f"    at {target}")
            for summary_line in (node["summary"] or "").splitlines():
                lines.append(f"      {summary_line}")
    return "\n".join(lines)


@dataclass
class Browser:
    """One test's browser tab, with the checks every page must pass."""

    page: Page
    base_url: str
    axe_source: str
    loads: list[str] = field(default_factory=list)
    checked: set[int] = field(default_factory=set)
    csp_violations: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)

    # --- moving between pages ---------------------------------------------------------------

    def goto(self, path: str, *, status: int = 200) -> Response:
        """Open ``path`` on the live server; check its status and the page."""
        response = self.page.goto(self.base_url + path)
        assert response is not None, f"No response for {path}"
        assert response.status == status, f"{path} answered {response.status}, not {status}"
        self.check_page()
        return response

    def follow(self, action: Callable[[], Any], *, status: int | None = None) -> Response:
        """Do ``action`` (a click that navigates, a form submission) and check the page it
        leads to. ``status`` is the status of the final document, after any redirects."""
        with self.page.expect_navigation() as navigation:
            action()
        response = navigation.value
        assert response is not None, "The navigation had no response"
        if status is not None:
            assert response.status == status, (
                f"{response.url} answered {response.status}, not {status}"
            )
        self.check_page()
        return response

    def click_link(self, name: str, *, within: Locator | None = None) -> Response:
        scope = within if within is not None else self.page
        return self.follow(lambda: scope.get_by_role("link", name=name, exact=True).click())

    def click_button(self, name: str, *, status: int | None = None) -> Response:
        button = self.page.get_by_role("button", name=name, exact=True)
        return self.follow(button.click, status=status)

    # --- the checks -------------------------------------------------------------------------

    def check_page(self) -> None:
        """The current page has loaded, is accessible and broke no CSP rule."""
        self.page.wait_for_load_state("load")
        self.assert_accessible()
        self.assert_clean_console()
        # The axe run above is a round trip, so every event of this load has been seen.
        self.checked.add(len(self.loads))

    def assert_accessible(self) -> None:
        assert_accessible(self.page, self.axe_source)

    def assert_clean_console(self) -> None:
        problems = self.csp_violations + self.console_errors + self.page_errors
        assert not problems, f"Browser reported problems by {self.page.url}:\n" + "\n".join(
            problems
        )

    def assert_every_page_checked(self) -> None:
        unchecked = [url for i, url in enumerate(self.loads, 1) if i not in self.checked]
        assert not unchecked, (
            "These pages were loaded but never checked for accessibility and CSP; move between "
            "pages with Browser.goto/follow/click_link/click_button: " + ", ".join(unchecked)
        )

    # --- convenience -------------------------------------------------------------------------

    def sign_in(self, email: str, password: str) -> None:
        self.goto("/accounts/login/")
        self.page.get_by_label("E-mail address").fill(email)
        self.page.get_by_label("Password").fill(password)
        self.click_button("Sign in")

    def heading(self) -> Locator:
        return self.page.get_by_role("heading", level=1)

    def pick(
        self, query: str, choose: str, *, field: str | None = None, one: str = "young person"
    ) -> None:
        """Choose a young person (or, with ``one``, a location, group or person of interest)
        with a form's picker, as a keyboard user would: type into the accessible-autocomplete
        box, arrow down to the option whose label contains ``choose``, press Enter; it is then
        ticked in the chosen list. ``field`` names the picker when a form has more than one."""
        pickers = self.page.locator('[data-module="rp-picker"]')
        scope = pickers.and_(self.page.locator(f'[data-name="{field}"]')) if field else pickers
        scope = scope.first
        box = scope.get_by_label(f"Find a {one} by name")
        box.fill(query)
        option = scope.get_by_role("option", name=re.compile(re.escape(choose)))
        option.wait_for()
        options = scope.get_by_role("option")
        names = [options.nth(i).inner_text() for i in range(options.count())]
        index = next(i for i, name in enumerate(names) if choose in name)
        for _ in range(index + 1):
            box.press("ArrowDown")
            box = self.page.locator(":focus")
        box.press("Enter")
        chosen = scope.locator(".rp-picker__chosen").get_by_label(re.compile(re.escape(choose)))
        chosen.first.wait_for()
        assert chosen.first.is_checked(), f"{choose} was not ticked after picking it"
        self.assert_accessible()
        self.assert_clean_console()


def assert_accessible(page: Page, axe_source: str) -> None:
    """Run axe-core on the page's current document and fail with a readable list of every
    WCAG 2.0/2.1/2.2 A and AA violation. The script is injected with ``page.evaluate`` (which
    the page's CSP does not govern; a ``<script>`` tag would be refused)."""
    result = page.evaluate(AXE_RUN.replace("/*AXE*/", axe_source), AXE_TAGS)
    assert result["passes"] > 0, f"axe ran no checks on {page.url}"
    violations = result["violations"]
    assert not violations, format_axe_violations(page.url, violations)


@pytest.fixture
def browser(
    chromium: PlaywrightBrowser, live_server: Any, transactional_db: Any, axe_source: str
) -> Iterator[Browser]:
    """A fresh browser context (no cookies) and tab on the live server, for one test."""
    context = chromium.new_context(locale="en-GB", timezone_id="Europe/London")
    context.set_default_timeout(15_000)
    page = context.new_page()
    tab = Browser(page=page, base_url=live_server.url, axe_source=axe_source)

    def on_violation(report: dict[str, Any]) -> None:
        tab.csp_violations.append(
            f"CSP violation on {page.url}: {report['directive']} blocked "
            f"{report['blocked'] or 'inline'} ({report['source']}:{report['line']}) "
            f"{report['sample'] or ''}".rstrip()
        )

    def on_console(message: ConsoleMessage) -> None:
        if CSP_CONSOLE.search(message.text):
            tab.csp_violations.append(f"CSP console message on {page.url}: {message.text}")
        elif message.type == "error" and not message.text.startswith("Failed to load resource"):
            tab.console_errors.append(f"Console error on {page.url}: {message.text}")

    # Failed loads are judged here rather than from the console, which also reports the
    # documents that tests expect to fail (a form with errors answers 400).
    def on_response(response: Response) -> None:
        if response.request.resource_type != "document" and response.status >= 400:
            tab.console_errors.append(
                f"{response.request.resource_type} {response.url} answered {response.status} "
                f"on {page.url}"
            )

    def on_request_failed(request: Request) -> None:
        tab.console_errors.append(
            f"{request.resource_type} {request.url} failed ({request.failure}) on {page.url}"
        )

    def on_load(loaded: Page) -> None:
        tab.loads.append(loaded.url)

    context.expose_function("__riskpathCspViolation", on_violation)
    context.add_init_script(CSP_LISTENER)
    page.on("console", on_console)
    page.on("response", on_response)
    page.on("requestfailed", on_request_failed)
    page.on("pageerror", lambda error: tab.page_errors.append(f"Script error: {error}"))
    page.on("load", on_load)
    try:
        yield tab
        tab.assert_clean_console()
        tab.assert_every_page_checked()
    finally:
        context.close()
