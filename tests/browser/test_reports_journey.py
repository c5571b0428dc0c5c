"""The bureau's dashboard and the city annual report (R3) in a real browser: the home page shows the city at a
glance with its charts, the bureau asks for the annual report, waits until it is ready, downloads the PDF, and its
first page rendered to PNG (pdftoppm, Debian's poppler-utils) is not blank. With SCREENSHOTS=1 (make screenshots)
the dashboard and that first page land in docs/screenshots/."""

import os
import shutil
import subprocess

import pytest
from django.urls import reverse
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from core.demo import seed_all
from directory.demo import DEMO_PASSWORD
from tests.browser.conftest import SCREENSHOT_DIR, login

pytestmark = [pytest.mark.browser]


@pytest.fixture
def demo(transactional_db):
    return seed_all()


def _first_page_png(pdf_path, out_stem, resolution: int) -> str:
    if shutil.which("pdftoppm") is None:
        if os.environ.get("CI"):
            pytest.fail("pdftoppm is missing: .ci/run installs Debian's poppler-utils")
        pytest.skip("pdftoppm is not installed (apt-get install poppler-utils)")
    subprocess.run(
        ["pdftoppm", "-png", "-r", str(resolution), "-f", "1", "-l", "1", "-singlefile", str(pdf_path), str(out_stem)],
        check=True,
        timeout=60,
    )
    return f"{out_stem}.png"


def test_bureau_dashboard_city_annual_report_pdf(demo, live_server, page, screenshot, tmp_path):
    login(page, live_server, "bureau", DEMO_PASSWORD)
    dashboard = page.locator("[data-testid=dashboard]")
    expect(dashboard).to_be_visible()
    expect(dashboard.locator("[data-figure=lagging]")).to_be_visible()
    expect(dashboard.locator("figure.chart svg").first).to_be_visible()
    screenshot(page, "dashboard-bureau-zh")

    page.get_by_role("link", name="全市年度报告（PDF）").click()
    page.wait_for_url(f"{live_server.url}{reverse('reporting:city-annual')}")
    year = str(timezone.localdate().year)
    page.select_option("[data-testid=report-period] select[name=year]", year)
    # In tests the task runs eagerly inside the request: rendering the PDF there takes seconds on a busy machine.
    page.set_default_navigation_timeout(120000)
    page.click("[data-testid=report-request]", timeout=120000)
    # Rendered by the Celery task (eager in tests, a worker in production): reload until it is ready.
    ready = page.locator("[data-testid=report-file][data-status=ready]")
    for _attempt in range(30):
        if ready.count():
            break
        page.wait_for_timeout(1000)
        page.reload()
    expect(ready.first).to_be_visible()
    with page.expect_download() as info:
        ready.first.locator("[data-testid=report-download]").click()
    pdf = tmp_path / "city.pdf"
    info.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF-")

    png = _first_page_png(pdf, tmp_path / "r3-first-page", 60)
    with Image.open(png) as image:
        darkest, _lightest = image.convert("L").getextrema()
        assert darkest < 128, "the first page of the city annual report is blank"
    if os.environ.get("SCREENSHOTS") == "1":
        SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
        _first_page_png(pdf, SCREENSHOT_DIR / "r3-first-page-zh", 80)
