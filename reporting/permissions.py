"""Who may ask for and download a PDF report: exactly who may see its subject (plain bools)."""

from __future__ import annotations

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


def may_see_subject(user, kind: str, *, evaluation=None, plan=None) -> bool:
    """The subject's predicate for a report kind (R2–R4 arrive with their issue)."""
    if kind == ReportFile.Kind.R1:
        return evaluation is not None and can_request_r1(user, evaluation)
    if kind == ReportFile.Kind.R5:
        return plan is not None and can_request_r5(user, plan)
    return False


def can_view_report_file(user, report_file: ReportFile) -> bool:
    """A report file (its status, its PDF) is for those who may see its subject."""
    return may_see_subject(user, report_file.kind, evaluation=report_file.evaluation, plan=report_file.plan)
