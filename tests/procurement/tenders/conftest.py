"""Fixtures of the tenders area: a published tender of town A1 with bids from the personas' agency and the
other agency, a pool of public-welfare experts (the expert persona among them), a closed tender, a
declared panel that seats the expert persona, and a fully scored tender."""

import datetime

import pytest

from directory.models import Role
from procurement.models import Bid
from procurement.services import tenders as services
from tests.procurement.factories import ExpertFactory, TenderFactory, team

from .helpers import pass_deadline, score, seed_for, submit


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "private_media"
    settings.PRIVATE_MEDIA_ROOT = settings.MEDIA_ROOT


@pytest.fixture
def other_team(other_agency):
    return team(other_agency, full_time=9, certified=5)


@pytest.fixture
def tender(round_2018, world, bureau):
    """Published, deadline in 20 days, service from 60 days on, town A1, 3 experts."""
    return TenderFactory(round=round_2018, town=world.town_a1, created_by=bureau)


@pytest.fixture
def experts(personas, outsiders):
    """Four active public-welfare experts (the expert persona and the outsider expert among them), plus a
    finance expert and an inactive one, who are never drawn."""
    pool = [
        ExpertFactory(user=personas[Role.EXPERT]),
        ExpertFactory(user=outsiders[Role.EXPERT]),
        ExpertFactory(),
        ExpertFactory(),
    ]
    ExpertFactory(category="finance")
    ExpertFactory(is_active=False)
    return pool


@pytest.fixture
def bids(tender, agency, agency_team, manager, other_agency, other_team, other_manager):
    """Two valid bids: the personas' agency (950,000) first, five minutes later the other agency (900,000)."""
    first = submit(tender, agency, manager, agency_team, price="950000.00")
    second = submit(tender, other_agency, other_manager, other_team, price="900000.00")
    Bid.objects.filter(pk=second.pk).update(submitted_at=first.submitted_at + datetime.timedelta(minutes=5))
    second.refresh_from_db()
    return [first, second]


@pytest.fixture
def closed(tender, bids, bureau):
    """The tender after its deadline, closed for bidding (evaluation), its bids checked (T5)."""
    pass_deadline(tender)
    return services.tender_close_bidding(actor=bureau, tender=tender)


@pytest.fixture
def drawn(closed, experts, bureau):
    """Three experts drawn: the expert persona among them, the outsider expert not; nobody declared yet."""
    seed = seed_for(closed, want={experts[0].pk}, avoid={experts[1].pk})
    return services.experts_draw(actor=bureau, tender=closed, seed=seed)


@pytest.fixture
def panel(closed, drawn):
    """The drawn experts all declared no conflict."""
    for member in closed.panel.select_related("expert__user"):
        services.panel_declare(actor=member.expert.user, tender=closed, has_conflict=False)
    return closed.panel.select_related("expert__user")


@pytest.fixture
def scored(closed, panel, bids):
    """Every expert scored both bids: the personas' agency ranks first (85 against 75)."""
    for member in panel:
        score(bids[0], member.expert.user, "85", "85", "85", "85")
        score(bids[1], member.expert.user, "75", "75", "75", "75")
    return closed
