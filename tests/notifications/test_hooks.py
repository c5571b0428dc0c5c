"""The services tell the people who must act, at the moment things happen, once per event."""

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from compliance import services as compliance_services
from compliance.checks import Found
from compliance.models import Finding
from compliance.notify import findings_notify, findings_settle
from delivery.models import ServicePlan, ServiceReport
from delivery.notify import plan_submitted, report_returned
from delivery.services import plans as plan_services
from delivery.services import reports as report_services
from directory.models import Role
from evaluation import services as evaluation_services
from evaluation.models import Evaluation
from notifications.models import Notification
from notifications.services import notification_mark_read_for
from tests.delivery.plans.conftest import fill_covering_plan
from tests.delivery.reports.builders import END, START, approved_plan
from tests.factories import MembershipFactory, UserFactory
from tests.procurement.factories import PackageFactory

pytestmark = pytest.mark.django_db
Kind = Notification.Kind


def told(kind) -> list[tuple[str, str]]:
    return sorted(Notification.objects.filter(kind=kind).values_list("user__username", "subject_key"))


def usernames(kind) -> list[str]:
    return sorted(Notification.objects.filter(kind=kind).values_list("user__username", flat=True))


@pytest.fixture
def report_package(world, agency, round_2018):
    return PackageFactory(town=world.town_a1, agency=agency, round=round_2018, starts_on=START, ends_on=END)


@pytest.fixture
def submitted(report_package, world, worker, personas, outsiders):
    approved_plan(report_package, world)
    report = report_services.report_create(actor=worker, package=report_package, year=2025, month=3)
    report_services.report_save_draft(actor=worker, report=report, summary="三月小结", lines={})
    return report_services.report_submit(actor=worker, report=report)


def test_report_submitted_tells_the_towns_officers_only(submitted, town_officer):
    assert usernames(Kind.REPORT_SUBMITTED) == [town_officer.username]
    n = Notification.objects.get(kind=Kind.REPORT_SUBMITTED)
    assert n.url == submitted.get_absolute_url() and "2025年3月" in n.title


def test_report_returned_tells_the_agency_members_once(submitted, town_officer, manager, worker):
    returned = report_services.report_return(actor=town_officer, report=submitted, reason="请补充签到表")
    assert usernames(Kind.REPORT_RETURNED) == sorted([manager.username, worker.username])
    assert Notification.objects.filter(kind=Kind.REPORT_RETURNED, body="请补充签到表").count() == 2
    report_returned(returned)  # the hook again for the same event: nobody is told twice
    assert Notification.objects.filter(kind=Kind.REPORT_RETURNED).count() == 2


def test_each_resubmission_and_return_is_a_new_notification(submitted, town_officer, worker):
    report_services.report_return(actor=town_officer, report=submitted, reason="第一次退回")
    again = report_services.report_submit(actor=worker, report=ServiceReport.objects.get(pk=submitted.pk))
    report_services.report_return(actor=town_officer, report=again, reason="第二次退回")
    assert Notification.objects.filter(kind=Kind.REPORT_RETURNED, user=worker).count() == 2
    assert Notification.objects.filter(kind=Kind.REPORT_SUBMITTED, user=town_officer).count() == 2


def test_refused_move_tells_nobody(submitted, worker):
    with pytest.raises(PermissionDenied):
        report_services.report_return(actor=worker, report=submitted, reason="不是我该退回的")
    assert not Notification.objects.filter(kind=Kind.REPORT_RETURNED).exists()


