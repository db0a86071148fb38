"""Real-browser journeys: Playwright driving the system Chromium, every page checked with axe.

On a developer machine without Chromium these tests are skipped with the command to install it;
in CI (CI=true) a missing Chromium is a failure, never a silent skip.
"""

import os
import shutil
from collections.abc import Iterator

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.test import Client

CHROMIUM = os.environ.get("CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# Chromium reaches for Google's hosts at start-up; this machine and CI have no network.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not os.path.exists(CHROMIUM):
        message = (
            f"Chromium not found at {CHROMIUM}: browser tests need it. "
            "Install it with `sudo apt-get install chromium` (Debian) or set CHROMIUM=/path/to/chromium."
        )
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class BrowserPage:
    """A page that records JavaScript errors and checks accessibility on demand."""

    def __init__(self, page, base_url: str) -> None:
        self.page = page
        self.base_url = base_url
        self.errors: list[str] = []
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        page.on("console", lambda message: message.type == "error" and self.errors.append(message.text))

    def goto(self, path: str):
        response = self.page.goto(self.base_url + path)
        assert response is not None
        return response

    def check_accessibility(self) -> None:
        """Zero axe violations for WCAG 2.0/2.1 A and AA, and no JavaScript or CSP errors."""
        results = Axe().run(self.page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
        assert results.violations_count == 0, f"{self.page.url}\n{results.generate_report()}"
        assert not self.errors, f"{self.page.url}: {self.errors}"

    def login_as(self, user) -> None:
        """Log in without typing a password: the same session cookie Django's test client would use."""
        client = Client()
        client.force_login(user)
        cookie = client.cookies["sessionid"]
        self.page.context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": self.base_url}])


@pytest.fixture
def web(browser, live_server, settings) -> Iterator[BrowserPage]:
    settings.DEBUG = False
    context = browser.new_context(locale="it-IT", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield BrowserPage(page, live_server.url)
    context.close()
