"""Search as an agency manager meets it (issue 13): the box in the top bar, results grouped by kind, a hit that
opens the report it found; another agency's report stays out of sight."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from delivery.models import ReportLine, ServiceReport
from directory.models import Role
from tests.browser.helpers import switch_user
from tests.delivery.reports.builders import approved_plan
from tests.procurement.factories import PackageFactory

pytestmark = [pytest.mark.browser]


@pytest.fixture
def reports(transactional_db, world, personas, outsiders, agency, other_agency, round_2018):
    start = timezone.localdate() - datetime.timedelta(days=100)
    ours = PackageFactory(town=world.town_a1, agency=agency, round=round_2018, starts_on=start)
    theirs = PackageFactory(town=world.town_b1, agency=other_agency, round=round_2018, starts_on=start)
    made = []
    for package, user, text in (
        (ours, personas[Role.AGENCY_MANAGER], "入户探访独居老人，排查用电隐患。"),
        (theirs, outsiders[Role.AGENCY_MANAGER], "独居老人<b>结对</b>关爱。"),
    ):
        items = approved_plan(package, world, year2=False)
        report = ServiceReport.objects.create(package=package, year=2025, month=3, created_by=user, summary="")
        ReportLine.objects.create(report=report, plan_item=items["visits"], narrative=text)
        made.append(report)
    return made


def test_an_agency_finds_its_report_from_the_top_bar(live_server, page, personas, reports, screenshot):
    ours, _theirs = reports
    switch_user(page, live_server, personas[Role.AGENCY_MANAGER].username)
    box = page.get_by_test_id("nav-search")
    box.fill("独居")
    box.press("Enter")
    page.wait_for_url("**/search/?q=*")
    expect(page.get_by_test_id("search-count-reports")).to_have_text("1")
    expect(page.locator(".search-snippet mark").first).to_have_text("独居")
    assert "结对" not in page.content()  # the other agency's report
    screenshot(page, "search-results")
    page.locator("[data-testid=search-group-reports] a").first.click()
    page.wait_for_url(f"**{ours.get_absolute_url()}")
