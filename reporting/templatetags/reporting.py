"""`{% report_files_panel "r1" evaluation=... %}`: the "生成PDF / 下载PDF" area of a subject's page — its report files
with status, who asked and when, a stale mark when the data changed since, and the button to ask for a render.
A template tag, so the subject's app (below reporting) needs no import of reporting."""

from django import template

from ..models import ReportFile
from ..permissions import may_see_subject
from ..selectors import report_file_list, report_files_with_freshness

register = template.Library()


@register.inclusion_tag("reporting/partials/_report_files.html", takes_context=True)
def report_files_panel(context, kind: str, evaluation=None, plan=None):
    user = context["request"].user
    if plan is not None and plan.pk is None:
        return {"hidden": True}
    reports = report_files_with_freshness(report_file_list(user=user, kind=kind, evaluation=evaluation, plan=plan)[:10])
    busy = any(r.is_active for r in reports)
    return {
        "reports": reports,
        "kind": kind,
        "evaluation": evaluation,
        "plan": plan,
        "can_request": may_see_subject(user, kind, evaluation=evaluation, plan=plan),
        "busy": busy,
        "csrf_token": context.get("csrf_token"),
        "Status": ReportFile.Status,
    }
