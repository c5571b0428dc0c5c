"""K4 — coverage of every running package's approved plan (P4 basic services in every community, P5
empowerment and governance in enough communities, P6 mainly empowerment/governance at community level and
needs research in year one) through `delivery.coverage.coverage_check`, the function behind the plan editor's
panel and the coverage page; and a package still without an approved plan `COMPLIANCE_PLAN_GRACE_DAYS` after
its start (coverage cannot be judged), the finding of whoever holds the plan (P7). Seven queries whatever the
number of packages."""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.utils.translation import gettext as _

from catalog.models import ServiceCategory
from delivery.coverage import NEEDS_RESEARCH, coverage_check
from delivery.models import ServicePlan
from delivery.progress import approved_plan_items
from directory.models import Community

from . import Found, check
from ._shared import bureaus, package_scope, running_packages, setting, town_offices, url

Plan = ServicePlan.Status


@check("K4")
def k4_coverage(*, today: datetime.date) -> list[Found]:
    grace = setting("COMPLIANCE_PLAN_GRACE_DAYS")
    packages = list(running_packages(today))
    plans = {plan.package_id: plan for plan in ServicePlan.objects.filter(package__in=packages)}
    items: dict[int, list] = defaultdict(list)
    for item in approved_plan_items(packages):
        items[item.plan_id].append(item)
    communities: dict[int, list] = defaultdict(list)
    for community in Community.objects.filter(town_id__in={p.town_id for p in packages}).order_by("code"):
        communities[community.town_id].append(community)
    with_research = set(
        ServiceCategory.objects.filter(edition_id__in={p.edition_id for p in packages}, kind=NEEDS_RESEARCH)
        .values_list("edition_id", flat=True)
        .distinct()
    )
    offices = town_offices({p.town_id for p in packages})
    city_bureau, _district_bureaus = bureaus()
    found: list[Found] = []
    for package in packages:
        plan = plans.get(package.pk)
        if plan is not None and (plan.status == Plan.APPROVED or plan.approved_at is not None):
            plan.package = package
            result = coverage_check(
                plan,
                items=items[plan.pk],
                communities=communities[package.town_id],
                round=package.round,
                requires_needs_research=package.edition_id in with_research,
            )
            if result.ok:
                continue
            rules = sorted({rule for rule in ("P4", "P5", "P6") if any(rule in p for p in result.problems)})
            found.append(
                Found(
                    subject_key=f"package:{package.pk}",
                    message=_("%(p)s的服务计划未达到覆盖要求：%(problems)s请通过计划变更补充相应社区（村）的服务条目。")
                    % {"p": package.title, "problems": "".join(result.problems)},
                    severity="critical" if "P4" in rules else "warning",
                    organisation_id=package.agency.organisation_id,
                    url=url("delivery:plan-coverage", package.pk),
                    details={"rules": rules, "problems": result.problems, "counted_items": result.counted},
                    **package_scope(package),
                )
            )
            continue
        days = (today - package.starts_on).days
        if days <= grace:
            continue
        status = plan.status if plan is not None else None
        if status == Plan.SUBMITTED:
            holder, organisation_id = _("待街镇审核"), offices.get(package.town_id)
            action = _("请街镇尽快审核并提交民政局。")
        elif status == Plan.TOWN_REVIEWED:
            holder, organisation_id = _("待民政局审批"), city_bureau
            action = _("请民政局尽快审批。")
        else:
            holder = plan.get_status_display() if plan is not None else _("尚未编制")
            organisation_id = package.agency.organisation_id
            action = _("请机构尽快编制（或按退回意见修改）并提交服务计划。")
        found.append(
            Found(
                subject_key=f"package:{package.pk}:plan",
                message=_(
                    "%(p)s已开始 %(n)d 天，服务计划仍未获批准（%(state)s），覆盖情况无法核实（P4–P6）。%(action)s"
                )
                % {"p": package.title, "n": days, "state": holder, "action": action},
                severity="critical" if days > 2 * grace else "warning",
                organisation_id=organisation_id,
                url=url("delivery:plan-detail", package.pk),
                details={"plan_status": status, "days_since_start": days},
                **package_scope(package),
            )
        )
    return found
