"""K1 — staffing of every running package (Q2 enough full-time staff, Q3 enough of them certified, Q4 nobody
full-time on two packages), through `procurement.rules.staffing_check`, the function the package page uses.
Four queries whatever the number of packages."""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from procurement.models import Certificate, StaffAssignment
from procurement.rules import Thresholds, q4_full_time_elsewhere_q, staffing_check

from . import Found, check
from ._shared import package_scope, running_packages, url


@check("K1")
def k1_staffing(*, today: datetime.date) -> list[Found]:
    packages = list(running_packages(today))
    team: dict[int, list] = defaultdict(list)
    assignments = (
        StaffAssignment.objects.filter(package__in=packages)
        .select_related("staff")
        .prefetch_related(Prefetch("staff__certificates", queryset=Certificate.objects.order_by("-expires_on")))
        .order_by("-is_full_time", "staff__name")
    )
    for a in assignments:
        team[a.package_id].append(a.staff)
    staff_ids = {s.id for members in team.values() for s in members}
    full_time = list(
        StaffAssignment.objects.filter(q4_full_time_elsewhere_q(today), staff_id__in=staff_ids).select_related(
            "staff", "package"
        )
    )
    found = []
    for package in packages:
        result = staffing_check(
            team[package.pk],
            on=today,
            thresholds=Thresholds.of(package.tender or package.round),
            exclude_package_id=package.pk,
            full_time_assignments=full_time,
        )
        if result.ok:
            continue
        rules = [
            rule for rule, met in (("Q2", result.meets_q2), ("Q3", result.meets_q3), ("Q4", result.meets_q4)) if not met
        ]
        found.append(
            Found(
                subject_key=f"package:{package.pk}",
                message=_("%(p)s人员配备不符合要求：%(problems)s请补充专职人员或持证社工，并在项目包页面更新人员配置。")
                % {"p": package.title, "problems": "".join(result.problems)},
                severity="critical" if not result.meets_q2 or not result.meets_q4 else "warning",
                organisation_id=package.agency.organisation_id,
                url=url("procurement:package-detail", package.pk),
                details={
                    "rules": rules,
                    "full_time": result.full_time,
                    "certified": result.certified,
                    "certified_share": str(result.share),
                    "min_full_time_staff": result.thresholds.min_full_time_staff,
                    "min_certified_share": str(result.thresholds.min_certified_share),
                    "double_booked_staff": result.double_booked,
                    "problems": result.problems,
                },
                **package_scope(package),
            )
        )
    return found
