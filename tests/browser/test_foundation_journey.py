"""One browser journey per role: log in, see the home page in Chinese, switch to English."""

import pytest

from directory.models import Role
from tests.browser.conftest import login

pytestmark = [pytest.mark.browser]


@pytest.mark.parametrize("role", list(Role.values))
def test_each_role_logs_in_sees_chinese_home_and_switches_to_english(
    transactional_db, live_server, page, personas, role
):
    login(page, live_server, personas[role].username)
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert page.get_by_role("heading", name="需要您关注").is_visible()
    assert page.locator(f'[data-role="{role}"]').is_visible()
    page.click("[data-testid=lang-en]")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", name="Needs your attention").is_visible()
    page.click("[data-testid=lang-zh]")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "zh-hans"


def test_catalogue_browser_filters_live(transactional_db, live_server, page, personas, edition_2018, screenshot):
    login(page, live_server, personas[Role.AGENCY_WORKER].username)
    page.goto(f"{live_server.url}/catalog/")
    assert "共 90 个子项" in page.locator("[data-testid=item-count]").inner_text()
    page.select_option("select[name=category]", "governance")
    # Arrow functions: Playwright would eval() a bare expression, which the Content-Security-Policy forbids.
    page.wait_for_function("() => !document.querySelector('[data-testid=item-count]').innerText.includes('90')")
    governance = edition_2018.items.filter(category__kind="governance").count()
    assert f"共 {governance} 个子项" in page.locator("[data-testid=item-count]").inner_text()
    page.fill("main input[name=q]", "高空抛物")  # not the search box in the top bar
    page.wait_for_function(
        f"() => !document.querySelector('[data-testid=item-count]').innerText.includes('{governance} ')"
    )
    assert "高空抛物" in page.locator("#item-table").inner_text()
    assert "category=governance" in page.url  # filters stay in the address bar for sharing


def test_home_and_catalogue_fit_a_phone_screen(
    transactional_db, live_server, phone_page, personas, edition_2018, screenshot
):
    login(phone_page, live_server, personas[Role.COMMUNITY_OFFICER].username)
    for path in ("/", "/catalog/"):
        phone_page.goto(f"{live_server.url}{path}")
        overflow = phone_page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, f"{path} scrolls sideways by {overflow}px on a phone"
    screenshot(phone_page, "catalogue-phone-zh")
