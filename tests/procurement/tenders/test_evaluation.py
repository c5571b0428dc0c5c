"""T3 (the expert draw and the conflict declaration), T4 (scoring and ranking), T5 (disqualification)."""

import datetime
import random
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from directory.models import Role
from procurement.models import Bid, BidScore, ExpertDraw, TenderExpert
from procurement.selectors import tender_ranking
from procurement.services import tenders as services
from tests.factories import MembershipFactory
from tests.procurement.factories import BidFactory, CertificateFactory, ExpertFactory, TenderFactory, team

from .helpers import fresh_agency_with_team, pass_deadline, score, submit

pytestmark = pytest.mark.django_db


# --- T3: the draw -----------------------------------------------------------------------------------


def test_t3_draw_excludes_experts_affiliated_with_a_bidder_and_records_why(closed, experts, bureau, world, agency):
    affiliated = ExpertFactory(affiliation=world.agency)
    member_of_bidder = ExpertFactory()
    MembershipFactory(user=member_of_bidder.user, organisation=world.other_agency, role=Role.AGENCY_WORKER)
    draw = services.experts_draw(actor=bureau, tender=closed)
    excluded = {x["expert"]: x["reason"] for x in draw.exclusions}
    assert world.agency.name in excluded[affiliated.pk]
    assert world.other_agency.name in excluded[member_of_bidder.pk]
    assert draw.candidates == sorted(e.pk for e in experts)
    assert len(draw.drawn) == 3 and set(draw.drawn) <= set(draw.candidates)
    assert set(closed.panel.values_list("expert_id", flat=True)) == set(draw.drawn)
    assert draw.seed and draw.drawn_by == bureau


def test_t3_draw_is_reproducible_from_the_recorded_seed(closed, experts, bureau):
    draw = services.experts_draw(actor=bureau, tender=closed)
    assert random.Random(draw.seed).sample(draw.candidates, closed.expert_count) == draw.drawn
    recorded = ExpertDraw.objects.get(tender=closed)
    assert random.Random(recorded.seed).sample(recorded.candidates, 3) == recorded.drawn


def test_t3_same_seed_same_experts(round_2018, world, bureau, experts, agency, agency_team, manager):
    tenders = []
    for _ in range(2):
        t = TenderFactory(round=round_2018, town=world.town_a2, created_by=bureau)
        submit(t, agency, manager, agency_team)
        pass_deadline(t)
        tenders.append(t)
    first = services.experts_draw(actor=bureau, tender=tenders[0], seed="abc123")
    second = services.experts_draw(actor=bureau, tender=tenders[1], seed="abc123")
    assert first.drawn == second.drawn


def test_t3_only_after_the_deadline_and_only_once(tender, bids, experts, bureau):
    with pytest.raises(ValidationError) as exc:
        services.experts_draw(actor=bureau, tender=tender)
    assert "投标截止后" in exc.value.messages[0]
    pass_deadline(tender)
    services.experts_draw(actor=bureau, tender=tender)  # closes lazily, then draws
    with pytest.raises(ValidationError) as exc:
        services.experts_draw(actor=bureau, tender=tender)
    assert "已抽取" in exc.value.messages[0]


def test_t3_not_enough_candidates_is_a_clear_error(closed, bureau, world):
    ExpertFactory()
    ExpertFactory(affiliation=world.agency)
    with pytest.raises(ValidationError) as exc:
        services.experts_draw(actor=bureau, tender=closed)
    assert "只有 1 人" in exc.value.messages[0] and "3 人" in exc.value.messages[0]
    assert not ExpertDraw.objects.exists()


def test_t3_only_the_bureau_draws(closed, experts, personas):
    with pytest.raises(PermissionDenied):
        services.experts_draw(actor=personas[Role.AUDITOR], tender=closed)


