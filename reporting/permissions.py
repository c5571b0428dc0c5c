"""Who may ask for and download a PDF report: exactly who may see its subject (plain bools)."""

from __future__ import annotations

from directory.permissions import scope_for
from evaluation.permissions import can_view_result
from procurement.permissions import can_view_package

from .models import ReportFile


def can_request_r1(user, evaluation) -> bool:
    """R1 (A5): whoever may see the finalised result — nobody before the bureau finalised it."""
    return bool(user.is_authenticated) and can_view_result(user, evaluation)


def can_request_r5(user, plan) -> bool:
    """R5: whoever sees the package sees its plan's approved version — once there is one (P7)."""
    return (
        bool(user.is_authenticated)
        and plan.pk is not None
        and plan.version > 0
        and can_view_package(user, plan.package)
    )


def can_request_r2(user, package) -> bool:
    """R2: whoever sees the package and its money — the city-wide roles, the package's agency, the officers of its
    town and its district. Community officers see the package but not the town's money (funds.package_money_list),
    and R2 prints the money paid, so they are refused."""
    if not user.is_authenticated or package is None:
        return False
    scope = scope_for(user)
    return bool(
        scope.sees_all
        or package.agency.organisation_id in scope.agency_ids
        or package.town_id in scope.town_ids
        or package.town.district_id in scope.district_ids
    )


def can_request_r3(user) -> bool:
    """R3, the city annual report: the bureau and the auditor (the city-wide readers). It prints every district's
    money and the city's sources; a district officer reads its own district on its dashboard instead."""
    return bool(user.is_authenticated) and scope_for(user).sees_all


def may_see_subject(user, kind: str, *, evaluation=None, plan=None, package=None) -> bool:
    """The subject's predicate for a report kind (R4 arrives with compliance)."""
    if kind == ReportFile.Kind.R1:
        return evaluation is not None and can_request_r1(user, evaluation)
    if kind == ReportFile.Kind.R5:
        return plan is not None and can_request_r5(user, plan)
    if kind == ReportFile.Kind.R2:
        return package is not None and can_request_r2(user, package)
    if kind == ReportFile.Kind.R3:
        return can_request_r3(user)
    return False


def can_view_report_file(user, report_file: ReportFile) -> bool:
    """A report file (its status, its PDF) is for those who may see its subject."""
    return may_see_subject(
        user,
        report_file.kind,
        evaluation=report_file.evaluation,
        plan=report_file.plan,
        package=report_file.package,
    )
