"""Third-party evaluation (A2–A5): assignment of a firm and its evaluators, the conflict-of-interest
declaration, score sheets, and the bureau's finalisation.

Every writer locks the Evaluation row first (`select_for_update`), so submissions and the finalisation are
serialised per evaluation: a finalisation sees either all of a concurrent submission or none of it, and
nothing is written to an evaluation once it is finalised (A5).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from directory.models import Membership, Organisation, Role, User
from procurement.models import ServicePackage

from .. import notify
from ..models import (
    AssessmentRound,
    Evaluation,
    EvaluationAssignment,
    IndicatorScore,
    Rubric,
    RubricIndicator,
    ScoreSheet,
)
from ..scoring import (
    DimensionSpec,
    a2_due_on,
    final_score,
    grade_for,
    mean,
    needs_comment,
    plain,
    rubric_total,
    spread,
)
from ..selectors import two_way_score
from .common import (
    ScoreEntry,
    clean_entries,
    comment_field,
    notify_bureau,
    person,
    require_bureau,
    score_field,
    write_scores,
)
from .rubrics import rubric_check, rubric_default, rubric_mark_in_use

MIN_EVALUATORS = 2  # A2


def default_due_on(package: ServicePackage, stage: str) -> datetime.date:
    """A2: mid-term at month 12 of the package (or its end if sooner), closing at its end (`scoring.a2_due_on`)."""
    return a2_due_on(stage, starts_on=package.starts_on, ends_on=package.ends_on)


def _lock(evaluation: Evaluation) -> Evaluation:
    locked = (
        Evaluation.objects.select_for_update(of=("self",))
        .select_related("package__agency__organisation", "package__town", "rubric", "firm")
        .get(pk=evaluation.pk)
    )
    if locked.is_finalised:
        raise ValidationError(_("评估已定稿（A5），结果不可更改。"))
    return locked


def _check_evaluators(firm: Organisation, package: ServicePackage, evaluator_ids: Iterable) -> list[User]:
    """The evaluators must be active evaluators of the firm and hold no role in the package's agency."""
    try:
        ids = {int(i) for i in evaluator_ids}
    except (TypeError, ValueError) as exc:
        raise ValidationError({"evaluators": _("评估员选择有误。")}) from exc
    users = list(User.objects.filter(pk__in=ids, is_active=True).order_by("full_name", "username"))
    members = set(
        Membership.objects.filter(organisation=firm, role=Role.EVALUATOR, is_active=True, user_id__in=ids).values_list(
            "user_id", flat=True
        )
    )
    strangers = [str(u) for u in users if u.pk not in members] + [f"#{i}" for i in ids - {u.pk for u in users}]
    if strangers:
        raise ValidationError(
            {"evaluators": _("%(names)s 不是“%(firm)s”的在岗评估员。") % {"names": "、".join(strangers), "firm": firm}}
        )
    tied = sorted(
        {
            str(m.user)
            for m in Membership.objects.filter(
                organisation_id=package.agency.organisation_id, user_id__in=ids, is_active=True
            ).select_related("user")
        }
    )
    if tied:
        raise ValidationError(
            {"evaluators": _("%(names)s 是被评估机构的成员，须回避（A2）。") % {"names": "、".join(tied)}}
        )
    return users


def _add_assignments(evaluation: Evaluation, users: list[User]) -> list[EvaluationAssignment]:
    assignments = []
    for user in users:
        assignment = EvaluationAssignment.objects.create(evaluation=evaluation, evaluator=user)
        ScoreSheet.objects.create(assignment=assignment)
        assignments.append(assignment)
    return assignments


def _refresh_status(evaluation: Evaluation) -> None:
    """assigned → in progress (someone declared or scored) → scored (≥ 2 active evaluators, all submitted)."""
    active = list(evaluation.assignments.filter(removed_at__isnull=True).select_related("sheet"))
    submitted = [a for a in active if a.sheet.is_submitted]
    if len(active) >= MIN_EVALUATORS and len(submitted) == len(active):
        status = Evaluation.Status.SCORED
    elif any(a.declared_at for a in active):
        status = Evaluation.Status.IN_PROGRESS
    else:
        status = Evaluation.Status.ASSIGNED
    if status != evaluation.status:
        evaluation.status = status
        evaluation.save(update_fields=["status"])


