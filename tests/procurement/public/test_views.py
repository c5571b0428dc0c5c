"""T6: public tender notices and results — readable by anyone, drafts hidden, bids sealed (T2), and after the
award the winner only."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from directory.models import Role
from procurement.models import Tender
from tests.factories import TownFactory
from tests.procurement.factories import BidFactory, TenderFactory

from .conftest import (
    LOSING_PRICE,
    LOSING_PROPOSAL,
    SEALED_PRICE,
    SEALED_PROPOSAL,
    WINNING_PRICE,
    WINNING_PROPOSAL,
    awarded_tender,
    money_forms,
)

LIST_URL = reverse("procurement:tender-public-list")


def detail_url(tender: Tender) -> str:
    return reverse("procurement:tender-public-detail", args=[tender.pk])


def body(response) -> str:
    return response.content.decode("utf-8")


def assert_no_price(text: str, price: Decimal) -> None:
    for form in money_forms(price):
        assert form not in text, form


# --- who may read -----------------------------------------------------------------------------------


def test_t6_anonymous_reads_notices_and_results(client, public_tenders):
    response = client.get(LIST_URL)
    assert response.status_code == 200
    text = body(response)
    assert "招标公告与结果" in text  # Chinese by default
    for tender in public_tenders.public:
        assert tender.title in text
        assert client.get(detail_url(tender)).status_code == 200


@pytest.mark.parametrize("role", list(Role))
def test_t6_every_persona_reads_public_pages(client, public_tenders, personas, role):
    client.force_login(personas[role])
    assert client.get(LIST_URL).status_code == 200
    assert client.get(detail_url(public_tenders.contracted)).status_code == 200


def test_t6_drafts_are_never_listed(client, public_tenders, bureau_admin):
    assert "DRAFT-4410" not in body(client.get(LIST_URL))
    client.force_login(bureau_admin)
    # The public list is the same for the bureau: a draft is not a public notice.
    assert "DRAFT-4410" not in body(client.get(LIST_URL))


@pytest.mark.parametrize(
    "role",
    [
        Role.DISTRICT_OFFICER,
        Role.TOWN_OFFICER,
        Role.COMMUNITY_OFFICER,
        Role.AGENCY_MANAGER,
        Role.AGENCY_WORKER,
        Role.EVALUATOR,
        Role.EXPERT,
    ],
)
def test_t6_draft_detail_is_404_for_non_bureau_users(client, public_tenders, personas, outsiders, role):
    url = detail_url(public_tenders.draft)
    for user in (personas[role], outsiders[role]):
        client.force_login(user)
        assert client.get(url).status_code == 404


def test_t6_draft_detail_is_404_for_anonymous(client, public_tenders):
    assert client.get(detail_url(public_tenders.draft)).status_code == 404
    assert client.get(reverse("procurement:tender-public-detail", args=[999999])).status_code == 404


@pytest.mark.parametrize("role", [Role.BUREAU_ADMIN, Role.AUDITOR])
def test_t6_bureau_previews_a_draft_marked_unpublished(client, public_tenders, personas, role):
    client.force_login(personas[role])
    response = client.get(detail_url(public_tenders.draft))
    assert response.status_code == 200
    assert "草稿，尚未公开" in body(response)


def test_t6_public_pages_refuse_writes(client, public_tenders):
    assert client.post(LIST_URL).status_code == 405
    assert client.post(detail_url(public_tenders.published)).status_code == 405


# --- what a notice says ---------------------------------------------------------------------------


def test_t6_notice_shows_the_tender_terms(client, world, round_2018):
    tender = TenderFactory(
        town=world.town_a1,
        annual_ceiling=Decimal("1000000.00"),
        period_years=2,
        service_starts_on=datetime.date(2027, 3, 1),
        min_full_time_staff=9,
        min_certified_share=Decimal("50.00"),
        weight_price=20,
        weight_proposal=40,
        weight_team=25,
        weight_past=15,
        bid_deadline=timezone.make_aware(datetime.datetime(2027, 1, 15, 17, 0)),
    )
    text = body(client.get(detail_url(tender)))
    for expected in [
        tender.title,
        "姑苏区",
        "双塔街道",
        "1,000,000.00",  # money in groups of three (suzhou_sw/formats)
        "2 年",
        "2027-03-01",
        "专职人员不少于 9 人，其中持证社工占比不低于 50%",
        "价格 20 分、服务方案 40 分、团队 25 分、既往绩效 15 分",
        "2027-01-15 17:00",
        "2018年新一轮服务目录",
        "招标中",
        f"ocds-sz0sw1-{tender.pk}",
    ]:
        assert expected in text, expected


def test_t6_result_shows_the_winner_only(client, public_tenders, agency, other_agency):
    tender = public_tenders.contracted
    response = client.get(detail_url(tender))
    text = body(response)
    assert response.context["result"].agency == agency
    assert "已签约" in text
    assert "乐仁社工服务社" in text
    assert agency.organisation.uscc in text
    assert "912,345.67" in text  # awarded annual price
    assert "1,824,691.34" in text  # contract value
    assert timezone.localtime(tender.awarded_at).strftime("%Y-%m-%d") in text
    assert "共收到投标 2 份" in text
    # The loser: neither its name, its price nor any proposal.
    assert "和光社工服务中心" not in text
    assert other_agency.organisation.uscc not in text
    assert_no_price(text, LOSING_PRICE)
    assert LOSING_PROPOSAL not in text
    assert WINNING_PROPOSAL not in text


def test_t6_awarded_result_without_signature(client, public_tenders):
    text = body(client.get(detail_url(public_tenders.awarded)))
    assert "已定标" in text
    assert "乐仁社工服务社" in text
    assert "合同签订日期" not in text


def test_t6_sealed_bid_never_on_public_pages_before_the_deadline(client, public_tenders, other_agency, personas):
    pages = [LIST_URL, detail_url(public_tenders.published), detail_url(public_tenders.cancelled)]
    # Not for anyone: the public pages show the same to the bidder and the bureau.
    for user in [None, personas[Role.BUREAU_ADMIN], personas[Role.AGENCY_MANAGER]]:
        if user is not None:
            client.force_login(user)
        for url in pages:
            text = body(client.get(url))
            assert SEALED_PROPOSAL not in text
            assert_no_price(text, SEALED_PRICE)
        detail = body(client.get(detail_url(public_tenders.published)))
        assert "和光社工服务中心" not in detail
        assert "收到投标" not in detail
        assert "正在接受投标" in detail


def test_t6_bid_count_appears_after_the_deadline_without_bids(client, public_tenders):
    text = body(client.get(detail_url(public_tenders.evaluation)))
    assert "投标已截止，共收到投标 2 份" in text
    for name in ("乐仁社工服务社", "和光社工服务中心"):
        assert name not in text
    assert_no_price(text, LOSING_PRICE)
    assert_no_price(text, WINNING_PRICE)
    assert LOSING_PROPOSAL not in text
    assert WINNING_PROPOSAL not in text
    listed = body(client.get(LIST_URL))
    assert "收到投标 2 份" in listed
    assert LOSING_PROPOSAL not in listed


def test_t6_cancelled_and_unsuccessful_show_their_status(client, public_tenders):
    cancelled = body(client.get(detail_url(public_tenders.cancelled)))
    assert "本项目已取消招标" in cancelled
    assert "收到投标" not in cancelled  # cancelled before the deadline: the bid was never opened
    unsuccessful = body(client.get(detail_url(public_tenders.unsuccessful)))
    assert "本项目流标" in unsuccessful
    assert "共收到投标 1 份" in unsuccessful
    assert "和光社工服务中心" not in unsuccessful
    assert_no_price(unsuccessful, LOSING_PRICE)


def test_t6_list_shows_winners_and_no_losing_prices(client, public_tenders):
    text = body(client.get(LIST_URL))
    assert text.count("中标：乐仁社工服务社") == 2
    assert_no_price(text, LOSING_PRICE)
    assert_no_price(text, WINNING_PRICE)  # the list shows ceilings, not prices
    assert SEALED_PROPOSAL not in text


# --- filters, pages, queries ------------------------------------------------------------------------


def titles(response) -> set[str]:
    return {row["tender"].title for row in response.context["rows"]}


def test_t6_list_filters_by_status_district_and_town(client, public_tenders, world):
    t = public_tenders
    assert titles(client.get(LIST_URL, {"status": "contracted"})) == {t.contracted.title}
    assert titles(client.get(LIST_URL, {"district": world.district_b.pk})) == {t.awarded.title, t.cancelled.title}
    assert titles(client.get(LIST_URL, {"town": world.town_a2.pk})) == {t.evaluation.title, t.unsuccessful.title}
    assert titles(client.get(LIST_URL, {"district": world.district_a.pk, "status": "published"})) == {t.published.title}


def test_t6_list_filter_errors_are_shown_not_raised(client, public_tenders):
    for params in ({"status": "draft"}, {"town": "abc"}, {"district": "999999"}, {"page": "x"}):
        response = client.get(LIST_URL, params)
        assert response.status_code == 200
        assert "DRAFT-4410" not in body(response)
    assert "errorlist" in body(client.get(LIST_URL, {"status": "draft"}))


def test_t6_list_is_paginated(client, world, round_2018):
    for i in range(25):
        TenderFactory(town=world.town_a1, title=f"分页测试项目{i:02d}")
    first = client.get(LIST_URL)
    assert len(first.context["rows"]) == 20
    assert "第 1 / 2 页" in body(first)
    second = client.get(LIST_URL, {"page": 2})
    assert len(second.context["rows"]) == 5
    assert titles(first).isdisjoint(titles(second))
    # Filters survive paging.
    filtered = client.get(LIST_URL, {"town": world.town_a1.pk, "page": 1})
    assert f"town={world.town_a1.pk}" in body(filtered)
    assert client.get(LIST_URL, {"page": 99}).context["page"].number == 2


def test_t6_list_htmx_returns_the_table_only(client, public_tenders):
    response = client.get(LIST_URL, {"status": "awarded"}, headers={"HX-Request": "true"})
    text = body(response)
    assert "<html" not in text
    assert public_tenders.awarded.title in text
    assert public_tenders.published.title not in text


def test_t6_list_constant_queries(client, world, round_2018, agency, other_agency, django_assert_max_num_queries):
    def add(n):
        for _ in range(n):
            # A town has one active package at a time (P1): each award in a town of its own.
            awarded_tender(town=TownFactory(district=world.district_a), winner=agency, loser=other_agency)
            TenderFactory(town=world.town_b1)
            BidFactory(tender=TenderFactory(town=world.town_a2), agency=agency)

    add(1)
    with django_assert_max_num_queries(5) as few:
        assert client.get(LIST_URL).status_code == 200
    add(3)
    with django_assert_max_num_queries(5) as many:
        response = client.get(LIST_URL)
    assert len(response.context["rows"]) == 12
    assert len(many.captured_queries) == len(few.captured_queries)


def test_t6_detail_constant_queries(client, public_tenders, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        assert client.get(detail_url(public_tenders.contracted)).status_code == 200
