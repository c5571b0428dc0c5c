"""Who evaluation tells, and when (notifications): called by the services inside their transaction; each
decides its recipients in one query and writes in one (idempotent per user × kind × subject key)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from evaluation.models import Evaluation, EvaluationAssignment
from notifications.models import Notification
from notifications.services import notify


def evaluation_assigned(evaluation: Evaluation) -> None:
    """A2: the bureau assigned the firm's evaluators to an evaluation (or added more) → each active assigned
    evaluator, once per evaluation (an evaluator added later is told then; the others are not told again)."""
    notify(
        users=EvaluationAssignment.objects.filter(evaluation=evaluation, removed_at__isnull=True).values_list(
            "evaluator_id", flat=True
        ),
        kind=Notification.Kind.EVALUATION_ASSIGNED,
        subject_key=f"evaluation:{evaluation.pk}",
        title=_("新的评估任务：%(package)s %(stage)s（%(due)s 前完成）")
        % {
            "package": evaluation.package.title,
            "stage": evaluation.get_stage_display(),
            "due": evaluation.due_on.isoformat(),
        },
        url=evaluation.get_absolute_url(),
        body=_("请先声明有无利益冲突，再开始评分。"),
    )
