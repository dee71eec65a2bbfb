"""Real-browser tests: pytest-playwright driving Debian's Chromium against live_server."""

import os
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import expect

# Playwright's sync API runs an event loop in this thread; Django refuses ORM calls there unless
# told it is safe. Test-only: the live server runs in its own thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium")
SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"

# On a loaded 2-core machine Chromium, Playwright's driver, the live server (a thread of this
# process) and whatever else runs share two cores: a page that takes half a second alone can take
# fifteen. Tests wait for conditions, never for time; these bound how long, generously, so that a
# slow machine passes and a real failure still fails. (Playwright's defaults: 5 s for expect,
# 30 s for actions and navigations.)
EXPECT_TIMEOUT_MS = 20_000
ACTION_TIMEOUT_MS = 60_000
expect.set_options(timeout=EXPECT_TIMEOUT_MS)


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not CHROMIUM:
        if os.environ.get("NEWSREVIEW_REQUIRE_BROWSER"):
            pytest.fail(
                "Chromium is required (NEWSREVIEW_REQUIRE_BROWSER) but was not found"
            )
        pytest.skip("no system chromium; install Debian's chromium package")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "timeout": ACTION_TIMEOUT_MS,  # starting Chromium is slow on a loaded machine too
        "args": ["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
    }


@pytest.fixture
def new_context(new_context):
    """pytest-playwright's new_context (closed after the test), with the timeouts above."""

    def make(**kwargs):
        context = new_context(**kwargs)
        context.set_default_timeout(ACTION_TIMEOUT_MS)
        context.set_default_navigation_timeout(ACTION_TIMEOUT_MS)
        return context

    return make


@pytest.fixture
def htmx_settled(page):
    """htmx_settled() waits until htmx has swapped and settled every response.

    htmx gives swapped-in content its behaviour (hx-get, hx-post) only when it settles, 20 ms
    after the swap and later on a loaded machine. A change or click in between goes unheard, or
    a link navigates the whole page. Call it after an expect() that shows the new content,
    before acting on that content.
    """
    busy = page.locator(".htmx-request, .htmx-swapping, .htmx-settling, .htmx-added")

    def wait() -> None:
        expect(busy).to_have_count(0)

    return wait


@pytest.fixture
def screenshot(page):
    """screenshot("queue-1280") saves tests/browser/screenshots/queue-1280.png (git-ignored)."""

    def take(name: str) -> Path:
        SCREENSHOTS.mkdir(exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture
def login(page, live_server):
    """Log in through the real form: login(user) for a user whose password is 'pw-<username>'."""

    def log_in(user, password: str | None = None):
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("#id_username", user.username)
        page.fill("#id_password", password or f"pw-{user.username}")
        page.click("button[type=submit]")
        page.wait_for_url(f"{live_server.url}/")
        return page

    return log_in
