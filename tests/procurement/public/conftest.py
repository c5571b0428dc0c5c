"""Tenders in every public state, built with the factories directly (not through the tender services)."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.utils import timezone

from procurement.models import Bid, Contract, Tender
from tests.procurement.factories import BidFactory, PackageFactory, TenderFactory

# Text and prices that must never reach a public page (T2 sealing; after the award, the winner only).
SEALED_PROPOSAL = "密封方案：仅投标人可见的服务设计 SEALED-7731"
LOSING_PROPOSAL = "落选方案：未中标机构的服务设计 LOSING-5519"
WINNING_PROPOSAL = "中标方案：中标机构的服务设计 WINNING-2284"
SEALED_PRICE = Decimal("888777.66")
LOSING_PRICE = Decimal("876543.21")
WINNING_PRICE = Decimal("912345.67")


def money_forms(value: Decimal) -> list[str]:
    """The ways a price could be printed on a page or in JSON."""
    return [str(value), f"{value:,}", f"{value:,.2f}", str(value).rstrip("0").rstrip(".")]


def awarded_tender(*, town, winner, loser, status=Tender.Status.AWARDED, signed_on=None, **fields) -> Tender:
    """A tender whose deadline has passed with two bids, awarded to `winner`: contract and package created (T6)."""
    now = timezone.now()
    tender = TenderFactory(
        town=town,
        status=status,
        published_at=now - datetime.timedelta(days=40),
        bid_deadline=now - datetime.timedelta(days=20),
        awarded_at=now - datetime.timedelta(days=10),
        **fields,
    )
    win = BidFactory(tender=tender, agency=winner, price=WINNING_PRICE, proposal=WINNING_PROPOSAL)
    if loser is not None:
        BidFactory(tender=tender, agency=loser, price=LOSING_PRICE, proposal=LOSING_PROPOSAL)
    contract = Contract.objects.create(
        tender=tender,
        bid=win,
        agency=winner,
        number=f"SZMZ-2026-{tender.pk:04d}",
        value=WINNING_PRICE * tender.period_years,
        signed_on=signed_on,
    )
    PackageFactory(
        town=town,
        agency=winner,
        round=tender.round,
        tender=tender,
        contract=contract,
        title=tender.title,
        starts_on=tender.service_starts_on,
        ends_on=tender.service_starts_on + datetime.timedelta(days=365 * tender.period_years - 1),
        annual_amount=WINNING_PRICE,
        annual_ceiling=tender.annual_ceiling,
    )
    return tender


@dataclass
class PublicTenders:
    draft: Tender
    published: Tender  # open for bids, one sealed bid
    sealed_bid: Bid
    evaluation: Tender  # deadline passed, two bids, not yet awarded
    awarded: Tender
    contracted: Tender
    cancelled: Tender  # cancelled before its deadline, one bid never opened
    unsuccessful: Tender  # deadline passed, one bid, declared unsuccessful

    @property
    def public(self) -> list[Tender]:
        return [self.published, self.evaluation, self.awarded, self.contracted, self.cancelled, self.unsuccessful]


@pytest.fixture
def public_tenders(world, round_2018, agency, other_agency) -> PublicTenders:
    now = timezone.now()
    past = now - datetime.timedelta(days=5)
    draft = TenderFactory(
        town=world.town_a2, title="草稿项目 DRAFT-4410", status=Tender.Status.DRAFT, published_at=None
    )
    published = TenderFactory(town=world.town_a1, title="双塔街道2026年社会工作服务项目")
    sealed_bid = BidFactory(tender=published, agency=other_agency, price=SEALED_PRICE, proposal=SEALED_PROPOSAL)
    evaluation = TenderFactory(
        town=world.town_a2,
        title="平江街道2026年社会工作服务项目",
        status=Tender.Status.EVALUATION,
        published_at=now - datetime.timedelta(days=30),
        bid_deadline=past,
    )
    BidFactory(tender=evaluation, agency=agency, price=LOSING_PRICE, proposal=LOSING_PROPOSAL)
    BidFactory(tender=evaluation, agency=other_agency, price=WINNING_PRICE, proposal=WINNING_PROPOSAL)
    awarded = awarded_tender(
        town=world.town_b1, winner=agency, loser=other_agency, title="松陵街道2026年社会工作服务项目"
    )
    contracted = awarded_tender(
        town=world.town_a1,
        winner=agency,
        loser=other_agency,
        status=Tender.Status.CONTRACTED,
        signed_on=timezone.localdate() - datetime.timedelta(days=3),
        title="双塔街道2024年社会工作服务项目",
    )
    cancelled = TenderFactory(
        town=world.town_b1, title="松陵街道2025年社会工作服务项目", status=Tender.Status.CANCELLED
    )
    BidFactory(tender=cancelled, agency=agency, price=SEALED_PRICE, proposal=SEALED_PROPOSAL)
    unsuccessful = TenderFactory(
        town=world.town_a2,
        title="平江街道2025年社会工作服务项目",
        status=Tender.Status.UNSUCCESSFUL,
        published_at=now - datetime.timedelta(days=30),
        bid_deadline=past,
    )
    BidFactory(tender=unsuccessful, agency=other_agency, price=LOSING_PRICE, proposal=LOSING_PROPOSAL)
    return PublicTenders(
        draft=draft,
        published=published,
        sealed_bid=sealed_bid,
        evaluation=evaluation,
        awarded=awarded,
        contracted=contracted,
        cancelled=cancelled,
        unsuccessful=unsuccessful,
    )
