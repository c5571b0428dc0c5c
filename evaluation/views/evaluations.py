"""Pages of third-party evaluation (A2–A5): the list, the bureau's assignment and finalisation, the evaluator's
declaration and workspace, and the finalised result's print-friendly report."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.forms import add_service_errors
from core.permissions import require
from core.uploads import private_file_response
from delivery.models import ReportAttachment, ServiceReport
from directory.permissions import scope_for
from procurement.models import ServicePackage
from procurement.selectors import package_list

from .. import services
from ..forms import DeclarationForm, EvaluationAssignForm, EvaluatorsAddForm, ScoreSheetForm
from ..models import Evaluation, EvaluationAssignment, Grade, RubricIndicator
from ..permissions import (
    can_assign_evaluators,
    can_declare,
    can_finalise,
    can_manage_evaluations,
    can_read_evaluation_files,
    can_score,
    is_assigned_evaluator,
)
from ..scoring import final_score, grade_for, q2, spread_flagged
from ..selectors import (
    assignment_list,
    evaluation_assignments,
    evaluation_list,
    evaluation_live_numbers,
    evaluation_overview,
    evaluation_report_context,
    evaluation_result_list,
    evaluation_workspace,
    evaluator_choices,
    evaluator_firms,
    sheet_score_map,
    two_way_score,
)


def _evaluation(request, pk: int) -> Evaluation:
    return get_object_or_404(evaluation_list(user=request.user), pk=pk)


def _my_assignment(request, pk: int) -> EvaluationAssignment:
    """The user's own active assignment on evaluation `pk`; anyone else (another evaluator, a removed one,
    an outsider) gets 404."""
    return get_object_or_404(assignment_list(user=request.user), evaluation_id=pk)


# --- list and assignment (A2) --------------------------------------------------------------------


@login_required
def evaluation_list_view(request):
    """The bureau's overview (spread above 15 flagged, A4), an evaluator's own evaluations, or the finalised
    results the agency and the place officers may read (A5)."""
    evaluations, filterset = evaluation_overview(user=request.user, filters=request.GET)
    evaluations = list(evaluations)
    mine = {a.evaluation_id: a for a in assignment_list(user=request.user)}
    for e in evaluations:
        if e.is_finalised:
            e.shown_spread = e.spread
        elif e.submitted_count >= 2:
            e.shown_spread = q2(e.top_total - e.low_total)
        else:
            e.shown_spread = None
        e.flagged = spread_flagged(e.shown_spread)
        e.mine = mine.get(e.pk)
        e.short_of_evaluators = not e.is_finalised and e.evaluator_count < services.evaluations.MIN_EVALUATORS
    context = {
        "evaluations": evaluations,
        "filter": filterset,
        "sees_all": scope_for(request.user).sees_all,
        "can_manage": can_manage_evaluations(request.user),
        "is_evaluator": bool(mine),
    }
    return render(request, "evaluation/evaluation_list.html", context)


def _assign_form(request, data=None) -> EvaluationAssignForm:
    evaluators = evaluator_choices()
    packages = (
        package_list(user=request.user)
        .exclude(status=ServicePackage.Status.TERMINATED)
        .order_by("town__name", "-starts_on")
    )
    return EvaluationAssignForm(
        data,
        packages=packages,
        evaluators=evaluators,
        firms=evaluator_firms(list(evaluators)),
        initial={"package": request.GET.get("package"), "stage": request.GET.get("stage")},
    )


@login_required
def evaluation_assign_view(request):
    """A2: the bureau assigns a firm and at least 2 of its evaluators, with a due date and a rubric."""
    require(can_manage_evaluations(request.user))
    form = _assign_form(request, request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            evaluation = services.evaluation_assign(
                actor=request.user,
                package=data["package"],
                stage=data["stage"],
                firm=data["firm"],
                evaluator_ids=[u.pk for u in data["evaluators"]],
                due_on=data["due_on"],
                rubric=data["rubric"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("已派出%(e)s。") % {"e": evaluation})
            return redirect(evaluation)
    return render(request, "evaluation/evaluation_assign.html", {"form": form})


# --- the bureau's detail and finalisation (A4, A5) ------------------------------------------------


@login_required
def evaluation_detail(request, pk: int):
    """The bureau's (and the auditor's) view: per-evaluator declarations and totals, the spread (flagged
    above 15), the two-way component and the result to be finalised. Evaluators go to their workspace, the
    agency and the place officers to the finalised report."""
    evaluation = _evaluation(request, pk)
    if not scope_for(request.user).sees_all:
        if is_assigned_evaluator(request.user, evaluation):
            return redirect("evaluation:evaluation-workspace", pk=evaluation.pk)
        return redirect("evaluation:evaluation-report", pk=evaluation.pk)
    assignments = evaluation_assignments(evaluation)
    live = evaluation_live_numbers(assignments)
    preview = None
    if not evaluation.is_finalised:
        two_way = two_way_score(evaluation.package, evaluation.stage)
        weight = evaluation.rubric.two_way_weight
        preview = {"two_way": two_way, "weight": weight, "final": None, "grade": ""}
        if live["count"] >= 2 and (two_way is not None or not weight):
            preview["final"] = final_score(live["mean"], two_way, weight)
            preview["grade"] = Grade(grade_for(preview["final"])).label
    add_form = None
    if can_assign_evaluators(request.user, evaluation):
        assigned = {a.evaluator_id for a in assignments}
        add_form = EvaluatorsAddForm(
            evaluators=evaluator_choices(firm=evaluation.firm).exclude(pk__in=assigned),
        )
    context = {
        "evaluation": evaluation,
        "assignments": assignments,
        "active_count": sum(1 for a in assignments if a.is_active),
        "live": live,
        "spread": evaluation.spread if evaluation.is_finalised else live["spread"],
        "preview": preview,
        "add_form": add_form,
        "can_finalise": can_finalise(request.user, evaluation),
        "min_evaluators": services.evaluations.MIN_EVALUATORS,
    }
    context["flagged"] = spread_flagged(context["spread"])
    return render(request, "evaluation/evaluation_detail.html", context)


@login_required
@require_POST
def evaluation_finalise_view(request, pk: int):
    evaluation = _evaluation(request, pk)
    require(can_manage_evaluations(request.user))
    try:
        evaluation = services.evaluation_finalise(actor=request.user, evaluation=evaluation)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("评估已定稿：最终得分 %(s)s，%(g)s。")
            % {"s": evaluation.final_score, "g": evaluation.get_grade_display()},
        )
    return redirect(evaluation)


@login_required
@require_POST
def evaluation_evaluators_add_view(request, pk: int):
    """A2: add evaluators of the firm, e.g. after one declared a conflict."""
    evaluation = _evaluation(request, pk)
    require(can_manage_evaluations(request.user))
    form = EvaluatorsAddForm(request.POST, evaluators=evaluator_choices(firm=evaluation.firm))
    if form.is_valid():
        try:
            services.evaluation_evaluators_add(
                actor=request.user, evaluation=evaluation, evaluator_ids=[u.pk for u in form.cleaned_data["evaluators"]]
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("已增派评估员。"))
    else:
        messages.error(request, _("请选择该评估机构的评估员。"))
    return redirect(evaluation)


@login_required
def evaluation_report(request, pk: int):
    """A5: the finalised result as a print-friendly page (scores per dimension, grade, who finalised it and
    when). Before finalisation it does not exist for anyone (404)."""
    evaluation = get_object_or_404(evaluation_result_list(user=request.user), pk=pk)
    return render(request, "evaluation/evaluation_report.html", evaluation_report_context(evaluation))


# --- the evaluator: declaration, workspace, score sheet (A2, A3) ---------------------------------


@login_required
def evaluation_declare(request, pk: int):
    """A2: the conflict-of-interest declaration, made once before scoring."""
    assignment = _my_assignment(request, pk)
    evaluation = assignment.evaluation
    if assignment.declared_at is not None:
        return redirect("evaluation:evaluation-workspace", pk=evaluation.pk)
    require(can_declare(request.user, assignment))
    form = DeclarationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.assignment_declare(
                actor=request.user,
                assignment=assignment,
                has_conflict=form.cleaned_data["has_conflict"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if form.cleaned_data["has_conflict"]:
                messages.info(request, _("您已声明存在利益冲突并退出本项评估，民政局将另行派员。"))
                return redirect("evaluation:evaluation-list")
            messages.success(request, _("已声明无利益冲突，可以开始评分。"))
            return redirect("evaluation:evaluation-workspace", pk=evaluation.pk)
    return render(request, "evaluation/evaluation_declare.html", {"evaluation": evaluation, "form": form})


def _indicators(evaluation: Evaluation) -> list[RubricIndicator]:
    return list(
        RubricIndicator.objects.filter(dimension__rubric_id=evaluation.rubric_id)
        .select_related("dimension")
        .order_by("dimension__order", "dimension__code", "order", "code")
    )


def _score_form(assignment: EvaluationAssignment, data=None) -> ScoreSheetForm:
    sheet = assignment.sheet
    return ScoreSheetForm(
        data,
        indicators=_indicators(assignment.evaluation),
        initial_scores=sheet_score_map(sheet),
        disabled=sheet.is_submitted or not assignment.may_score or assignment.evaluation.is_finalised,
    )


def _sheet_context(user, assignment: EvaluationAssignment, form: ScoreSheetForm, saved: bool = False) -> dict:
    groups: list[tuple] = []
    for row in form.rows():
        dimension = row[0].dimension
        if not groups or groups[-1][0].pk != dimension.pk:
            groups.append((dimension, []))
        groups[-1][1].append(row)
    return {
        "assignment": assignment,
        "evaluation": assignment.evaluation,
        "sheet": assignment.sheet,
        "form": form,
        "groups": groups,
        "saved": saved,
        "can_score": can_score(user, assignment),
    }


@login_required
def evaluation_workspace_view(request, pk: int):
    """Everything the evaluator needs in one place: the package, its plan against targets, confirmed reports
    and attachments, focus issues, two-way results, and the score sheet."""
    assignment = _my_assignment(request, pk)
    if assignment.declared_at is None:
        return redirect("evaluation:evaluation-declare", pk=pk)
    return _render_workspace(request, assignment, _score_form(assignment))


def _render_workspace(request, assignment: EvaluationAssignment, form: ScoreSheetForm, status: int = 200):
    evaluation = assignment.evaluation
    context = _sheet_context(request.user, assignment, form)
    context["workspace"] = evaluation_workspace(evaluation)
    return render(request, "evaluation/evaluation_workspace.html", context, status=status)


@login_required
@require_POST
def score_sheet_save_view(request, pk: int):
    """Save a draft (htmx: the form comes back in place with a saved note or the errors)."""
    assignment = _my_assignment(request, pk)
    require(can_score(request.user, assignment))
    form = ScoreSheetForm(request.POST, indicators=_indicators(assignment.evaluation))
    saved = False
    if form.is_valid():
        try:
            services.score_sheet_save(actor=request.user, assignment=assignment, scores=form.entries())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            saved = True
    if request.htmx:
        return render(
            request, "evaluation/partials/_score_form.html", _sheet_context(request.user, assignment, form, saved=saved)
        )
    if saved:
        messages.success(request, _("评分草稿已保存。"))
        return redirect("evaluation:evaluation-workspace", pk=pk)
    return _render_workspace(request, assignment, form)


@login_required
@require_POST
def score_sheet_submit_view(request, pk: int):
    """A3: submit the sheet; it is locked afterwards."""
    assignment = _my_assignment(request, pk)
    require(can_score(request.user, assignment))
    form = ScoreSheetForm(request.POST, indicators=_indicators(assignment.evaluation))
    if form.is_valid():
        try:
            sheet = services.score_sheet_submit(actor=request.user, assignment=assignment, scores=form.entries())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("评分表已提交，总分 %(t)s。提交后不能再修改。") % {"t": sheet.total})
            return redirect("evaluation:evaluation-workspace", pk=pk)
    assignment.refresh_from_db()
    return _render_workspace(request, assignment, form)


@login_required
def evaluation_attachment(request, pk: int, attachment_pk: int):
    """A confirmed report's attachment, for the evaluators of the package (and the city-wide roles): private
    files served only here after the predicate, never from a public URL."""
    evaluation = _evaluation(request, pk)
    if not can_read_evaluation_files(request.user, evaluation):
        raise Http404
    attachment = get_object_or_404(
        ReportAttachment.objects.filter(
            report__package_id=evaluation.package_id, report__status=ServiceReport.Status.CONFIRMED
        ),
        pk=attachment_pk,
    )
    return private_file_response(
        attachment.file,
        filename=attachment.original_name,
        content_type=attachment.content_type,
        as_attachment=request.GET.get("download") == "1" or attachment.content_type == "application/pdf",
    )


urlpatterns = [
    path("", evaluation_list_view, name="evaluation-list"),
    path("evaluations/assign/", evaluation_assign_view, name="evaluation-assign"),
    path("evaluations/<int:pk>/", evaluation_detail, name="evaluation-detail"),
    path("evaluations/<int:pk>/finalise/", evaluation_finalise_view, name="evaluation-finalise"),
    path("evaluations/<int:pk>/evaluators/", evaluation_evaluators_add_view, name="evaluation-add-evaluators"),
    path("evaluations/<int:pk>/report/", evaluation_report, name="evaluation-report"),
    path("evaluations/<int:pk>/declare/", evaluation_declare, name="evaluation-declare"),
    path("evaluations/<int:pk>/workspace/", evaluation_workspace_view, name="evaluation-workspace"),
    path("evaluations/<int:pk>/sheet/", score_sheet_save_view, name="evaluation-sheet-save"),
    path("evaluations/<int:pk>/sheet/submit/", score_sheet_submit_view, name="evaluation-sheet-submit"),
    path("evaluations/<int:pk>/attachments/<int:attachment_pk>/", evaluation_attachment, name="evaluation-attachment"),
]
