"""The money journey in a real browser (F3, F4): the fund manager records a donation, two committee members
approve a micro-grant, the fund's balance and its public page follow; the bureau records the mid-term payment
once the mid-term evaluation is finalised."""

import pytest
from playwright.sync_api import expect

from directory.models import Role
from evaluation.models import Evaluation
from funds import services
from funds.models import CommunityFund, FundingSource, FundMember
from tests.browser.helpers import switch_user
from tests.factories import UserFactory
from tests.funds.conftest import finalised_evaluation
from tests.procurement.factories import AgencyFactory, PackageFactory, RoundFactory

pytestmark = [pytest.mark.browser]


@pytest.fixture
def journey(transactional_db, world, personas):
    from catalog.models import CatalogueEdition

    bureau = personas[Role.BUREAU_ADMIN]
    edition, _created = CatalogueEdition.objects.get_or_create(
        code="2018-new-round", defaults={"name_zh": "2018年新一轮", "name_en": "2018 new round", "year": 2018}
    )
    package = PackageFactory(
        town=world.town_a1, agency=AgencyFactory(organisation=world.agency), round=RoundFactory(edition=edition)
    )
    lottery = services.source_ensure(kind=FundingSource.Kind.WELFARE_LOTTERY)
    for year in (package.starts_on.year, package.starts_on.year + 1, package.starts_on.year + 2):
        services.budget_set(actor=bureau, source=lottery, year=year, amount="5000000.00")
    services.package_year_split_set(actor=bureau, package=package, plan_year=1, parts={lottery: package.annual_amount})
    fund = CommunityFund.objects.create(
        kind=CommunityFund.Kind.COMMUNITY_FUND, name="双塔街道社区公益基金", host=world.foundation, town=world.town_a1
    )
    committee = [UserFactory(username=f"committee_{i}") for i in range(3)]
    for user in committee:
        FundMember.objects.create(fund=fund, user=user, role=FundMember.Role.COMMITTEE)
    grant = services.grant_apply(
        actor=personas[Role.AGENCY_MANAGER],
        fund=fund,
        kind="micro_venture",
        title="睦邻花园",
        applicant_kind="agency",
        applicant_name="乐仁社工服务社",
        community=world.communities_a1[0],
        purpose="花园改造",
        budget_lines=[{"item": "苗木", "amount": "300.00"}],
    )
    return {"package": package, "fund": fund, "committee": committee, "grant": grant}


def test_donation_vote_public_page_and_mid_term_payment(live_server, page, personas, journey, screenshot):
    fund, grant, package = journey["fund"], journey["grant"], journey["package"]

    # The fund manager records a donation.
    switch_user(page, live_server, personas[Role.FUND_MANAGER].username)
    page.goto(f"{live_server.url}/funds/community/{fund.pk}/")
    page.click("text=登记捐赠")
    page.fill("[data-testid=donation-form] input[name=amount]", "1000.00")
    page.fill("[data-testid=donation-form] input[name=donor_name]", "苏州某公司")
    page.click("[data-testid=donation-form] button[type=submit]")
    expect(page.locator("[data-testid=balance]")).to_contain_text("1,000.00")

    # Two of three committee members approve: the grant is disbursed.
    for member in journey["committee"][:2]:
        switch_user(page, live_server, member.username)
        page.goto(f"{live_server.url}/funds/grants/{grant.pk}/")
        page.check("[data-testid=vote-form] input[value=yes]")
        page.click("[data-testid=vote-form] button[type=submit]")
    expect(page.locator("[data-testid=grant-status]")).to_have_text("已通过并拨付")
    page.goto(f"{live_server.url}/funds/community/{fund.pk}/")
    expect(page.locator("[data-testid=balance]")).to_contain_text("700.00")

    # The public page, without login.
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/funds/public/{fund.pk}/")
    expect(page.locator("[data-testid=public-balance]")).to_have_text("700.00")
    expect(page.locator("main")).to_contain_text("睦邻花园")
    screenshot(page, "fund-public-page")

    # The bureau pays the mid-term instalment once the evaluation is finalised with a pass.
    finalised_evaluation(package, Evaluation.Stage.MID_TERM, grade="good", score="84.00")
    mid = package.instalments.get(plan_year=1, milestone="mid_term")
    switch_user(page, live_server, personas[Role.BUREAU_ADMIN].username)
    page.goto(f"{live_server.url}/funds/packages/{package.pk}/")
    row = page.locator(f"tr[data-instalment='{mid.pk}']")
    expect(row).to_have_attribute("data-state", "due")
    row.locator("summary").click()
    row.locator("input[name=voucher_number]").fill("PZ-2026-001")
    row.locator("button[type=submit]").click()
    expect(page.locator(f"tr[data-instalment='{mid.pk}']")).to_have_attribute("data-state", "paid")
    expect(page.locator("[data-testid=paid-total]")).to_have_text("294,000.00")
    screenshot(page, "package-money")
