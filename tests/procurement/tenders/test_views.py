"""The tender pages: who gets what (persona × URL), the forms end to end, constant query counts."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from directory.models import Role
from procurement.models import Bid, BidScore, Contract, ServicePackage, StaffAssignment, Tender
from procurement.services import tenders as services
from tests.procurement.factories import BidFactory, PackageFactory, TenderFactory, qualified_agency, team

from .helpers import PDF, fresh_agency_with_team, pass_deadline, score, shows_amount

pytestmark = pytest.mark.django_db

ALL_ROLES = list(Role.values)
OUTSIDER_ROLES = [
    Role.DISTRICT_OFFICER,
    Role.TOWN_OFFICER,
    Role.COMMUNITY_OFFICER,
    Role.AGENCY_MANAGER,
    Role.AGENCY_WORKER,
    Role.EVALUATOR,
    Role.EXPERT,
]
PACKAGE_READERS = {
    Role.BUREAU_ADMIN,
    Role.AUDITOR,
    Role.DISTRICT_OFFICER,
    Role.TOWN_OFFICER,
    Role.COMMUNITY_OFFICER,
    Role.AGENCY_MANAGER,
    Role.AGENCY_WORKER,
}

# url key → (default status, {persona role: status}, {outsider role: status})
MATRIX = {
    "tender-list": (200, {}, {}),
    "tender-open-list": (200, {}, {}),
    "tender-create": (403, {Role.BUREAU_ADMIN: 200}, {}),
    "tender-detail": (200, {}, {}),
    "tender-detail-draft": (404, {Role.BUREAU_ADMIN: 200, Role.AUDITOR: 200}, {}),
    "tender-update-draft": (404, {Role.BUREAU_ADMIN: 200, Role.AUDITOR: 403}, {}),
    "tender-award": (403, {Role.BUREAU_ADMIN: 200}, {}),
    "bid-submit": (403, {Role.AGENCY_MANAGER: 200}, {Role.AGENCY_MANAGER: 200}),
    "bid-mine": (200, {}, {}),
    "bid-proposal": (
        404,
        {
            Role.BUREAU_ADMIN: 200,
            Role.AUDITOR: 200,
            Role.AGENCY_MANAGER: 200,
            Role.AGENCY_WORKER: 200,
            Role.EXPERT: 200,
        },
        {},
    ),
    "panel-list": (200, {}, {}),
    "panel-detail": (404, {Role.EXPERT: 200}, {}),
    "bid-score": (404, {Role.EXPERT: 200}, {}),
    "package-list": (200, {}, {}),
    "package-detail": (404, dict.fromkeys(PACKAGE_READERS, 200), {}),
    "package-create": (403, {Role.BUREAU_ADMIN: 200}, {}),
}


@pytest.fixture
def site(tender, closed, panel, bids, round_2018, world, bureau, agency):
    """A closed tender with a declared panel (the expert persona on it) whose first bid has an attachment;
    a draft tender; a package of town A1 run by the personas' agency."""
    bids[0].proposal_file.save("proposal.pdf", ContentFile(PDF))
    draft = TenderFactory(round=round_2018, town=world.town_a2, status=Tender.Status.DRAFT, created_by=bureau)
    package = PackageFactory(town=world.town_a1, agency=agency, round=round_2018, created_by=bureau)
    urls = {
        "tender-list": reverse("procurement:tender-list"),
        "tender-open-list": reverse("procurement:tender-open-list"),
        "tender-create": reverse("procurement:tender-create"),
        "tender-detail": closed.get_absolute_url(),
        "tender-detail-draft": draft.get_absolute_url(),
        "tender-update-draft": reverse("procurement:tender-update", args=[draft.pk]),
        "tender-award": reverse("procurement:tender-award", args=[closed.pk]),
        "bid-submit": reverse("procurement:bid-submit", args=[closed.pk]),
        "bid-mine": reverse("procurement:bid-mine"),
        "bid-proposal": reverse("procurement:bid-proposal", args=[bids[0].pk]),
        "panel-list": reverse("procurement:panel-list"),
        "panel-detail": reverse("procurement:panel-detail", args=[closed.pk]),
        "bid-score": reverse("procurement:bid-score", args=[bids[0].pk]),
        "package-list": reverse("procurement:package-list"),
        "package-detail": package.get_absolute_url(),
        "package-create": reverse("procurement:package-create"),
    }
    return urls


