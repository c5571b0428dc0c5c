"""The report edit page as a worker meets it (issue 13): typing and then uploading a file loses nothing, and
leaving the page with unsaved typing asks first."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from delivery.models import ReportAttachment, ReportLine
from delivery.services.reports import report_create
from directory.models import Role
from tests.browser.helpers import PNG_1X1, switch_user
from tests.delivery.reports.builders import approved_plan
from tests.procurement.factories import PackageFactory

pytestmark = [pytest.mark.browser]


@pytest.fixture
def draft(transactional_db, world, personas, agency, round_2018, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = settings.MEDIA_ROOT = tmp_path / "private_media"
    package = PackageFactory(
        town=world.town_a1,
        agency=agency,
        round=round_2018,
        starts_on=timezone.localdate() - datetime.timedelta(days=100),
        ends_on=timezone.localdate() + datetime.timedelta(days=600),
    )
    items = approved_plan(package, world, year2=False)
    last_month = timezone.localdate().replace(day=1) - datetime.timedelta(days=1)
    worker = personas[Role.AGENCY_WORKER]
    report = report_create(actor=worker, package=package, year=last_month.year, month=last_month.month)
    return report, items


def test_typed_text_survives_an_upload_and_is_saved(live_server, page, personas, draft):
    report, items = draft
    activity = items["activity"]
    switch_user(page, live_server, personas[Role.AGENCY_WORKER].username)
    page.goto(live_server.url + reverse("delivery:report-edit", args=[report.pk]))
    page.fill("textarea[name=summary]", "本月走访独居老人十二户。")
    page.fill(f"input[name=line-{activity.pk}-sessions]", "3")
    page.fill(f"textarea[name=line-{activity.pk}-narrative]", "开展兴趣班三次。")
    # No pause for the autosave: choose a file and press 上传附件 at once.
    attach = page.locator("[data-testid=attach-form]")
    attach.locator("input[name=file]").set_input_files(
        {"name": "签到表.png", "mimeType": "image/png", "buffer": PNG_1X1}
    )
    attach.get_by_role("button", name="上传附件").click()
    expect(page.locator("main article.message[role=status]")).to_contain_text("附件“签到表.png”已上传。")
    expect(page.locator("textarea[name=summary]")).to_have_value("本月走访独居老人十二户。")
    expect(page.locator(f"input[name=line-{activity.pk}-sessions]")).to_have_value("3")
    expect(page.locator(f"textarea[name=line-{activity.pk}-narrative]")).to_have_value("开展兴趣班三次。")
    line = ReportLine.objects.get(report=report, plan_item=activity)
    assert (line.sessions, line.narrative) == (3, "开展兴趣班三次。")
    assert ReportAttachment.objects.filter(report=report, original_name="签到表.png").exists()


def test_leaving_with_unsaved_typing_asks_first(live_server, page, personas, draft):
    report, _items = draft
    switch_user(page, live_server, personas[Role.AGENCY_WORKER].username)
    edit_url = live_server.url + reverse("delivery:report-edit", args=[report.pk])
    page.goto(edit_url)
    asked = []

    def stay(dialog):
        asked.append(dialog.type)
        dialog.dismiss()

    page.on("dialog", stay)
    page.locator("textarea[name=summary]").click()
    page.keyboard.type("还没保存的小结")
    page.get_by_role("link", name="查看报告与版本记录").click()
    page.wait_for_timeout(300)
    assert asked == ["beforeunload"]
    assert page.url == edit_url
    expect(page.locator("textarea[name=summary]")).to_have_value("还没保存的小结")

    # Once the autosave has answered "saved" (it runs when the worker leaves a changed field), leaving is quiet.
    page.locator("textarea[name=summary]").click()
    page.keyboard.type("。")
    with page.expect_response(lambda response: "/autosave/" in response.url):
        page.keyboard.press("Tab")
    expect(page.locator("[data-testid=autosave-ok]")).to_be_visible()
    page.get_by_role("link", name="查看报告与版本记录").click()
    page.wait_for_url(live_server.url + report.get_absolute_url())
    assert asked == ["beforeunload"]
