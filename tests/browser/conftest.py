"""Playwright driving Debian's Chromium (never a downloaded browser)."""

from __future__ import annotations

import shutil

import pytest
from testpolicy import ARTIFACTS, require

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def browser():
    """One Chromium per test module.

    Playwright's sync API keeps an asyncio loop marked as running while it is open, so a
    session-wide browser made every async test collected after the browser tests fail with
    "Runner.run() cannot be called from a running event loop" (as CI did).
    """
    executable = shutil.which("chromium")
    require(executable is not None, "Debian's chromium (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, request):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    yield page
    if getattr(getattr(request.node, "rep_call", None), "failed", False):
        page.screenshot(path=str(ARTIFACTS / f"FAILED-{request.node.name}.png"))
    context.close()
