"""Home-page sections of tendering, the expert pool in the admin, and the demo data (seed_demo)."""

import pytest
from django.urls import reverse

from directory.models import Role

from .helpers import pass_deadline

pytestmark = pytest.mark.django_db


def _home(client, user) -> str:
    client.force_login(user)
    return client.get(reverse("directory:home")).content.decode()


def test_bureau_home_lists_tenders_awaiting_evaluation_or_award(client, bureau, tender, bids, personas):
    assert tender.title not in _home(client, bureau)
    pass_deadline(tender)  # not yet closed by anyone: still listed
    body = _home(client, bureau)
    assert "待评审或定标的招标项目" in body and tender.title in body and "待抽取评审专家" in body
    assert tender.title not in _home(client, personas[Role.AUDITOR])


def test_agency_manager_home_lists_open_tenders(client, manager, personas, tender, agency, agency_team):
    body = _home(client, manager)
    assert "可以投标的招标项目" in body and tender.title in body and "尚未投标" in body
    assert tender.title not in _home(client, personas[Role.AGENCY_WORKER])
    pass_deadline(tender)
    assert tender.title not in _home(client, manager)


def test_expert_home_lists_panels_awaiting_declaration_then_scores(client, expert_user, outsiders, closed, drawn):
    body = _home(client, expert_user)
    assert "待声明或评分的评审项目" in body and "请先声明有无利益冲突" in body and closed.title in body
    client.post(reverse("procurement:panel-declare", args=[closed.pk]), {"has_conflict": "no"})
    body = _home(client, expert_user)
    assert "已评 0 / 2 份投标" in body
    assert closed.title not in _home(client, outsiders[Role.EXPERT])


def test_expert_pool_is_kept_in_the_admin(client, bureau, experts):
    client.force_login(bureau)
    response = client.get(
        reverse("admin:procurement_expert_changelist"), {"category__exact": "public_welfare", "is_active__exact": "1"}
    )
    assert response.status_code == 200 and response.context["cl"].result_count == 4
    assert client.get(reverse("admin:procurement_expert_add")).status_code == 200
    assert client.get(reverse("admin:procurement_tender_add")).status_code == 302


def test_seed_demo_builds_an_awarded_and_an_open_tender_and_is_safe_to_rerun(settings, tmp_path):
    from core.demo import seed_all
    from procurement.models import Bid, BidScore, Contract, ServicePackage, Tender
    from procurement.selectors import tender_ranking

    ctx = seed_all()
    seed_all()
    shuangta = Tender.objects.get(town=ctx.town)
    assert shuangta.status == Tender.Status.CONTRACTED
    contract = Contract.objects.get(tender=shuangta)
    assert contract.agency.organisation == ctx.organisations["agency"] and contract.number.startswith("SZSW-2024-")
    package = ServicePackage.objects.get(tender=shuangta)
    assert (package.starts_on.isoformat(), package.ends_on.isoformat()) == ("2025-01-01", "2026-12-31")
    assert package.assignments.count() == 9
    experts = {s.expert.user for s in BidScore.objects.filter(bid__tender=shuangta).select_related("expert__user")}
    assert len(experts) == 3 and ctx.users["expert"] in experts
    assert any("任职于投标机构" in x["reason"] for x in shuangta.draw.exclusions)
    assert tender_ranking(shuangta, user=ctx.users["bureau"])[0].bid == contract.bid
    pingjiang = Tender.objects.get(town__name="平江街道", town__district=ctx.district)
    assert pingjiang.status == Tender.Status.PUBLISHED
    bidders = set(Bid.objects.filter(tender=pingjiang).values_list("agency__organisation", flat=True))
    assert bidders == {ctx.organisations["agency_2"].pk, ctx.organisations["agency_3"].pk}
    assert Tender.objects.count() == 2