@transaction.atomic
def evaluation_assign(
    *,
    actor,
    package: ServicePackage,
    stage: str,
    firm: Organisation,
    evaluator_ids: Iterable,
    due_on: datetime.date | None = None,
    rubric: Rubric | None = None,
) -> Evaluation:
    """A2: the bureau assigns a firm and at least 2 of its evaluators to a package's mid-term or closing
    evaluation, with a due date (default: month 12 for mid-term, the package end for closing) and a rubric
    (default: the default rubric, which is marked in use from now on)."""
    require_bureau(actor, _("只有民政局管理员可以派出第三方评估。"), system_allowed=False)
    package = (
        ServicePackage.objects.select_for_update(of=("self",)).select_related("agency__organisation").get(pk=package.pk)
    )
    if stage not in Evaluation.Stage.values:
        raise ValidationError({"stage": _("请选择中期评估或结项评估。")})
    if firm.kind != Organisation.Kind.EVALUATION_FIRM or not firm.is_active:
        raise ValidationError({"firm": _("请选择一家在册的第三方评估机构。")})
    if Evaluation.objects.filter(package=package, stage=stage).exists():
        raise ValidationError({"stage": _("该项目包的%(stage)s已经派出。") % {"stage": Evaluation.Stage(stage).label}})
    users = _check_evaluators(firm, package, evaluator_ids)
    if len(users) < MIN_EVALUATORS:
        raise ValidationError({"evaluators": _("每项评估至少派出 %(n)d 名评估员（A2）。") % {"n": MIN_EVALUATORS}})
    rubric = rubric or rubric_default()
    rubric_check(rubric)
    evaluation = Evaluation(
        package=package,
        stage=stage,
        firm=firm,
        rubric=rubric,
        due_on=due_on or default_due_on(package, stage),
        assigned_by=person(actor),
    )
    evaluation.full_clean()
    evaluation.save()
    _add_assignments(evaluation, users)
    rubric_mark_in_use(rubric)
    notify.evaluation_assigned(evaluation)
    return evaluation


@transaction.atomic
def evaluation_evaluators_add(*, actor, evaluation: Evaluation, evaluator_ids: Iterable) -> Evaluation:
    """Add evaluators of the same firm, e.g. to replace one who declared a conflict (A2: keep at least 2)."""
    require_bureau(actor, _("只有民政局管理员可以派出评估员。"))
    evaluation = _lock(evaluation)
    users = _check_evaluators(evaluation.firm, evaluation.package, evaluator_ids)
    if not users:
        raise ValidationError({"evaluators": _("请选择要增派的评估员。")})
    again = [str(a.evaluator) for a in evaluation.assignments.filter(evaluator__in=users).select_related("evaluator")]
    if again:
        raise ValidationError({"evaluators": _("%(names)s 已经派出过，不能重复派出。") % {"names": "、".join(again)}})
    _add_assignments(evaluation, users)
    _refresh_status(evaluation)
    notify.evaluation_assigned(evaluation)
    return evaluation


def _locked_assignment(actor, assignment: EvaluationAssignment) -> tuple[Evaluation, EvaluationAssignment]:
    evaluation = _lock(assignment.evaluation)
    assignment = EvaluationAssignment.objects.select_for_update().get(pk=assignment.pk)
    firm_member = Membership.objects.filter(
        user_id=getattr(actor, "pk", None), organisation_id=evaluation.firm_id, role=Role.EVALUATOR, is_active=True
    ).exists()
    if actor is None or assignment.evaluator_id != actor.pk or not firm_member:
        raise PermissionDenied(_("只有被派出的评估员本人可以操作。"))
    if not assignment.is_active:
        raise ValidationError(_("您已退出这项评估。"))
    return evaluation, assignment


