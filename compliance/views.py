"""Pages of compliance findings (K8), mounted at /compliance/: the scoped, filterable list and its xlsx export,
a finding's page with its history, the responsible organisation's rectification (整改) and the bureau's waiver,
and the download of a rectification's attachment. Rows come from the scoped selectors (an outsider gets 404);
acts ask the predicates (403 when the finding is visible but the act is not the user's); writes go through the
services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.forms import add_service_errors
from core.permissions import require
from core.tabular import xlsx_bytes
from core.uploads import private_file_response
from directory.permissions import scope_for
from notifications.models import Notification
from notifications.services import notification_mark_read_for

from . import selectors, services
from .forms import RespondForm, WaiveForm
from .models import Finding, Rule
from .notify import subject_key
from .permissions import ANSWERABLE, can_list_findings, can_respond_finding, can_waive_finding, is_finding_responder

PAGE_SIZE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _age_days(finding: Finding, now) -> int:
    """Days from first seen to closing (or to now while it is not closed)."""
    return max(((finding.closed_at or now) - finding.first_seen_at).days, 0)


@login_required
def finding_list_view(request):
    """Findings the user may see, open and answered ones by default, filtered and paginated."""
    if not can_list_findings(request.user):
        raise Http404
    findings, filterset = selectors.finding_filtered(user=request.user, filters=request.GET)
    page = Paginator(findings, PAGE_SIZE).get_page(request.GET.get("page"))
    now = timezone.now()
    for finding in page.object_list:
        finding.age_days = _age_days(finding, now)
    scope = scope_for(request.user)
    context = {
        "page": page,
        "findings": page.object_list,
        "filter": filterset,
        # Place filters only for those who see more than one town; the agency filter for all but agencies.
        "wide": bool(scope.sees_all or scope.district_ids),
        "agency_filter": not scope.agency_ids or scope.sees_all,
        "query": request.GET.urlencode(),
    }
    template = "compliance/partials/_finding_table.html" if request.htmx else "compliance/finding_list.html"
    return render(request, template, context)


@login_required
def finding_export_view(request):
    """The filtered list as xlsx (the same filters as the page; every text cell written as text)."""
    if not can_list_findings(request.user):
        raise Http404
    findings = selectors.with_last_answer(selectors.finding_list(user=request.user, filters=request.GET))
    now = timezone.now()
    rows = [
        [
            _("编号"),
            _("规则"),
            _("规则名称"),
            _("严重程度"),
            _("状态"),
            _("问题说明"),
            _("区（县级市）"),
            _("街道（镇）"),
            _("社区（村）"),
            _("责任单位"),
            _("项目包"),
            _("首次发现"),
            _("最近发现"),
            _("关闭时间"),
            _("持续天数"),
            _("最新整改说明或豁免理由"),
        ]
    ]

    def when(value):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""

    for f in findings.iterator(chunk_size=500):
        rows.append(
            [
                f.pk,
                f.rule,
                str(Rule(f.rule).label),
                f.get_severity_display(),
                f.get_status_display(),
                f.message,
                f.district.name if f.district_id else "",
                f.town.name if f.town_id else "",
                f.community.name if f.community_id else "",
                f.organisation.name if f.organisation_id else "",
                f.package.title if f.package_id else "",
                when(f.first_seen_at),
                when(f.last_seen_at),
                when(f.closed_at),
                _age_days(f, now),
                f.last_answer or "",
            ]
        )
    response = HttpResponse(xlsx_bytes(rows, title=_("合规问题")), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="findings-{timezone.localdate():%Y%m%d}.xlsx"'
    return response


def _detail(request, finding: Finding, *, respond_form=None, waive_form=None, status: int = 200):
    can_respond = can_respond_finding(request.user, finding)
    can_waive = can_waive_finding(request.user, finding)
    details = finding.details if isinstance(finding.details, dict) else {"": finding.details}
    context = {
        "finding": finding,
        "events": selectors.finding_events(finding),
        "details": [(key, _detail_value(value)) for key, value in details.items()],
        # Only an address inside the platform becomes a link.
        "subject_url": finding.url if finding.url[:1] == "/" and finding.url[1:2] not in ("/", "\\") else "",
        "age_days": _age_days(finding, timezone.now()),
        # A refused form is shown back with its errors (e.g. the finding closed meanwhile), even if no new
        # answer is possible now.
        "respond_form": respond_form or (RespondForm() if can_respond else None),
        "waive_form": waive_form or (WaiveForm() if can_waive else None),
    }
    return render(request, "compliance/finding_detail.html", context, status=status)


def _detail_value(value) -> dict:
    """How one fact of `details` is shown: a table for a list of records (K9 shows both uses side by side),
    a list for a list of values, the text otherwise."""
    if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        columns = list(dict.fromkeys(k for row in value for k in row))
        return {"table": True, "columns": columns, "rows": [[row.get(c, "") for c in columns] for row in value]}
    if isinstance(value, list):
        return {"list": value}
    if isinstance(value, dict):
        return {"list": [f"{k}: {v}" for k, v in value.items()]}
    return {"text": value}


@login_required
def finding_detail_view(request, pk: int):
    finding = selectors.finding_get(user=request.user, pk=pk)
    # Opening the finding reads the visitor's own notification about it.
    notification_mark_read_for(user=request.user, kind=Notification.Kind.FINDING, subject_key=subject_key(finding.pk))
    return _detail(request, finding)


@login_required
@require_POST
def finding_respond_view(request, pk: int):
    finding = selectors.finding_get(user=request.user, pk=pk)
    require(is_finding_responder(request.user, finding), _("只有责任单位的人员可以提交整改说明。"))
    form = RespondForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.finding_respond(
                actor=request.user,
                finding=finding,
                text=form.cleaned_data["text"],
                attachment=form.cleaned_data.get("attachment"),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("整改说明已提交，待复查确认。"))
            return redirect(finding)
    finding.refresh_from_db()
    return _detail(request, finding, respond_form=form, status=400)


@login_required
@require_POST
def finding_waive_view(request, pk: int):
    finding = selectors.finding_get(user=request.user, pk=pk)
    if finding.status in ANSWERABLE:
        require(can_waive_finding(request.user, finding), _("只有民政局可以豁免合规问题。"))
    form = WaiveForm(request.POST)
    if form.is_valid():
        try:
            services.finding_waive(actor=request.user, finding=finding, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("已豁免该问题，理由已记入处理记录。"))
            return redirect(finding)
    finding.refresh_from_db()
    return _detail(request, finding, waive_form=form, status=400)


@login_required
def finding_attachment_view(request, pk: int):
    """A rectification's attachment: served only here, only to whoever may see its finding."""
    event = selectors.event_attachment_get(user=request.user, pk=pk)
    return private_file_response(
        event.attachment,
        filename=event.attachment_name or event.attachment.name.rsplit("/", 1)[-1],
        content_type=event.attachment_content_type or "application/octet-stream",
        as_attachment=request.GET.get("download") == "1" or event.attachment_content_type == "application/pdf",
    )


urlpatterns = [
    path("", finding_list_view, name="finding-list"),
    path("findings/export/", finding_export_view, name="finding-export"),
    path("findings/<int:pk>/", finding_detail_view, name="finding-detail"),
    path("findings/<int:pk>/respond/", finding_respond_view, name="finding-respond"),
    path("findings/<int:pk>/waive/", finding_waive_view, name="finding-waive"),
    path("attachments/<int:pk>/", finding_attachment_view, name="finding-attachment"),
]
