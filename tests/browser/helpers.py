"""Small steps shared by the browser journeys: switching users, following the top navigation, reading the
flash message, and a real PNG for uploads."""

import base64

from playwright.sync_api import expect

from tests.browser.conftest import login

# A real 1×1 PNG (valid signature, IHDR, IDAT and IEND chunks with their CRCs).
PNG_1X1 = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="
)


def switch_user(page, live_server, username: str) -> None:
    """Log the current user out (drop the session cookie) and log `username` in."""
    page.context.clear_cookies()
    login(page, live_server, username)


def nav(page, label: str) -> None:
    """Follow a link of the top navigation bar by its visible label."""
    page.locator("header nav").get_by_role("link", name=label, exact=True).click()
    page.wait_for_load_state()


def expect_message(page, text: str) -> None:
    """The flash message the last action left on the page."""
    expect(page.locator("main article.message[role=status]").filter(has_text=text)).to_be_visible()
