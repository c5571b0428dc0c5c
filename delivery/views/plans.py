"""Pages of a package's service plan (P3–P7) and venues (P8): the plan editor with its live coverage panel
(htmx), the town's review, the bureau's decisions, amendments and the version history, the coverage matrix,
the xlsx export, and the venue list."""

from __future__ import annotations

from itertools import groupby

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.forms import add_service_errors
from core.tabular import new_workbook, workbook_bytes, xlsx_append
from delivery.models import PlanComment, PlanItem, PlanVersion, ServicePlan
from delivery.permissions import (
    can_amend_plan,
    can_approve_plan,
    can_comment_on_plan,
    can_comment_on_plan_item,
    can_decide_filed_item,
    can_edit_plan,
    can_export_plan,
    can_manage_venue,
    can_manage_venue_at,
    can_review_plan_as_town,
    can_submit_plan,
)
from delivery.selectors import plan_item_list, venue_list
from procurement.models import ServicePackage
from procurement.selectors import package_list

from ..coverage import KIND_LABELS, KINDS, UNIT_LABELS, build_matrix, coverage_check
from ..forms.plans import (
    CommentForm,
    FiledDecisionForm,
    PlanItemAddForm,
    PlanItemEditForm,
    PlanItemFileForm,
    ReasonForm,
    TownReviewForm,
    VenueForm,
)
from ..services import plans as services

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _package(request, pk: int) -> ServicePackage:
    return get_object_or_404(package_list(user=request.user), pk=pk)


def _plan_of(package: ServicePackage) -> ServicePlan:
    """The package's plan, or an unsaved empty draft when the agency hasn't started one (GET never writes)."""
    plan = ServicePlan.objects.filter(package=package).first() or ServicePlan(package=package)
    plan.package = package
    return plan


def _communities(package: ServicePackage) -> list:
    return list(package.town.communities.order_by("code"))


def _require(allowed: bool) -> None:
    # The package is visible to the user (else 404 already), so a refused action is a 403.
    if not allowed:
        raise PermissionDenied


def _items(request, plan: ServicePlan) -> list[PlanItem]:
    """The plan's items in editor order (year, town level first, then communities), labelled for templates."""
    if plan.pk is None:
        return []
    items = list(plan_item_list(user=request.user, plan=plan))
    for i in items:
        i.plan = plan
        i.kind_label = KIND_LABELS.get(i.category_kind, "")
        i.unit_label = UNIT_LABELS.get(i.unit, "")
        i.code = "" if i.is_filed else i.item.code
        i.may_comment = can_comment_on_plan_item(request.user, i)
        i.may_decide = can_decide_filed_item(request.user, i)
    items.sort(key=lambda i: (i.year, i.community is not None, i.community.code if i.community else "", i.code, i.pk))
    return items


def _groups(items: list[PlanItem]) -> list[dict]:
    groups = []
    for (year, _community_id), rows in groupby(items, key=lambda i: (i.year, i.community_id)):
        rows = list(rows)
        groups.append({"year": year, "community": rows[0].community, "items": rows})
    return groups


def _editor_context(request, package: ServicePackage, plan: ServicePlan, **forms) -> dict:
    user = request.user
    communities = _communities(package)
    items = _items(request, plan)
    coverage = coverage_check(plan, items=items, communities=communities)
    years = services.plan_years(package)
    can_edit = can_edit_plan(user, plan)
    context = {
        "package": package,
        "plan": plan,
        "items": items,
        "groups": _groups(items),
        "coverage": coverage,
        "years": years,
        "can_edit": can_edit,
        "can_submit": can_submit_plan(user, plan) and plan.pk is not None,
        "can_review": can_review_plan_as_town(user, plan),
        "can_approve": can_approve_plan(user, plan),
        "can_amend": can_amend_plan(user, plan),
        "can_comment_plan": plan.pk is not None and can_comment_on_plan(user, plan),
        "can_export": can_export_plan(user, package),
        "can_manage_venue": can_manage_venue(user, package),
        "plan_comments": (
            list(PlanComment.objects.filter(plan=plan, plan_item__isnull=True).select_related("author"))
            if plan.pk
            else []
        ),
        "pending_filed": sum(1 for i in items if i.may_decide),
    }
    if can_edit:
        context["add_form"] = forms.get("add_form") or PlanItemAddForm(
            edition=package.edition, communities=package.town.communities.order_by("code"), years=years
        )
        context["file_form"] = forms.get("file_form") or PlanItemFileForm(
            communities=package.town.communities.order_by("code"), years=years
        )
    context["editor_error"] = forms.get("editor_error", "")
    return context