def test_t3_scoring_before_declaring_is_refused(closed, drawn, bids, expert_user):
    with pytest.raises(PermissionDenied) as exc:
        score(bids[0], expert_user)
    assert "声明" in str(exc.value)
    assert not BidScore.objects.exists()


def test_t3_a_declared_conflict_removes_the_expert_and_a_replacement_is_drawn(
    closed, drawn, bids, expert_user, experts, bureau
):
    member = services.panel_declare(actor=expert_user, tender=closed, has_conflict=True, note="曾任该机构督导")
    assert member.has_conflict and not member.may_score
    with pytest.raises(PermissionDenied):
        score(bids[0], expert_user)
    replacement = services.experts_redraw(actor=bureau, tender=closed, member=member, seed="r1")
    draw = ExpertDraw.objects.get(tender=closed)
    (record,) = draw.redraws
    assert record["replaced"] == experts[0].pk and record["drawn"] == [replacement.expert_id]
    # Only the expert not yet on the panel is a candidate; the conflicted one is excluded with the reason.
    assert record["candidates"] == [experts[1].pk]
    assert random.Random("r1").sample(record["candidates"], 1) == record["drawn"]
    reasons = {x["expert"]: x["reason"] for x in record["exclusions"]}
    assert "利益冲突" in reasons[experts[0].pk]
    with pytest.raises(ValidationError):
        services.experts_redraw(actor=bureau, tender=closed, member=member)


def test_t3_redraw_only_for_a_conflicted_expert(closed, drawn, bureau):
    member = closed.panel.first()
    with pytest.raises(ValidationError):
        services.experts_redraw(actor=bureau, tender=closed, member=member)


def test_t3_declaration_is_once_and_a_conflict_needs_a_note(closed, drawn, expert_user, outsiders):
    with pytest.raises(ValidationError) as exc:
        services.panel_declare(actor=expert_user, tender=closed, has_conflict=True, note="")
    assert "note" in exc.value.message_dict
    services.panel_declare(actor=expert_user, tender=closed, has_conflict=False)
    with pytest.raises(ValidationError):
        services.panel_declare(actor=expert_user, tender=closed, has_conflict=True, note="改主意")
    with pytest.raises(PermissionDenied):
        services.panel_declare(actor=outsiders[Role.EXPERT], tender=closed, has_conflict=False)


# --- T4: scores and ranking ---------------------------------------------------------------------------


def test_t4_total_is_the_weighted_sum_with_the_tender_weights(panel, bids, expert_user):
    sheet = score(bids[0], expert_user, "90", "80.5", "70", "60")
    # 90×20 + 80.5×40 + 70×25 + 60×15 = 1800 + 3220 + 1750 + 900 = 7670 → 76.70
    assert sheet.total == Decimal("76.70")
    assert sheet.proposal_score == Decimal("80.50")


@pytest.mark.parametrize("field", ["price_score", "proposal_score", "team_score", "past_score"])
@pytest.mark.parametrize("value", ["-0.01", "100.01", "1.234", "NaN"])
def test_t4_a_score_out_of_range_is_a_field_error(panel, bids, expert_user, field, value):
    scores = {name: Decimal("80") for name in ("price_score", "proposal_score", "team_score", "past_score")}
    scores[field] = Decimal(value)
    with pytest.raises(ValidationError) as exc:
        services.bid_score_submit(actor=expert_user, bid=bids[0], **scores)
    assert list(exc.value.message_dict) == [field]
    assert not BidScore.objects.exists()


def test_t4_a_submitted_sheet_is_locked(panel, bids, expert_user):
    score(bids[0], expert_user, "80", "80", "80", "80")
    with pytest.raises(ValidationError) as exc:
        score(bids[0], expert_user, "90", "90", "90", "90")
    assert "不能修改" in exc.value.messages[0]
    assert BidScore.objects.get(bid=bids[0]).total == Decimal("80.00")