@transaction.atomic
def assignment_declare(
    *, actor, assignment: EvaluationAssignment, has_conflict: bool, note: str = ""
) -> EvaluationAssignment:
    """A2: before scoring, the evaluator declares whether they have a conflict of interest (e.g. a tie to the
    agency in the last 3 years). A declared conflict removes them from the evaluation and tells the bureau,
    which must assign a replacement to keep at least 2 evaluators."""
    evaluation, assignment = _locked_assignment(actor, assignment)
    if assignment.declared_at is not None:
        raise ValidationError(_("您已经作出过利益冲突声明。"))
    note = (note or "").strip()
    if has_conflict and not note:
        raise ValidationError({"note": _("请说明存在的利益冲突（例如近三年与被评估机构的关系）。")})
    now = timezone.now()
    assignment.declared_at = now
    assignment.has_conflict = bool(has_conflict)
    assignment.conflict_note = note
    if has_conflict:
        assignment.removed_at = now
    assignment.full_clean(exclude=["evaluation", "evaluator"])
    assignment.save()
    _refresh_status(evaluation)
    if has_conflict:
        notify_bureau(
            _("评估员声明利益冲突：%(e)s") % {"e": evaluation},
            _("%(who)s 声明与“%(e)s”存在利益冲突，已退出评估：%(note)s\n请增派评估员，保证至少 %(n)d 名。")
            % {"who": actor, "e": evaluation, "note": note, "n": MIN_EVALUATORS},
        )
    return assignment


def _indicators(evaluation: Evaluation) -> dict[int, RubricIndicator]:
    return {
        i.pk: i
        for i in RubricIndicator.objects.filter(dimension__rubric_id=evaluation.rubric_id).select_related("dimension")
    }


def _locked_sheet(actor, assignment: EvaluationAssignment) -> tuple[Evaluation, ScoreSheet, dict]:
    evaluation, assignment = _locked_assignment(actor, assignment)
    if assignment.declared_at is None:
        raise ValidationError(_("请先声明无利益冲突，再开始评分（A2）。"))
    sheet = ScoreSheet.objects.select_for_update().get(assignment=assignment)
    if sheet.is_submitted:
        raise ValidationError(_("评分表已提交并锁定，不能再修改（A3）。"))
    return evaluation, sheet, _indicators(evaluation)


def dimension_specs(indicators: Iterable[RubricIndicator]) -> list[DimensionSpec]:
    by_dimension: dict[int, tuple] = {}
    for ind in sorted(indicators, key=lambda i: (i.dimension.order, i.dimension_id, i.order)):
        d = ind.dimension
        by_dimension.setdefault(d.pk, (d, {}))[1][ind.pk] = ind.max_score
    return [DimensionSpec(code=d.code, weight=d.weight, indicator_max=maxima) for d, maxima in by_dimension.values()]


@transaction.atomic
def score_sheet_save(*, actor, assignment: EvaluationAssignment, scores: Mapping[int, ScoreEntry]) -> ScoreSheet:
    """Save a draft of the evaluator's scores: each 0..max in steps of 0.5 (A3); gaps are allowed until
    submission."""
    evaluation, sheet, indicators = _locked_sheet(actor, assignment)
    write_scores(sheet, IndicatorScore, indicators, clean_entries(indicators, scores))
    sheet.save(update_fields=["updated_at"])
    _refresh_status(evaluation)
    return sheet


@transaction.atomic
def score_sheet_submit(
    *, actor, assignment: EvaluationAssignment, scores: Mapping[int, ScoreEntry] | None = None
) -> ScoreSheet:
    """Submit the sheet (A3): every indicator scored, a comment on every score below 60% of its maximum; the
    total is computed on the rubric's weights and the sheet is locked from then on."""
    evaluation, sheet, indicators = _locked_sheet(actor, assignment)
    if scores:
        write_scores(sheet, IndicatorScore, indicators, clean_entries(indicators, scores))
    rows = {row.indicator_id: row for row in IndicatorScore.objects.filter(sheet=sheet)}
    errors: dict[str, list[str]] = {}
    for pk, ind in indicators.items():
        row = rows.get(pk)
        if row is None or row.score is None:
            errors[score_field(pk)] = [_("请为“%(name)s”打分。") % {"name": ind.name_zh}]
        elif needs_comment(row.score, ind.max_score) and not row.comment:
            errors[comment_field(pk)] = [
                _("“%(name)s”得分低于满分的 60%%，请填写评语说明理由（A3）。") % {"name": ind.name_zh}
            ]
    if errors:
        raise ValidationError(errors)
    total, _dimensions = rubric_total(dimension_specs(indicators.values()), {pk: r.score for pk, r in rows.items()})
    sheet.total = total
    sheet.status = ScoreSheet.Status.SUBMITTED
    sheet.submitted_at = timezone.now()
    sheet.full_clean(exclude=["assignment"])
    sheet.save()
    _refresh_status(evaluation)
    return sheet


