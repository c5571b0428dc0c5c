"""K5 — lagging plan items (S4) through `delivery.progress.progress_of`, the arithmetic behind the package's
progress page: confirmed output to date against the annual target and the elapsed share of the plan year. One
finding per package listing its lagging items, judged once `COMPLIANCE_LAGGING_GRACE_DAYS` of the plan year
have passed (before the first monthly report is due, every item "lags"). Three queries whatever the number of
packages."""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.utils.translation import gettext as _

from delivery.progress import approved_plan_items, confirmed_output, expected_share, progress_of

from . import Found, check
from ._shared import package_scope, running_packages, setting, url

SHOWN = 5  # items named in the message; details list them all


@check("K5")
def k5_lagging_items(*, today: datetime.date) -> list[Found]:
    grace = setting("COMPLIANCE_LAGGING_GRACE_DAYS")
    packages = list(running_packages(today))
    items: dict[int, list] = defaultdict(list)
    for item in approved_plan_items(packages).select_related("plan"):
        if item.counts:
            items[item.plan.package_id].append(item)
    sums = confirmed_output([i.pk for rows in items.values() for i in rows], today)
    found: list[Found] = []
    for package in packages:
        plan_year, first, _last, _expected = expected_share(package, today)
        if (today - first).days < grace:
            continue
        year_items = [i for i in items[package.pk] if i.year == plan_year]
        progress = progress_of(package, today, year_items, sums)
        lagging = [row for row in progress.items if row.lagging]
        if not lagging:
            continue
        names = "、".join(
            _("%(name)s（%(place)s，完成 %(done)s%%）")
            % {
                "name": row.plan_item.display_name,
                "place": row.plan_item.community.name if row.plan_item.community_id else _("街镇"),
                "done": row.progress_pct,
            }
            for row in lagging[:SHOWN]
        )
        more = _("等 %(n)d 项") % {"n": len(lagging)} if len(lagging) > SHOWN else ""
        found.append(
            Found(
                subject_key=f"package:{package.pk}",
                message=_(
                    "%(p)s第 %(y)d 服务年度已过 %(e)s%%，以下服务条目进度低于应完成进度的 %(t)s%%（S4）：%(names)s%(more)s。"
                    "请加快开展服务并及时提交月度报告。"
                )
                % {
                    "p": package.title,
                    "y": plan_year,
                    "e": progress.expected_pct,
                    "t": f"{progress.threshold.normalize():f}",
                    "names": names,
                    "more": more,
                },
                severity="critical" if len(lagging) * 2 >= len(progress.items) else "warning",
                organisation_id=package.agency.organisation_id,
                url=url("delivery:package-progress", package.pk),
                details={
                    "plan_year": plan_year,
                    "expected_pct": str(progress.expected_pct),
                    "threshold": str(progress.threshold),
                    "items": [
                        {
                            "plan_item_id": row.plan_item.pk,
                            "name": row.plan_item.display_name,
                            "community": row.plan_item.community.name if row.plan_item.community_id else "",
                            "target": row.target,
                            "output": row.output_to_date,
                            "progress_pct": str(row.progress_pct),
                        }
                        for row in lagging
                    ],
                    "items_total": len(progress.items),
                },
                **package_scope(package),
            )
        )
    return found
