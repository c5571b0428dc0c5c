"""Who may ask for and download a PDF report: exactly who may see its subject (plain bools)."""

from __future__ import annotations

from evaluation.permissions import can_view_result

from .models import ReportFile


def can_request_report(user, kind: str, *, evaluation=None) -> bool:
    """R1 (A5): whoever may see the finalised result — nobody before the bureau finalised it."""
    if not user.is_authenticated:
        return False
    if kind == ReportFile.Kind.R1:
        return evaluation is not None and can_view_result(user, evaluation)
    return False


def can_view_report_file(user, report: ReportFile) -> bool:
    """A report file (its status, its PDF) is for those who may see its subject."""
    return can_request_report(user, report.kind, evaluation=report.evaluation)
