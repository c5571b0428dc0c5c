"""T6: award creates the contract and the service package (with Q1–Q4, P1, P2 checked again), the contract
is signed; packages bought before the platform are entered directly with the same checks."""

import datetime
import re
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from catalog.models import CatalogueEdition
from directory.models import Role
from procurement.models import Contract, ServicePackage, StaffAssignment, Tender
from procurement.services import packages as package_services
from procurement.services import tenders as services
from procurement.services.packages import period_end
from tests.procurement.factories import PackageFactory, StaffFactory, qualified_agency, team

from .helpers import score

pytestmark = pytest.mark.django_db


def test_t6_award_creates_the_contract_the_package_and_its_staff(scored, bids, bureau, agency_team):
    contract = services.tender_award(actor=bureau, tender=scored, staff_cost_share=Decimal("62.5"))
    tender = Tender.objects.get(pk=scored.pk)
    assert tender.status == Tender.Status.AWARDED and tender.awarded_at is not None
    assert contract.bid == bids[0] and contract.agency == bids[0].agency
    assert contract.number == f"SZSW-{timezone.localdate().year}-{tender.pk:04d}"
    assert contract.value == Decimal("1900000.00")  # 950,000 × 2 years
    package = ServicePackage.objects.get(tender=tender)
    assert package.contract == contract
    assert (package.town, package.agency, package.round, package.edition) == (
        tender.town,
        bids[0].agency,
        tender.round,
        tender.edition,
    )
    assert package.starts_on == tender.service_starts_on
    assert package.ends_on == period_end(tender.service_starts_on, 2)
    assert (package.annual_amount, package.annual_ceiling) == (Decimal("950000.00"), Decimal("1000000.00"))
    assert package.staff_cost_share == Decimal("62.50")
    assert package.status == ServicePackage.Status.ACTIVE
    assignments = StaffAssignment.objects.filter(package=package)
    assert {a.staff_id for a in assignments} == {s.pk for s in agency_team}
    assert all(a.is_full_time and a.starts_on == package.starts_on for a in assignments)
    assert CatalogueEdition.objects.get(pk=package.edition_id).in_use_since is not None


def test_t6_part_time_team_members_are_assigned_part_time(round_2018, world, bureau, agency, manager, experts):
    from tests.procurement.factories import TenderFactory

    from .helpers import pass_deadline, submit

    tender = TenderFactory(round=round_2018, town=world.town_a2, created_by=bureau, expert_count=1)
    members = team(agency, full_time=9, certified=5, part_time=2)
    bid = submit(tender, agency, manager, members)
    pass_deadline(tender)
    services.experts_draw(actor=bureau, tender=tender)
    member = tender.panel.select_related("expert__user").get()
    services.panel_declare(actor=member.expert.user, tender=tender, has_conflict=False)
    score(bid, member.expert.user)
    services.tender_award(actor=bureau, tender=tender)
    flags = sorted(StaffAssignment.objects.filter(package__tender=tender).values_list("is_full_time", flat=True))
    assert flags == [False] * 2 + [True] * 9


def test_t6_period_ends_the_day_before_the_anniversary():
    assert period_end(datetime.date(2025, 1, 1), 2) == datetime.date(2026, 12, 31)
    assert period_end(datetime.date(2024, 2, 29), 1) == datetime.date(2025, 2, 27)
    assert period_end(datetime.date(2025, 7, 1), 3) == datetime.date(2028, 6, 30)


def test_t6_another_bid_than_the_first_needs_a_written_reason(scored, bids, bureau):
    with pytest.raises(ValidationError) as exc:
        services.tender_award(actor=bureau, tender=scored, bid=bids[1])
    assert "reason" in exc.value.message_dict
    contract = services.tender_award(actor=bureau, tender=scored, bid=bids[1], reason="排名第一的机构放弃中标。")
    assert contract.agency == bids[1].agency
    assert Tender.objects.get(pk=scored.pk).award_reason == "排名第一的机构放弃中标。"


