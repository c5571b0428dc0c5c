"""The delivery journey (P3–P7, S1–S4) in a real browser: the agency drafts its service plan until the live
coverage panel is clear and submits it → the town forwards it → the bureau approves it → a worker files last
month's report with a photo → the town returns it with a reason → the worker corrects a number and resubmits
→ the town confirms → the package's progress page shows the confirmed output against the target."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from catalog.models import ServiceItem
from delivery.models import PlanItem
from directory.models import Role
from tests.browser.helpers import PNG_1X1, expect_message, nav, switch_user
from tests.procurement.factories import PackageFactory, RoundFactory, qualified_agency

pytestmark = [pytest.mark.browser]

# One community-level catalogue sub-item per category, each counted in sessions (次) or cases (个).
ITEMS = {
    "basic": "JC-04",  # 老年人防诈骗 · 次
    "empowerment": "ZZ-01",  # 社区骨干培育 · 次
    "governance": "JD-01",  # 群租房治理 · 个
    "needs_research": "XQ-09",  # 社情民意收集 · 次
}
TARGET = 4
RETURN_REASON = "第一社区的防诈骗讲座次数与签到表不符，请核对后重报。"


@pytest.fixture
def journey(transactional_db, world, personas, edition_2018, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = settings.MEDIA_ROOT = tmp_path / "private_media"
    package = PackageFactory(
        town=world.town_a1,
        agency=qualified_agency(organisation=world.agency),
        round=RoundFactory(edition=edition_2018),
        starts_on=timezone.localdate() - datetime.timedelta(days=100),
    )
    catalogue = {i.code: i for i in ServiceItem.objects.filter(edition=edition_2018, code__in=ITEMS.values())}
    first_of_month = timezone.localdate().replace(day=1)
    last_month = first_of_month - datetime.timedelta(days=1)
    return {
        "package": package,
        "items": {kind: catalogue[code] for kind, code in ITEMS.items()},
        "communities": sorted(world.communities_a1, key=lambda c: c.code),
        "month": (last_month.year, last_month.month),
    }


def _open_package(page, package, section: str) -> None:
    """From anywhere: 项目包 in the top bar → the package → one of its sections."""
    nav(page, "项目包")
    page.locator("[data-testid=packages]").get_by_role("link", name=package.title).click()
    page.locator("[data-testid=package-sections]").get_by_role("link", name=section).click()
    page.wait_for_load_state()


def _add_plan_item(page, item, community, n: int) -> None:
    """Pick a catalogue sub-item, a community and a target in the editor's add form; the editor and the
    coverage panel update in place (htmx)."""
    box = page.locator("[data-testid=add-item]")
    if box.get_attribute("open") is None:
        box.locator("summary").click()
    form = box.locator("form")
    form.locator("select[name=item]").select_option(str(item.pk))
    form.locator("select[name=community]").select_option(str(community.pk))
    form.locator("select[name=year]").select_option("1")
    form.locator("input[name=annual_target]").fill(str(TARGET))
    form.get_by_role("button", name="添加", exact=True).click()
    expect(page.locator("[data-testid=item-count]")).to_have_text(f"共 {n} 个计划条目")


def _report_row(page, year: int, month: int):
    return page.locator(f"[data-testid=report-months] tr[data-month='{year}-{month:02d}']")


def test_plan_approved_report_returned_corrected_confirmed_and_progress_shows(
    live_server, page, personas, world, journey, screenshot
):
    package, items, communities = journey["package"], journey["items"], journey["communities"]
    year, month = journey["month"]
    problems = page.locator("[data-testid=coverage-problems]")

    # The agency manager drafts the plan: the coverage panel lists what is missing and clears as items land.
    switch_user(page, live_server, personas[Role.AGENCY_MANAGER].username)
    _open_package(page, package, "服务计划")
    expect(page.locator("[data-testid=plan-submit]")).to_have_count(0)  # nothing to submit yet
    count = 0
    p4, p5 = "基础服务类项目须覆盖每个社区", "焦点治理类项目只落在"
    for kind, rule in (("basic", p4), ("empowerment", None), ("governance", p5), ("needs_research", None)):
        for community in communities:
            count += 1
            _add_plan_item(page, items[kind], community, count)
        if count == 4:
            expect(problems).to_contain_text(p5)
            expect(problems).to_contain_text("第一年须有需求调研类项目")
        if rule:
            expect(problems).not_to_contain_text(rule)
    expect(page.locator("[data-coverage=ok]")).to_be_visible()
    expect(problems).to_have_count(0)
    screenshot(page, "plan-editor-coverage-ok-zh")
    page.locator("[data-testid=plan-submit]").click()
    expect_message(page, "服务计划已提交街镇审核。")
    expect(page.locator("[data-testid=plan-status] .badge")).to_have_attribute("data-status", "submitted")

    # The town officer reviews it and forwards it to the bureau.
    switch_user(page, live_server, personas[Role.TOWN_OFFICER].username)
    _open_package(page, package, "服务计划")
    expect(page.locator("[data-testid=plan-items] tr[data-item]")).to_have_count(16)
    page.locator("[data-testid=town-review]").get_by_role("button", name="审核通过，报民政局审批").click()
    expect_message(page, "已报民政局审批。")
    expect(page.locator("[data-testid=plan-status] .badge")).to_have_attribute("data-status", "town_reviewed")

    # The bureau approves: version 1 of the plan.
    switch_user(page, live_server, personas[Role.BUREAU_ADMIN].username)
    _open_package(page, package, "服务计划")
    page.locator("[data-testid=bureau-decision]").get_by_role("button", name="批准服务计划").click()
    expect_message(page, "服务计划已批准。")
    expect(page.locator("[data-testid=plan-status]")).to_contain_text("已批准版本 v1")

    # A worker opens last month's report, fills one line (autosaved), attaches a photo to it and submits.
    reported = PlanItem.objects.get(plan__package=package, item=items["basic"], community=communities[0], year=1)
    sessions = page.locator(f"input[name=line-{reported.pk}-sessions]")
    switch_user(page, live_server, personas[Role.AGENCY_WORKER].username)
    _open_package(page, package, "月度服务报告")
    _report_row(page, year, month).get_by_role("button", name="开始填报").click()
    expect_message(page, f"已建立 {year}年{month}月的报告草稿。")
    expect(page.locator("[data-testid=report-lines] tbody tr")).to_have_count(16)
    page.fill("textarea[name=summary]", "本月在四个社区开展防诈骗宣传、骨干培育和社情民意收集。")
    sessions.fill("1")
    page.fill(f"textarea[name=line-{reported.pk}-narrative]", "在第一社区开展防诈骗讲座1场。")
    page.locator(f"input[name=line-{reported.pk}-attendances]").fill("35")
    with page.expect_response(lambda response: "/autosave/" in response.url):
        page.keyboard.press("Tab")  # leaving the last field autosaves the draft
    expect(page.locator("[data-testid=autosave-ok]")).to_be_visible()
    attach = page.locator("[data-testid=attach-form]")
    attach.locator("input[name=file]").set_input_files(
        {"name": "防诈骗讲座.png", "mimeType": "image/png", "buffer": PNG_1X1}
    )
    # The same sub-item runs in all four communities: the choice names the place.
    attach.locator("select[name=line]").select_option(label=f"{reported.display_name} · {communities[0].name}")
    attach.get_by_role("button", name="上传附件").click()
    expect_message(page, "附件“防诈骗讲座.png”已上传。")
    attachments = page.locator("[data-testid=attachments] tbody")
    expect(attachments).to_contain_text("PNG")
    expect(attachments).to_contain_text(f"{reported.display_name} · {communities[0].name}")
    expect(sessions).to_have_value("1")  # the autosaved draft survived the upload's page reload
    page.locator("[data-testid=submit]").click()
    expect_message(page, "报告已提交，等待街镇确认。")
    expect(page.locator("hgroup .badge[data-status]")).to_have_attribute("data-status", "submitted")

    # The town officer returns it with a reason.
    switch_user(page, live_server, personas[Role.TOWN_OFFICER].username)
    _open_package(page, package, "月度服务报告")
    _report_row(page, year, month).get_by_role("link", name="查看").click()
    page.fill("[data-testid=confirm-panel] textarea[name=reason]", RETURN_REASON)
    page.locator("[data-testid=return]").click()
    expect_message(page, "报告已退回机构修改。")

    # The worker sees the reason, corrects the number of sessions and resubmits.
    switch_user(page, live_server, personas[Role.AGENCY_WORKER].username)
    _open_package(page, package, "月度服务报告")
    row = _report_row(page, year, month)
    expect(row.locator(".badge[data-status]")).to_have_attribute("data-status", "returned")
    row.get_by_role("link", name="填写").click()
    expect(page.locator("[data-testid=returned-reason]")).to_contain_text(RETURN_REASON)
    expect(sessions).to_have_value("1")
    sessions.fill("2")
    page.locator("[data-testid=submit]").click()
    expect_message(page, "报告已提交，等待街镇确认。")

    # The town officer confirms; the package's progress counts the confirmed sessions against the target.
    switch_user(page, live_server, personas[Role.TOWN_OFFICER].username)
    _open_package(page, package, "月度服务报告")
    _report_row(page, year, month).get_by_role("link", name="查看").click()
    expect(page.locator("[data-testid=report-lines]")).to_contain_text("在第一社区开展防诈骗讲座1场。")
    expect(page.locator("[data-testid=attachments]")).to_contain_text("防诈骗讲座.png")
    page.locator("[data-testid=confirm]").click()
    expect_message(page, "报告已确认。")
    expect(page.locator("hgroup .badge[data-status]")).to_have_attribute("data-status", "confirmed")
    page.locator("nav[aria-label=breadcrumb]").get_by_role("link", name=package.title).click()
    page.locator("[data-testid=package-sections]").get_by_role("link", name="服务进度").click()
    progress_row = page.locator(f"[data-testid=progress] tr[data-item='{reported.pk}']")
    expect(progress_row).to_contain_text(f"{TARGET} 次")
    expect(progress_row).to_contain_text("2 次")
    expect(progress_row).to_contain_text("50.0%")
    other = PlanItem.objects.get(plan__package=package, item=items["basic"], community=communities[1], year=1)
    expect(page.locator(f"[data-testid=progress] tr[data-item='{other.pk}']")).to_contain_text("0.0%")
    expect(page.locator("canvas#progress-chart")).to_be_visible()
    page.wait_for_function("() => window.Chart && Chart.getChart(document.getElementById('progress-chart'))")
    screenshot(page, "package-progress-zh")