def test_t4_only_experts_of_the_panel_score(panel, bids, personas, outsiders):
    for user in (personas[Role.BUREAU_ADMIN], outsiders[Role.EXPERT], personas[Role.AGENCY_MANAGER]):
        with pytest.raises(PermissionDenied):
            score(bids[0], user)


def test_t4_score_is_the_mean_of_the_experts_totals(panel, bids, bureau, closed):
    users = [m.expert.user for m in panel]
    for user, value in zip(users, ("70", "80", "91"), strict=True):
        score(bids[0], user, value, value, value, value)
    ranking = tender_ranking(closed, user=bureau)
    row = next(r for r in ranking if r.bid.pk == bids[0].pk)
    assert row.score == Decimal("80.33") and len(row.sheets) == 3


def test_t4_ties_are_broken_by_team_score(panel, bids, bureau, closed):
    # Same totals (80): bid 0 has the higher team score although it is otherwise equal.
    for member in panel:
        score(bids[0], member.expert.user, "75", "80", "88", "75")  # 1500+3200+2200+1125 = 8025 → 80.25
        score(bids[1], member.expert.user, "85", "80", "80", "75")  # 1700+3200+2000+1125 = 8025 → 80.25
    ranking = tender_ranking(closed, user=bureau)
    assert [r.bid.pk for r in ranking] == [bids[0].pk, bids[1].pk]
    assert ranking[0].score == ranking[1].score and ranking[0].team_score > ranking[1].team_score
    assert [r.rank for r in ranking] == [1, 2]


def test_t4_then_by_earlier_submission(panel, bids, bureau, closed):
    # Identical sheets: the earlier bid wins. Make the second bid the earlier one to be sure.
    Bid.objects.filter(pk=bids[1].pk).update(submitted_at=bids[0].submitted_at - datetime.timedelta(hours=1))
    for member in panel:
        score(bids[0], member.expert.user)
        score(bids[1], member.expert.user)
    ranking = tender_ranking(closed, user=bureau)
    assert [r.bid.pk for r in ranking] == [bids[1].pk, bids[0].pk]


# --- T5: disqualification ---------------------------------------------------------------------------


def test_t5_agency_qualified_at_submission_but_not_on_the_deadline_date_is_disqualified(tender, bids, agency, bureau):
    # Accepted while qualified; the qualification then lapses before the deadline's date.
    pass_deadline(tender)
    # The day before the deadline's own date (not today's: just after midnight they differ).
    agency.qualifications.update(valid_until=timezone.localdate(tender.bid_deadline) - datetime.timedelta(days=1))
    services.tender_close_bidding(actor=bureau, tender=tender)
    mine = Bid.objects.get(pk=bids[0].pk)
    assert mine.checked_at is not None
    assert any("机构资格" in r for r in mine.disqualification_reasons)
    assert Bid.objects.get(pk=bids[1].pk).disqualification_reasons == []


def test_t5_disqualification_reasons_for_q1_q2_q3_and_price(round_2018, world, bureau, manager):
    tender = TenderFactory(round=round_2018, town=world.town_a1, created_by=bureau)
    small, small_team = fresh_agency_with_team(full_time=6, certified=3)  # Q2
    uncertified, uncert_team = fresh_agency_with_team(full_time=9, certified=2)  # Q3
    lapsed, lapsed_team = fresh_agency_with_team()
    pricey, pricey_team = fresh_agency_with_team()
    good, good_team = fresh_agency_with_team()
    for agency, members, price in (
        (small, small_team, "900000"),
        (uncertified, uncert_team, "900000"),
        (lapsed, lapsed_team, "900000"),
        (pricey, pricey_team, "1200000"),  # slipped past the submit check (e.g. entered before the rule)
        (good, good_team, "900000"),
    ):
        BidFactory(tender=tender, agency=agency, price=Decimal(price), team=members)
    pass_deadline(tender)
    lapsed.qualifications.update(valid_until=timezone.localdate(tender.bid_deadline) - datetime.timedelta(days=1))
    services.tender_close_bidding(actor=bureau, tender=tender)
    reasons = {b.agency_id: b.disqualification_reasons for b in Bid.objects.filter(tender=tender)}
    assert any("少于本轮要求的" in r for r in reasons[small.pk])
    assert any("低于本轮要求的" in r for r in reasons[uncertified.pk]) and not any(
        "少于本轮要求的" in r for r in reasons[uncertified.pk]
    )
    assert any("资格" in r or "登记" in r for r in reasons[lapsed.pk])
    assert any("超过最高限价" in r for r in reasons[pricey.pk])
    assert reasons[good.pk] == []
    ranking = tender_ranking(tender, user=bureau)
    assert [r.bid.agency_id for r in ranking if r.rank] == [good.pk]
    assert all(r.rank is None and r.reasons for r in ranking if r.bid.agency_id != good.pk)


