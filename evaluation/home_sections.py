"""Home-page sections for evaluation (see core/attention.py)."""

from django.db.models import Count, Max, Min, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.attention import AttentionItem, AttentionSection, register
from directory.models import Role
from directory.permissions import scope_for

from .models import Evaluation, ScoreSheet
from .scoring import q2, spread_flagged
from .selectors import assessment_sheets_to_fill, assignment_list, evaluation_result_list
from .services.evaluations import MIN_EVALUATORS

LIMIT = 20


def _bureau_sections() -> list[AttentionSection]:
    today = timezone.localdate()
    active = Q(assignments__removed_at__isnull=True)
    submitted = active & Q(assignments__sheet__status=ScoreSheet.Status.SUBMITTED)
    open_evaluations = (
        Evaluation.objects.exclude(status=Evaluation.Status.FINALISED)
        .select_related("package__town")
        .annotate(
            active_count=Count("assignments", filter=active, distinct=True),
            conflicts=Count("assignments", filter=Q(assignments__has_conflict=True), distinct=True),
        )
    )
    short = open_evaluations.filter(active_count__lt=MIN_EVALUATORS).order_by("due_on", "pk")[:LIMIT]
    to_finalise = (
        Evaluation.objects.filter(status=Evaluation.Status.SCORED)
        .select_related("package__town")
        .annotate(
            top=Max("assignments__sheet__total", filter=submitted),
            low=Min("assignments__sheet__total", filter=submitted),
        )
        .order_by("due_on", "pk")[:LIMIT]
    )
    finalise_items = []
    for e in to_finalise:
        gap = q2(e.top - e.low) if e.top is not None and e.low is not None else None
        detail = _("完成期限 %(d)s") % {"d": e.due_on}
        if spread_flagged(gap):
            detail = _("评估员分差 %(g)s 分，超过 15 分，请复核") % {"g": gap}
        elif e.due_on < today:
            detail = _("已逾期（期限 %(d)s）") % {"d": e.due_on}
        finalise_items.append(
            AttentionItem(title=str(e), url=reverse("evaluation:evaluation-detail", args=[e.pk]), detail=detail)
        )
    return [
        AttentionSection(
            title=_("需要增派评估员的评估"),
            items=[
                AttentionItem(
                    title=str(e),
                    url=reverse("evaluation:evaluation-detail", args=[e.pk]),
                    detail=_("有效评估员 %(n)d 名，%(c)d 名声明利益冲突已回避")
                    % {"n": e.active_count, "c": e.conflicts},
                )
                for e in short
            ],
            empty_text=_("每项评估都有至少 2 名评估员。"),
            order=30,
        ),
        AttentionSection(
            title=_("待定稿的第三方评估"),
            items=finalise_items,
            empty_text=_("暂无待定稿的评估。"),
            order=31,
        ),
    ]


@register
def evaluation_sections(user) -> list[AttentionSection]:
    scope = scope_for(user)
    sections: list[AttentionSection] = []
    if scope.has(Role.BUREAU_ADMIN):
        sections += _bureau_sections()
    if scope.has(Role.EVALUATOR):
        pending = [
            a
            for a in assignment_list(user=user).exclude(evaluation__status=Evaluation.Status.FINALISED)
            if not a.sheet.is_submitted
        ][:LIMIT]
        sections.append(
            AttentionSection(
                title=_("我的评估任务"),
                items=[
                    AttentionItem(
                        title=str(a.evaluation),
                        url=reverse("evaluation:evaluation-workspace", args=[a.evaluation_id]),
                        detail=(_("请先声明利益冲突") if a.declared_at is None else _("评分中"))
                        + _("，期限 %(d)s") % {"d": a.evaluation.due_on},
                    )
                    for a in pending
                ],
                empty_text=_("没有待完成的评估任务。"),
                order=25,
            )
        )
    if scope.has(Role.TOWN_OFFICER, Role.COMMUNITY_OFFICER, Role.AGENCY_MANAGER):
        sheets = list(assessment_sheets_to_fill(user=user)[:LIMIT])
        sections.append(
            AttentionSection(
                title=_("待填写的双向考核表"),
                items=[
                    AttentionItem(
                        title=f"{s.round.package.town.name} · {s.round.period} · {s.rater_organisation}",
                        url=reverse("evaluation:sheet-detail", args=[s.pk]),
                        detail=_("截止 %(d)s") % {"d": s.round.closes_on},
                    )
                    for s in sheets
                ],
                empty_text=_("没有待填写的双向考核表。"),
                order=26,
            )
        )
    if not scope.sees_all:
        # A5: results appear here only once finalised; before that there is nothing to show.
        results = list(evaluation_result_list(user=user).order_by("-finalised_at")[:LIMIT])
        if results:
            sections.append(
                AttentionSection(
                    title=_("第三方评估结果"),
                    items=[
                        AttentionItem(
                            title=str(e),
                            url=reverse("evaluation:evaluation-report", args=[e.pk]),
                            detail=_("最终得分 %(s)s，%(g)s") % {"s": e.final_score, "g": e.get_grade_display()},
                        )
                        for e in results
                    ],
                    order=60,
                )
            )
    return sections
