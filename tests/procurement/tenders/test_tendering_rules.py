"""The tendering rules as functions (procurement/tendering.py): the one place T1, T2 sealing, T4 and T5 live."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from delivery.permissions import can_report_focus_issue
from delivery.selectors import focus_issue_list, focus_reportable_communities
from delivery.services.focus import focus_issue_report
from directory.models import Role
from procurement.models import Bid, ServicePackage, Tender
from procurement.tendering import (
    accepts_bids,
    is_sealed,
    sealed_q,
    t2_bids_opened,
    t4_mean,
    t4_rank_key,
    t4_weighted_total,
    t5_price_problem,
)
from tests.procurement.factories import BidFactory, PackageFactory, TenderFactory

pytestmark = pytest.mark.django_db


def test_t2_sealing_as_rows_and_as_a_predicate_agree(round_2018, agency):
    now = timezone.now()
    open_tender = TenderFactory(round=round_2018, bid_deadline=now + datetime.timedelta(hours=1))
    closed_tender = TenderFactory(round=round_2018, bid_deadline=now - datetime.timedelta(seconds=1))
    sealed_bid = BidFactory(tender=open_tender, agency=agency)
    opened_bid = BidFactory(tender=closed_tender, agency=agency)
    sealed_ids = set(Bid.objects.filter(sealed_q(now)).values_list("pk", flat=True))
    assert sealed_ids == {sealed_bid.pk}
    assert is_sealed(open_tender, now) and not is_sealed(closed_tender, now)
    assert not Bid.objects.filter(sealed_q(now)).filter(pk=opened_bid.pk).exists()


def test_t2_bids_are_taken_only_while_published_and_before_the_deadline(round_2018):
    now = timezone.now()
    tender = TenderFactory(round=round_2018, bid_deadline=now + datetime.timedelta(minutes=5))
    assert accepts_bids(tender, now)
    assert not accepts_bids(tender, tender.bid_deadline)  # at the deadline itself bidding has ended
    tender.status = Tender.Status.DRAFT
    assert not accepts_bids(tender, now)


def test_t2_a_cancelled_tenders_bids_are_never_opened(round_2018):
    tender = TenderFactory(round=round_2018, bid_deadline=timezone.now() - datetime.timedelta(days=1))
    assert t2_bids_opened(tender)
    tender.status = Tender.Status.CANCELLED
    assert not t2_bids_opened(tender)


def test_t4_weighted_total_is_the_weighted_mean_to_the_cent():
    weights = {"price": 20, "proposal": 40, "team": 25, "past": 15}
    scores = {"price": Decimal("90"), "proposal": Decimal("85.5"), "team": Decimal("77.25"), "past": Decimal("60")}
    # 18 + 34.2 + 19.3125 + 9 = 80.5125 → 80.51
    assert t4_weighted_total(scores, weights) == Decimal("80.51")
    assert t4_weighted_total({f"{k}_score": v for k, v in scores.items()}, weights) == Decimal("80.51")


def test_t4_ties_are_broken_by_team_score_then_by_earlier_submission():
    early = timezone.now()
    late = early + datetime.timedelta(minutes=1)
    rows = [
        ("late-same", Decimal("80"), Decimal("70"), late, 4),
        ("better-team", Decimal("80"), Decimal("75"), late, 3),
        ("early-same", Decimal("80"), Decimal("70"), early, 2),
        ("best", Decimal("81"), Decimal("10"), late, 1),
        ("unscored", None, None, early, 5),
    ]
    ranked = sorted(rows, key=lambda r: t4_rank_key(r[1], r[2], r[3], r[4]))
    assert [r[0] for r in ranked] == ["best", "better-team", "early-same", "late-same", "unscored"]
    assert t4_mean([Decimal("80"), Decimal("81")]) == Decimal("80.50") and t4_mean([]) is None


def test_t5_price_equal_to_the_ceiling_is_within_it_one_cent_more_is_not():
    ceiling = Decimal("1000000.00")
    assert t5_price_problem(ceiling, ceiling) is None
    assert "超过最高限价" in t5_price_problem(ceiling + Decimal("0.01"), ceiling)


def test_agency_serving_a_town_reads_its_focus_issues_but_acts_only_while_its_package_is_active(
    world, personas, outsiders, agency, round_2018
):
    worker = personas[Role.AGENCY_WORKER]
    community = world.communities_a1[0]
    package = PackageFactory(town=world.town_a1, agency=agency, round=round_2018)
    issue = focus_issue_report(
        actor=personas[Role.COMMUNITY_OFFICER], community=community, kind="other", title="楼道堆物", description="d"
    )
    assert can_report_focus_issue(worker, community)
    assert community in focus_reportable_communities(user=worker)
    ServicePackage.objects.filter(pk=package.pk).update(status=ServicePackage.Status.ENDED)
    worker = type(worker).objects.get(pk=worker.pk)  # a new request: nothing cached
    assert not can_report_focus_issue(worker, community)
    assert community not in focus_reportable_communities(user=worker)
    # ...but the town's focus issues stay readable: the history of its work there
    assert issue in focus_issue_list(user=worker)
    assert issue not in focus_issue_list(user=outsiders[Role.AGENCY_WORKER])
