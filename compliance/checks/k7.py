"""K7 — money. Payments behind or ahead of schedule (F3), through the funds rules the package's money page uses
(`f3_evaluation_stage`, `f3_instalment_state`, `f3_milestone_met`): an instalment whose milestone is met and
that is still unpaid `COMPLIANCE_PAYMENT_GRACE_DAYS` after its planned date is late; money paid before its
milestone was met, or beyond the instalment's amount, is ahead of schedule. And sources whose yearly budget is
over-committed by the package-year splits (F2, `f2_available`). The bureau pays and commits, so these are the
bureau's findings (a district source's: the district bureau's). Five queries whatever the number of packages."""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.db.models import Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from evaluation.models import Evaluation
from funds import rules
from funds.models import Instalment, SourceBudget
from procurement.models import ServicePackage

from . import Found, check
from ._shared import bureaus, package_scope, setting, url


def _money(value) -> str:
    return f"{value:,.2f}"


@check("K7")
def k7_money(*, today: datetime.date) -> list[Found]:
    grace = setting("COMPLIANCE_PAYMENT_GRACE_DAYS")
    city_bureau, district_bureaus = bureaus()
    found: list[Found] = []

    packages = {
        p.pk: p
        for p in ServicePackage.objects.filter(
            status__in=[ServicePackage.Status.ACTIVE, ServicePackage.Status.ENDED], starts_on__lte=today
        ).select_related("town__district", "agency__organisation")
    }
    results: dict[int, dict[str, rules.EvaluationResult]] = defaultdict(dict)
    for e in Evaluation.objects.filter(package_id__in=list(packages)):
        results[e.package_id][e.stage] = rules.EvaluationResult(
            stage=e.stage,
            finalised=e.is_finalised,
            grade=e.grade,
            grade_label=e.get_grade_display(),
            final_score=e.final_score,
        )
    instalments = (
        Instalment.objects.filter(package_id__in=list(packages))
        .annotate(paid=Coalesce(Sum("payments__amount"), Value(rules.ZERO)))
        .order_by("package_id", "plan_year", "planned_on", "pk")
    )
    for inst in instalments:
        package = packages[inst.package_id]
        years = rules.plan_year_count(package.starts_on, package.ends_on)
        stage = rules.f3_evaluation_stage(inst.milestone, plan_year=inst.plan_year, last_plan_year=years)
        evaluation = results[package.pk].get(stage) if stage else None
        state = rules.f3_instalment_state(
            amount=inst.amount,
            paid=inst.paid,
            planned_on=inst.planned_on,
            stage=stage,
            evaluation=evaluation,
            today=today,
        )
        args = {
            "p": package.title,
            "y": inst.plan_year,
            "m": inst.get_milestone_display(),
            "a": _money(inst.amount),
            "paid": _money(inst.paid),
            "d": inst.planned_on.isoformat(),
        }
        met = rules.f3_milestone_met(stage, evaluation, planned_on=inst.planned_on, today=today)
        late = (today - inst.planned_on).days
        if inst.paid > 0 and (not met or inst.paid > inst.amount):
            kind = "ahead"
            message = (
                _("%(p)s第 %(y)d 服务年度“%(m)s”节点尚未达成，已拨付 %(paid)s 元（F3）。请核实拨付依据，必要时冲回。")
                if not met
                else _(
                    "%(p)s第 %(y)d 服务年度“%(m)s”节点应拨 %(a)s 元，已拨 %(paid)s 元，超出应拨金额（F3）。请核实并冲回多拨部分。"
                )
            ) % args
            severity = "critical"
        elif state.code == "due" and late > grace:
            kind = "behind"
            args["late"] = late
            message = (
                _(
                    "%(p)s第 %(y)d 服务年度“%(m)s”节点已达成，计划 %(d)s 拨付 %(a)s 元，已拨 %(paid)s 元，"
                    "逾期 %(late)d 天仍未拨足（F3）。请民政局尽快拨付。"
                )
                % args
            )
            severity = "critical" if late > 3 * grace else "warning"
        else:
            continue
        found.append(
            Found(
                subject_key=f"instalment:{inst.pk}",
                message=message,
                severity=severity,
                organisation_id=city_bureau,
                url=url("funds:package-money", package.pk),
                details={
                    "kind": kind,
                    "plan_year": inst.plan_year,
                    "milestone": inst.milestone,
                    "planned_on": inst.planned_on.isoformat(),
                    "amount": str(inst.amount),
                    "paid": str(inst.paid),
                    "state": state.code,
                },
                **package_scope(package),
            )
        )

    budgets = (
        SourceBudget.objects.filter(year__gte=today.year - 1)
        .select_related("source__district")
        .annotate(committed=Coalesce(Sum("splits__amount"), Value(rules.ZERO)))
        .order_by("year", "source_id")
    )
    for budget in budgets:
        available = rules.f2_available(budget.amount, budget.committed)
        if available >= 0:
            continue
        source = budget.source
        found.append(
            Found(
                subject_key=f"budget:{budget.pk}",
                message=_(
                    "%(s)s %(y)d 年度预算 %(b)s 元，已分配给项目包 %(c)s 元，超出 %(o)s 元（F2）。"
                    "请追加预算或调整项目包的资金来源分配。"
                )
                % {
                    "s": source.name,
                    "y": budget.year,
                    "b": _money(budget.amount),
                    "c": _money(budget.committed),
                    "o": _money(-available),
                },
                severity="critical",
                organisation_id=district_bureaus.get(source.district_id, city_bureau)
                if source.district_id
                else city_bureau,
                district_id=source.district_id,
                url=url("funds:source-detail", source.pk),
                details={
                    "kind": "over_committed",
                    "source_id": source.pk,
                    "year": budget.year,
                    "budget": str(budget.amount),
                    "committed": str(budget.committed),
                },
            )
        )
    return found
