"""The compliance journey (K3, K8, notifications) in a real browser: the nightly sweep finds a monthly report
overdue → the agency's workers see it on their bell → the town officer opens the finding → a worker files the
report → the next sweep closes the finding by itself and the bell count drops."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from compliance.models import Finding
from compliance.services import sweep
from delivery.models import ServiceReport
from directory.models import Role
from tests.browser.helpers import expect_message, nav, switch_user
from tests.delivery.reports.builders import approved_plan
from tests.procurement.factories import PackageFactory, RoundFactory, qualified_agency

pytestmark = [pytest.mark.browser]


def _month_before(day: datetime.date, n: int) -> tuple[int, int]:
    index = day.year * 12 + day.month - 1 - n
    return index // 12, index % 12 + 1


@pytest.fixture
def overdue(transactional_db, world, personas, edition_2018, settings, tmp_path):
    """A package that started two months ago: last month's report is confirmed, the month before has none and is
    past its S1 due date (the 10th of the month after it) whatever today is."""
    settings.PRIVATE_MEDIA_ROOT = settings.MEDIA_ROOT = tmp_path / "private_media"
    today = timezone.localdate()
    (y2, m2), (y1, m1) = _month_before(today, 2), _month_before(today, 1)
    package = PackageFactory(
        town=world.town_a1,
        agency=qualified_agency(organisation=world.agency),
        round=RoundFactory(edition=edition_2018),
        starts_on=datetime.date(y2, m2, 1),
        ends_on=datetime.date(y2 + 2, m2, 1) - datetime.timedelta(days=1),
    )
    approved_plan(package, world)
    ServiceReport.objects.create(
        package=package,
        year=y1,
        month=m1,
        created_by=personas[Role.AGENCY_WORKER],
        status=ServiceReport.Status.CONFIRMED,
        summary="上月工作小结。",
        submitted_at=timezone.now(),
        confirmed_at=timezone.now(),
        confirmed_by=personas[Role.TOWN_OFFICER],
    )
    return {"package": package, "month": (y2, m2)}


def _bell(page) -> str:
    count = page.locator("[data-testid=bell-count]")
    return count.inner_text() if count.count() else "0"


def test_k3_finding_opened_by_the_sweep_closes_itself_once_the_report_is_filed(page, live_server, personas, overdue):
    package, (year, month) = overdue["package"], overdue["month"]
    sweep(rules=["K3"])
    finding = Finding.objects.get(rule="K3", package=package)
    assert finding.is_open and f"{year}年{month}月" in finding.message

    # The worker's bell rings.
    switch_user(page, live_server, personas[Role.AGENCY_WORKER].username)
    assert int(_bell(page)) >= 1
    before = int(_bell(page))

    # The town officer opens the finding from the findings list and sees whose it is.
    switch_user(page, live_server, personas[Role.TOWN_OFFICER].username)
    nav(page, "合规检查")
    page.locator(f"[data-testid=findings] tr[data-finding='{finding.pk}'] a").first.click()
    expect(page.locator("[data-testid=finding-message]")).to_contain_text(f"{year}年{month}月")
    expect(page.locator("[data-testid=finding-status]")).to_have_attribute("data-status", "open")
    expect(page.locator("[data-testid=responsible]")).to_contain_text(package.agency.organisation.name)

    # The worker files the overdue month from the report list the finding links to.
    switch_user(page, live_server, personas[Role.AGENCY_WORKER].username)
    page.goto(f"{live_server.url}{finding.get_absolute_url()}")
    page.locator("[data-testid=subject-link]").click()
    page.wait_for_load_state()
    row = page.locator(f"[data-testid=report-months] tr[data-month='{year}-{month:02d}']")
    row.get_by_role("button", name="开始填报").click()
    expect_message(page, f"已建立 {year}年{month}月的报告草稿。")
    page.fill("textarea[name=summary]", "补报：本月在四个社区开展为老服务与社情民意收集。")
    with page.expect_response(lambda response: "/autosave/" in response.url):
        page.keyboard.press("Tab")
    page.locator("[data-testid=submit]").click()
    expect_message(page, "报告已提交，等待街镇确认。")

    # The next sweep closes the finding by itself, and the bell drops.
    sweep(rules=["K3"])
    finding.refresh_from_db()
    assert finding.status == Finding.Status.CLOSED and finding.closed_at is not None
    page.reload()
    assert int(_bell(page)) == before - 1
    page.goto(f"{live_server.url}{finding.get_absolute_url()}")
    expect(page.locator("[data-testid=finding-status]")).to_have_attribute("data-status", "closed")
