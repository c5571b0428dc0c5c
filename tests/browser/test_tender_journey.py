"""The tender journey (T1–T6) in a real browser: the bureau drafts and publishes a tender → two agencies bid →
the deadline passes → the bureau draws three experts, who declare no conflict and score both bids → the bureau
awards the top-ranked bid → an anonymous visitor reads the result on the public notice page, which names the
winner and its price and nothing of the losing bid."""

import datetime
import re
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from directory.models import Role
from procurement.models import Bid, Tender
from tests.browser.helpers import expect_message, nav, switch_user
from tests.factories import MembershipFactory, UserFactory
from tests.procurement.factories import ExpertFactory, RoundFactory, qualified_agency, team

pytestmark = [pytest.mark.browser]

TITLE = "双塔街道2026—2027年度社会工作服务综合包"
WINNER_PROPOSAL = "以社区需求调研为起点，四个社区各设社工站点，重点治理群租房与高空抛物。"
LOSER_PROPOSAL = "依托本机构既往经验开展老年与儿童服务，另设周末亲子课堂。"
WINNER_PRICE = Decimal("960000.00")
LOSER_PRICE = Decimal("880000.00")


@pytest.fixture
def journey(transactional_db, world, personas, outsiders, edition_2018):
    round_ = RoundFactory(edition=edition_2018)
    agency_a = qualified_agency(organisation=world.agency)
    agency_b = qualified_agency(organisation=world.other_agency)
    team(agency_a, full_time=9, certified=5)
    team(agency_b, full_time=9, certified=5)
    experts = [ExpertFactory(user=personas[Role.EXPERT])]
    for n in (2, 3):
        user = UserFactory(username=f"p_expert_{n}", full_name=f"评审专家{n}")
        MembershipFactory(user=user, organisation=world.city_bureau, role=Role.EXPERT)
        experts.append(ExpertFactory(user=user))
    return {
        "round": round_,
        "agencies": (agency_a, agency_b),
        "managers": (personas[Role.AGENCY_MANAGER], outsiders[Role.AGENCY_MANAGER]),
        "experts": experts,
    }


def _bid(page, live_server, manager, price: Decimal, proposal: str) -> None:
    """An agency manager finds the tender among the open ones and bids with its whole team."""
    switch_user(page, live_server, manager.username)
    nav(page, "可投标项目")
    row = page.locator("[data-testid=open-tenders] tr", has_text=TITLE)
    row.get_by_role("link", name="投标", exact=True).click()
    expect(page.locator("[data-q1=ok]")).to_be_visible()
    page.fill("input[name=price]", str(price))
    page.fill("textarea[name=proposal]", proposal)
    for box in page.locator("input[name=team_ids]").all():
        box.check()
    # The team check updates live (htmx) as staff are ticked: 9 full-time, 5 certified passes Q2/Q3.
    expect(page.locator("[data-testid=team-check]")).to_have_attribute("data-ok", "1")
    expect(page.locator("[data-testid=team-ok]")).to_be_visible()
    page.get_by_role("button", name="提交投标").click()
    expect_message(page, "投标已提交")
    expect(page.locator("[data-testid=bid-status]")).to_contain_text(f"年度报价 {price:,.2f} 元")


def _score(page, agency_name: str, scores: tuple[int, int, int, int]) -> None:
    page.locator("[data-testid=panel-bids] tr", has_text=agency_name).get_by_role("link", name="评分").click()
    expect(page.get_by_role("heading", name=agency_name)).to_be_visible()
    for name, value in zip(("price_score", "proposal_score", "team_score", "past_score"), scores, strict=True):
        page.fill(f"input[name={name}]", str(value))
    page.once("dialog", lambda dialog: dialog.accept())  # the sheet locks once submitted: the page asks first
    page.get_by_role("button", name="提交评分").click()
    expect_message(page, "评分已提交。")