def test_plan_submitted_tells_the_town_then_forwarded_tells_the_bureau(
    package, edition_2018, world, manager, town_officer, bureau
):
    from catalog.models import ServiceItem

    catalogue = {i.code: i for i in ServiceItem.objects.filter(edition=edition_2018).select_related("category")}
    plan = ServicePlan.objects.create(package=package)
    fill_covering_plan(plan, catalogue, list(world.town_a1.communities.order_by("code")))
    plan = plan_services.plan_submit(actor=manager, plan=plan)
    assert usernames(Kind.PLAN_REVIEW) == [town_officer.username]
    plan_submitted(plan)  # again: idempotent
    assert Notification.objects.filter(kind=Kind.PLAN_REVIEW).count() == 1
    plan_services.plan_town_review(actor=town_officer, plan=plan, approve=True)
    assert usernames(Kind.PLAN_REVIEW) == sorted([town_officer.username, bureau.username])
    bureau_note = Notification.objects.get(kind=Kind.PLAN_REVIEW, user=bureau)
    assert bureau_note.url == f"/delivery/packages/{package.pk}/plan/"


def test_plan_returned_by_the_town_tells_no_reviewer(package, edition_2018, world, manager, town_officer, bureau):
    from catalog.models import ServiceItem

    catalogue = {i.code: i for i in ServiceItem.objects.filter(edition=edition_2018).select_related("category")}
    plan = ServicePlan.objects.create(package=package)
    fill_covering_plan(plan, catalogue, list(world.town_a1.communities.order_by("code")))
    plan = plan_services.plan_submit(actor=manager, plan=plan)
    plan_services.plan_town_review(actor=town_officer, plan=plan, approve=False, reason="请补充")
    assert not Notification.objects.filter(kind=Kind.PLAN_REVIEW, user=bureau).exists()


def test_evaluation_assigned_tells_the_assigned_evaluators_once(package, world, bureau, evaluator, outsiders):
    evaluator2 = UserFactory(username="p_evaluator_2")
    MembershipFactory(user=evaluator2, organisation=world.firm, role=Role.EVALUATOR)
    evaluator3 = UserFactory(username="p_evaluator_3")
    MembershipFactory(user=evaluator3, organisation=world.firm, role=Role.EVALUATOR)
    evaluation = evaluation_services.evaluation_assign(
        actor=bureau,
        package=package,
        stage=Evaluation.Stage.MID_TERM,
        firm=world.firm,
        evaluator_ids=[evaluator.pk, evaluator2.pk],
    )
    assert usernames(Kind.EVALUATION_ASSIGNED) == sorted([evaluator.username, evaluator2.username])
    assert Notification.objects.filter(url=evaluation.get_absolute_url()).count() == 2
    evaluation_services.evaluation_evaluators_add(actor=bureau, evaluation=evaluation, evaluator_ids=[evaluator3.pk])
    assert usernames(Kind.EVALUATION_ASSIGNED) == sorted([evaluator.username, evaluator2.username, evaluator3.username])


def _finding(rule="K3", key="package:1:2025-03", organisation=None, **fields) -> Finding:
    from django.utils import timezone

    now = timezone.now()
    return Finding.objects.create(
        rule=rule,
        subject_key=key,
        message="3月月报逾期",
        organisation=organisation,
        first_seen_at=now,
        last_seen_at=now,
        **fields,
    )


def test_k8_new_finding_tells_the_responsible_organisations_members(world, personas, outsiders, manager, worker):
    agency_finding = _finding(organisation=world.agency, url="/delivery/reports/1/")
    town_finding = _finding(key="town", organisation=world.town_office_a1)
    findings_notify([agency_finding.pk, town_finding.pk])
    assert told(Kind.FINDING) == sorted(
        [
            (manager.username, f"finding:{agency_finding.pk}"),
            (worker.username, f"finding:{agency_finding.pk}"),
            (personas[Role.TOWN_OFFICER].username, f"finding:{town_finding.pk}"),
        ]
    )
    findings_notify([agency_finding.pk])  # again: nobody told twice
    assert Notification.objects.filter(kind=Kind.FINDING).count() == 3


