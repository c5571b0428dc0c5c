"""Who may ask for and download a PDF report: exactly who may see its subject (plain bools)."""

from __future__ import annotations

from evaluation.permissions import can_view_result

from .models import ReportFile


def can_request_r1(user, evaluation) -> bool:
    """R1 (A5): whoever may see the finalised result — nobody before the bureau finalised it."""
    return bool(user.is_authenticated) and can_view_result(user, evaluation)


def may_see_subject(user, kind: str, *, evaluation=None) -> bool:
    """The subject's predicate for a report kind (R2–R5 arrive with their issue)."""
    if kind == ReportFile.Kind.R1:
        return evaluation is not None and can_request_r1(user, evaluation)
    return False


def can_view_report_file(user, report_file: ReportFile) -> bool:
    """A report file (its status, its PDF) is for those who may see its subject."""
    return may_see_subject(user, report_file.kind, evaluation=report_file.evaluation)