@pytest.mark.parametrize("key", list(MATRIX))
def test_permission_matrix(client, site, personas, outsiders, key):
    default, persona_overrides, outsider_overrides = MATRIX[key]
    url = site[key]
    got, expected = {}, {}
    for role in ALL_ROLES:
        client.force_login(personas[role])
        got[role] = client.get(url).status_code
        expected[role] = persona_overrides.get(role, default)
    for role in OUTSIDER_ROLES:
        client.force_login(outsiders[role])
        got[f"outsider {role}"] = client.get(url).status_code
        expected[f"outsider {role}"] = outsider_overrides.get(role, 404 if default == 404 else default)
    client.logout()
    response = client.get(url)
    got["anonymous"] = response.status_code
    expected["anonymous"] = 302
    assert got == expected
    assert response["Location"].startswith(reverse("login"))


def test_t1_tender_form_shows_the_round_defaults_and_the_rule_messages(client, bureau, round_2018, world):
    client.force_login(bureau)
    url = reverse("procurement:tender-create")
    form = client.get(url).context["form"]
    assert form.initial["annual_ceiling"] == Decimal("1000000") and form.initial["period_years"] == 2
    data = {
        "round": round_2018.pk,
        "town": world.town_a1.pk,
        "title": "双塔街道项目",
        "service_starts_on": (timezone.localdate() + datetime.timedelta(days=90)).isoformat(),
        "bid_deadline": (timezone.localtime() + datetime.timedelta(days=30)).strftime("%Y-%m-%dT%H:%M"),
        "expert_count": 3,
        "period_years": 4,
        "weight_price": 20,
        "weight_proposal": 40,
        "weight_team": 25,
        "weight_past": 25,
    }
    response = client.post(url, data)
    assert response.status_code == 200
    body = response.content.decode()
    assert "财政部令第102号" in body and "当前为 110" in body
    assert not Tender.objects.exists()
    response = client.post(url, data | {"period_years": "", "weight_past": 15})
    tender = Tender.objects.get()
    assert response.status_code == 302 and response["Location"] == tender.get_absolute_url()
    assert tender.period_years == 2 and tender.status == Tender.Status.DRAFT


def test_t2_bureau_publishes_draws_and_awards_from_the_tender_page(client, bureau, scored, bids):
    client.force_login(bureau)
    body = client.get(scored.get_absolute_url()).content.decode()
    assert 'data-testid="draw"' in body and reverse("procurement:tender-award", args=[scored.pk]) in body
    response = client.post(reverse("procurement:tender-award", args=[scored.pk]), {"staff_cost_share": "60"})
    assert response.status_code == 302
    contract = Contract.objects.get()
    assert contract.bid == bids[0]
    body = client.get(scored.get_absolute_url()).content.decode()
    assert contract.number in body and 'data-testid="contract"' in body
    response = client.post(
        reverse("procurement:tender-contract", args=[scored.pk]), {"signed_on": timezone.localdate().isoformat()}
    )
    assert Tender.objects.get(pk=scored.pk).status == Tender.Status.CONTRACTED


def test_t6_award_page_requires_a_reason_for_another_bid(client, bureau, scored, bids):
    client.force_login(bureau)
    url = reverse("procurement:tender-award", args=[scored.pk])
    response = client.post(url, {"bid": bids[1].pk, "staff_cost_share": "60"})
    assert response.status_code == 200
    assert response.context["form"].errors["reason"]
    assert not Contract.objects.exists()