def dimension_means(evaluation: Evaluation, sheets: list[ScoreSheet]) -> list[dict]:
    """Per dimension, the mean over the evaluators of the weighted points they gave (for the report)."""
    indicators = _indicators(evaluation)
    specs = dimension_specs(indicators.values())
    names = {ind.dimension.code: ind.dimension for ind in indicators.values()}
    per_sheet = []
    for sheet in sheets:
        scores = {s.indicator_id: s.score for s in sheet.scores.all() if s.score is not None}
        per_sheet.append(rubric_total(specs, scores)[1])
    result = []
    for n, spec in enumerate(specs):
        d = names[spec.code]
        points = mean(r[n].points for r in per_sheet) or Decimal("0")
        result.append(
            {"code": d.code, "name_zh": d.name_zh, "name_en": d.name_en, "weight": str(d.weight), "points": str(points)}
        )
    return result


@transaction.atomic
def evaluation_finalise(*, actor, evaluation: Evaluation) -> Evaluation:
    """A5: the bureau finalises once at least 2 active evaluators have all submitted. Stores the A4 result:
    package score = mean of the totals, spread = highest − lowest, final = package × (100 − w)% + two-way × w%
    (w = the rubric's two-way weight), and the grade; plus who finalised and when. Immutable afterwards."""
    require_bureau(actor, _("只有民政局管理员可以定稿。"), system_allowed=False)
    evaluation = _lock(evaluation)
    active = list(
        evaluation.assignments.filter(removed_at__isnull=True)
        .select_related("evaluator", "sheet")
        .prefetch_related("sheet__scores")
    )
    if len(active) < MIN_EVALUATORS:
        raise ValidationError(_("有效评估员不足 %(n)d 名，请先增派评估员（A2）。") % {"n": MIN_EVALUATORS})
    waiting = [str(a.evaluator) for a in active if not a.sheet.is_submitted]
    if waiting:
        raise ValidationError(_("以下评估员尚未提交评分：%(names)s。") % {"names": "、".join(waiting)})
    weight = evaluation.rubric.two_way_weight
    two_way = two_way_score(evaluation.package, evaluation.stage)
    if weight and two_way is None:
        raise ValidationError(
            _("该项目包在本评估阶段还没有已结束的双向考核结果（A1），无法按 %(w)s%% 的权重计入最终得分。")
            % {"w": plain(weight)}
        )
    open_rounds = list(
        AssessmentRound.objects.filter(package=evaluation.package, status=AssessmentRound.Status.OPEN).order_by(
            "period"
        )
    )
    if weight and open_rounds:
        # Sheets submitted after the result is stored would never count (A4): close the round first.
        raise ValidationError(
            _("该项目包的双向考核（%(periods)s）仍在进行中，其结果要计入最终得分：请先关闭该轮次再定稿。")
            % {"periods": "、".join(r.period for r in open_rounds)}
        )
    sheets = [a.sheet for a in active]
    totals = [s.total for s in sheets]
    evaluation.package_score = mean(totals)
    evaluation.spread = spread(totals)
    evaluation.two_way_score = two_way
    evaluation.two_way_weight = weight
    evaluation.final_score = final_score(evaluation.package_score, two_way, weight)
    evaluation.grade = grade_for(evaluation.final_score)
    evaluation.dimension_scores = dimension_means(evaluation, sheets)
    evaluation.status = Evaluation.Status.FINALISED
    evaluation.finalised_by = actor
    evaluation.finalised_at = timezone.now()
    evaluation.full_clean(exclude=["package", "firm", "rubric", "assigned_by", "finalised_by"])
    evaluation.save()
    return evaluation