def test_t6_award_waits_for_every_expert_to_score(closed, panel, bids, bureau):
    users = [m.expert.user for m in panel]
    score(bids[0], users[0])
    with pytest.raises(ValidationError) as exc:
        services.tender_award(actor=bureau, tender=closed)
    assert "尚缺专家评分" in " ".join(exc.value.messages)
    assert not Contract.objects.exists()


def test_t6_award_waits_for_the_declarations(closed, drawn, bureau):
    with pytest.raises(ValidationError) as exc:
        services.tender_award(actor=bureau, tender=closed)
    assert "尚未进行利益冲突声明" in " ".join(exc.value.messages)


def test_t6_award_refused_when_a_team_member_is_full_time_on_another_active_package(
    scored, bids, bureau, agency, agency_team, world
):
    # Q4: one of the winning team already works full time on a package running on the start date.
    elsewhere = PackageFactory(
        town=world.town_a2,
        agency=agency,
        starts_on=timezone.localdate() - datetime.timedelta(days=30),
        ends_on=timezone.localdate() + datetime.timedelta(days=400),
    )
    StaffAssignment.objects.create(
        package=elsewhere, staff=agency_team[0], is_full_time=True, starts_on=elsewhere.starts_on
    )
    with pytest.raises(ValidationError) as exc:
        services.tender_award(actor=bureau, tender=scored)
    text = " ".join(exc.value.messages)
    assert "已在其他项目包中担任专职" in text and agency_team[0].name in text
    assert Tender.objects.get(pk=scored.pk).status == Tender.Status.EVALUATION
    assert not Contract.objects.exists() and not ServicePackage.objects.filter(tender=scored).exists()


def test_t6_award_refused_when_the_town_has_an_overlapping_active_package(scored, bureau, world):
    PackageFactory(
        town=world.town_a1,
        starts_on=scored.service_starts_on - datetime.timedelta(days=100),
        ends_on=scored.service_starts_on + datetime.timedelta(days=10),
    )
    with pytest.raises(ValidationError) as exc:
        services.tender_award(actor=bureau, tender=scored)
    assert "与本期重叠" in " ".join(exc.value.messages)
    assert not Contract.objects.exists()


def test_t6_a_disqualified_bid_cannot_win(scored, bids, bureau):
    type(bids[1]).objects.filter(pk=bids[1].pk).update(disqualification_reasons=["拟派团队：不足"])
    with pytest.raises(ValidationError) as exc:
        services.tender_award(actor=bureau, tender=scored, bid=bids[1], reason="试试")
    assert "bid" in exc.value.message_dict


def test_t6_only_the_bureau_awards(scored, personas):
    with pytest.raises(PermissionDenied):
        services.tender_award(actor=personas[Role.AUDITOR], tender=scored)


def test_t6_contract_signed_after_award(scored, bureau):
    with pytest.raises(ValidationError):
        services.tender_mark_contracted(actor=bureau, tender=scored, signed_on=timezone.localdate())
    services.tender_award(actor=bureau, tender=scored)
    with pytest.raises(ValidationError) as exc:
        services.tender_mark_contracted(
            actor=bureau, tender=scored, signed_on=timezone.localdate() + datetime.timedelta(days=1)
        )
    assert "signed_on" in exc.value.message_dict
    contract = services.tender_mark_contracted(actor=bureau, tender=scored, signed_on=timezone.localdate())
    assert contract.signed_on == timezone.localdate()
    assert Tender.objects.get(pk=scored.pk).status == Tender.Status.CONTRACTED


def test_t2_no_valid_bid_means_unsuccessful_not_award(closed, panel, bids, bureau):
    type(bids[0]).objects.filter(tender=closed).update(disqualification_reasons=["价格超过最高限价"])
    with pytest.raises(ValidationError) as exc:
        services.tender_award(actor=bureau, tender=closed)
    assert "流标" in exc.value.messages[0]
    services.tender_mark_unsuccessful(actor=bureau, tender=closed, reason="无有效投标。")
    assert Tender.objects.get(pk=closed.pk).status == Tender.Status.UNSUCCESSFUL


