"""Delivery's kinds for the search page (core.search): monthly reports, focus issues and plan items, each read
through the scoped selector its own pages use, so a search shows nobody a row their lists would not."""

from __future__ import annotations

import datetime

from django.db.models import OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from catalog.models import ServiceItem
from core.search import Hit, SearchQuery, first_matching, matching, page_of, register, snippet, text_q
from procurement.selectors import package_list

from .models import FocusIssue, PlanItem, ReportLine, ServiceReport
from .selectors import focus_issue_list, report_list

FOCUS_FIELDS = ["title", "description", "resolution"]  # as indexed by migration 0004, in this order
PLAN_ITEM_FIELDS = ["filed_name", "justification", "note"]
CATALOGUE_FIELDS = ["name_zh", "name_en", "description", "tasks__name_zh"]


def _month_q(start: datetime.date | None, end: datetime.date | None) -> Q:
    q = Q()
    if start:
        q &= Q(year__gt=start.year) | Q(year=start.year, month__gte=start.month)
    if end:  # the first day after the period
        last = end - datetime.timedelta(days=1)
        q &= Q(year__lt=last.year) | Q(year=last.year, month__lte=last.month)
    return q


@register("reports", gettext_lazy("月报"), order=10)
def search_reports(query: SearchQuery, offset: int, limit: int) -> tuple[int, list[Hit]]:
    """Reports of the packages the user may see, but for versions a correction replaced, whose summary or one of
    whose lines holds every term; a report covers the months of the period."""
    terms = query.terms
    qs = (
        report_list(user=query.user)
        # Not the versions a correction replaced (a confirmed month stays while its correction is open: both
        # show). Not `superseded_by__isnull`: PostgreSQL estimates that LEFT JOIN … IS NULL at one row and then
        # joins every match to every package (350 ms for 独居 at seed_city scale 4).
        .exclude(status=ServiceReport.Status.SUPERSEDED)
        .filter(
            Q(pk__in=matching(ServiceReport, ["summary"], terms, indexed=True))
            | Q(pk__in=matching(ReportLine, ["narrative"], terms, indexed=True, value="report_id"))
        )
        .filter(_month_q(query.start, query.end))
    )
    total = qs.count()
    line_text = ReportLine.objects.filter(text_q(["narrative"], terms), report=OuterRef("pk")).order_by("pk")
    rows = ServiceReport.objects.select_related("package__town", "package__agency__organisation").annotate(
        line_text=Subquery(line_text.values("narrative")[:1])
    )
    hits = []
    for r in page_of(qs, ["-year", "-month", "-pk"], offset, limit, rows):
        p = r.package
        hits.append(
            Hit(
                title=_("%(year)d年%(month)d月月报 · %(package)s") % {"year": r.year, "month": r.month, "package": p},
                url=r.get_absolute_url(),
                snippet=snippet(first_matching([r.summary, r.line_text or ""], terms), terms),
                meta=f"{p.town.name} · {p.agency.organisation.name} · {r.get_status_display()}",
            )
        )
    return total, hits


@register("focus_issues", gettext_lazy("焦点问题"), order=20)
def search_focus_issues(query: SearchQuery, offset: int, limit: int) -> tuple[int, list[Hit]]:
    """Focus issues the user may see whose title, description or resolution holds every term, registered
    within the period."""
    qs = focus_issue_list(user=query.user).filter(pk__in=matching(FocusIssue, FOCUS_FIELDS, query.terms, indexed=True))
    tz = timezone.get_current_timezone()
    if query.start:
        qs = qs.filter(reported_at__gte=datetime.datetime.combine(query.start, datetime.time.min, tzinfo=tz))
    if query.end:
        qs = qs.filter(reported_at__lt=datetime.datetime.combine(query.end, datetime.time.min, tzinfo=tz))
    total = qs.count()
    rows = FocusIssue.objects.select_related("community__town")
    hits = []
    for issue in page_of(qs, ["-reported_at", "-pk"], offset, limit, rows):
        community = issue.community
        hits.append(
            Hit(
                title=issue.title,
                url=issue.get_absolute_url(),
                snippet=snippet(
                    first_matching([issue.description, issue.resolution, issue.title], query.terms), query.terms
                ),
                meta=(
                    f"{community.town.name} {community.name} · {issue.get_status_display()} · "
                    f"{timezone.localdate(issue.reported_at):%Y-%m-%d}"
                ),
            )
        )
    return total, hits


@register("plan_items", gettext_lazy("服务计划项目"), order=30, dated=False)
def search_plan_items(query: SearchQuery, offset: int, limit: int) -> tuple[int, list[Hit]]:
    """Items of the plans of the packages the user may see — which agency runs what where: the catalogue
    sub-item (its name, description or small items) or the filed item's own text holds every term."""
    terms = query.terms
    items = matching(ServiceItem, CATALOGUE_FIELDS, terms)
    qs = PlanItem.objects.filter(plan__package__in=package_list(user=query.user).values("pk")).filter(
        Q(pk__in=matching(PlanItem, PLAN_ITEM_FIELDS, terms, indexed=True)) | Q(item__in=items)
    )
    total = qs.count()
    rows = PlanItem.objects.select_related(
        "item", "community", "plan__package__town", "plan__package__agency__organisation"
    )
    order = ["plan__package__town__name", "plan__package_id", "year", "pk"]
    hits = []
    for pi in page_of(qs, order, offset, limit, rows):
        p = pi.plan.package
        name = pi.filed_name or (pi.item.name_zh if pi.item else "")
        where = f"{p.town.name} {pi.community.name}" if pi.community else p.town.name
        texts = [pi.filed_name, pi.note, pi.justification]
        if pi.item:
            texts += [pi.item.name_zh, pi.item.description]
        hits.append(
            Hit(
                title=_("%(item)s · %(where)s · %(agency)s")
                % {"item": name, "where": where, "agency": p.agency.organisation.name},
                url=reverse("delivery:plan-detail", args=[p.pk]),
                snippet=snippet(first_matching(texts, terms), terms),
                meta=_("%(package)s · 第%(year)d服务年度") % {"package": p.title, "year": pi.year},
            )
        )
    return total, hits
