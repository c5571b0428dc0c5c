"""S5: a focus issue belongs to a community, has a type and a status (reported → in progress → resolved, or
escalated); a resolved issue has a resolution and a date; resolved issues are counted per agency, town, year."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from delivery.models import FocusIssue, FocusIssueEvent
from delivery.services.focus import focus_issue_counts, focus_issue_move, focus_issue_report
from directory.models import Role
from tests.procurement.factories import PackageFactory

pytestmark = pytest.mark.django_db
Status = FocusIssue.Status
TODAY = timezone.localdate


def new_issue(actor, community, kind=FocusIssue.Kind.GROUP_RENTAL, title="某小区群租房扰民"):
    return focus_issue_report(actor=actor, community=community, kind=kind, title=title, description="住户反映噪音大。")


def resolve(issue, actor, on=None):
    issue = focus_issue_move(actor=actor, issue=issue, to_status=Status.IN_PROGRESS, note="入户走访")
    return focus_issue_move(
        actor=actor,
        issue=issue,
        to_status=Status.RESOLVED,
        resolution="房东整改，恢复正常居住。",
        resolved_on=on or TODAY(),
    )


def test_s5_community_officer_registers_an_issue_of_their_community(package, community, officer):
    issue = new_issue(officer, community)
    assert (issue.community, issue.status, issue.reported_by) == (community, Status.REPORTED, officer)
    # the town's active package is linked, so its agency is credited when it is resolved
    assert issue.package == package
    event = issue.events.get()
    assert (event.from_status, event.to_status, event.actor) == ("", Status.REPORTED, officer)


def test_s5_the_agency_serving_the_town_registers_issues_in_any_of_its_communities(package, world, worker):
    issue = new_issue(worker, world.communities_a1[3], kind=FocusIssue.Kind.HIGH_THROW, title="高空抛物")
    assert issue.kind == "high_throw" and issue.package == package


def test_s5_every_type_of_the_rule_is_offered():
    assert [label for _value, label in FocusIssue.Kind.choices] == [
        "群租房", "毁绿种菜", "高空抛物", "宠物扰民", "楼道安全隐患", "无物业管理小区", "环境卫生", "邻里纠纷", "其他"
    ]  # fmt: skip


def test_s5_an_unknown_type_is_refused(package, community, officer):
    with pytest.raises(ValidationError) as exc:
        new_issue(officer, community, kind="noise")
    assert "kind" in exc.value.message_dict
    assert not FocusIssue.objects.exists()


def test_s5_outsiders_cannot_register_issues(package, world, community, outsiders, personas):
    for user in (
        outsiders[Role.COMMUNITY_OFFICER],  # another town's community officer
        outsiders[Role.AGENCY_WORKER],  # an agency with no package in the town
        personas[Role.EVALUATOR],
    ):
        with pytest.raises(PermissionDenied):
            new_issue(user, community)
    # the officer of community A1 cannot register for another community of the same town
    with pytest.raises(PermissionDenied):
        new_issue(personas[Role.COMMUNITY_OFFICER], world.communities_a1[1])
    assert not FocusIssue.objects.exists()


def test_s5_an_agency_whose_package_ended_no_longer_registers(world, agency, round_2018, community, worker):
    PackageFactory(town=world.town_a1, agency=agency, round=round_2018, status="ended")
    with pytest.raises(PermissionDenied):
        new_issue(worker, community)


def test_s5_states_move_reported_in_progress_resolved_with_who_and_when(package, community, officer, town_officer):
    issue = new_issue(officer, community)
    issue = focus_issue_move(actor=town_officer, issue=issue, to_status=Status.IN_PROGRESS, note="已派社工跟进")
    issue = focus_issue_move(
        actor=officer,
        issue=issue,
        to_status=Status.RESOLVED,
        resolution="召开协商会，房东退租整改。",
        resolved_on=TODAY(),
    )
    assert issue.status == Status.RESOLVED and issue.resolved_on == TODAY()
    events = list(issue.events.order_by("at", "pk").values_list("from_status", "to_status", "actor", "note"))
    assert events == [
        ("", Status.REPORTED, officer.pk, ""),
        (Status.REPORTED, Status.IN_PROGRESS, town_officer.pk, "已派社工跟进"),
        (Status.IN_PROGRESS, Status.RESOLVED, officer.pk, ""),
    ]
    assert all(e.at is not None for e in issue.events.all())


def test_s5_escalation_and_back(package, community, officer, town_officer):
    issue = new_issue(officer, community)
    with pytest.raises(ValidationError) as exc:
        focus_issue_move(actor=officer, issue=issue, to_status=Status.ESCALATED)
    assert "note" in exc.value.message_dict
    issue = focus_issue_move(actor=officer, issue=issue, to_status=Status.ESCALATED, note="涉及违建，报城管")
    issue = focus_issue_move(actor=town_officer, issue=issue, to_status=Status.IN_PROGRESS, note="城管已介入")
    assert issue.status == Status.IN_PROGRESS


@pytest.mark.parametrize(
    ("path", "to_status"),
    [
        ([], Status.RESOLVED),  # reported → resolved skips "in progress"
        ([], Status.REPORTED),
        ([Status.IN_PROGRESS], Status.REPORTED),
        ([Status.ESCALATED], Status.RESOLVED),
        ([Status.IN_PROGRESS, Status.RESOLVED], Status.IN_PROGRESS),  # resolved is final
    ],
)
def test_s5_transitions_outside_the_rule_are_refused(package, community, officer, path, to_status):
    issue = new_issue(officer, community)
    for step in path:
        issue = focus_issue_move(
            actor=officer, issue=issue, to_status=step, note="x", resolution="已解决", resolved_on=TODAY()
        )
    events = issue.events.count()
    with pytest.raises(ValidationError) as exc:
        focus_issue_move(actor=officer, issue=issue, to_status=to_status, resolution="r", resolved_on=TODAY(), note="n")
    assert "不能从" in exc.value.message_dict["to_status"][0]
    issue.refresh_from_db()
    assert issue.events.count() == events


def test_s5_resolving_needs_a_resolution_and_a_date(package, community, officer):
    issue = focus_issue_move(actor=officer, issue=new_issue(officer, community), to_status=Status.IN_PROGRESS)
    with pytest.raises(ValidationError) as exc:
        focus_issue_move(actor=officer, issue=issue, to_status=Status.RESOLVED, resolution=" ", resolved_on=None)
    assert set(exc.value.message_dict) == {"resolution", "resolved_on"}
    with pytest.raises(ValidationError) as exc:
        focus_issue_move(
            actor=officer,
            issue=issue,
            to_status=Status.RESOLVED,
            resolution="已处理",
            resolved_on=TODAY() + datetime.timedelta(days=1),
        )
    assert "晚于今天" in exc.value.message_dict["resolved_on"][0]
    with pytest.raises(ValidationError) as exc:
        focus_issue_move(
            actor=officer,
            issue=issue,
            to_status=Status.RESOLVED,
            resolution="已处理",
            resolved_on=TODAY() - datetime.timedelta(days=3),
        )
    assert "早于问题登记日期" in exc.value.message_dict["resolved_on"][0]
    issue.refresh_from_db()
    assert issue.status == Status.IN_PROGRESS and issue.resolution == ""
    assert not FocusIssueEvent.objects.filter(to_status=Status.RESOLVED).exists()


def test_s5_the_database_refuses_a_resolved_issue_without_resolution(package, community, officer):
    issue = new_issue(officer, community)
    with pytest.raises(IntegrityError), transaction.atomic():
        FocusIssue.objects.filter(pk=issue.pk).update(status=Status.RESOLVED)


def test_s5_outsiders_cannot_move_an_issue(package, community, officer, outsiders, personas):
    issue = new_issue(officer, community)
    for user in (outsiders[Role.TOWN_OFFICER], outsiders[Role.AGENCY_WORKER], outsiders[Role.COMMUNITY_OFFICER]):
        with pytest.raises(PermissionDenied):
            focus_issue_move(actor=user, issue=issue, to_status=Status.IN_PROGRESS)
    issue.refresh_from_db()
    assert issue.status == Status.REPORTED


def test_s5_resolved_issues_are_counted_per_agency_town_and_year(
    package, world, community, officer, worker, other_agency, round_2018, outsiders
):
    a = [new_issue(officer, community, title=f"问题{i}") for i in range(4)]
    FocusIssue.objects.filter(pk=a[0].pk).update(reported_at=timezone.make_aware(datetime.datetime(2025, 4, 1)))
    a[0].refresh_from_db()
    resolve(a[0], officer, on=datetime.date(2025, 5, 1))
    resolve(a[1], worker)
    resolve(a[2], officer)
    # a[3] stays open and is not counted
    other_package = PackageFactory(town=world.town_b1, agency=other_agency, round=round_2018)
    b = new_issue(outsiders[Role.COMMUNITY_OFFICER], world.community_b1)
    assert b.package == other_package
    resolve(b, outsiders[Role.COMMUNITY_OFFICER])

    by_agency = {c.key: c.count for c in focus_issue_counts(by="agency")}
    assert by_agency == {package.agency_id: 3, other_package.agency_id: 1}
    by_town = {c.label: c.count for c in focus_issue_counts(by="town")}
    assert by_town == {"双塔街道": 3, "松陵街道": 1}
    by_year = {c.key: c.count for c in focus_issue_counts(by="year", town=world.town_a1)}
    assert by_year == {2025: 1, TODAY().year: 2}
    assert [c.count for c in focus_issue_counts(by="year", agency=other_package.agency)] == [1]
    assert sum(c.count for c in focus_issue_counts(by="town", year=2025)) == 1
