"""The home page's "at a glance" figures (core.dashboard), from `reporting.figures`: for the bureau and the auditor
the city (R3's figures live for this year), for a district officer its district, for a town officer its town and
its communities, for an agency manager its packages. Each figure links to the list behind it; two or three charts
drawn by `reporting.charts` (the same functions R3 uses)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _

from core.dashboard import Area, Chart, Figure, FigureGroup, register

from .caching import area_figures_cached, city_annual_cached
from .charts import bar_chart, line_chart, stacked_bar_chart
from .figures import AreaFigures


def money_chart(sources, year: int) -> Chart:
    """Money committed and paid by source in a budget year (F2, F3)."""
    title = _("%(y)d年各资金来源已安排与已拨付（元）") % {"y": year}
    return Chart(
        title=title,
        svg=bar_chart(
            title,
            [str(s.source) for s in sources],
            [(_("已安排"), [s.committed for s in sources]), (_("已拨付"), [s.paid for s in sources])],
        ),
        key="money",
    )


def trend_chart(years) -> Chart:
    """Qualified agencies, social workers and certified social workers year by year (the statistics page's)."""
    title = _("社工机构与社会工作者历年变化")
    return Chart(
        title=title,
        svg=line_chart(
            title,
            [y.year for y in years],
            [
                (_("具备资格的社工机构"), [y.agencies for y in years]),
                (_("社会工作者"), [y.social_workers for y in years]),
                (_("持证社工"), [y.certified for y in years]),
            ],
        ),
        key="trend",
    )


def places_chart(figures: AreaFigures) -> Chart:
    """Plan items on track and lagging (S4) per district (city), town (district, agency) or community (town)."""
    rows = [r for r in figures.places if r.items or figures.area.kind != "town"]
    title = {
        "city": _("各区服务计划条目进度"),
        "district": _("各街镇服务计划条目进度"),
        "town": _("各社区（村）服务计划条目进度"),
        "agency": _("各街镇服务计划条目进度"),
    }[figures.area.kind]
    return Chart(
        title=title,
        svg=stacked_bar_chart(
            title,
            [r.label or _("街镇层面") for r in rows],
            [
                (_("进度正常"), [r.items - r.lagging_items for r in rows]),
                (_("滞后"), [r.lagging_items for r in rows]),
            ],
        ),
        key="places",
    )


def packages_url(show: str) -> str:
    return f"{reverse('reporting:dashboard-packages')}?{urlencode({'show': show})}"


def _change(value, previous) -> str:
    if previous is None or value is None:
        return ""
    delta = value - previous
    return _("较上年 %(sign)s%(d)s") % {"sign": "+" if delta > 0 else "", "d": delta}


@register
def reporting_figures(area: Area) -> list[FigureGroup]:
    if area.purpose != Area.DASHBOARD:
        return []  # R3 prints its own figures; this provider is the home page's
    figures = area_figures_cached(area)
    groups: list[FigureGroup] = []
    charts: list[Chart] = []
    year = area.on.year

    if area.is_city:
        annual = city_annual_cached(year, today=area.on)
        this, last = annual.this_year, annual.last_year
        stats_url = reverse("reporting:city-statistics")
        groups.append(
            FigureGroup(
                title=_("全市概况（%(y)d年，实时）") % {"y": year},
                key="city",
                order=10,
                figures=[
                    Figure(
                        _("具备资格的社工机构"),
                        this.agencies,
                        stats_url,
                        _change(this.agencies, last and last.agencies),
                        "agencies",
                    ),
                    Figure(
                        _("社会工作者"),
                        this.social_workers,
                        stats_url,
                        _change(this.social_workers, last and last.social_workers),
                        "social_workers",
                    ),
                    Figure(
                        _("持证比例"),
                        f"{this.certified_share}%" if this.certified_share is not None else "—",
                        stats_url,
                        _("持证社工 %(n)d 人") % {"n": this.certified},
                        "certified_share",
                    ),
                    Figure(_("驻村（社区）社工"), annual.stats.stationed, stats_url, "", "stationed"),
                    Figure(
                        _("服务中的项目包"),
                        len(figures.packages),
                        packages_url("active"),
                        _("年度金额 %(a)s 元") % {"a": figures.annual_amount},
                        "packages",
                    ),
                    Figure(
                        _("覆盖街镇"),
                        f"{figures.towns_covered} / {figures.towns}",
                        stats_url,
                        _("社区 %(c)d 个，村 %(v)d 个")
                        % {"c": figures.communities_covered, "v": figures.villages_covered},
                        "towns_covered",
                    ),
                    Figure(
                        _("本年解决的焦点问题"),
                        this.focus_resolved,
                        f"{reverse('delivery:focus-issue-list')}?status=resolved",
                        _change(this.focus_resolved, last and last.focus_resolved),
                        "focus_resolved",
                    ),
                    Figure(
                        _("社区基金资产（元）"),
                        annual.funds["assets"],
                        stats_url,
                        _("%(n)d 个社区基金") % {"n": annual.funds["funds"]},
                        "fund_assets",
                    ),
                ],
                links=[(_("全市年度报告（PDF）"), reverse("reporting:city-annual"))],
            )
        )
        charts = [trend_chart(annual.stats.years)]
    else:
        title = {
            "district": _("本区概况"),
            "town": _("本街镇概况"),
            "agency": _("本机构项目概况"),
        }[area.kind]
        place_figures = [
            Figure(
                _("服务中的项目包"),
                len(figures.packages),
                packages_url("active"),
                _("年度金额 %(a)s 元") % {"a": figures.annual_amount},
                "packages",
            ),
        ]
        if area.kind != "agency":
            place_figures.append(
                Figure(
                    _("覆盖街镇") if area.kind == "district" else _("覆盖社区（村）"),
                    f"{figures.towns_covered} / {figures.towns}"
                    if area.kind == "district"
                    else figures.communities_covered + figures.villages_covered,
                    packages_url("active"),
                    _("社区 %(c)d 个，村 %(v)d 个") % {"c": figures.communities_covered, "v": figures.villages_covered},
                    "covered",
                )
            )
        place_figures += [
            Figure(
                _("本年度计划条目"),
                figures.items,
                packages_url("active"),
                _("其中滞后 %(n)d 个") % {"n": figures.lagging_items},
                "items",
            ),
            Figure(
                _("未解决的焦点问题"),
                figures.focus_open,
                reverse("delivery:focus-issue-list"),
                _("本年已解决 %(n)d 个") % {"n": figures.focus_resolved},
                "focus_open",
            ),
        ]
        groups.append(FigureGroup(title=title, figures=place_figures, key=area.kind, order=10))

    groups.append(
        FigureGroup(
            title=_("需要督办"),
            key="watch",
            order=11,
            figures=[
                Figure(
                    _("进度滞后的项目包"),
                    len(figures.lagging),
                    packages_url("lagging"),
                    _("滞后条目 %(n)d 个") % {"n": figures.lagging_items},
                    "lagging",
                    alert=True,
                ),
                Figure(
                    _("月报逾期的项目包"),
                    len(figures.overdue),
                    packages_url("overdue"),
                    _("逾期 %(n)d 个月次") % {"n": sum(len(f.overdue_months) for f in figures.overdue)},
                    "overdue",
                    alert=True,
                ),
                Figure(
                    _("待完成的第三方评估"),
                    len(figures.evaluations_due),
                    packages_url("evaluations"),
                    _("30 天内到期或已逾期"),
                    "evaluations_due",
                    alert=True,
                ),
            ],
        )
    )
    money_url = reverse("funds:source-list") + f"?year={year}" if area.is_city else reverse("funds:package-list")
    groups.append(
        FigureGroup(
            title=_("%(y)d年资金（按来源）") % {"y": year},
            key="money",
            order=12,
            figures=[
                Figure(
                    str(s.source),
                    s.paid,
                    money_url,
                    _("已安排 %(c)s 元，已拨付 %(p)s 元") % {"c": s.committed, "p": s.paid},
                    f"source-{s.source.pk}",
                )
                for s in figures.sources
                if area.is_city or s.committed
            ],
        )
    )
    charts += [money_chart([s for s in figures.sources if area.is_city or s.committed], year), places_chart(figures)]
    groups.append(FigureGroup(title=_("图表"), charts=charts, key="charts", order=13))
    return groups