def _render_editor(request, package: ServicePackage, plan: ServicePlan, **forms) -> HttpResponse:
    """The whole page, or for htmx the editor region plus the coverage panel swapped out of band."""
    context = _editor_context(request, package, plan, **forms)
    template = "delivery/plans/partials/_editor_update.html" if request.htmx else "delivery/plans/plan_detail.html"
    return render(request, template, context)


def _after_change(request, package: ServicePackage, message: str) -> HttpResponse:
    if request.htmx:
        return _render_editor(request, package, _plan_of(package))
    messages.success(request, message)
    return redirect("delivery:plan-detail", pk=package.pk)


def _plan_item(plan: ServicePlan, item_pk: int) -> PlanItem:
    if plan.pk is None:
        raise Http404
    return get_object_or_404(PlanItem.objects.select_related("item__category", "community"), plan=plan, pk=item_pk)


# --- the plan editor -----------------------------------------------------------------------------


@login_required
def plan_detail(request, pk: int):
    """The plan of a package: items grouped by year and place, the live coverage panel (P4–P6), and the
    actions the user may take at the plan's step (P7)."""
    package = _package(request, pk)
    return _render_editor(request, package, _plan_of(package))


@login_required
@require_POST
def plan_item_add(request, pk: int):
    package = _package(request, pk)
    plan = _plan_of(package)
    _require(can_edit_plan(request.user, plan))
    years = services.plan_years(package)
    communities = package.town.communities.order_by("code")
    form = PlanItemAddForm(request.POST, edition=package.edition, communities=communities, years=years)
    if form.is_valid():
        data = form.cleaned_data
        try:
            # One transaction: a refused first item must not leave an empty plan behind.
            with transaction.atomic():
                plan = services.plan_get_or_create(actor=request.user, package=package)
                services.plan_item_add(
                    actor=request.user,
                    plan=plan,
                    item=data["item"],
                    community=data["community"],
                    year=data["year"],
                    annual_target=data["annual_target"],
                    note=data["note"],
                )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return _after_change(request, package, _("已添加计划条目。"))
    return _render_editor(request, package, _plan_of(package), add_form=form)


