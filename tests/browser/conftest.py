"""Real-browser journeys: Playwright driving the system Chromium, every page checked with axe.

On a developer machine without Chromium these tests are skipped with the command to install it;
in CI (CI=true) a missing Chromium is a failure, never a silent skip.
"""

import os
import re
import shutil
import urllib.parse
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


# Words that only English has: one of them in the Italian interface is a string left untranslated.
ENGLISH_WORDS = re.compile(r"\b(the|your|you|please|select|this|with|which|must|should|there|here|option)\b", re.I)
VISIBLE_TEXT = """() => {
  const copy = document.body.cloneNode(true);
  copy.querySelectorAll('[lang]:not([lang="it"]), script, style, code, template').forEach((e) => e.remove());
  return [copy.innerText, document.title, ...[...document.querySelectorAll('[aria-label], [title], [placeholder]')]
    .filter((e) => !e.closest('[lang]:not([lang="it"])'))
    .map((e) => [e.getAttribute('aria-label'), e.getAttribute('title'), e.getAttribute('placeholder')].join(' '))]
    .join('\\n');
}"""
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


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
        self.is_phone = page.viewport_size["width"] < 576
        self.errors: list[str] = []
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        page.on("console", lambda message: message.type == "error" and self.errors.append(message.text))

    def goto(self, path: str):
        response = self.page.goto(self.base_url + path)
        assert response is not None
        return response

    def check_accessibility(self) -> None:
        """Every page a journey reaches: zero axe violations for WCAG 2.0/2.1 A and AA, no JavaScript or CSP
        errors, no sideways scrolling at the viewport's width and no English in the Italian interface. Load times
        are measured by `make bench`, not asserted here: a timed assertion fails on a busy machine."""
        results = Axe().run(self.page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
        assert results.violations_count == 0, f"{self.page.url}\n{results.generate_report()}"
        assert not self.errors, f"{self.page.url}: {self.errors}"
        self.check_no_sideways_scroll()
        self.check_no_english_in_italian()
        self.check_breadcrumbs()

    def check_breadcrumbs(self) -> None:
        """Every page below the home says where it is, from the home down to itself."""
        if urllib.parse.urlsplit(self.page.url).path == "/":
            return
        trail = self.page.locator("nav.wi-breadcrumbs li")
        assert trail.count() >= 2, f"{self.page.url}: no breadcrumbs"
        assert trail.last.get_attribute("aria-current") == "page", f"{self.page.url}: no current page in the trail"

    def check_no_sideways_scroll(self) -> None:
        width = self.page.evaluate("document.documentElement.scrollWidth")
        viewport = self.page.evaluate("window.innerWidth")
        assert width <= viewport, f"{self.page.url}: the page is {width} px wide in a {viewport} px window"

    def check_no_english_in_italian(self) -> None:
        """Words only English has, in the visible text of a page whose language is Italian (content marked
        lang="en" excepted): a string left untranslated, or a library's default."""
        if self.page.locator("html").get_attribute("lang") != "it":
            return
        text = self.page.evaluate(VISIBLE_TEXT)
        found = sorted({match.group(0) for match in ENGLISH_WORDS.finditer(text)})
        assert not found, f"{self.page.url}: English in the Italian interface: {found}\n{text[:2000]}"

    def login_as(self, user) -> None:
        """Log in without typing a password: the same session cookie Django's test client would use."""
        client = Client()
        client.force_login(user)
        cookie = client.cookies["sessionid"]
        self.page.context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": self.base_url}])


def _browser_page(browser, live_server, settings, viewport) -> Iterator[BrowserPage]:
    settings.DEBUG = False
    context = browser.new_context(locale="it-IT", viewport=viewport)
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield BrowserPage(page, live_server.url)
    context.close()


@pytest.fixture(params=["desktop", "phone"])
def web(request, browser, live_server, settings) -> Iterator[BrowserPage]:
    """Every journey twice: on a desktop (1280 px) and on a phone (390 × 844 px), where no page may scroll
    sideways. `web.is_phone` tells a test which."""
    yield from _browser_page(browser, live_server, settings, PHONE if request.param == "phone" else DESKTOP)