# --- packages bought before the platform ----------------------------------------------------------------


def direct(bureau, round_2018, world, agency, members, **overrides):
    fields = {
        "actor": bureau,
        "town": world.town_a1,
        "agency": agency,
        "round": round_2018,
        "title": "双塔街道社工服务项目包（上线前采购）",
        "starts_on": datetime.date(2025, 1, 1),
        "ends_on": datetime.date(2026, 12, 31),
        "annual_amount": Decimal("980000"),
        "annual_ceiling": Decimal("1000000"),
        "staff_cost_share": Decimal("60"),
        "staff_ids": [m.pk for m in members],
    } | overrides
    return package_services.package_create_direct(**fields)


@pytest.fixture
def long_qualified(agency):
    agency.qualifications.update(valid_from=datetime.date(2024, 1, 1))
    return agency


def test_t6_direct_package_with_staff(bureau, round_2018, world, long_qualified, agency_team):
    package = direct(bureau, round_2018, world, long_qualified, agency_team)
    assert package.tender is None and package.contract is None
    assert package.assignments.count() == 9
    assert package.edition == round_2018.edition


def test_p1_direct_package_refused_when_the_town_has_an_overlapping_active_package(
    bureau, round_2018, world, long_qualified, agency_team
):
    PackageFactory(town=world.town_a1, starts_on=datetime.date(2026, 6, 1), ends_on=datetime.date(2027, 5, 31))
    with pytest.raises(ValidationError) as exc:
        direct(bureau, round_2018, world, long_qualified, agency_team)
    assert "与本期重叠" in exc.value.message_dict["town"][0]
    # An ended package of the town does not block.
    ServicePackage.objects.update(status=ServicePackage.Status.ENDED)
    assert direct(bureau, round_2018, world, long_qualified, agency_team).pk


def test_p2_direct_package_amount_over_the_ceiling_refused(bureau, round_2018, world, long_qualified, agency_team):
    with pytest.raises(ValidationError) as exc:
        direct(bureau, round_2018, world, long_qualified, agency_team, annual_amount=Decimal("1000000.01"))
    assert "年度金额" in exc.value.message_dict["annual_amount"][0]
    assert not ServicePackage.objects.exists()


def test_q1_direct_package_needs_a_qualified_agency_on_the_start_date(bureau, round_2018, world, agency, agency_team):
    # The fixture's qualification starts 30 days ago: not valid on 2025-01-01.
    with pytest.raises(ValidationError) as exc:
        direct(bureau, round_2018, world, agency, agency_team)
    assert re.search("资格|登记", " ".join(exc.value.message_dict["agency"]))


def test_q2_q3_q4_direct_package_staffing_checked(bureau, round_2018, world, long_qualified, agency_team):
    with pytest.raises(ValidationError) as exc:
        direct(bureau, round_2018, world, long_qualified, agency_team[:8])
    assert "少于本轮要求的" in " ".join(exc.value.message_dict["staff_ids"])
    stranger = StaffFactory(agency=qualified_agency())
    with pytest.raises(ValidationError) as exc:
        direct(bureau, round_2018, world, long_qualified, [*agency_team, stranger])
    assert "不属于" in exc.value.message_dict["staff_ids"][0]
    first = direct(bureau, round_2018, world, long_qualified, agency_team)
    with pytest.raises(ValidationError) as exc:
        direct(bureau, round_2018, world, long_qualified, agency_team, town=world.town_a2, title="另一个包")
    assert "已在其他项目包中担任专职" in " ".join(exc.value.message_dict["staff_ids"])
    assert ServicePackage.objects.get() == first


def test_direct_package_is_the_bureau_s(personas, round_2018, world, long_qualified, agency_team):
    with pytest.raises(PermissionDenied):
        direct(personas[Role.AUDITOR], round_2018, world, long_qualified, agency_team)
