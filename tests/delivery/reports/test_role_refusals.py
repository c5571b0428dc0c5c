"""The role table (DOMAIN.md §4): the auditor reads everything and changes nothing; the district officer reads
its district and only co-signs. Neither files or confirms reports, registers or moves focus issues, comments
on plans or records venues — each a refusal, with nothing written."""

import pytest
from django.core.exceptions import PermissionDenied

from delivery.models import FocusIssue, PlanComment, ServicePlan, ServiceReport, Venue
from delivery.services import focus, plans, reports
from delivery.services.focus import focus_issue_report
from directory.models import Role

from .builders import make_report

pytestmark = pytest.mark.django_db
READ_ONLY = [Role.AUDITOR, Role.DISTRICT_OFFICER]


@pytest.mark.parametrize("role", READ_ONLY)
def test_role_table_read_only_roles_do_not_write_delivery_records(role, personas, package, items, worker, world):
    user = personas[role]
    submitted = make_report(package, 2025, 3, worker, status=ServiceReport.Status.SUBMITTED)
    issue = focus_issue_report(
        actor=personas[Role.COMMUNITY_OFFICER],
        community=world.communities_a1[0],
        kind="other",
        title="t",
        description="d",
    )
    plan = ServicePlan.objects.get(package=package)
    ServicePlan.objects.filter(pk=plan.pk).update(status=ServicePlan.Status.SUBMITTED)  # open for comments
    plan.refresh_from_db()
    before = (
        ServiceReport.objects.count(),
        FocusIssue.objects.count(),
        PlanComment.objects.count(),
        Venue.objects.count(),
    )

    attempts = [
        lambda: reports.report_create(actor=user, package=package, year=2025, month=4),
        lambda: reports.report_confirm(actor=user, report=submitted),
        lambda: reports.report_return(actor=user, report=submitted, reason="不行"),
        lambda: focus.focus_issue_report(
            actor=user, community=world.communities_a1[0], kind="other", title="t", description="d"
        ),
        lambda: focus.focus_issue_move(actor=user, issue=issue, to_status=FocusIssue.Status.IN_PROGRESS),
        lambda: plans.plan_comment_add(actor=user, plan=plan, text="意见"),
        lambda: plans.venue_create(
            actor=user,
            package=package,
            community=None,
            name="活动室",
            address="某路1号",
            area_m2="50",
            equipment="桌椅",
        ),
    ]
    for attempt in attempts:
        with pytest.raises(PermissionDenied):
            attempt()
    after = (
        ServiceReport.objects.count(),
        FocusIssue.objects.count(),
        PlanComment.objects.count(),
        Venue.objects.count(),
    )
    assert after == before
    submitted.refresh_from_db()
    issue.refresh_from_db()
    assert submitted.status == ServiceReport.Status.SUBMITTED and issue.status == FocusIssue.Status.REPORTED
