"""A1: the two-way assessment — rounds, raters' sheets, visibility, results and indicator sets."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from delivery.models import PlanItem, ServicePlan
from directory.models import Organisation, Role
from evaluation import services
from evaluation.models import AssessmentIndicatorSet, AssessmentRound, AssessmentSheet, Direction
from evaluation.scoring import period_of
from evaluation.selectors import assessment_sheet_list
from evaluation.services import ScoreEntry
from evaluation.services.rubrics import indicator_set_default
from tests.factories import OrganisationFactory

from .helpers import entries, filled_round

pytestmark = pytest.mark.django_db

THIS_HALF = period_of(timezone.localdate())


def _sheet(round_, organisation) -> AssessmentSheet:
    return round_.sheets.select_related("round", "rater_organisation").get(rater_organisation=organisation)


def _indicators(sheet):
    return list(sheet.round.indicator_set_for(sheet.direction).indicators.all())


def test_a1_default_indicator_sets_ship_with_maxima_and_descriptions(db):
    of_agency = indicator_set_default(Direction.OF_AGENCY)
    of_town = indicator_set_default(Direction.OF_TOWN_OFFICE)
    assert of_agency.is_default and of_town.is_default
    for indicator_set in (of_agency, of_town):
        indicators = list(indicator_set.indicators.all())
        assert indicators and all(i.max_score > 0 and i.description for i in indicators)
        assert sum(i.max_score for i in indicators) == Decimal("100")
    # The agency scores the town office on support, venues, cooperation and timely payment.
    assert {i.name_zh for i in of_town.indicators.all()} == {"工作支持", "场地保障", "协同配合", "经费及时拨付"}


def test_a1_round_has_a_sheet_for_the_town_office_every_committee_and_the_agency(bureau, package, world):
    round_ = services.assessment_round_open(actor=bureau, package=package, period=THIS_HALF)
    sheets = {(s.rater_organisation_id, s.direction) for s in round_.sheets.all()}
    assert sheets == {
        (world.town_office_a1.pk, Direction.OF_AGENCY),
        (world.committee_a1.pk, Direction.OF_AGENCY),
        (world.agency.pk, Direction.OF_TOWN_OFFICE),
    }
    assert round_.closes_on == timezone.localdate() + datetime.timedelta(days=30)
    assert round_.agency_indicator_set.is_in_use and round_.town_office_indicator_set.is_in_use


def test_a1_served_communities_follow_the_plan_when_it_places_items(bureau, package, world):
    c = world.communities_a1
    committees = [world.committee_a1] + [
        OrganisationFactory(kind=Organisation.Kind.COMMUNITY_COMMITTEE, community=x, town=x.town, uscc=None)
        for x in c[1:]
    ]
    plan = ServicePlan.objects.create(package=package, status=ServicePlan.Status.APPROVED)
    for community in (c[1], c[2]):
        PlanItem.objects.create(plan=plan, is_filed=True, filed_name="睦邻空间", community=community, annual_target=4)
    round_ = services.assessment_round_open(actor=bureau, package=package, period=THIS_HALF)
    raters = set(round_.sheets.filter(direction=Direction.OF_AGENCY).values_list("rater_organisation_id", flat=True))
    assert raters == {world.town_office_a1.pk, committees[1].pk, committees[2].pk}


def test_a1_round_refusals(bureau, package, personas, world):
    with pytest.raises(PermissionDenied):
        services.assessment_round_open(actor=personas[Role.TOWN_OFFICER], package=package, period=THIS_HALF)
    with pytest.raises(ValidationError) as exc:
        services.assessment_round_open(actor=bureau, package=package, period="2025-1")
    assert "2025H1" in str(exc.value)
    with pytest.raises(ValidationError) as exc:
        services.assessment_round_open(actor=bureau, package=package, period="2030H1")
    assert "不在项目包服务期" in str(exc.value)
    services.assessment_round_open(actor=bureau, package=package, period=THIS_HALF)
    with pytest.raises(ValidationError) as exc:
        services.assessment_round_open(actor=bureau, package=package, period=THIS_HALF)
    assert "已经发起" in str(exc.value)


def test_a1_rater_saves_a_draft_then_submits_once_and_the_sheet_locks(bureau, package, world, personas):
    town_officer = personas[Role.TOWN_OFFICER]
    round_ = services.assessment_round_open(actor=bureau, package=package, period=THIS_HALF)
    sheet = _sheet(round_, world.town_office_a1)
    indicators = _indicators(sheet)
    first = indicators[0]
    services.assessment_sheet_save(actor=town_officer, sheet=sheet, scores={first.pk: ScoreEntry(Decimal("20"), "好")})
    sheet.refresh_from_db()
    assert sheet.status == AssessmentSheet.Status.DRAFT
    assert sheet.scores.get(indicator=first).score == Decimal("20")
    # Submitting a half-filled sheet names what is missing.
    with pytest.raises(ValidationError) as exc:
        services.assessment_sheet_submit(actor=town_officer, sheet=sheet)
    assert f"score_{indicators[1].pk}" in exc.value.message_dict
    services.assessment_sheet_submit(actor=town_officer, sheet=sheet, scores=entries(indicators, Decimal("0.8")))
    sheet.refresh_from_db()
    assert sheet.status == AssessmentSheet.Status.SUBMITTED
    assert sheet.submitted_by == town_officer and sheet.submitted_at
    assert sheet.percent == Decimal("80.00")
    for call in (services.assessment_sheet_save, services.assessment_sheet_submit):
        with pytest.raises(ValidationError, match="已提交"):
            call(actor=town_officer, sheet=sheet, scores=entries(indicators, Decimal("1")))
    assert AssessmentSheet.objects.get(pk=sheet.pk).total == sheet.total


def test_a1_scores_stay_between_zero_and_the_maximum_in_half_points(bureau, package, world, personas):
    round_ = services.assessment_round_open(actor=bureau, package=package, period=THIS_HALF)
    sheet = _sheet(round_, world.agency)
    ind = _indicators(sheet)[0]
    for bad, message in ((ind.max_score + 1, "不能超过满分"), (Decimal("-1"), "不能为负数"), (Decimal("3.3"), "0.5")):
        with pytest.raises(ValidationError) as exc:
            services.assessment_sheet_save(
                actor=personas[Role.AGENCY_MANAGER], sheet=sheet, scores={ind.pk: ScoreEntry(bad)}
            )
        assert message in exc.value.message_dict[f"score_{ind.pk}"][0]


def test_a1_each_rater_fills_only_its_own_sheet(bureau, package, world, personas, outsiders):
    round_ = services.assessment_round_open(actor=bureau, package=package, period=THIS_HALF)
    office_sheet = _sheet(round_, world.town_office_a1)
    agency_sheet = _sheet(round_, world.agency)
    scores = entries(_indicators(office_sheet))
    for user, sheet in (
        (personas[Role.COMMUNITY_OFFICER], office_sheet),
        (personas[Role.AGENCY_WORKER], agency_sheet),  # the manager rates for the agency, not a worker
        (personas[Role.TOWN_OFFICER], agency_sheet),
        (outsiders[Role.TOWN_OFFICER], office_sheet),
        (bureau, office_sheet),
    ):
        with pytest.raises(PermissionDenied):
            services.assessment_sheet_save(actor=user, sheet=sheet, scores=scores)


def test_a1_the_other_side_sees_a_sheet_only_after_the_round_closes(bureau, package, world, personas, raters, client):
    round_ = filled_round(bureau, package, raters, close=False)
    office_sheet = _sheet(round_, world.town_office_a1)
    agency_sheet = _sheet(round_, world.agency)
    manager, town_officer = personas[Role.AGENCY_MANAGER], personas[Role.TOWN_OFFICER]

    client.force_login(manager)
    assert client.get(reverse("evaluation:sheet-detail", args=[agency_sheet.pk])).status_code == 200
    assert client.get(reverse("evaluation:sheet-detail", args=[office_sheet.pk])).status_code == 404
    body = client.get(reverse("evaluation:round-detail", args=[round_.pk])).content.decode()
    assert str(world.town_office_a1) not in body and "本轮结束后可见" in body
    client.force_login(town_officer)
    assert client.get(reverse("evaluation:sheet-detail", args=[agency_sheet.pk])).status_code == 404
    # The bureau and the auditor see everything at any time.
    for role in (Role.BUREAU_ADMIN, Role.AUDITOR):
        client.force_login(personas[role])
        assert client.get(reverse("evaluation:sheet-detail", args=[office_sheet.pk])).status_code == 200

    services.assessment_round_close(actor=bureau, round_=round_)
    client.force_login(manager)
    response = client.get(reverse("evaluation:sheet-detail", args=[office_sheet.pk]))
    assert response.status_code == 200 and "75.00%" in response.content.decode()
    client.force_login(town_officer)
    assert client.get(reverse("evaluation:sheet-detail", args=[agency_sheet.pk])).status_code == 200


def test_a1_a_round_closes_by_itself_after_its_closing_date(bureau, package, world, personas, raters):
    round_ = filled_round(bureau, package, raters, close=False)
    AssessmentRound.objects.filter(pk=round_.pk).update(
        opens_on=timezone.localdate() - datetime.timedelta(days=31),
        closes_on=timezone.localdate() - datetime.timedelta(days=1),
    )
    round_.refresh_from_db()
    assert round_.is_closed and round_.status == AssessmentRound.Status.OPEN
    visible = assessment_sheet_list(user=personas[Role.AGENCY_MANAGER]).values_list("rater_organisation", flat=True)
    assert world.town_office_a1.pk in set(visible)


def test_a1_nobody_fills_a_sheet_after_the_round_closed(bureau, package, world, personas):
    round_ = services.assessment_round_open(actor=bureau, package=package, period=THIS_HALF)
    sheet = _sheet(round_, world.town_office_a1)
    services.assessment_round_close(actor=bureau, round_=round_)
    sheet.refresh_from_db()
    with pytest.raises(ValidationError, match="已结束"):
        services.assessment_sheet_submit(
            actor=personas[Role.TOWN_OFFICER], sheet=sheet, scores=entries(_indicators(sheet))
        )


def test_a1_results_per_round_and_history_across_rounds(bureau, package, raters, client, personas):
    package.starts_on = timezone.localdate() - datetime.timedelta(days=400)
    package.save()
    earlier = period_of(timezone.localdate() - datetime.timedelta(days=190))
    filled_round(bureau, package, raters, period=earlier, share=Decimal("0.8"))
    filled_round(bureau, package, raters, period=THIS_HALF, share=Decimal("0.9"))
    client.force_login(personas[Role.AGENCY_MANAGER])
    body = client.get(reverse("evaluation:package-assessments", args=[package.pk])).content.decode()
    assert earlier in body and THIS_HALF in body
    assert body.index(earlier) < body.index(THIS_HALF)
    assert "80.00%" in body and "90.00%" in body


def test_a1_an_indicator_set_in_use_is_edited_into_a_new_version(bureau, package):
    round_ = services.assessment_round_open(actor=bureau, package=package, period=THIS_HALF)
    used = round_.agency_indicator_set
    revised = services.indicator_set_update(
        actor=bureau,
        indicator_set=used,
        indicators=[
            ("A1", "服务计划执行", "Plan", "按计划开展服务。", Decimal("60")),
            ("A2", "满意度", "", "", Decimal("40")),
        ],
    )
    assert revised.pk != used.pk and revised.version == used.version + 1 and revised.derived_from == used
    assert revised.is_default and not AssessmentIndicatorSet.objects.get(pk=used.pk).is_default
    assert used.indicators.count() == 5 and revised.indicators.count() == 2
    # A set not yet in use is edited in place; the bureau picks the set per round.
    same = services.indicator_set_update(actor=bureau, indicator_set=revised, name_zh="修订版")
    assert same.pk == revised.pk and same.name_zh == "修订版"


def test_a1_the_half_year_schedule_opens_a_round_per_active_package_once(bureau, package, other_package):
    opened, skipped = services.assessment_rounds_open_due()
    assert {r.package_id for r in opened} == {package.pk, other_package.pk}
    assert skipped == []
    assert all(r.opened_by is None and r.period == THIS_HALF for r in opened)
    again, _skipped = services.assessment_rounds_open_due()
    assert again == []


def test_a1_schedule_task_skips_a_town_without_an_office(world, edition, package):
    from evaluation.tasks import assessment_rounds_open_due_task

    world.town_office_a1.is_active = False
    world.town_office_a1.save()
    result = assessment_rounds_open_due_task()
    assert result["opened"] == []
    assert "还没有办事处组织" in result["skipped"][0]


@pytest.mark.parametrize("period", ["0000H1", "1999H2", "2101H1"])
def test_a1_a_period_outside_the_platforms_years_is_a_field_error(client, bureau, package, period):
    with pytest.raises(ValidationError) as exc:
        services.assessment_round_open(actor=bureau, package=package, period=period)
    assert "period" in exc.value.message_dict
    client.force_login(bureau)
    response = client.post(
        reverse("api-v1:evaluation-round-open"),
        {"package": package.pk, "period": period},
        content_type="application/json",
    )
    assert response.status_code == 400 and "period" in response.json()
    assert not AssessmentRound.objects.filter(package=package).exists()


def test_a1_an_opening_date_far_in_the_future_is_a_field_error_not_an_overflow(bureau, package):
    with pytest.raises(ValidationError) as exc:
        services.assessment_round_open(
            actor=bureau, package=package, period=THIS_HALF, opens_on=datetime.date(9999, 12, 31)
        )
    assert "opens_on" in exc.value.message_dict
    assert not AssessmentRound.objects.filter(package=package).exists()


@pytest.mark.parametrize("role", [Role.AUDITOR, Role.DISTRICT_OFFICER])
def test_role_table_auditor_and_district_officer_do_not_fill_assessment_sheets(role, personas, bureau, package):
    from evaluation.models import AssessmentScore

    round_ = services.assessment_round_open(actor=bureau, package=package, period=THIS_HALF)
    for sheet in round_.sheets.all():
        indicators = list(sheet.round.agency_indicator_set.indicators.all())
        with pytest.raises(PermissionDenied):
            services.assessment_sheet_save(actor=personas[role], sheet=sheet, scores=entries(indicators))
    assert not AssessmentScore.objects.filter(sheet__round=round_).exists()