def test_t2_tender_actions_are_posts_for_the_bureau_only(client, personas, tender):
    url = reverse("procurement:tender-cancel", args=[tender.pk])
    client.force_login(personas[Role.AUDITOR])
    assert client.post(url, {"reason": "x"}).status_code == 403
    client.force_login(personas[Role.BUREAU_ADMIN])
    assert client.get(url).status_code == 405
    response = client.post(url, {"reason": ""}, follow=True)
    assert "请填写取消原因" in response.content.decode()
    client.post(url, {"reason": "区划调整"})
    assert Tender.objects.get(pk=tender.pk).status == Tender.Status.CANCELLED


def test_t1_publish_from_the_page(client, bureau, round_2018, world):
    draft = TenderFactory(round=round_2018, town=world.town_a1, status=Tender.Status.DRAFT, created_by=bureau)
    client.force_login(bureau)
    client.post(reverse("procurement:tender-publish", args=[draft.pk]))
    assert Tender.objects.get(pk=draft.pk).status == Tender.Status.PUBLISHED


def test_t2_bid_page_submits_with_attachment_and_warns_about_the_team(client, manager, tender, agency):
    members = team(agency, full_time=6, certified=3)
    client.force_login(manager)
    url = reverse("procurement:bid-submit", args=[tender.pk])
    page = client.get(url)
    assert page.context["qualification"].ok and 'data-q1="ok"' in page.content.decode()
    upload = SimpleUploadedFile("plan.pdf", PDF, content_type="application/pdf")
    data = {"price": "880000", "proposal": "四点半课堂与睦邻空间", "team_ids": [m.pk for m in members]}
    response = client.post(url, data | {"proposal_file": upload}, follow=True)
    body = response.content.decode()
    assert "投标已提交" in body and "团队提示" in body and "少于本轮要求的" in body
    bid = Bid.objects.get()
    assert bid.price == Decimal("880000") and bid.team.count() == 6 and bid.proposal_file
    assert 'data-ok="0"' in body  # the team check on the page fails Q2


def test_t5_bid_page_over_the_ceiling_and_not_a_pdf_are_field_errors(client, manager, tender, agency, agency_team):
    client.force_login(manager)
    url = reverse("procurement:bid-submit", args=[tender.pk])
    fake = SimpleUploadedFile("plan.pdf", b"GIF89a....", content_type="application/pdf")
    data = {"price": "1000001", "proposal": "方案", "team_ids": [m.pk for m in agency_team], "proposal_file": fake}
    response = client.post(url, data)
    errors = response.context["form"].errors
    assert "price" in errors and "proposal_file" in errors
    assert not Bid.objects.exists()


def test_t5_bid_page_for_an_unqualified_agency_lists_the_problems(client, manager, tender, agency, agency_team):
    agency.qualifications.all().delete()
    client.force_login(manager)
    url = reverse("procurement:bid-submit", args=[tender.pk])
    assert 'data-q1="fail"' in client.get(url).content.decode()
    response = client.post(url, {"price": "900000", "proposal": "方案", "team_ids": [m.pk for m in agency_team]})
    assert "没有在有效期内的承接资格" in response.content.decode()
    assert not Bid.objects.exists()


def test_t2_late_bid_on_the_page_is_refused(client, manager, tender, agency, agency_team):
    pass_deadline(tender)
    client.force_login(manager)
    url = reverse("procurement:bid-submit", args=[tender.pk])
    assert 'data-testid="bidding-closed"' in client.get(url).content.decode()
    response = client.post(url, {"price": "900000", "proposal": "方案", "team_ids": [m.pk for m in agency_team]})
    assert not Bid.objects.exists()
    assert response.status_code == 200


