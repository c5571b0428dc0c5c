"""Reads of rendered reports, scoped to the subjects the user may see."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from directory.permissions import scope_for
from evaluation.selectors import evaluation_result_list
from procurement.selectors import package_list

from .documents import document_for
from .models import ReportFile


def report_file_list(
    *, user, kind: str | None = None, evaluation=None, plan=None, package=None, year=None
) -> QuerySet[ReportFile]:
    """Report files whose subject the user may see (R1: the finalised evaluations of `evaluation_result_list`;
    R2: the packages whose money the user reads, as `can_request_r2`; R3: the city-wide roles; R5: the plans of
    the packages of `package_list`)."""
    qs = ReportFile.objects.select_related(
        "requested_by", "evaluation", "plan__package", "package__town__district", "package__agency__organisation"
    )
    if not user.is_authenticated:
        return qs.none()
    scope = scope_for(user)
    r2_packages = package_list(user=user)
    if not scope.sees_all:
        r2_packages = r2_packages.filter(
            Q(agency__organisation_id__in=scope.agency_ids)
            | Q(town_id__in=scope.town_ids)
            | Q(town__district_id__in=scope.district_ids)
        )
    visible = (
        Q(kind=ReportFile.Kind.R1, evaluation__in=evaluation_result_list(user=user).values("pk"))
        | Q(kind=ReportFile.Kind.R5, plan__package__in=package_list(user=user).values("pk"))
        | Q(kind=ReportFile.Kind.R2, package__in=r2_packages.values("pk"))
    )
    if scope.sees_all:
        visible |= Q(kind=ReportFile.Kind.R3)
    qs = qs.filter(visible)
    if kind:
        qs = qs.filter(kind=kind)
    if evaluation is not None:
        qs = qs.filter(evaluation=evaluation)
    if plan is not None:
        qs = qs.filter(plan=plan)
    if package is not None:
        qs = qs.filter(package=package)
    if year is not None:
        qs = qs.filter(year=year)
    return qs


def current_fingerprint(report: ReportFile) -> str:
    return document_for(report).fingerprint


def report_files_with_freshness(reports) -> list[ReportFile]:
    """The reports with `is_stale` set on the ready ones: the data changed since they were rendered. The
    fingerprint is computed once per subject."""
    reports = list(reports)
    current: dict[str, str] = {}
    for report in reports:
        report.is_stale = False
        if report.status == ReportFile.Status.READY:
            if report.subject_key not in current:
                current[report.subject_key] = current_fingerprint(report)
            report.is_stale = report.data_fingerprint != current[report.subject_key]
    return reports