def test_k8_closed_findings_tell_nobody_and_unowned_ones_tell_the_bureau(world, bureau, django_assert_max_num_queries):
    from django.utils import timezone

    closed = _finding(key="closed", organisation=world.agency, status=Finding.Status.CLOSED, closed_at=timezone.now())
    unowned = _finding(key="city")
    with django_assert_max_num_queries(5):  # findings, members, the insert (in a savepoint: +2)
        findings_notify([closed.pk, unowned.pk])
    assert told(Kind.FINDING) == [(bureau.username, f"finding:{unowned.pk}")]


def test_k8_sweep_notifies_new_findings_once(world, manager, worker, monkeypatch):
    found = [Found(subject_key="package:9", message="人员不足", organisation_id=world.agency.pk)]
    monkeypatch.setattr(compliance_services, "registered", lambda: {"K1": None})
    monkeypatch.setattr(compliance_services, "run_check", lambda rule, today: found)
    compliance_services.sweep(today=timezone.localdate())
    compliance_services.sweep(today=timezone.localdate())  # the same finding again: no new notification
    assert usernames(Kind.FINDING) == sorted([manager.username, worker.username])


def test_k8_finding_that_comes_back_rings_the_bells_again(world, manager, worker, monkeypatch):
    """Closed by one sweep (the bells drop), back in the next: the people told before are told again."""
    found = [Found(subject_key="package:9", message="人员不足", organisation_id=world.agency.pk)]
    monkeypatch.setattr(compliance_services, "registered", lambda: {"K1": None})
    monkeypatch.setattr(compliance_services, "run_check", lambda rule, today: found)
    today = timezone.localdate()
    compliance_services.sweep(today=today)
    Notification.objects.filter(user=manager).update(read_at=timezone.now())  # the manager has read it
    found_now = list(found)
    found.clear()
    compliance_services.sweep(today=today)  # cleared: closed and settled
    assert not Notification.objects.filter(kind=Kind.FINDING, read_at__isnull=True).exists()
    found.extend(found_now)
    compliance_services.sweep(today=today)  # back again
    assert Finding.objects.get(subject_key="package:9").status == Finding.Status.OPEN
    unread = Notification.objects.filter(kind=Kind.FINDING, read_at__isnull=True, emailed_at__isnull=True)
    assert sorted(unread.values_list("user__username", flat=True)) == sorted([manager.username, worker.username])


def test_k8_a_finding_that_comes_back_does_not_ring_people_no_longer_responsible(world, manager, worker, monkeypatch):
    """The worker left the agency while the finding was closed: when it comes back only the manager is told."""
    from directory.models import Membership

    found = [Found(subject_key="package:9", message="人员不足", organisation_id=world.agency.pk)]
    monkeypatch.setattr(compliance_services, "registered", lambda: {"K1": None})
    monkeypatch.setattr(compliance_services, "run_check", lambda rule, today: found)
    today = timezone.localdate()
    compliance_services.sweep(today=today)
    kept = list(found)
    found.clear()
    compliance_services.sweep(today=today)  # closed: both notifications settled
    Membership.objects.filter(user=worker, organisation=world.agency).update(is_active=False)
    found.extend(kept)
    compliance_services.sweep(today=today)  # back again
    unread = Notification.objects.filter(kind=Kind.FINDING, read_at__isnull=True)
    assert list(unread.values_list("user__username", flat=True)) == [manager.username]


def test_k8_settled_findings_drop_from_the_bells(world, manager, worker):
    finding = _finding(organisation=world.agency)
    findings_notify([finding.pk])
    assert Notification.objects.filter(kind=Kind.FINDING, read_at__isnull=True).count() == 2
    assert findings_settle([finding.pk]) == 2
    assert not Notification.objects.filter(kind=Kind.FINDING, read_at__isnull=True).exists()


def test_opening_the_subject_marks_the_own_notification_read(world, manager, worker):
    finding = _finding(organisation=world.agency)
    findings_notify([finding.pk])
    assert notification_mark_read_for(user=manager, kind=Kind.FINDING, subject_key=f"finding:{finding.pk}") == 1
    assert Notification.objects.get(user=manager).is_read
    assert not Notification.objects.get(user=worker).is_read
