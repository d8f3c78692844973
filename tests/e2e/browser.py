"""What every browser test shares: Debian's Chromium, where screenshots go, logging in."""

import os
from contextlib import contextmanager
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
DESKTOP = {"viewport": {"width": 1400, "height": 900}, "locale": "zh-CN"}
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
PASSWORD = "journey-pass-1"


def need_chromium():
    """Skip without Chromium, or fail where the run says browser tests are required."""
    if Path(CHROMIUM).exists():
        return
    reason = f"{CHROMIUM} is missing: apt-get install -y chromium (see PLATFORM.md)"
    if os.environ.get("KAOHE_REQUIRE_E2E") == "1":
        pytest.fail(f"KAOHE_REQUIRE_E2E=1 but {reason}")
    pytest.skip(reason)


@contextmanager
def browser_page(**context_options):
    """A new Chromium page; screenshots go to ``SCREENSHOTS`` (printed for the run's log).

    No database queries inside the block: they would run on another connection (Playwright's
    greenlet has its own context) that is never closed."""
    need_chromium()
    from playwright.sync_api import sync_playwright

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    print(f"\nscreenshots: {SCREENSHOTS}")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(**(context_options or DESKTOP))
            page = context.new_page()
            page.set_default_timeout(15_000)
            yield page
            context.close()
        finally:
            browser.close()


def with_password(*users):
    """Give each user the password the browser types."""
    for user in users:
        user.set_password(PASSWORD)
        user.save()


def log_in(page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.locator("#id_password").press("Enter")
    page.wait_for_load_state()


def shot(page, name: str, *, full_page: bool = True) -> None:
    page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=full_page)
