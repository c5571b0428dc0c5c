"""`{% report_files_panel "r1" evaluation=... %}`: the "生成PDF / 下载PDF" area of a subject's page — its report files
with status, who asked and when, a stale mark when the data changed since, and the button to ask for a render.
A template tag, so the subject's app (below reporting) needs no import of reporting."""

from django import template
from django.utils import timezone

from ..models import ReportFile
from ..permissions import may_see_subject
from ..selectors import report_file_list, report_files_with_freshness
from ..statistics import FIRST_YEAR

register = template.Library()


@register.inclusion_tag("reporting/partials/_report_files.html", takes_context=True)
def report_files_panel(context, kind: str, evaluation=None, plan=None, package=None, year=None):
    """R1 takes `evaluation`, R5 `plan`, R2 `package` (its form asks for the year and month), R3 `year` (its form
    asks for the year; the list shows every year's)."""
    user = context["request"].user
    if plan is not None and plan.pk is None:
        return {"hidden": True}
    rows = report_file_list(user=user, kind=kind, evaluation=evaluation, plan=plan, package=package)
    reports = report_files_with_freshness(rows[:10])
    busy = any(r.is_active for r in reports)
    today = timezone.localdate()
    return {
        "reports": reports,
        "kind": kind,
        "evaluation": evaluation,
        "plan": plan,
        "package": package,
        "year": year or today.year,
        "years": list(range(today.year, FIRST_YEAR - 1, -1)),
        "months": list(range(1, 13)),
        "can_request": may_see_subject(user, kind, evaluation=evaluation, plan=plan, package=package),
        "busy": busy,
        "csrf_token": context.get("csrf_token"),
        "Status": ReportFile.Status,
    }
