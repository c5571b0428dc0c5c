"""Filing a monthly report from a phone (issue 13): at 375 × 812 the agency worker opens the menu, narrows the
report form to one community, finds the lines already filled in folded away, fills a line, takes a photo
(the camera input), and submits — and no page on the way scrolls sideways."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from catalog.models import ServiceItem
from delivery.models import PlanItem, ReportAttachment, ReportLine, ServicePlan, ServiceReport
from delivery.services.reports import report_create
from directory.models import Role
from tests.browser.helpers import PNG_1X1, switch_user
from tests.procurement.factories import PackageFactory

pytestmark = [pytest.mark.browser]

# Six community-level sub-items in every community and one town-level item: 25 lines, as many as a real plan.
COMMUNITY_CODES = ["JC-01", "JC-04", "JC-06", "ZZ-01", "JD-01", "XQ-09"]
TOWN_CODE = "JC-35"


@pytest.fixture
def filing(transactional_db, world, personas, agency, round_2018, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = settings.MEDIA_ROOT = tmp_path / "private_media"
    package = PackageFactory(
        town=world.town_a1,
        agency=agency,
        round=round_2018,
        starts_on=timezone.localdate() - datetime.timedelta(days=100),
        ends_on=timezone.localdate() + datetime.timedelta(days=600),
    )
    catalogue = {i.code: i for i in ServiceItem.objects.filter(edition=package.edition)}
    plan = ServicePlan.objects.create(
        package=package, status=ServicePlan.Status.APPROVED, version=1, approved_at=timezone.now()
    )
    communities = sorted(world.communities_a1, key=lambda c: c.name)
    for community in communities:
        for code in COMMUNITY_CODES:
            PlanItem.objects.create(plan=plan, item=catalogue[code], community=community, year=1, annual_target=10)
    PlanItem.objects.create(plan=plan, item=catalogue[TOWN_CODE], community=None, year=1, annual_target=12)
    last_month = timezone.localdate().replace(day=1) - datetime.timedelta(days=1)
    worker = personas[Role.AGENCY_WORKER]
    report = report_create(actor=worker, package=package, year=last_month.year, month=last_month.month)
    first = communities[0]
    done = ReportLine.objects.get(report=report, plan_item__community=first, plan_item__item__code="JC-01")
    done.households, done.narrative = 5, "走访空巢老人五户。"
    done.save()
    todo = ReportLine.objects.get(report=report, plan_item__community=first, plan_item__item__code="JC-04")
    return {"package": package, "report": report, "community": first, "done": done.plan_item, "todo": todo.plan_item}


def _no_sideways_scroll(page, what: str) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{what} scrolls sideways by {overflow}px at 375px"


def test_a_worker_files_a_report_from_a_phone(live_server, phone_page, personas, filing, screenshot):
    page = phone_page
    report, package, community = filing["report"], filing["package"], filing["community"]
    switch_user(page, live_server, personas[Role.AGENCY_WORKER].username)
    _no_sideways_scroll(page, "home")

    # The top bar fits: the menu button shows, the links wait behind it until it is pressed.
    menu = page.locator("[data-testid=menu-toggle]")
    expect(menu).to_be_visible()
    expect(menu).to_have_attribute("aria-expanded", "false")
    sections = page.locator("header nav.sections")
    expect(sections.get_by_role("link", name="工作台", exact=True)).to_be_hidden()
    menu.click()
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(sections.get_by_role("link", name="工作台", exact=True)).to_be_visible()
    for link in sections.get_by_role("link").all():
        expect(link).to_be_visible()
        box = link.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 375, f"{link.inner_text()} is cut off"
    expect(page.locator("[data-testid=logout]")).to_be_visible()
    _no_sideways_scroll(page, "home with the menu open")
    screenshot(page, "menu-phone-zh")
    menu.click()
    expect(sections.get_by_role("link", name="工作台", exact=True)).to_be_hidden()

    # To the form the way a worker goes: menu → 项目包 → the package → 月度服务报告 → 填写.
    menu.click()
    sections.get_by_role("link", name="项目包", exact=True).click()
    page.wait_for_load_state()
    _no_sideways_scroll(page, "the package list")
    page.locator("[data-testid=packages]").get_by_role("link", name=package.title).click()
    page.wait_for_load_state()
    _no_sideways_scroll(page, "the package page")
    page.locator("[data-testid=package-sections]").get_by_role("link", name="月度服务报告").click()
    page.wait_for_load_state()
    _no_sideways_scroll(page, "the report list")
    month = f"{report.year}-{report.month:02d}"
    page.locator(f"[data-testid=report-months] tr[data-month='{month}']").get_by_role("link", name="填写").click()
    page.wait_for_url(live_server.url + reverse("delivery:report-edit", args=[report.pk]))
    _no_sideways_scroll(page, "the report form")
    rows = page.locator("[data-testid=report-lines] tbody tr")
    expect(rows).to_have_count(25)
    count = page.locator("[data-testid=line-count]")
    expect(count).to_contain_text("显示 25 条（其中已填好、已收起 1 条），隐藏 0 条，共 25 条。")

    # The line already filled in is folded to its name; its button unfolds it.
    done = page.locator(f"tr[data-line='{filing['done'].pk}']")
    expect(done.locator(f"input[name=line-{filing['done'].pk}-households]")).to_be_hidden()
    done.get_by_role("button", name="展开修改").click()
    expect(done.locator(f"input[name=line-{filing['done'].pk}-households]")).to_have_value("5")
    done.get_by_role("button", name="收起").click()
    expect(done.locator(f"input[name=line-{filing['done'].pk}-households]")).to_be_hidden()

    # One community: six lines left; then only the unfinished ones: five.
    page.get_by_test_id("filter-community").select_option(label=community.name)
    expect(page.locator("[data-testid=report-lines] tbody tr:visible")).to_have_count(6)
    expect(count).to_contain_text("显示 6 条（其中已填好、已收起 1 条），隐藏 19 条，共 25 条。")
    page.get_by_test_id("filter-unfinished").check()
    expect(page.locator("[data-testid=report-lines] tbody tr:visible")).to_have_count(5)
    expect(done).to_be_hidden()
    _no_sideways_scroll(page, "the filtered report form")
    # The photo's line is chosen among the lines shown (and 整份报告).
    expect(page.locator("[data-testid=attach-form] select[name=line] option:not([disabled])")).to_have_count(6)
    # Choosing in the filter is not typing into the report: nothing to autosave, nothing to warn about.
    assert page.locator("[data-testid=autosave-ok]").count() == 0

    todo = filing["todo"].pk
    page.fill("textarea[name=summary]", "本月在第一社区开展防诈骗讲座。")
    page.fill(f"input[name=line-{todo}-sessions]", "2")
    page.fill(f"input[name=line-{todo}-attendances]", "46")
    page.fill(f"textarea[name=line-{todo}-narrative]", "防诈骗讲座两场。")
    screenshot(page, "report-form-phone-zh")

    # The photo input offers the camera; a PDF still goes through the ordinary file input.
    attach = page.locator("[data-testid=attach-form]")
    photo = attach.locator("input[name=photo]")
    expect(photo).to_have_attribute("accept", "image/*")
    expect(photo).to_have_attribute("capture", "environment")
    expect(attach.locator("input[name=file]")).not_to_have_attribute("capture", "environment")
    photo.set_input_files({"name": "讲座现场.png", "mimeType": "image/png", "buffer": PNG_1X1})
    attach.locator("select[name=line]").select_option(
        value=str(ReportLine.objects.get(report=report, plan_item_id=todo).pk)
    )
    attach.get_by_role("button", name="上传附件").click()
    expect(page.locator("main article.message[role=status]")).to_contain_text("附件“讲座现场.png”已上传。")
    assert ReportAttachment.objects.get(report=report).line.plan_item_id == todo

    # Back on the form the filter is as the worker left it, and the typed line was saved with the upload.
    expect(page.get_by_test_id("filter-community")).to_have_value(str(community.pk))
    expect(page.get_by_test_id("filter-unfinished")).to_be_checked()
    expect(page.locator(f"tr[data-line='{todo}']")).to_have_attribute("data-finished", "true")
    _no_sideways_scroll(page, "the report form after an upload")

    page.get_by_test_id("submit").click()
    page.wait_for_url(live_server.url + report.get_absolute_url())
    expect(page.locator("main article.message[role=status]")).to_contain_text("报告已提交")
    report.refresh_from_db()
    assert report.status == ServiceReport.Status.SUBMITTED
    _no_sideways_scroll(page, "the report page")
    page.goto(live_server.url + reverse("delivery:package-progress", args=[package.pk]))
    _no_sideways_scroll(page, "the progress page")
    page.goto(live_server.url + reverse("delivery:report-list", args=[package.pk]))
    _no_sideways_scroll(page, "the report list after submitting")