def test_q2_q3_team_check_partial_updates_live(client, manager, tender, agency, agency_team):
    client.force_login(manager)
    url = reverse("procurement:bid-team-check", args=[tender.pk])
    response = client.get(url, {"team_ids": [m.pk for m in agency_team]}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "<html" not in body and 'data-ok="1"' in body and "专职人员 9 人" in body
    body = client.get(url, {"team_ids": [m.pk for m in agency_team[:4]]}).content.decode()
    assert 'data-ok="0"' in body and "少于本轮要求的" in body


def test_t3_expert_declares_then_scores_on_the_pages(client, expert_user, closed, drawn, bids):
    client.force_login(expert_user)
    panel_url = reverse("procurement:panel-detail", args=[closed.pk])
    body = client.get(panel_url).content.decode()
    assert 'data-testid="declaration"' in body and not shows_amount(body, bids[0].price)
    score_url = reverse("procurement:bid-score", args=[bids[0].pk])
    response = client.get(score_url, follow=True)
    assert "请先声明" in response.content.decode()
    client.post(reverse("procurement:panel-declare", args=[closed.pk]), {"has_conflict": "no"})
    body = client.get(panel_url).content.decode()
    assert shows_amount(body, bids[0].price) and shows_amount(body, bids[1].price)
    bad = {"price_score": "101", "proposal_score": "80", "team_score": "80", "past_score": "80"}
    response = client.post(score_url, bad)
    assert response.status_code == 200 and "price_score" in response.context["form"].errors
    good = bad | {"price_score": "90"}
    assert client.post(score_url, good).status_code == 302
    assert BidScore.objects.get().total == Decimal("82.00")
    response = client.post(score_url, good | {"price_score": "10"}, follow=True)
    assert "不能修改" in response.content.decode()
    assert BidScore.objects.get().price_score == Decimal("90.00")


def test_t3_conflict_declared_on_the_page_tells_the_bureau(client, expert_user, bureau, closed, drawn, experts):
    client.force_login(expert_user)
    client.post(reverse("procurement:panel-declare", args=[closed.pk]), {"has_conflict": "yes", "note": "近亲属任职"})
    body = client.get(reverse("procurement:panel-detail", args=[closed.pk])).content.decode()
    assert 'data-testid="conflict"' in body
    client.force_login(bureau)
    home = client.get(reverse("directory:home")).content.decode()
    assert "评审专家声明的利益冲突" in home and "近亲属任职" in home
    member = closed.panel.get(expert=experts[0])
    client.post(reverse("procurement:tender-redraw", args=[closed.pk, member.pk]))
    assert closed.panel.count() == 4
    assert "近亲属任职" not in client.get(reverse("directory:home")).content.decode()


def test_t3_expert_sees_only_tenders_drawn_for_after_the_deadline(client, expert_user, outsiders, closed, drawn):
    client.force_login(expert_user)
    rows = client.get(reverse("procurement:panel-list")).context["rows"]
    assert [member.tender_id for member, _scored in rows] == [closed.pk]
    client.force_login(outsiders[Role.EXPERT])
    assert client.get(reverse("procurement:panel-list")).context["rows"] == []
    assert client.get(reverse("procurement:panel-detail", args=[closed.pk])).status_code == 404


def test_t3_bureau_draws_from_the_page(client, bureau, closed, experts):
    client.force_login(bureau)
    client.post(reverse("procurement:tender-draw", args=[closed.pk]))
    assert closed.panel.count() == 3
    response = client.post(reverse("procurement:tender-draw", args=[closed.pk]), follow=True)
    assert "已抽取过" in response.content.decode()


def test_p2_package_page_refuses_over_the_ceiling_and_creates_a_valid_one(
    client, bureau, round_2018, world, agency, agency_team
):
    agency.qualifications.update(valid_from=datetime.date(2024, 1, 1))
    client.force_login(bureau)
    url = reverse("procurement:package-create")
    partial = client.get(url, {"agency": agency.pk}, HTTP_HX_REQUEST="true").content.decode()
    assert agency_team[0].name in partial and "<html" not in partial
    data = {
        "town": world.town_a1.pk,
        "agency": agency.pk,
        "round": round_2018.pk,
        "title": "双塔街道项目包",
        "starts_on": "2025-01-01",
        "ends_on": "2026-12-31",
        "annual_amount": "1000000.50",
        "annual_ceiling": "1000000",
        "staff_cost_share": "60",
        "staff_ids": [m.pk for m in agency_team],
    }
    response = client.post(url, data)
    assert "年度金额" in response.content.decode() and "annual_amount" in response.context["form"].errors
    response = client.post(url, data | {"annual_amount": "980000"})
    package = ServicePackage.objects.get()
    assert response["Location"] == package.get_absolute_url()
    assert StaffAssignment.objects.filter(package=package).count() == 9


def test_package_page_shows_the_staffing_check(client, personas, world, agency, round_2018):
    members = team(agency, full_time=8, certified=3)
    package = PackageFactory(town=world.town_a1, agency=agency, round=round_2018)
    for m in members:
        StaffAssignment.objects.create(package=package, staff=m, is_full_time=True, starts_on=package.starts_on)
    client.force_login(personas[Role.TOWN_OFFICER])
    body = client.get(package.get_absolute_url()).content.decode()
    assert 'data-ok="0"' in body and "专职人员 8 人" in body and "少于本轮要求的" in body and "低于本轮要求的" in body


def test_package_page_shows_money_with_thousands_separators(client, personas, world, agency, round_2018):
    package = PackageFactory(
        town=world.town_a1,
        agency=agency,
        round=round_2018,
        annual_amount=Decimal("950000"),
        annual_ceiling=Decimal("1000000"),
    )
    client.force_login(personas[Role.TOWN_OFFICER])
    body = client.get(package.get_absolute_url()).content.decode()
    assert "950,000.00" in body and "1,000,000.00" in body


# --- query counts -------------------------------------------------------------------------------------


def test_tender_list_uses_constant_queries(client, bureau, round_2018, world, django_assert_max_num_queries):
    client.force_login(bureau)
    url = reverse("procurement:tender-list")
    TenderFactory(round=round_2018, town=world.town_a1)
    client.get(url)
    with django_assert_max_num_queries(6):
        small = client.get(url)
    for town in (world.town_a2, world.town_b1):
        for _ in range(3):
            tender = TenderFactory(round=round_2018, town=town)
            BidFactory(tender=tender, agency=qualified_agency())
    with django_assert_max_num_queries(6):
        large = client.get(url, {"status": "published"})
    assert len(small.context["tenders"]) == 1 and len(large.context["tenders"]) == 7


def test_tender_detail_with_bids_and_ranking_uses_constant_queries(
    client, bureau, scored, round_2018, world, experts, django_assert_max_num_queries
):
    client.force_login(bureau)
    client.get(scored.get_absolute_url())
    with django_assert_max_num_queries(12):
        client.get(scored.get_absolute_url())
    big = TenderFactory(round=round_2018, town=world.town_a2, expert_count=3)
    bids = []
    for _ in range(5):
        agency, members = fresh_agency_with_team()
        bids.append(BidFactory(tender=big, agency=agency, team=members))
    pass_deadline(big)
    services.experts_draw(actor=bureau, tender=big)
    for member in big.panel.select_related("expert__user"):
        services.panel_declare(actor=member.expert.user, tender=big, has_conflict=False)
        for bid in bids:
            score(bid, member.expert.user)
    client.get(big.get_absolute_url())
    with django_assert_max_num_queries(12):
        response = client.get(big.get_absolute_url())
    assert len(response.context["ranking"]) == 5


def test_package_list_uses_constant_queries(client, personas, world, round_2018, django_assert_max_num_queries):
    client.force_login(personas[Role.AUDITOR])
    url = reverse("procurement:package-list")
    PackageFactory(town=world.town_a1, round=round_2018)
    client.get(url)
    # 5 + 1: the paginator's count (the page holds at most PACKAGE_PAGE_SIZE packages).
    with django_assert_max_num_queries(6):
        client.get(url)
    for town in (world.town_a2, world.town_b1):
        PackageFactory(town=town, round=round_2018)
    with django_assert_max_num_queries(6):
        response = client.get(url)
    assert len(response.context["packages"]) == 3


def test_open_tenders_and_my_bids_use_constant_queries(
    client, manager, agency, agency_team, round_2018, world, django_assert_max_num_queries
):
    client.force_login(manager)
    for _ in range(2):
        BidFactory(tender=TenderFactory(round=round_2018, town=world.town_a1), agency=agency, team=agency_team)
    # 6 + 1: the bell's unread count (notifications).
    client.get(reverse("procurement:tender-open-list"))
    with django_assert_max_num_queries(7):
        client.get(reverse("procurement:tender-open-list"))
    with django_assert_max_num_queries(7):
        client.get(reverse("procurement:bid-mine"))
    for _ in range(4):
        BidFactory(tender=TenderFactory(round=round_2018, town=world.town_a2), agency=agency, team=agency_team)
    with django_assert_max_num_queries(7):
        response = client.get(reverse("procurement:tender-open-list"))
    assert len(response.context["rows"]) == 6
    with django_assert_max_num_queries(7):
        response = client.get(reverse("procurement:bid-mine"))
    assert len(response.context["bids"]) == 6


def test_package_that_starts_next_year_shows_not_started_until_its_start_date(
    client, bureau, world, agency, round_2018
):
    starts = timezone.localdate() + datetime.timedelta(days=400)
    future = PackageFactory(
        town=world.town_a2,
        agency=agency,
        round=round_2018,
        starts_on=starts,
        ends_on=starts + datetime.timedelta(days=730),
    )
    client.force_login(bureau)
    page = client.get(reverse("procurement:package-detail", args=[future.pk])).content.decode()
    assert "待开始" in page and "执行中" not in page
    listing = client.get(reverse("procurement:package-list")).content.decode()
    assert "待开始" in listing


def test_t4_no_rank_and_no_award_before_every_expert_has_scored(client, bureau, tender, bids, experts):
    tender = pass_deadline(tender)
    services.tender_close_bidding(actor=bureau, tender=tender)
    services.experts_draw(actor=bureau, tender=tender, seed="fixed")
    client.force_login(bureau)
    response = client.get(reverse("procurement:tender-detail", args=[tender.pk]))
    body = response.content.decode()
    assert response.context["award_blockers"] and not response.context["can_award"]
    assert "待评分" in body and "评分尚未完成" in body
    assert reverse("procurement:tender-award", args=[tender.pk]) not in body


def test_award_form_shows_prices_as_every_other_page_does(bids):
    from procurement.forms.tenders import AwardForm

    form = AwardForm(bids=Bid.objects.filter(pk__in=[b.pk for b in bids]))
    labels = [label for _value, label in form.fields["bid"].choices]
    assert any("950,000.00 元" in str(label) for label in labels)


def test_list_filters_offer_all_instead_of_dashes(client, bureau):
    client.force_login(bureau)
    body = client.get(reverse("procurement:tender-list")).content.decode()
    assert "---------" not in body and "全部" in body


def test_t3_the_declaration_names_the_bidders_but_not_their_prices(client, expert_user, closed, drawn, bids):
    client.force_login(expert_user)
    body = client.get(reverse("procurement:panel-detail", args=[closed.pk])).content.decode()
    bidders = body[body.index('data-testid="bidders"') : body.index("</ul>", body.index('data-testid="bidders"'))]
    assert all(str(bid.agency) in bidders for bid in bids)
    assert not shows_amount(body, bids[0].price)


def test_t4_the_score_page_shows_certificate_levels_past_packages_and_asks_before_submitting(
    client, expert_user, closed, drawn, bids, world
):
    earlier = PackageFactory(agency=bids[0].agency, town=world.town_a2, title="往期综合包")
    client.force_login(expert_user)
    client.post(reverse("procurement:panel-declare", args=[closed.pk]), {"has_conflict": "no"})
    body = client.get(reverse("procurement:bid-score", args=[bids[0].pk])).content.decode()
    team = body[body.index('data-testid="team"') : body.index("</ul>", body.index('data-testid="team"'))]
    certified = [m for m in bids[0].team.all() if m.certificates.exists()]
    assert certified and certified[0].certificates.first().get_level_display() in team
    past = body[body.index('data-testid="past-performance"') :]
    assert earlier.title in past and "尚无评估结果" in past
    assert 'data-testid="submit-score" data-confirm="提交后评分将被锁定' in body
