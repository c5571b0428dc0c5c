"""Pages of the two-way assessment (A1): rounds, the raters' sheets, and each package's results across rounds."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.forms import add_service_errors
from core.permissions import require
from directory.permissions import scope_for
from procurement.models import ServicePackage
from procurement.selectors import package_get, package_list

from .. import services
from ..forms import RoundOpenForm, ScoreSheetForm
from ..models import AssessmentRound, AssessmentSheet
from ..permissions import can_fill_sheet, can_manage_assessments
from ..scoring import period_of
from ..selectors import (
    assessment_history,
    assessment_round_list,
    assessment_sheet_list,
    assessment_sheets_to_fill,
    round_result,
    sheet_scores,
)


@login_required
def round_list_view(request):
    """The sheets the user still has to fill, and the rounds of the packages they see."""
    submitted = Q(sheets__status=AssessmentSheet.Status.SUBMITTED)
    rounds = list(
        assessment_round_list(user=request.user)
        .annotate(sheet_count=Count("sheets"), submitted_count=Count("sheets", filter=submitted))
        .order_by("-period", "package__town__name")[:200]
    )
    context = {
        "rounds": rounds,
        "to_fill": list(assessment_sheets_to_fill(user=request.user)),
        "can_manage": can_manage_assessments(request.user),
    }
    return render(request, "evaluation/round_list.html", context)


@login_required
def round_open_view(request):
    """A1: the bureau opens a half-year round for a package, with the indicator sets to use."""
    require(can_manage_assessments(request.user))
    packages = (
        package_list(user=request.user).filter(status=ServicePackage.Status.ACTIVE).order_by("town__name", "-starts_on")
    )
    initial = {"package": request.GET.get("package"), "period": period_of(timezone.localdate())}
    form = RoundOpenForm(request.POST or None, packages=packages, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            round_ = services.assessment_round_open(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("已发起 %(r)s 双向考核。") % {"r": round_})
            return redirect(round_)
    return render(request, "evaluation/round_open.html", {"form": form})


@login_required
def round_detail(request, pk: int):
    """A round: the sheets the user may see (the other side's only after the round closes) and, once it is
    closed, the results."""
    round_ = get_object_or_404(assessment_round_list(user=request.user), pk=pk)
    scope = scope_for(request.user)
    all_sheets = list(round_.sheets.select_related("rater_organisation", "submitted_by"))
    visible_ids = set(assessment_sheet_list(user=request.user).filter(round=round_).values_list("pk", flat=True))
    sheets = [s for s in all_sheets if s.pk in visible_ids]
    result = round_result(round_, sheets, expected=len(all_sheets))
    context = {
        "round": round_,
        "sheets": sheets,
        "result": result,
        "show_results": round_.is_closed or scope.sees_all,
        "hidden_count": len(all_sheets) - len(sheets),
        "can_close": can_manage_assessments(request.user) and round_.status == AssessmentRound.Status.OPEN,
    }
    return render(request, "evaluation/round_detail.html", context)


@login_required
@require_POST
def round_close_view(request, pk: int):
    round_ = get_object_or_404(assessment_round_list(user=request.user), pk=pk)
    require(can_manage_assessments(request.user))
    try:
        services.assessment_round_close(actor=request.user, round_=round_)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("本轮双向考核已结束，双方可查看结果。"))
    return redirect(round_)


def _sheet(request, pk: int) -> AssessmentSheet:
    return get_object_or_404(assessment_sheet_list(user=request.user), pk=pk)


def _sheet_form(sheet: AssessmentSheet, data=None, editable: bool = True) -> ScoreSheetForm:
    indicators = list(sheet.round.indicator_set_for(sheet.direction).indicators.order_by("order", "code"))
    return ScoreSheetForm(
        data,
        indicators=indicators,
        initial_scores=sheet_scores(sheet),
        disabled=not editable,
        comments_required=False,
    )


def _sheet_context(request, sheet: AssessmentSheet, form: ScoreSheetForm, saved: bool = False) -> dict:
    return {
        "sheet": sheet,
        "round": sheet.round,
        "form": form,
        "rows": list(form.rows()),
        "saved": saved,
        "can_fill": can_fill_sheet(request.user, sheet),
    }


@login_required
def sheet_detail(request, pk: int):
    """A rater fills its sheet here (draft saves in place, submit once); everyone else who may see it reads it."""
    sheet = _sheet(request, pk)
    form = _sheet_form(sheet, editable=can_fill_sheet(request.user, sheet))
    return render(request, "evaluation/sheet_detail.html", _sheet_context(request, sheet, form))


@login_required
@require_POST
def sheet_save_view(request, pk: int):
    sheet = _sheet(request, pk)
    require(can_fill_sheet(request.user, sheet))
    form = _sheet_form(sheet, request.POST)
    saved = False
    if form.is_valid():
        try:
            services.assessment_sheet_save(actor=request.user, sheet=sheet, scores=form.entries())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            saved = True
    context = _sheet_context(request, sheet, form, saved=saved)
    if request.htmx:
        return render(request, "evaluation/partials/_sheet_form.html", context)
    if saved:
        messages.success(request, _("考核表草稿已保存。"))
        return redirect(sheet)
    return render(request, "evaluation/sheet_detail.html", context)


@login_required
@require_POST
def sheet_submit_view(request, pk: int):
    sheet = _sheet(request, pk)
    require(can_fill_sheet(request.user, sheet))
    form = _sheet_form(sheet, request.POST)
    if form.is_valid():
        try:
            sheet = services.assessment_sheet_submit(actor=request.user, sheet=sheet, scores=form.entries())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("考核表已提交（%(p)s%%），不能再修改。") % {"p": sheet.percent})
            return redirect(sheet)
    return render(request, "evaluation/sheet_detail.html", _sheet_context(request, sheet, form))


@login_required
def package_assessments(request, pk: int):
    """A package's two-way results per round, with the history across rounds (A1)."""
    package = package_get(user=request.user, pk=pk)
    history = assessment_history(user=request.user, package=package)
    context = {
        "package": package,
        "history": history,
        "sees_all": scope_for(request.user).sees_all,
        "can_manage": can_manage_assessments(request.user),
    }
    return render(request, "evaluation/package_assessments.html", context)


urlpatterns = [
    path("assessments/", round_list_view, name="round-list"),
    path("assessments/open/", round_open_view, name="round-open"),
    path("assessments/<int:pk>/", round_detail, name="round-detail"),
    path("assessments/<int:pk>/close/", round_close_view, name="round-close"),
    path("assessment-sheets/<int:pk>/", sheet_detail, name="sheet-detail"),
    path("assessment-sheets/<int:pk>/save/", sheet_save_view, name="sheet-save"),
    path("assessment-sheets/<int:pk>/submit/", sheet_submit_view, name="sheet-submit"),
    path("packages/<int:pk>/assessments/", package_assessments, name="package-assessments"),
]
