"""K10 — spot checks: a drawn package whose spot-check evaluation was not assigned within 30 days of the draw
(the bureau must act), or whose spot-check evaluation is past its due date and not finalised (the firm must)."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from directory.models import Organisation
from evaluation.models import Evaluation, SpotCheckPick

from . import Found, check

ASSIGN_WITHIN_DAYS = 30


@check("K10")
def k10_spot_checks(*, today: datetime.date) -> Iterator[Found]:
    assign_by = today - datetime.timedelta(days=ASSIGN_WITHIN_DAYS)
    picks = (
        SpotCheckPick.objects.filter(
            Q(evaluation__isnull=True, draw__drawn_on__lt=assign_by)
            | (Q(evaluation__due_on__lt=today) & ~Q(evaluation__status=Evaluation.Status.FINALISED))
        )
        .select_related("draw", "package__town", "evaluation__firm")
        .order_by("pk")
    )
    bureau_id = (
        Organisation.objects.filter(kind=Organisation.Kind.BUREAU, district__isnull=True, is_active=True)
        .order_by("pk")
        .values_list("pk", flat=True)
        .first()
    )
    for pick in picks:
        package = pick.package
        common = {
            "subject_key": f"spot-check-pick:{pick.pk}",
            "district_id": pick.district_id,
            "town_id": package.town_id,
            "package_id": package.pk,
        }
        if pick.evaluation is None:
            yield Found(
                message=_("%(package)s 在%(year)s年度抽查中被抽中（%(drawn)s），超过 %(n)d 天仍未派出抽查评估。")
                % {
                    "package": package.title,
                    "year": pick.draw.year,
                    "drawn": pick.draw.drawn_on,
                    "n": ASSIGN_WITHIN_DAYS,
                },
                severity="warning",
                organisation_id=bureau_id,
                url=reverse("evaluation:spot-check-detail", args=[pick.draw.year]),
                details={"year": pick.draw.year, "drawn_on": pick.draw.drawn_on.isoformat(), "assigned": False},
                **common,
            )
        else:
            evaluation = pick.evaluation
            yield Found(
                message=_("%(package)s 的%(year)s年度抽查评估（%(firm)s）已过完成期限 %(due)s，尚未定稿。")
                % {
                    "package": package.title,
                    "year": pick.draw.year,
                    "firm": evaluation.firm.name,
                    "due": evaluation.due_on,
                },
                severity="warning",
                organisation_id=evaluation.firm_id,
                url=reverse("evaluation:evaluation-detail", args=[evaluation.pk]),
                details={"year": pick.draw.year, "evaluation": evaluation.pk, "due_on": evaluation.due_on.isoformat()},
                **common,
            )
