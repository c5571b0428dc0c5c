"""The delivery rule tables (delivery/workflow.py): every allowed move passes `check_move`, forbidden ones are
refused with a message naming both states, and the predicates and services follow the same tables."""

import pytest
from django.core.exceptions import ValidationError

from delivery import workflow
from delivery.models import FocusIssue, ServicePlan, ServiceReport
from delivery.workflow import P7, S3, S5, check_move

Plan, Report, Issue = ServicePlan.Status, ServiceReport.Status, FocusIssue.Status


def moves(table):
    return [(a, b) for a, targets in table.moves.items() for b in targets]


def test_every_status_of_each_model_has_a_row():
    assert set(P7.moves) == set(Plan.values)
    assert set(S3.moves) == set(Report.values)
    assert set(S5.moves) == set(Issue.values)


@pytest.mark.parametrize(("from_status", "to_status"), moves(P7))
def test_p7_allowed_moves_pass(from_status, to_status):
    assert P7.allows(from_status, to_status)
    check_move(P7, from_status, to_status)


def test_p7_the_workflow_reads_as_in_domain():
    assert P7.next(Plan.DRAFT) == (Plan.SUBMITTED,)
    assert set(P7.next(Plan.SUBMITTED)) == {Plan.TOWN_REVIEWED, Plan.RETURNED}
    assert set(P7.next(Plan.TOWN_REVIEWED)) == {Plan.APPROVED, Plan.RETURNED}
    assert P7.next(Plan.RETURNED) == (Plan.SUBMITTED,)
    assert P7.next(Plan.APPROVED) == (Plan.DRAFT,)  # an amendment reopens the plan


@pytest.mark.parametrize(
    ("from_status", "to_status"),
    [
        (Plan.DRAFT, Plan.APPROVED),
        (Plan.DRAFT, Plan.TOWN_REVIEWED),
        (Plan.SUBMITTED, Plan.APPROVED),
        (Plan.APPROVED, Plan.SUBMITTED),
        (Plan.RETURNED, Plan.APPROVED),
    ],
)
def test_p7_forbidden_moves_are_refused_with_a_message(from_status, to_status):
    assert not P7.allows(from_status, to_status)
    with pytest.raises(ValidationError) as exc:
        check_move(P7, from_status, to_status)
    message = exc.value.messages[0]
    assert f"不能从「{Plan(from_status).label}」改为「{Plan(to_status).label}」" in message
    assert "可以改为" in message
    assert exc.value.code == "invalid_move"


def test_p7_open_plans_are_those_that_can_be_submitted():
    assert {s for s in Plan.values if workflow.plan_is_open(s)} == {Plan.DRAFT, Plan.RETURNED}


@pytest.mark.parametrize(("from_status", "to_status"), moves(S3))
def test_s3_allowed_moves_pass(from_status, to_status):
    check_move(S3, from_status, to_status)


@pytest.mark.parametrize(
    ("from_status", "to_status"),
    [
        (Report.DRAFT, Report.CONFIRMED),
        (Report.CONFIRMED, Report.SUBMITTED),
        (Report.CONFIRMED, Report.DRAFT),
        (Report.RETURNED, Report.CONFIRMED),
        (Report.SUPERSEDED, Report.CONFIRMED),
    ],
)
def test_s3_forbidden_moves_are_refused_with_a_message(from_status, to_status):
    with pytest.raises(ValidationError, match="不能从") as exc:
        check_move(S3, from_status, to_status)
    assert str(Report(from_status).label) in exc.value.messages[0]


def test_s3_a_superseded_version_never_changes_again():
    assert S3.next(Report.SUPERSEDED) == ()
    with pytest.raises(ValidationError, match="已被更正版本取代"):
        check_move(S3, Report.SUPERSEDED, Report.SUBMITTED)


def test_s3_only_drafts_and_returned_reports_are_edited_and_filed_versions_count_for_s1():
    assert {s for s in Report.values if workflow.report_is_editable(s)} == {Report.DRAFT, Report.RETURNED}
    assert {s for s in Report.values if workflow.report_is_filed(s)} == {
        Report.SUBMITTED,
        Report.CONFIRMED,
        Report.SUPERSEDED,
    }


@pytest.mark.parametrize(("from_status", "to_status"), moves(S5))
def test_s5_allowed_moves_pass(from_status, to_status):
    check_move(S5, from_status, to_status, field="to_status")


@pytest.mark.parametrize(
    ("from_status", "to_status"),
    [
        (Issue.REPORTED, Issue.RESOLVED),
        (Issue.ESCALATED, Issue.RESOLVED),
        (Issue.RESOLVED, Issue.IN_PROGRESS),
        (Issue.IN_PROGRESS, Issue.REPORTED),
    ],
)
def test_s5_forbidden_moves_are_refused_on_the_status_field(from_status, to_status):
    with pytest.raises(ValidationError) as exc:
        check_move(S5, from_status, to_status, field="to_status")
    assert "不能从" in exc.value.message_dict["to_status"][0]


def test_s5_a_resolved_issue_says_it_no_longer_changes():
    with pytest.raises(ValidationError, match="已解决的问题不再变更"):
        check_move(S5, Issue.RESOLVED, Issue.ESCALATED)
    assert workflow.next_statuses(S5, Issue.REPORTED) == [
        (Issue.IN_PROGRESS, str(Issue.IN_PROGRESS.label)),
        (Issue.ESCALATED, str(Issue.ESCALATED.label)),
    ]


def test_p7_and_s5_statuses_for_querysets_come_from_the_tables():
    assert set(workflow.plan_open_statuses()) == {Plan.DRAFT, Plan.RETURNED}
    assert set(workflow.unresolved_statuses(S5)) == {Issue.REPORTED, Issue.IN_PROGRESS, Issue.ESCALATED}
