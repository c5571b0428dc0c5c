"""K6 — third-party evaluations past due (A2): the mid-term evaluation is due at month 12, the closing one at the
package's end (`evaluation.scoring.a2_due_on`, which also proposes the due date when the bureau assigns one).
Past that date, an evaluation never assigned is the bureau's finding, one assigned but not scored the firm's,
one scored but not finalised the bureau's. Packages ended more than a year ago are left alone. Three queries
whatever the number of packages."""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.utils.translation import gettext as _

from evaluation.models import Evaluation
from evaluation.scoring import a2_due_on
from procurement.models import ServicePackage

from . import Found, check
from ._shared import bureaus, package_scope, url

CRITICAL_AFTER_DAYS = 30
LOOK_BACK_DAYS = 365
Status = Evaluation.Status


@check("K6")
def k6_evaluations_past_due(*, today: datetime.date) -> list[Found]:
    packages = list(
        ServicePackage.objects.filter(
            status__in=[ServicePackage.Status.ACTIVE, ServicePackage.Status.ENDED],
            starts_on__lte=today,
            ends_on__gte=today - datetime.timedelta(days=LOOK_BACK_DAYS),
        )
        .select_related("town__district", "agency__organisation")
        .order_by("pk")
    )
    evaluations: dict[int, dict[str, Evaluation]] = defaultdict(dict)
    for e in Evaluation.objects.filter(package__in=packages).select_related("firm"):
        evaluations[e.package_id][e.stage] = e
    city_bureau, _district_bureaus = bureaus()
    found: list[Found] = []
    for package in packages:
        for stage, label in Evaluation.Stage.choices:
            evaluation = evaluations[package.pk].get(stage)
            if evaluation is not None and evaluation.is_finalised:
                continue
            due = (
                evaluation.due_on
                if evaluation
                else a2_due_on(stage, starts_on=package.starts_on, ends_on=package.ends_on)
            )
            late = (today - due).days
            if late <= 0:
                continue
            args = {"p": package.title, "stage": label, "due": due.isoformat(), "late": late}
            if evaluation is None:
                organisation_id = city_bureau
                message = _(
                    "%(p)s的%(stage)s应于 %(due)s 完成，已逾期 %(late)d 天，但尚未派出评估机构和评估员（A2）。"
                    "请民政局尽快派出第三方评估机构及至少 2 名评估员。"
                )
                link = url("procurement:package-detail", package.pk)
            elif evaluation.status == Status.SCORED:
                organisation_id = city_bureau
                message = _(
                    "%(p)s的%(stage)s评分已完成，期限 %(due)s 已过 %(late)d 天仍未定稿（A2）。请民政局审核定稿。"
                )
                link = evaluation.get_absolute_url()
            else:
                organisation_id = evaluation.firm_id
                args["firm"] = evaluation.firm.name
                message = _(
                    "%(firm)s承担的%(p)s%(stage)s应于 %(due)s 完成，已逾期 %(late)d 天（A2）。"
                    "请评估员尽快完成利益冲突声明和评分。"
                )
                link = evaluation.get_absolute_url()
            found.append(
                Found(
                    subject_key=f"package:{package.pk}:{stage}",
                    message=message % args,
                    severity="critical" if late > CRITICAL_AFTER_DAYS else "warning",
                    organisation_id=organisation_id,
                    url=link,
                    details={
                        "stage": stage,
                        "due_on": due.isoformat(),
                        "days_late": late,
                        "evaluation_id": evaluation.pk if evaluation else None,
                        "status": evaluation.status if evaluation else None,
                    },
                    **package_scope(package),
                )
            )
    return found
