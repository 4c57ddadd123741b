"""Browser tests: the session `app` served by a real server thread, driven by Debian's Chromium through
Playwright, and checked with axe-core (docs/DESIGN.md, "Dependencies chosen").

Without Chromium or Playwright the whole directory is skipped with the reason shown by `-ra`; with `CI`
set, a missing browser is a collection error instead, so CI never passes by skipping.
"""

from __future__ import annotations

import importlib.util
import os
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
# The recipe's flags: without the --disable-* ones Chromium keeps trying to reach outside hosts.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def _missing_tools() -> str | None:
    for module, package in (("playwright", "playwright"), ("axe_playwright_python", "axe-playwright-python")):
        if importlib.util.find_spec(module) is None:
            return f"browser tests need {package} (pip install -r requirements-dev.txt)"
    if not CHROMIUM.exists():
        return f"browser tests need Debian's Chromium at {CHROMIUM} (apt-get install chromium)"
    return None


_MISSING = _missing_tools()
if _MISSING:
    if os.environ.get("CI"):
        pytest.fail(f"{_MISSING}; CI must run the browser tests", pytrace=False)
    pytest.skip(_MISSING, allow_module_level=True)

from axe_playwright_python.sync_playwright import Axe  # noqa: E402
from playwright.sync_api import Browser, Page, expect, sync_playwright  # noqa: E402
from werkzeug.serving import make_server  # noqa: E402

from tests.factories import PASSWORD  # noqa: E402


@pytest.fixture(scope="session")
def live_server(app) -> Iterator[str]:
    """The session app on 127.0.0.1 at a free port, served from a thread; yields the base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()
    thread.join(timeout=10)


@pytest.fixture(autouse=True)
def _csrf_enabled(app) -> Iterator[None]:
    """Real CSRF checks while a browser test runs; the other tests keep them off (the app is shared)."""
    before = app.config["WTF_CSRF_ENABLED"]
    app.config["WTF_CSRF_ENABLED"] = True
    yield
    app.config["WTF_CSRF_ENABLED"] = before


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """One headless Chromium for the whole run; every test gets its own context."""
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser: Browser, live_server: str) -> Iterator[Callable[..., Page]]:
    """Open a page in a fresh context (own cookies: another person); all are closed after the test.

    Any Content-Security-Policy violation the browser reports fails the test: the policy
    (pilotstarter_web/security_headers.py) must never block something a page needs.
    """
    contexts = []
    violations: list[str] = []

    def note_violation(message) -> None:
        if "Content Security Policy" in message.text:
            violations.append(f"{message.location.get('url', '')}: {message.text}")

    def open_page(**context_options) -> Page:
        options = {"base_url": live_server, "locale": "nl-NL", "viewport": {"width": 1280, "height": 900}}
        context = browser.new_context(**(options | context_options))
        context.set_default_timeout(10_000)  # fail fast, but leave room for a loaded CI machine
        context.set_default_navigation_timeout(20_000)  # the first search builds the index inline
        context.on("console", note_violation)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()
    assert not violations, "\n".join(violations)


@pytest.fixture
def page(new_page: Callable[..., Page]) -> Page:
    return new_page()


@pytest.fixture
def log_in() -> Callable[..., None]:
    """Log in through the real login form and wait until the account menu has the user's logout button."""

    def log_in_as(page: Page, email: str, password: str = PASSWORD) -> None:
        page.goto("/account/login")
        main = page.get_by_role("main")
        main.get_by_label("E-mailadres").fill(email)
        main.get_by_label("Wachtwoord").fill(password)
        main.get_by_role("button", name="Inloggen").click()
        # In the header's menu, which is folded away on a small screen: present, not necessarily visible.
        expect(page.get_by_role("button", name="Uitloggen", include_hidden=True)).to_be_attached()

    return log_in_as


_axe = Axe()


@pytest.fixture
def assert_accessible() -> Callable[[Page], None]:
    """Run axe-core on the page as it is now; fail with axe's report on any WCAG 2.1 A/AA violation."""

    def check(page: Page) -> None:
        result = _axe.run(
            page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
        )
        assert result.violations_count == 0, f"{page.url}\n{result.generate_report()}"

    return check
