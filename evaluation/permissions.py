"""Who may see and do what in evaluation. Plain bools only; rows are scoped in selectors.py."""

from __future__ import annotations

from directory.models import Organisation, Role
from directory.permissions import is_bureau_admin, scope_for
from procurement.permissions import can_view_package

from .models import AssessmentRound, AssessmentSheet, Evaluation, EvaluationAssignment

# A1: who fills a sheet for each kind of rater organisation.
RATER_ROLES: dict[str, str] = {
    Organisation.Kind.TOWN_OFFICE: Role.TOWN_OFFICER,
    Organisation.Kind.COMMUNITY_COMMITTEE: Role.COMMUNITY_OFFICER,
    Organisation.Kind.AGENCY: Role.AGENCY_MANAGER,
}


# --- two-way assessment (A1) ---------------------------------------------------------------------


def can_manage_assessments(user) -> bool:
    """The bureau opens and closes assessment rounds and keeps the indicator sets."""
    return is_bureau_admin(user)


def can_view_round(user, round_: AssessmentRound) -> bool:
    """Whoever sees the package sees that its rounds exist (the sheets themselves are scoped further)."""
    return can_view_package(user, round_.package)


def is_rater(user, sheet: AssessmentSheet) -> bool:
    """The user holds the rating role in the sheet's rater organisation (town officer of the town office,
    community officer of the committee, agency manager of the agency)."""
    role = RATER_ROLES.get(sheet.rater_organisation.kind)
    return role is not None and sheet.rater_organisation_id in scope_for(user).orgs_for(role)


def can_fill_sheet(user, sheet: AssessmentSheet) -> bool:
    """A1: the rater fills its own sheet while it is a draft and the round is open."""
    return is_rater(user, sheet) and sheet.status == AssessmentSheet.Status.DRAFT and not sheet.round.is_closed


def can_view_sheet(user, sheet: AssessmentSheet) -> bool:
    """A1: a rater's own organisation sees its sheet; the other side sees it only once the round is closed;
    the bureau and the auditor see everything."""
    scope = scope_for(user)
    if scope.sees_all or sheet.rater_organisation_id in scope.organisation_ids:
        return True
    return sheet.round.is_closed and can_view_package(user, sheet.round.package)


# --- third-party evaluation (A2–A5) --------------------------------------------------------------


def can_manage_evaluations(user) -> bool:
    """The bureau assigns firms and evaluators, keeps the rubrics and finalises (A2, A5)."""
    return is_bureau_admin(user)


def is_assigned_evaluator(user, evaluation: Evaluation, assignment: EvaluationAssignment | None = None) -> bool:
    """An evaluator of the evaluation's firm holding an active assignment on it. Pass the assignment when the
    caller already has it, to spare a query."""
    if not user.is_authenticated or evaluation.firm_id not in scope_for(user).orgs_for(Role.EVALUATOR):
        return False
    if assignment is not None:
        return assignment.evaluation_id == evaluation.pk and assignment.evaluator_id == user.pk and assignment.is_active
    return evaluation.assignments.filter(evaluator=user, removed_at__isnull=True).exists()


def can_view_evaluation(user, evaluation: Evaluation) -> bool:
    """The bureau and the auditor see every evaluation; an evaluator the ones assigned to them; the agency and
    the place officers only a finalised one (A5)."""
    if scope_for(user).sees_all or is_assigned_evaluator(user, evaluation):
        return True
    return evaluation.is_finalised and can_view_package(user, evaluation.package)


def can_read_evaluation_files(user, evaluation: Evaluation) -> bool:
    """Confirmed reports' attachments in the workspace: the city-wide roles, and assigned evaluators only once
    they have declared no conflict of interest (A2) — the same gate as the workspace itself."""
    if scope_for(user).sees_all:
        return True
    return (
        is_assigned_evaluator(user, evaluation)
        and evaluation.assignments.filter(
            evaluator=user, removed_at__isnull=True, declared_at__isnull=False, has_conflict=False
        ).exists()
    )


def can_view_result(user, evaluation: Evaluation) -> bool:
    """A5: the result and its report exist for others only once the bureau has finalised it."""
    return evaluation.is_finalised and can_view_evaluation(user, evaluation)


def can_assign_evaluators(user, evaluation: Evaluation) -> bool:
    return can_manage_evaluations(user) and not evaluation.is_finalised


def can_finalise(user, evaluation: Evaluation) -> bool:
    """A5: the bureau finalises once every active evaluator has submitted (the service checks the rest)."""
    return can_manage_evaluations(user) and evaluation.status == Evaluation.Status.SCORED


def can_declare(user, assignment: EvaluationAssignment) -> bool:
    """A2: the assigned evaluator declares once, before scoring."""
    evaluation = assignment.evaluation
    return (
        is_assigned_evaluator(user, evaluation, assignment)
        and assignment.declared_at is None
        and not evaluation.is_finalised
    )


def can_score(user, assignment: EvaluationAssignment) -> bool:
    """A2/A3: the evaluator scores after declaring no conflict, until they submit (then the sheet is locked)."""
    evaluation = assignment.evaluation
    sheet = getattr(assignment, "sheet", None)
    return (
        is_assigned_evaluator(user, evaluation, assignment)
        and assignment.may_score
        and not evaluation.is_finalised
        and (sheet is None or not sheet.is_submitted)
    )


# --- spot checks (K10) -----------------------------------------------------------------------------


def can_view_spot_checks(user) -> bool:
    """K10: the year's draws and their picks are read by the city-wide roles (the bureau, the auditor)."""
    return scope_for(user).sees_all


def can_draw_spot_checks(user) -> bool:
    """K10: the bureau draws the year's spot checks (the yearly beat task does it as the system)."""
    return is_bureau_admin(user)
