"""Plan and venue services: P3 (items and filed items), the P7 workflow with amendments and history, and P8."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from catalog.models import CatalogueEdition, ServiceItem
from delivery.models import PlanComment, PlanItem, PlanVersion, ServicePlan, Venue
from delivery.services import plans as services
from directory.models import Role

from .conftest import BASIC, GOVERN, RESEARCH, TOWN_BASIC

pytestmark = pytest.mark.django_db


def messages_of(exc) -> str:
    return " ".join(exc.value.messages)


def add(actor, plan, item, community=None, year=1, target=10):
    return services.plan_item_add(
        actor=actor, package=plan.package, item=item, community=community, year=year, annual_target=target
    )


def walk_to_approval(personas, plan):
    plan = services.plan_submit(actor=personas[Role.AGENCY_MANAGER], plan=plan)
    plan = services.plan_town_review(actor=personas[Role.TOWN_OFFICER], plan=plan, approve=True)
    return services.plan_approve(actor=personas[Role.BUREAU_ADMIN], plan=plan)


# --- P3: items ---------------------------------------------------------------------------------------


def test_p3_worker_and_manager_of_the_agency_add_catalogue_items(personas, package, catalogue, communities):
    plan = services.plan_get_or_create(actor=personas[Role.AGENCY_WORKER], package=package)
    item = add(personas[Role.AGENCY_WORKER], plan, catalogue[BASIC], communities[0], target=30)
    assert item.counts and item.unit == "household" and item.category_kind == "basic"
    add(personas[Role.AGENCY_MANAGER], plan, catalogue[TOWN_BASIC], None)
    assert plan.items.count() == 2
    assert services.plan_get_or_create(actor=personas[Role.AGENCY_MANAGER], package=package) == plan


def test_p3_item_from_another_edition_is_refused(personas, plan, communities, edition_2018):
    pilot = CatalogueEdition.objects.get(code="2016-pilot")
    old = ServiceItem.objects.filter(edition=pilot, level="community").first()
    with pytest.raises(ValidationError) as exc:
        add(personas[Role.AGENCY_MANAGER], plan, old, communities[0])
    assert "不属于本项目包使用的服务目录" in messages_of(exc)
    assert "item" in exc.value.message_dict


def test_p3_place_must_be_a_community_of_the_packages_town(personas, plan, catalogue, world):
    with pytest.raises(ValidationError) as exc:
        add(personas[Role.AGENCY_MANAGER], plan, catalogue[BASIC], world.community_b1)
    assert world.community_b1.name in messages_of(exc) and "community" in exc.value.message_dict


def test_p3_item_level_decides_the_place(personas, plan, catalogue, communities):
    manager = personas[Role.AGENCY_MANAGER]
    with pytest.raises(ValidationError) as exc:
        add(manager, plan, catalogue[TOWN_BASIC], communities[0])
    assert "只能放在街镇层面" in messages_of(exc)
    with pytest.raises(ValidationError) as exc:
        add(manager, plan, catalogue[BASIC], None)
    assert "请选择落地的社区" in messages_of(exc)
    both = catalogue["JC-05"]  # delivered at town or community level
    add(manager, plan, both, None)
    add(manager, plan, both, communities[0])


@pytest.mark.parametrize("target", [0, -5, "abc", None])
def test_p3_target_must_be_positive(personas, plan, catalogue, communities, target):
    with pytest.raises(ValidationError) as exc:
        add(personas[Role.AGENCY_MANAGER], plan, catalogue[BASIC], communities[0], target=target)
    assert "annual_target" in exc.value.message_dict


def test_p3_year_lies_within_the_package_period(personas, plan, catalogue, communities):
    assert services.plan_years(plan.package) == 2
    add(personas[Role.AGENCY_MANAGER], plan, catalogue[BASIC], communities[0], year=2)
    with pytest.raises(ValidationError) as exc:
        add(personas[Role.AGENCY_MANAGER], plan, catalogue[BASIC], communities[0], year=3)
    assert "第 1 至第 2 年" in messages_of(exc)


def test_p3_same_item_twice_at_one_place_and_year_is_refused(personas, plan, catalogue, communities):
    add(personas[Role.AGENCY_MANAGER], plan, catalogue[BASIC], communities[0])
    with pytest.raises(ValidationError) as exc:
        add(personas[Role.AGENCY_MANAGER], plan, catalogue[BASIC], communities[0])
    assert "已有" in messages_of(exc)
    add(personas[Role.AGENCY_MANAGER], plan, catalogue[BASIC], communities[0], year=2)


def test_p3_update_and_remove_items(personas, plan, catalogue, communities):
    manager = personas[Role.AGENCY_MANAGER]
    item = add(manager, plan, catalogue[BASIC], communities[0])
    services.plan_item_update(
        actor=manager, plan=plan, plan_item=item, community=communities[1], year=2, annual_target=40, note="加量"
    )
    item.refresh_from_db()
    assert (item.community, item.year, item.annual_target, item.note) == (communities[1], 2, 40, "加量")
    with pytest.raises(ValidationError):
        services.plan_item_update(actor=manager, plan=plan, plan_item=item, community=None, year=2, annual_target=40)
    services.plan_item_remove(actor=manager, plan=plan, plan_item=item)
    assert not plan.items.exists()


def test_p3_filed_item_needs_a_justification_and_waits_for_the_bureau(personas, plan, communities):
    manager, bureau = personas[Role.AGENCY_MANAGER], personas[Role.BUREAU_ADMIN]
    fields = dict(name="智能手环关爱", category_kind="basic", unit="household", community=communities[0], year=1)
    with pytest.raises(ValidationError) as exc:
        services.plan_item_file(actor=manager, package=plan.package, justification=" ", annual_target=10, **fields)
    assert "justification" in exc.value.message_dict
    filed = services.plan_item_file(
        actor=manager, package=plan.package, justification="目录中没有智能设备类关爱。", annual_target=10, **fields
    )
    assert filed.filed_status == PlanItem.FiledStatus.PENDING and not filed.counts
    with pytest.raises(PermissionDenied):
        services.plan_item_filed_decide(actor=manager, plan_item=filed, approve=True)
    with pytest.raises(ValidationError) as exc:
        services.plan_item_filed_decide(actor=bureau, plan_item=filed, approve=False, reason="")
    assert "reason" in exc.value.message_dict
    filed = services.plan_item_filed_decide(actor=bureau, plan_item=filed, approve=False, reason="属于目录JC-02。")
    assert filed.filed_status == PlanItem.FiledStatus.REJECTED and not filed.counts
    assert PlanComment.objects.get(plan_item=filed).text.endswith("属于目录JC-02。")
    # Re-filing with a new justification puts it back in the bureau's queue; then it is approved and counts.
    services.plan_item_update(
        actor=manager,
        plan=plan,
        plan_item=filed,
        community=communities[0],
        year=1,
        annual_target=10,
        justification="JC-02不含设备费用，需单独备案。",
    )
    filed.refresh_from_db()
    assert filed.filed_status == PlanItem.FiledStatus.PENDING
    filed = services.plan_item_filed_decide(actor=bureau, plan_item=filed, approve=True)
    assert filed.counts


def test_p3_filed_item_validates_its_category_and_unit(personas, plan):
    with pytest.raises(ValidationError) as exc:
        services.plan_item_file(
            actor=personas[Role.AGENCY_MANAGER],
            package=plan.package,
            name="X",
            category_kind="moon",
            unit="kg",
            justification="…",
            community=None,
            year=1,
            annual_target=1,
        )
    assert {"category_kind", "unit"} <= set(exc.value.message_dict)


def test_worker_of_another_agency_cannot_touch_the_plan(outsiders, plan, catalogue, communities, package):
    for role in (Role.AGENCY_WORKER, Role.AGENCY_MANAGER):
        with pytest.raises(PermissionDenied):
            add(outsiders[role], plan, catalogue[BASIC], communities[0])
        with pytest.raises(PermissionDenied):
            services.plan_get_or_create(actor=outsiders[role], package=package)


def test_officers_cannot_edit_items(personas, plan, catalogue, communities):
    for role in (Role.TOWN_OFFICER, Role.COMMUNITY_OFFICER, Role.BUREAU_ADMIN):
        with pytest.raises(PermissionDenied):
            add(personas[role], plan, catalogue[BASIC], communities[0])


# --- P7: the workflow ----------------------------------------------------------------------------------


def test_p7_submit_enforces_coverage_and_lists_the_problems(personas, plan, catalogue, communities):
    manager = personas[Role.AGENCY_MANAGER]
    add(manager, plan, catalogue[BASIC], communities[0])
    with pytest.raises(ValidationError) as exc:
        services.plan_submit(actor=manager, plan=plan)
    text = messages_of(exc)
    assert (
        "基础服务类项目须覆盖每个社区" in text
        and "项目只落在" in text
        and ("社区层面共" in text or "需求调研类项目" in text)
        and communities[3].name in text
    )
    plan.refresh_from_db()
    assert plan.status == ServicePlan.Status.DRAFT


def test_p7_only_the_agency_manager_submits(personas, covering_plan):
    with pytest.raises(PermissionDenied):
        services.plan_submit(actor=personas[Role.AGENCY_WORKER], plan=covering_plan)
    with pytest.raises(PermissionDenied):
        services.plan_submit(actor=personas[Role.TOWN_OFFICER], plan=covering_plan)


def test_p7_full_workflow_with_a_return_and_a_version(personas, covering_plan):
    manager, town, bureau = personas[Role.AGENCY_MANAGER], personas[Role.TOWN_OFFICER], personas[Role.BUREAU_ADMIN]
    plan = services.plan_submit(actor=manager, plan=covering_plan)
    assert plan.status == ServicePlan.Status.SUBMITTED and plan.submitted_at
    # Submitted: the agency can no longer change items; the bureau can't approve before the town.
    with pytest.raises(ValidationError):
        add(manager, plan, PlanItem.objects.filter(plan=plan).first().item, None, year=2)
    with pytest.raises(ValidationError):
        services.plan_approve(actor=bureau, plan=plan)
    with pytest.raises(ValidationError) as exc:
        services.plan_town_review(actor=town, plan=plan, approve=False, reason="")
    assert "reason" in exc.value.message_dict
    plan = services.plan_town_review(actor=town, plan=plan, approve=False, reason="请补充滚绣社区的活动安排。")
    assert plan.status == ServicePlan.Status.RETURNED and plan.returned_reason == "请补充滚绣社区的活动安排。"
    plan = services.plan_submit(actor=manager, plan=plan)
    assert plan.returned_reason == ""
    plan = services.plan_town_review(actor=town, plan=plan, approve=True, reason="同意。")
    assert plan.status == ServicePlan.Status.TOWN_REVIEWED
    plan = services.plan_return(actor=bureau, plan=plan, reason="目标偏低。")
    assert plan.status == ServicePlan.Status.RETURNED
    plan = walk_to_approval(personas, plan)
    assert plan.status == ServicePlan.Status.APPROVED and plan.version == 1
    version = PlanVersion.objects.get(plan=plan)
    assert version.number == 1 and version.approved_by == bureau and version.reason == ""
    assert len(version.snapshot) == 18
    assert {row["category_kind"] for row in version.snapshot} == {
        "basic",
        "needs_research",
        "empowerment",
        "governance",
    }


def test_p7_bureau_decides_filed_items_before_approving(personas, covering_plan, communities):
    manager, bureau = personas[Role.AGENCY_MANAGER], personas[Role.BUREAU_ADMIN]
    filed = services.plan_item_file(
        actor=manager,
        package=covering_plan.package,
        name="社区花园营造",
        category_kind="empowerment",
        unit="session",
        justification="居民提议。",
        community=communities[0],
        year=1,
        annual_target=6,
    )
    plan = services.plan_submit(actor=manager, plan=covering_plan)
    plan = services.plan_town_review(actor=personas[Role.TOWN_OFFICER], plan=plan, approve=True)
    with pytest.raises(ValidationError) as exc:
        services.plan_approve(actor=bureau, plan=plan)
    assert "社区花园营造" in messages_of(exc)
    services.plan_item_filed_decide(actor=bureau, plan_item=filed, approve=True)
    assert services.plan_approve(actor=bureau, plan=plan).status == ServicePlan.Status.APPROVED


def test_p7_only_the_bureau_approves_and_only_the_town_reviews(personas, outsiders, covering_plan):
    plan = services.plan_submit(actor=personas[Role.AGENCY_MANAGER], plan=covering_plan)
    for user in (outsiders[Role.TOWN_OFFICER], personas[Role.COMMUNITY_OFFICER], personas[Role.AGENCY_MANAGER]):
        with pytest.raises(PermissionDenied):
            services.plan_town_review(actor=user, plan=plan, approve=True)
    plan = services.plan_town_review(actor=personas[Role.TOWN_OFFICER], plan=plan, approve=True)
    for user in (personas[Role.TOWN_OFFICER], personas[Role.AUDITOR], personas[Role.DISTRICT_OFFICER]):
        with pytest.raises(PermissionDenied):
            services.plan_approve(actor=user, plan=plan)
        with pytest.raises(PermissionDenied):
            services.plan_return(actor=user, plan=plan, reason="x")


def test_p7_amendment_needs_a_reason_and_yields_a_new_version(personas, covering_plan, catalogue, communities):
    manager = personas[Role.AGENCY_MANAGER]
    plan = walk_to_approval(personas, covering_plan)
    # Approved: items are frozen until an amendment is opened.
    with pytest.raises(ValidationError) as exc:
        add(manager, plan, catalogue["JC-02"], communities[0])
    assert "计划变更" in messages_of(exc)
    with pytest.raises(ValidationError) as exc:
        services.plan_amend(actor=manager, plan=plan, reason="  ")
    assert "reason" in exc.value.message_dict
    with pytest.raises(PermissionDenied):
        services.plan_amend(actor=personas[Role.AGENCY_WORKER], plan=plan, reason="x")
    plan = services.plan_amend(actor=manager, plan=plan, reason="新增志愿服务队，调整群租房治理目标。")
    assert plan.status == ServicePlan.Status.DRAFT and plan.version == 1
    added = add(personas[Role.AGENCY_WORKER], plan, catalogue["ZZ-04"], communities[0], year=2)
    governance = PlanItem.objects.get(plan=plan, item__code=GOVERN, community=communities[1])
    services.plan_item_update(
        actor=manager, plan=plan, plan_item=governance, community=communities[1], year=1, annual_target=25
    )
    removed = PlanItem.objects.get(plan=plan, item__code="ZZ-05")
    removed_pk = removed.pk
    services.plan_item_remove(actor=manager, plan=plan, plan_item=removed)
    plan = walk_to_approval(personas, plan)
    assert plan.version == 2 and plan.amendment_reason == ""
    versions = list(PlanVersion.objects.filter(plan=plan).order_by("number"))
    assert [v.number for v in versions] == [1, 2]
    assert versions[1].reason == "新增志愿服务队，调整群租房治理目标。"
    # The first version is kept as it was approved.
    assert len(versions[0].snapshot) == 18 and len(versions[1].snapshot) == 18
    [newest, first] = services.version_diffs(versions)
    assert first["first"] and newest["version"].number == 2
    assert [row["id"] for row in newest["added"]] == [added.pk]
    assert [row["id"] for row in newest["removed"]] == [removed_pk]
    [change] = newest["changed"]
    assert (change["old"]["annual_target"], change["new"]["annual_target"]) == (10, 25)


def test_p7_community_officer_comments_only_on_own_communitys_items(personas, outsiders, covering_plan, communities):
    officer = personas[Role.COMMUNITY_OFFICER]  # committee of communities[0]
    plan = services.plan_submit(actor=personas[Role.AGENCY_MANAGER], plan=covering_plan)
    own = PlanItem.objects.get(plan=plan, item__code=BASIC, community=communities[0])
    other = PlanItem.objects.get(plan=plan, item__code=BASIC, community=communities[1])
    town_level = PlanItem.objects.get(plan=plan, item__code=TOWN_BASIC)
    comment = services.plan_comment_add(actor=officer, plan=plan, plan_item=own, text="建议增加周末场次。")
    assert comment.community == communities[0]
    for item in (other, town_level):
        with pytest.raises(PermissionDenied):
            services.plan_comment_add(actor=officer, plan=plan, plan_item=item, text="…")
    with pytest.raises(PermissionDenied):
        services.plan_comment_add(actor=officer, plan=plan, text="整体意见")
    with pytest.raises(PermissionDenied):
        services.plan_comment_add(actor=outsiders[Role.COMMUNITY_OFFICER], plan=plan, plan_item=own, text="…")
    # The town's officer comments on any item and on the plan as a whole.
    services.plan_comment_add(actor=personas[Role.TOWN_OFFICER], plan=plan, plan_item=other, text="同意。")
    services.plan_comment_add(actor=personas[Role.TOWN_OFFICER], plan=plan, text="整体可行。")
    with pytest.raises(ValidationError):
        services.plan_comment_add(actor=personas[Role.TOWN_OFFICER], plan=plan, text="  ")
    assert PlanComment.objects.filter(plan=plan).count() == 3


def test_p7_refused_removal_of_an_item_with_report_lines(personas, covering_plan):
    from delivery.models import ReportLine, ServiceReport

    plan = walk_to_approval(personas, covering_plan)
    plan = services.plan_amend(actor=personas[Role.AGENCY_MANAGER], plan=plan, reason="调整")
    item = PlanItem.objects.filter(plan=plan).first()
    report = ServiceReport.objects.create(
        package=plan.package, year=2025, month=1, created_by=personas[Role.AGENCY_WORKER]
    )
    ReportLine.objects.create(report=report, plan_item=item, sessions=2)
    with pytest.raises(ValidationError) as exc:
        services.plan_item_remove(actor=personas[Role.AGENCY_MANAGER], plan=plan, plan_item=item)
    assert "服务报告" in messages_of(exc)


def test_p7_an_ended_package_is_not_edited(personas, plan, catalogue, communities):
    plan.package.status = "ended"
    plan.package.save()
    with pytest.raises(ValidationError) as exc:
        add(personas[Role.AGENCY_MANAGER], plan, catalogue[RESEARCH], communities[0])
    assert "不在执行中" in messages_of(exc)


# --- P8: venues --------------------------------------------------------------------------------------


def venue(actor, package, community=None, **fields):
    values = {"name": "睦邻中心", "address": "十全街1号", "area_m2": Decimal("120.5"), "equipment": "投影仪、桌椅30套"}
    values.update(fields)
    return services.venue_create(actor=actor, package=package, community=community, **values)


def test_p8_venues_are_recorded_with_address_area_and_equipment(personas, package, communities):
    v = venue(personas[Role.TOWN_OFFICER], package)
    assert v.area_m2 == Decimal("120.5") and v.is_free and v.community is None
    v = venue(personas[Role.COMMUNITY_OFFICER], package, communities[0], name="南园活动室")
    assert v.community == communities[0]
    venue(personas[Role.AGENCY_MANAGER], package, communities[2], name="机构登记")
    assert Venue.objects.filter(package=package).count() == 3


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("area_m2", Decimal("0")),
        ("area_m2", Decimal("-3")),
        ("area_m2", Decimal("0.05")),
        ("area_m2", "abc"),
        ("address", " "),
        ("equipment", ""),
        ("name", ""),
    ],
)
def test_p8_bad_venue_fields_are_refused(personas, package, field, value):
    with pytest.raises(ValidationError) as exc:
        venue(personas[Role.TOWN_OFFICER], package, **{field: value})
    assert field in exc.value.message_dict


def test_p8_community_officer_records_only_own_communitys_venues(personas, outsiders, package, communities, world):
    officer = personas[Role.COMMUNITY_OFFICER]
    for community in (None, communities[1]):
        with pytest.raises(PermissionDenied):
            venue(officer, package, community)
    with pytest.raises(PermissionDenied):
        venue(personas[Role.TOWN_OFFICER], package, world.community_b1)
    for role in (Role.TOWN_OFFICER, Role.AGENCY_MANAGER, Role.COMMUNITY_OFFICER):
        with pytest.raises(PermissionDenied):
            venue(outsiders[role], package)
    with pytest.raises(PermissionDenied):
        venue(personas[Role.AGENCY_WORKER], package)
    town_venue = venue(personas[Role.TOWN_OFFICER], package)
    with pytest.raises(PermissionDenied):
        services.venue_delete(actor=officer, venue=town_venue)
    own = venue(officer, package, communities[0])
    services.venue_update(
        actor=officer,
        venue=own,
        community=communities[0],
        name="新名称",
        address="新地址",
        area_m2=Decimal("80"),
        equipment="无",
    )
    own.refresh_from_db()
    assert (own.name, own.area_m2) == ("新名称", Decimal("80.0"))
    with pytest.raises(PermissionDenied):
        services.venue_update(
            actor=officer, venue=own, community=None, name="x", address="y", area_m2=Decimal("1"), equipment="无"
        )
    services.venue_delete(actor=officer, venue=own)
    assert not Venue.objects.filter(pk=own.pk).exists()