@login_required
@require_POST
def plan_item_file(request, pk: int):
    package = _package(request, pk)
    plan = _plan_of(package)
    _require(can_edit_plan(request.user, plan))
    form = PlanItemFileForm(
        request.POST, communities=package.town.communities.order_by("code"), years=services.plan_years(package)
    )
    if form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                plan = services.plan_get_or_create(actor=request.user, package=package)
                services.plan_item_file(actor=request.user, plan=plan, **data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return _after_change(request, package, _("已提交备案项目，待民政局审批后计入。"))
    return _render_editor(request, package, _plan_of(package), file_form=form)


@login_required
def plan_item_edit(request, pk: int, item_pk: int):
    """An item's row as a form (htmx swaps it in place); saving re-renders the editor and coverage."""
    package = _package(request, pk)
    plan = _plan_of(package)
    plan_item = _plan_item(plan, item_pk)
    _require(can_edit_plan(request.user, plan))
    kwargs = {
        "communities": package.town.communities.order_by("code"),
        "years": services.plan_years(package),
        "filed": plan_item.is_filed,
    }
    if request.method == "POST":
        form = PlanItemEditForm(request.POST, **kwargs)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.plan_item_update(
                    actor=request.user,
                    plan=plan,
                    plan_item=plan_item,
                    community=data["community"],
                    year=data["year"],
                    annual_target=data["annual_target"],
                    note=data["note"],
                    justification=data.get("justification"),
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                return _after_change(request, package, _("已保存计划条目。"))
    else:
        form = PlanItemEditForm(
            initial={
                "community": plan_item.community_id,
                "year": plan_item.year,
                "annual_target": plan_item.annual_target,
                "note": plan_item.note,
                "justification": plan_item.justification,
            },
            **kwargs,
        )
    context = {"package": package, "plan": plan, "plan_item": plan_item, "form": form}
    if request.htmx:
        response = render(request, "delivery/plans/partials/_item_edit_row.html", context)
        if request.method == "POST":
            response["HX-Retarget"] = f"#item-{plan_item.pk}"
            response["HX-Reswap"] = "outerHTML"
        return response
    return render(request, "delivery/plans/plan_item_edit.html", context)


@login_required
@require_POST
def plan_item_remove(request, pk: int, item_pk: int):
    package = _package(request, pk)
    plan = _plan_of(package)
    plan_item = _plan_item(plan, item_pk)
    _require(can_edit_plan(request.user, plan))
    try:
        services.plan_item_remove(actor=request.user, plan=plan, plan_item=plan_item)
    except ValidationError as exc:
        if request.htmx:
            return _render_editor(request, package, plan, editor_error=" ".join(exc.messages))
        messages.error(request, " ".join(exc.messages))
        return redirect("delivery:plan-detail", pk=package.pk)
    return _after_change(request, package, _("已删除计划条目。"))


@login_required
@require_POST
def plan_item_decide(request, pk: int, item_pk: int):
    """P3: the bureau approves or rejects a filed item (a rejection needs a reason)."""
    package = _package(request, pk)
    plan = _plan_of(package)
    plan_item = _plan_item(plan, item_pk)
    _require(can_decide_filed_item(request.user, plan_item))
    form = FiledDecisionForm(request.POST)
    error = ""
    if form.is_valid():
        try:
            services.plan_item_filed_decide(
                actor=request.user,
                plan_item=plan_item,
                approve=form.cleaned_data["decision"] == "approve",
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            return _after_change(request, package, _("已审批备案项目。"))
    else:
        error = _("请选择审批结果。")
    if request.htmx:
        return _render_editor(request, package, plan, editor_error=error)
    messages.error(request, error)
    return redirect("delivery:plan-detail", pk=package.pk)


@login_required
@require_POST
def plan_item_comment(request, pk: int, item_pk: int):
    """P7: a comment on one item: the town's officers on any, a community officer on their own community's."""
    package = _package(request, pk)
    plan = _plan_of(package)
    plan_item = _plan_item(plan, item_pk)
    plan_item.plan = plan
    _require(can_comment_on_plan_item(request.user, plan_item))
    return _comment(request, package, plan, plan_item)


@login_required
@require_POST
def plan_comment(request, pk: int):
    package = _package(request, pk)
    plan = _plan_of(package)
    _require(plan.pk is not None and can_comment_on_plan(request.user, plan))
    return _comment(request, package, plan, None)


def _comment(request, package, plan, plan_item):
    form = CommentForm(request.POST)
    error = ""
    if form.is_valid():
        try:
            services.plan_comment_add(
                actor=request.user, plan=plan, plan_item=plan_item, text=form.cleaned_data["text"]
            )
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            return _after_change(request, package, _("已提交意见。"))
    else:
        error = _("请填写意见内容。")
    if request.htmx:
        return _render_editor(request, package, plan, editor_error=error)
    messages.error(request, error)
    return redirect("delivery:plan-detail", pk=package.pk)


# --- the workflow (P7) ---------------------------------------------------------------------------


def _workflow(request, package: ServicePackage, action, success: str):
    try:
        action()
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, success)
    return redirect("delivery:plan-detail", pk=package.pk)


@login_required
@require_POST
def plan_submit(request, pk: int):
    """The agency manager submits; a plan with coverage problems is refused with the problems listed."""
    package = _package(request, pk)
    plan = _plan_of(package)
    _require(plan.pk is not None and can_submit_plan(request.user, plan))
    return _workflow(
        request,
        package,
        lambda: services.plan_submit(actor=request.user, plan=plan),
        _("服务计划已提交街镇审核。"),
    )


@login_required
@require_POST
def plan_town_review(request, pk: int):
    package = _package(request, pk)
    plan = _plan_of(package)
    _require(can_review_plan_as_town(request.user, plan))
    form = TownReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择审核结果。"))
        return redirect("delivery:plan-detail", pk=package.pk)
    forward = form.cleaned_data["decision"] == "forward"
    return _workflow(
        request,
        package,
        lambda: services.plan_town_review(
            actor=request.user, plan=plan, approve=forward, reason=form.cleaned_data["reason"]
        ),
        _("已报民政局审批。") if forward else _("已退回机构修改。"),
    )


@login_required
@require_POST
def plan_approve(request, pk: int):
    package = _package(request, pk)
    plan = _plan_of(package)
    _require(can_approve_plan(request.user, plan))
    return _workflow(
        request, package, lambda: services.plan_approve(actor=request.user, plan=plan), _("服务计划已批准。")
    )


@login_required
@require_POST
def plan_return(request, pk: int):
    package = _package(request, pk)
    plan = _plan_of(package)
    _require(can_approve_plan(request.user, plan))
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("退回时请写明原因，便于机构修改。"))
        return redirect("delivery:plan-detail", pk=package.pk)
    return _workflow(
        request,
        package,
        lambda: services.plan_return(actor=request.user, plan=plan, reason=form.cleaned_data["reason"]),
        _("已退回机构修改。"),
    )


@login_required
@require_POST
def plan_amend(request, pk: int):
    package = _package(request, pk)
    plan = _plan_of(package)
    _require(can_amend_plan(request.user, plan))
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请说明变更原因。"))
        return redirect("delivery:plan-detail", pk=package.pk)
    return _workflow(
        request,
        package,
        lambda: services.plan_amend(actor=request.user, plan=plan, reason=form.cleaned_data["reason"]),
        _("已发起计划变更；修改后请重新提交审核。"),
    )


@login_required
def plan_history(request, pk: int):
    """Every approved version with its reason, approver and date, and what changed against the one before."""
    package = _package(request, pk)
    plan = _plan_of(package)
    versions = list(PlanVersion.objects.filter(plan=plan).select_related("approved_by")) if plan.pk else []
    diffs = services.version_diffs(versions)
    for diff in diffs:
        for row in diff["added"] + diff["removed"] + [c["new"] for c in diff["changed"]]:
            row["place"] = row["community"] or _("街镇层面")
            row["unit_label"] = UNIT_LABELS.get(row["unit"], row["unit"])
        for change in diff["changed"]:
            change["old"]["place"] = change["old"]["community"] or _("街镇层面")
    context = {"package": package, "plan": plan, "diffs": diffs, "can_export": can_export_plan(request.user, package)}
    return render(request, "delivery/plans/plan_history.html", context)


# --- coverage matrix and export ------------------------------------------------------------------


def _coverage_rows(plan, items, communities, year: int | None):
    result = coverage_check(plan, items=items, communities=communities)
    if year is not None:
        # Show one year's figures; the gaps stay those of the whole plan (P4–P6 are checked over all years).
        matrix = build_matrix([i for i in items if i.counts and i.year == year], communities)
        for row in result.rows:
            key = row.community.id if row.community else None
            for kind in KINDS:
                matrix[key][kind].gap = row.cells[kind].gap
            row.cells = matrix[key]
    return result


@login_required
def plan_coverage(request, pk: int):
    """Communities (and the town level) × the four categories: items and targets per cell, gaps highlighted."""
    package = _package(request, pk)
    plan = _plan_of(package)
    communities = _communities(package)
    items = _items(request, plan)
    years = services.plan_years(package)
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = None
    if year is not None and not 1 <= year <= years:
        year = None
    result = _coverage_rows(plan, items, communities, year)
    context = {
        "package": package,
        "plan": plan,
        "coverage": result,
        "kinds": [(k, KIND_LABELS[k]) for k in KINDS],
        "year": year,
        "year_choices": range(1, years + 1),
        "can_export": can_export_plan(request.user, package),
    }
    return render(request, "delivery/plans/plan_coverage.html", context)


def plan_workbook(package: ServicePackage, plan: ServicePlan, items: list[PlanItem], communities: list) -> bytes:
    """The plan as xlsx: a header, every item (with filed items' status), and the coverage matrix."""
    from openpyxl.styles import Font, PatternFill

    workbook = new_workbook(_("服务计划"))
    sheet = workbook.active
    bold = Font(bold=True)
    xlsx_append(sheet, [_("项目包"), package.title])
    xlsx_append(sheet, [_("街道（镇）"), package.town.name])
    xlsx_append(sheet, [_("承接机构"), str(package.agency)])
    xlsx_append(sheet, [_("服务期"), f"{package.starts_on.isoformat()} — {package.ends_on.isoformat()}"])
    xlsx_append(sheet, [_("计划状态"), plan.get_status_display(), _("版本"), plan.version])
    xlsx_append(sheet, [])
    header = [
        _("服务年度"),
        _("地点"),
        _("服务类别"),
        _("子项代码"),
        _("子项/备案项目"),
        _("产出单位"),
        _("年度目标"),
        _("备案状态"),
        _("计入覆盖"),
        _("说明"),
    ]
    xlsx_append(sheet, header)
    for cell in sheet[sheet.max_row]:
        cell.font = bold
    filed_labels = dict(PlanItem.FiledStatus.choices)
    for i in items:
        xlsx_append(
            sheet,
            [
                i.year,
                i.community.name if i.community else _("街镇层面"),
                str(i.kind_label),
                i.code,
                i.display_name,
                str(i.unit_label),
                i.annual_target,
                str(filed_labels.get(i.filed_status, "")) if i.is_filed else "",
                _("是") if i.counts else _("否"),
                i.note,
            ],
        )
    for column, width in zip("ABCDEFGHIJ", (10, 16, 14, 10, 28, 10, 10, 12, 10, 30), strict=True):
        sheet.column_dimensions[column].width = width

    result = coverage_check(plan, items=items, communities=communities)
    matrix = workbook.create_sheet(_("覆盖情况"))
    xlsx_append(matrix, [_("社区（村）"), *[str(KIND_LABELS[k]) for k in KINDS]])
    for cell in matrix[1]:
        cell.font = bold
    gap_fill = PatternFill("solid", fgColor="FFCDD2")
    for row in result.rows:
        values = [row.community.name if row.community else _("街镇层面")]
        for kind in KINDS:
            cell = row.cells[kind]
            targets = "，".join(f"{total}{label}" for label, total in cell.target_list)
            values.append(f"{cell.count}（{targets}）" if cell.count else "0")
        xlsx_append(matrix, values)
        for kind_index, kind in enumerate(KINDS, start=2):
            if row.cells[kind].gap:
                matrix.cell(row=matrix.max_row, column=kind_index).fill = gap_fill
    xlsx_append(matrix, [])
    xlsx_append(matrix, [_("覆盖检查"), _("通过") if result.ok else _("未通过")])
    for problem in result.problems:
        xlsx_append(matrix, ["", problem])
    matrix.column_dimensions["A"].width = 16
    for column in "BCDE":
        matrix.column_dimensions[column].width = 26
    return workbook_bytes(workbook)


@login_required
def plan_export(request, pk: int):
    """The plan as xlsx for the town, the bureau and the agency."""
    package = _package(request, pk)
    _require(can_export_plan(request.user, package))
    plan = _plan_of(package)
    content = plan_workbook(package, plan, _items(request, plan), _communities(package))
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="plan-{package.pk}-v{plan.version}.xlsx"'
    return response


# --- venues (P8) ---------------------------------------------------------------------------------


def _venue_communities(request, package: ServicePackage):
    """The places the user may record venues for: the whole town or only their own community."""
    communities = package.town.communities.order_by("code")
    if can_manage_venue_at(request.user, package, None):
        return communities, True
    own = [c.pk for c in communities if can_manage_venue_at(request.user, package, c)]
    return communities.filter(pk__in=own), False


def _venue_form(request, package, data=None, initial=None) -> VenueForm:
    communities, town_level = _venue_communities(request, package)
    form = VenueForm(data, initial=initial, communities=communities)
    if not town_level:
        form.fields["community"].required = True
        form.fields["community"].empty_label = None
    return form


@login_required
def venue_list_view(request, pk: int):
    """Venues the town and its communities provide free to the package (P8), and a form to record one."""
    package = _package(request, pk)
    venues = list(venue_list(user=request.user, package=package))
    can_manage = can_manage_venue(request.user, package)
    for v in venues:
        v.may_manage = can_manage and can_manage_venue_at(request.user, package, v.community)
    form = _venue_form(request, package) if can_manage else None
    return render(
        request,
        "delivery/plans/venue_list.html",
        {
            "package": package,
            "venues": venues,
            "form": form,
            "can_manage": can_manage,
            "can_export": can_export_plan(request.user, package),
        },
    )


@login_required
@require_POST
def venue_create(request, pk: int):
    package = _package(request, pk)
    _require(can_manage_venue(request.user, package))
    form = _venue_form(request, package, request.POST)
    if form.is_valid():
        try:
            services.venue_create(actor=request.user, package=package, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("已登记场地。"))
            return redirect("delivery:venue-list", pk=package.pk)
    venues = list(venue_list(user=request.user, package=package))
    for v in venues:
        v.may_manage = can_manage_venue_at(request.user, package, v.community)
    return render(
        request,
        "delivery/plans/venue_list.html",
        {
            "package": package,
            "venues": venues,
            "form": form,
            "can_manage": True,
            "can_export": can_export_plan(request.user, package),
        },
    )


@login_required
def venue_update(request, pk: int, venue_pk: int):
    package = _package(request, pk)
    venue = get_object_or_404(venue_list(user=request.user, package=package), pk=venue_pk)
    _require(can_manage_venue_at(request.user, package, venue.community))
    if request.method == "POST":
        form = _venue_form(request, package, request.POST)
        if form.is_valid():
            try:
                services.venue_update(actor=request.user, venue=venue, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("已保存场地。"))
                return redirect("delivery:venue-list", pk=package.pk)
    else:
        form = _venue_form(
            request,
            package,
            initial={
                "community": venue.community_id,
                "name": venue.name,
                "address": venue.address,
                "area_m2": venue.area_m2,
                "equipment": venue.equipment,
                "is_free": venue.is_free,
            },
        )
    return render(request, "delivery/plans/venue_form.html", {"package": package, "venue": venue, "form": form})


@login_required
@require_POST
def venue_delete(request, pk: int, venue_pk: int):
    package = _package(request, pk)
    venue = get_object_or_404(venue_list(user=request.user, package=package), pk=venue_pk)
    _require(can_manage_venue_at(request.user, package, venue.community))
    services.venue_delete(actor=request.user, venue=venue)
    messages.success(request, _("已删除场地。"))
    return redirect("delivery:venue-list", pk=package.pk)


urlpatterns = [
    path("packages/<int:pk>/plan/", plan_detail, name="plan-detail"),
    path("packages/<int:pk>/plan/items/add/", plan_item_add, name="plan-item-add"),
    path("packages/<int:pk>/plan/items/file/", plan_item_file, name="plan-item-file"),
    path("packages/<int:pk>/plan/items/<int:item_pk>/edit/", plan_item_edit, name="plan-item-edit"),
    path("packages/<int:pk>/plan/items/<int:item_pk>/remove/", plan_item_remove, name="plan-item-remove"),
    path("packages/<int:pk>/plan/items/<int:item_pk>/decide/", plan_item_decide, name="plan-item-decide"),
    path("packages/<int:pk>/plan/items/<int:item_pk>/comment/", plan_item_comment, name="plan-item-comment"),
    path("packages/<int:pk>/plan/comment/", plan_comment, name="plan-comment"),
    path("packages/<int:pk>/plan/submit/", plan_submit, name="plan-submit"),
    path("packages/<int:pk>/plan/town-review/", plan_town_review, name="plan-town-review"),
    path("packages/<int:pk>/plan/approve/", plan_approve, name="plan-approve"),
    path("packages/<int:pk>/plan/return/", plan_return, name="plan-return"),
    path("packages/<int:pk>/plan/amend/", plan_amend, name="plan-amend"),
    path("packages/<int:pk>/plan/history/", plan_history, name="plan-history"),
    path("packages/<int:pk>/plan/coverage/", plan_coverage, name="plan-coverage"),
    path("packages/<int:pk>/plan/export.xlsx", plan_export, name="plan-export"),
    path("packages/<int:pk>/venues/", venue_list_view, name="venue-list"),
    path("packages/<int:pk>/venues/add/", venue_create, name="venue-create"),
    path("packages/<int:pk>/venues/<int:venue_pk>/edit/", venue_update, name="venue-update"),
    path("packages/<int:pk>/venues/<int:venue_pk>/delete/", venue_delete, name="venue-delete"),
]
