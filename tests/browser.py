"""Shared pieces of the browser tests: Debian's Chromium, axe-core."""

from pathlib import Path

import axe_playwright_python
from playwright.sync_api import expect

# An admin form saved while the other suite's worker loads both cores takes
# more than Playwright's default 5 s to come back: what a person would wait.
expect.set_options(timeout=15_000)

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE_JS = (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text()


def log_in(page, base, username):
    """Signs ``username`` (password "pw") in to the admin at ``base``."""
    page.context.clear_cookies()
    page.goto(f"{base}/admin/login/")
    page.fill('input[name="username"]', username)
    page.fill('input[name="password"]', "pw")
    page.locator('button[type="submit"]').click()
    expect(page).to_have_url(f"{base}/admin/")


def serious_accessibility_violations(page):
    """axe-core's serious and critical findings on the page as shown."""
    page.evaluate(AXE_JS)
    result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    return [
        {
            "id": violation["id"],
            "impact": violation["impact"],
            "targets": [node["target"] for node in violation["nodes"]][:5],
        }
        for violation in result["violations"]
        if violation["impact"] in ("serious", "critical")
    ]


def has_horizontal_scroll(page):
    return page.evaluate(
        "() => document.documentElement.scrollWidth > window.innerWidth"
    )