def test_bureau_publishes_two_agencies_bid_experts_score_bureau_awards_public_sees_result(
    live_server, browser, page, personas, world, journey, screenshot
):
    agency_a, agency_b = journey["agencies"]
    manager_a, manager_b = journey["managers"]

    # The bureau drafts the tender for town A1 through the form, then publishes it.
    switch_user(page, live_server, personas[Role.BUREAU_ADMIN].username)
    nav(page, "招标项目")
    page.get_by_role("button", name="新建招标项目").click()  # a link styled as a button
    page.select_option("select[name=round]", str(journey["round"].pk))
    page.select_option("select[name=town]", str(world.town_a1.pk))
    page.fill("input[name=title]", TITLE)
    page.fill("input[name=service_starts_on]", (timezone.localdate() + datetime.timedelta(days=60)).isoformat())
    deadline = timezone.localtime() + datetime.timedelta(days=14)
    page.fill("input[name=bid_deadline]", deadline.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("button", name="保存草稿").click()
    expect_message(page, f"已创建招标项目草稿“{TITLE}”")
    expect(page.locator("hgroup [data-status]")).to_have_attribute("data-status", "draft")
    tender = Tender.objects.get(title=TITLE)
    assert tender.town == world.town_a1 and tender.annual_ceiling == Decimal("1000000.00")
    page.get_by_role("button", name="发布招标公告").click()
    expect_message(page, "招标公告已发布，开始接受投标。")
    expect(page.locator("[data-status=published]")).to_be_visible()

    # Two agencies bid; before the deadline the bureau sees only the count (T2 sealing).
    _bid(page, live_server, manager_a, WINNER_PRICE, WINNER_PROPOSAL)
    _bid(page, live_server, manager_b, LOSER_PRICE, LOSER_PROPOSAL)
    switch_user(page, live_server, personas[Role.BUREAU_ADMIN].username)
    page.goto(f"{live_server.url}{tender.get_absolute_url()}")
    expect(page.locator("[data-testid=sealed-count]")).to_contain_text("已收到 2 份投标")
    assert LOSER_PROPOSAL not in page.content() and str(LOSER_PRICE) not in page.content()

    # The deadline passes (the one shortcut: time itself).
    Tender.objects.filter(pk=tender.pk).update(bid_deadline=timezone.now() - datetime.timedelta(minutes=5))

    # The bureau opens the tender: bidding has closed by itself and the expert draw is offered.
    page.reload()
    expect(page.locator("[data-status=evaluation]")).to_be_visible()
    expect(page.locator("[data-testid=ranking] tbody tr[data-bid]")).to_have_count(2)
    page.get_by_role("button", name="随机抽取评审专家").click()
    expect_message(page, "已随机抽取评审专家")
    expect(page.locator("[data-testid=draw] li[data-expert]")).to_have_count(3)

    # Each drawn expert declares no conflict, then scores both bids; agency A is scored higher.
    for expert in journey["experts"]:
        switch_user(page, live_server, expert.user.username)
        nav(page, "评审任务")
        page.locator("[data-testid=panels]").get_by_role("link", name=TITLE).click()
        page.check("input[name=has_conflict][value=no]")
        page.get_by_role("button", name="提交声明").click()
        expect_message(page, "已声明无利益冲突，可以开始评分。")
        expect(page.locator("[data-testid=panel-bids] tbody tr")).to_have_count(2)
        _score(page, str(agency_a), (85, 92, 90, 88))
        _score(page, str(agency_b), (95, 70, 75, 72))
        expect(page.locator("[data-testid=panel-bids] a", has_text="评分")).to_have_count(0)
    nav(page, "评审任务")
    expect(page.locator("[data-testid=panels] tbody tr").first).to_contain_text("2 / 2")

    # The bureau sees the ranking with every sheet and awards the top-ranked bid.
    switch_user(page, live_server, personas[Role.BUREAU_ADMIN].username)
    nav(page, "招标项目")
    page.locator("[data-testid=tender-table]").get_by_role("link", name=TITLE).click()
    bid_a = Bid.objects.get(tender=tender, agency=agency_a)
    bid_b = Bid.objects.get(tender=tender, agency=agency_b)
    first = page.locator(f"[data-testid=ranking] tr[data-bid='{bid_a.pk}'] td").first
    expect(first).to_have_text("1")
    expect(page.locator(f"[data-testid=ranking] tr[data-bid='{bid_b.pk}'] td").first).to_have_text("2")
    screenshot(page, "tender-ranking-zh")
    page.get_by_role("button", name="定标", exact=True).click()
    expect(page.locator("[data-testid=award-ranking] li").first).to_contain_text(str(agency_a))
    expect(page.locator("input[name=staff_cost_share]")).to_have_value("60")
    page.get_by_role("button", name="确认定标").click()
    expect_message(page, f"已定标：{agency_a}")
    expect(page.locator("[data-status=awarded]")).to_be_visible()
    contract = page.locator("[data-testid=contract]")
    expect(contract).to_contain_text(str(agency_a))
    expect(contract).to_contain_text(f"{WINNER_PRICE * 2:,.2f}")  # the contract: annual price × 2 years

    # An anonymous visitor (a fresh browser context) reads the public notice and its result.
    visitor = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 860})
    try:
        public = visitor.new_page()
        public.set_default_timeout(15000)
        public.goto(f"{live_server.url}/accounts/login/")
        nav(public, "招标公告")
        row = public.locator("tbody tr", has_text=TITLE)
        expect(row).to_contain_text(f"中标：{agency_a}")
        row.get_by_role("link", name=TITLE).click()
        result = public.locator("[data-testid=tender-result]")
        expect(result).to_contain_text(str(agency_a))
        expect(result).to_contain_text(re.compile(r"中标年度价格（元）\s*960,?000\.00"))
        expect(result).to_contain_text("共收到投标 2 份")
        text = public.locator("main").inner_text()
        for secret in (str(agency_b), "880,000", "880000", LOSER_PROPOSAL, WINNER_PROPOSAL):
            assert secret not in text, f"the public notice shows {secret!r}"
        screenshot(public, "tender-public-result-zh")
    finally:
        visitor.close()
