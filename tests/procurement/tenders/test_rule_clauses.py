"""Clauses of Q2, Q3, Q5, T1, T2, T5 and P2 that other tests leave loose: the exact 60-day warning window,
the shipped rounds' thresholds, a tender taking its round's thresholds, "over the ceiling" meaning strictly
over, and an expert seeing nothing of a tender before its deadline."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from catalog.services import load_shipped_editions
from core.actors import SYSTEM
from procurement.models import Bid, Round, TenderExpert
from procurement.rules import Thresholds, p2_amount_problems, qualification_check, staffing_check
from procurement.services import tenders as services
from procurement.services.rounds import rounds_load_shipped
from tests.procurement.factories import RoundFactory, team

from .helpers import pass_deadline, submit

pytestmark = pytest.mark.django_db


def test_q5_warning_window_is_exactly_60_days(agency):
    today = timezone.localdate()
    agency.registration_valid_until = today + datetime.timedelta(days=3650)
    agency.save()
    members = team(agency, full_time=9, certified=5)
    thresholds = Thresholds(9, Decimal("50"))
    for days, warned in ((60, True), (61, False)):
        agency.qualifications.update(valid_until=today + datetime.timedelta(days=days))
        assert any("到期" in w for w in qualification_check(agency, on=today).warnings) is warned, days
        members[0].certificates.update(expires_on=today + datetime.timedelta(days=days))
        warnings = staffing_check(members, on=today, thresholds=thresholds).warnings
        assert any(members[0].name in w for w in warnings) is warned, days


def test_q2_q3_shipped_rounds_carry_their_thresholds(edition_2018):
    load_shipped_editions(actor=SYSTEM)
    rounds_load_shipped()
    pilot, current = Round.objects.get(code="2016-pilot"), Round.objects.get(code="2018-new-round")
    assert (pilot.min_full_time_staff, pilot.min_certified_share) == (5, Decimal("50"))
    assert (current.min_full_time_staff, current.min_certified_share) == (9, Decimal("50"))
    assert current.is_current and not pilot.is_current
    assert Round._meta.get_field("min_full_time_staff").default == 9


def test_t1_a_tender_takes_its_rounds_thresholds_and_a_changed_round_brings_its_own(bureau, world, edition_2018):
    load_shipped_editions(actor=SYSTEM)
    strict = RoundFactory(code="strict", min_full_time_staff=12, min_certified_share=Decimal("60"), is_current=False)
    tender = services.tender_create(
        actor=bureau,
        round=strict,
        town=world.town_a1,
        title="门槛测试",
        service_starts_on=timezone.localdate() + datetime.timedelta(days=90),
        bid_deadline=timezone.now() + datetime.timedelta(days=30),
    )
    assert (tender.min_full_time_staff, tender.min_certified_share) == (12, Decimal("60"))
    rounds_load_shipped()
    pilot = Round.objects.get(code="2016-pilot")
    tender = services.tender_update(actor=bureau, tender=tender, round=pilot)
    assert (tender.min_full_time_staff, tender.min_certified_share) == (5, Decimal("50"))
    assert tender.edition_id == pilot.edition_id


def test_t5_p2_a_price_equal_to_the_ceiling_is_within_it(tender, agency, agency_team, manager, bureau):
    bid = submit(tender, agency, manager, agency_team, price=str(tender.annual_ceiling))
    pass_deadline(tender)
    services.tender_close_bidding(actor=bureau, tender=tender)
    assert Bid.objects.get(pk=bid.pk).disqualification_reasons == []
    assert p2_amount_problems(tender.annual_ceiling, tender.annual_ceiling) == []
    assert len(p2_amount_problems(tender.annual_ceiling + Decimal("0.01"), tender.annual_ceiling)) == 1


def test_role_table_expert_sees_a_tender_only_after_its_deadline(client, tender, experts, expert_user):
    TenderExpert.objects.create(tender=tender, expert=experts[0])  # seated early, e.g. by an admin mistake
    client.force_login(expert_user)
    assert client.get(reverse("procurement:panel-detail", args=[tender.pk])).status_code == 404
    assert tender.title not in client.get(reverse("procurement:panel-list")).content.decode()
    with pytest.raises((PermissionDenied, ValidationError)):
        services.panel_declare(actor=expert_user, tender=tender, has_conflict=False)
    assert TenderExpert.objects.get(tender=tender, expert=experts[0]).declared_at is None
