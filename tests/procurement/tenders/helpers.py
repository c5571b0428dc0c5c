"""Helpers of the tenders tests: submit a bid, move a deadline, score, pick a draw seed."""

import datetime
import random
from decimal import Decimal

from django.utils import timezone

from procurement.models import Tender
from procurement.services import tenders as services
from tests.procurement.factories import qualified_agency, team

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


def submit(tender, agency, actor, members, price="950000.00", **kwargs):
    return services.bid_submit(
        actor=actor,
        tender=tender,
        agency=agency,
        price=Decimal(price),
        proposal=kwargs.pop("proposal", "综合服务方案"),
        team_ids=[m.pk for m in members],
        **kwargs,
    )


def pass_deadline(tender: Tender) -> Tender:
    """Move the deadline into the past (bids already in), as time passing would."""
    Tender.objects.filter(pk=tender.pk).update(bid_deadline=timezone.now() - datetime.timedelta(hours=1))
    tender.refresh_from_db()
    return tender


def score(bid, user, price="80", proposal="80", team_score="80", past="80"):
    return services.bid_score_submit(
        actor=user,
        bid=bid,
        price_score=Decimal(price),
        proposal_score=Decimal(proposal),
        team_score=Decimal(team_score),
        past_score=Decimal(past),
    )


def panel_users(tender):
    return [m.expert.user for m in tender.panel.select_related("expert__user").filter(has_conflict=False)]


def fresh_agency_with_team(full_time=9, certified=5):
    agency = qualified_agency()
    return agency, team(agency, full_time=full_time, certified=certified)


def seed_for(tender: Tender, want: set[int], avoid: set[int] = frozenset()) -> str:
    """A draw seed whose sample seats every expert id in `want` and none in `avoid`."""
    candidates, _exclusions = services.expert_pool(tender, skip=set())
    for n in range(10000):
        drawn = set(random.Random(f"s{n}").sample(candidates, tender.expert_count))
        if want <= drawn and not (avoid & drawn):
            return f"s{n}"
    raise AssertionError("no such seed")


def shows_amount(body: str, amount) -> bool:
    """Does a page mention this amount of money in any spelling — 951,234.00 as pages write it, 951234.00 as
    the admin and forms do, or a bare 951234 / 951,234? Sealing tests assert it does not, so every spelling
    counts (the whole-number part is in all of them)."""
    whole = int(Decimal(str(amount)))
    return f"{whole:,}" in body or str(whole) in body
