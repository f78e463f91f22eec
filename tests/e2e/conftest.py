"""A real browser for end-to-end tests: Playwright driving Debian's chromium.

`make test` installs chromium (Debian's package) where it is missing and the user is root;
Playwright's own browser download is never used. Without chromium these tests are skipped.
"""

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

# Where a failing journey leaves its last screen, to look at.
SCREENSHOT = Path(tempfile.gettempdir()) / "welfare-net-e2e-failure.png"

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

# A phone-sized screen (a common Android phone in CSS pixels).
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
    "locale": "ko-KR",
}


@pytest.fixture
def phone_page() -> Iterator[object]:
    if CHROMIUM is None:
        pytest.skip("chromium is not installed (make test installs it when run as root)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the test's own ORM calls are
    # still synchronous and safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        context = browser.new_context(**PHONE)  # type: ignore[arg-type]
        page = context.new_page()
        page.set_default_timeout(15_000)
        # Chromium reports each thing the Content-Security-Policy refused on the console.
        refused: list[str] = []
        page.on(
            "console",
            lambda message: (
                refused.append(f"{page.url}: {message.text}")
                if "Content Security Policy" in message.text
                else None
            ),
        )
        try:
            yield page
            # Every journey doubles as a check that the site works under its policy.
            assert not refused, "the Content-Security-Policy refused:\n" + "\n".join(refused)
        except Exception:
            page.screenshot(path=str(SCREENSHOT), full_page=True)
            raise
        finally:
            context.close()
            browser.close()
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
