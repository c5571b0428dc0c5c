"""A tour of the demo platform (`seed_demo`) in the browser: each demo user's main pages render with real
content. With SCREENSHOTS=1 (make screenshots) it also refreshes the pictures in docs/screenshots/."""

import pytest
from django.urls import reverse

from core.demo import seed_all
from directory.demo import DEMO_PASSWORD
from evaluation.models import Evaluation
from procurement.models import ServicePackage, Tender
from tests.browser.conftest import login

pytestmark = [pytest.mark.browser]


@pytest.fixture
def demo(transactional_db):
    ctx = seed_all()
    package = ServicePackage.objects.get(town=ctx.town, status="active")
    awarded = Tender.objects.get(town=ctx.town)
    midterm = Evaluation.objects.get(package=package, stage="mid_term")
    return ctx, package, awarded, midterm


def _visit(page, live_server, path: str, expect: str):
    page.goto(f"{live_server.url}{path}")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    body = page.locator("main").inner_text()
    assert expect in body, f"{path}: {expect!r} not on the page"
    return body


def test_demo_tour_bureau(demo, live_server, page, screenshot):
    _ctx, _package, awarded, midterm = demo
    login(page, live_server, "bureau", DEMO_PASSWORD)
    screenshot(page, "home-bureau-zh")
    _visit(page, live_server, reverse("catalog:item-list"), "共 90 个子项")
    screenshot(page, "catalogue-zh")
    body = _visit(page, live_server, reverse("procurement:tender-detail", args=[awarded.pk]), awarded.title)
    assert "苏州市姑苏区乐仁社会工作服务社" in body
    screenshot(page, "tender-awarded-bureau-zh")
    _visit(page, live_server, reverse("evaluation:evaluation-detail", args=[midterm.pk]), "良好")
    screenshot(page, "evaluation-midterm-bureau-zh")


def test_demo_tour_town_officer(demo, live_server, page, screenshot):
    _ctx, package, _awarded, _midterm = demo
    login(page, live_server, "town", DEMO_PASSWORD)
    _visit(page, live_server, reverse("procurement:package-detail", args=[package.pk]), package.title)
    _visit(page, live_server, reverse("delivery:plan-coverage", args=[package.pk]), "南园社区")
    screenshot(page, "plan-coverage-town-zh")
    _visit(page, live_server, reverse("delivery:package-progress", args=[package.pk]), package.title)
    page.wait_for_timeout(500)  # let Chart.js draw
    screenshot(page, "progress-town-zh")
    _visit(page, live_server, reverse("delivery:report-list", args=[package.pk]), "已确认")
    page.click("[data-testid=lang-en]")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    page.goto(f"{live_server.url}/")
    screenshot(page, "home-town-en")


def test_demo_tour_agency_and_public(demo, live_server, page, browser, screenshot):
    _ctx, _package, awarded, midterm = demo
    login(page, live_server, "agency", DEMO_PASSWORD)
    _visit(page, live_server, reverse("procurement:agency-mine"), "苏州市姑苏区乐仁社会工作服务社")
    screenshot(page, "agency-profile-zh")
    _visit(page, live_server, reverse("evaluation:evaluation-report", args=[midterm.pk]), "良好")
    screenshot(page, "evaluation-report-agency-zh")
    anonymous = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 860}).new_page()
    body = _visit(anonymous, live_server, reverse("procurement:tender-public-detail", args=[awarded.pk]), "乐仁")
    assert "和光" not in body  # the losing bidder is not published
    screenshot(anonymous, "public-result-zh")
    body = _visit(anonymous, live_server, reverse("reporting:city-statistics"), "全市统计")
    assert "姑苏区" in body and "统计口径" in body
    anonymous.wait_for_timeout(500)  # let Chart.js draw
    screenshot(anonymous, "city-statistics-zh")
    anonymous.context.close()


def test_demo_tour_district_officer_cosigns(demo, live_server, page):
    _ctx, package, _awarded, _midterm = demo
    login(page, live_server, "district", DEMO_PASSWORD)
    body = page.locator("main").inner_text()
    assert "暂无待办：" in body and "待区民政局会签的服务项目包" in body  # the empty section, collapsed
    body = _visit(page, live_server, reverse("procurement:package-detail", args=[package.pk]), "区民政局会签")
    assert "李区干 于" in body and "同意" in body  # seed_demo's co-signature, with its comment
    assert page.locator("[data-testid=cosign-form]").count() == 0