def test_t5_a_certificate_expired_by_the_start_date_does_not_count(round_2018, world, bureau):
    tender = TenderFactory(round=round_2018, town=world.town_a1, created_by=bureau)
    agency, members = fresh_agency_with_team(full_time=9, certified=4)
    expiring = team(agency, full_time=1, certified=0)[0]
    CertificateFactory(staff=expiring, expires_on=tender.service_starts_on - datetime.timedelta(days=1))
    BidFactory(tender=tender, agency=agency, team=[*members, expiring])
    pass_deadline(tender)
    services.tender_close_bidding(actor=bureau, tender=tender)
    (bid,) = Bid.objects.filter(tender=tender)
    assert any("低于本轮要求的" in r for r in bid.disqualification_reasons)  # 4 of 10 certified on the start date


def test_t5_a_disqualified_bid_is_not_scored(round_2018, world, bureau, experts):
    tender = TenderFactory(round=round_2018, town=world.town_a1, created_by=bureau)
    agency, members = fresh_agency_with_team(full_time=5, certified=3)
    bid = BidFactory(tender=tender, agency=agency, team=members)
    pass_deadline(tender)
    services.experts_draw(actor=bureau, tender=tender)
    member = TenderExpert.objects.filter(tender=tender).select_related("expert__user").first()
    services.panel_declare(actor=member.expert.user, tender=tender, has_conflict=False)
    with pytest.raises(ValidationError) as exc:
        score(bid, member.expert.user)
    assert "无效" in exc.value.messages[0]


def test_t4_ranking_runs_in_constant_queries(round_2018, world, bureau, experts, django_assert_max_num_queries):
    def scored_tender(n_bids):
        tender = TenderFactory(round=round_2018, town=world.town_a2, created_by=bureau, expert_count=2)
        bids = []
        for _ in range(n_bids):
            agency, members = fresh_agency_with_team()
            bids.append(BidFactory(tender=tender, agency=agency, team=members))
        pass_deadline(tender)
        services.experts_draw(actor=bureau, tender=tender)
        for member in tender.panel.select_related("expert__user"):
            services.panel_declare(actor=member.expert.user, tender=tender, has_conflict=False)
            for bid in bids:
                score(bid, member.expert.user)
        tender.refresh_from_db()
        return tender

    small, large = scored_tender(2), scored_tender(6)
    bureau = type(bureau).objects.get(pk=bureau.pk)
    with django_assert_max_num_queries(6):
        assert len(tender_ranking(small, user=bureau)) == 2
    with django_assert_max_num_queries(6):
        assert len(tender_ranking(large, user=bureau)) == 6


@pytest.mark.parametrize("value", ["abc", "", "1,5"])
def test_t4_a_score_that_is_not_a_number_is_a_form_error(value):
    from procurement.forms.tenders import ScoreForm

    data = {"price_score": value, "proposal_score": "80", "team_score": "80", "past_score": "80"}
    form = ScoreForm(data)
    assert not form.is_valid() and "price_score" in form.errors
