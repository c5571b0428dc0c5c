"""Procurement's kinds for the search page (core.search): agencies, tenders and service packages, each read
through the scoped selector of its list page (an agency finds only itself, anyone only public tenders)."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy

from core.search import Hit, SearchQuery, first_matching, register, snippet, text_q

from .selectors import agency_list, package_list, tender_list

AGENCY_FIELDS = ["organisation__name", "organisation__name_en", "organisation__uscc", "registration_authority"]
TENDER_FIELDS = ["title", "description", "award_reason"]
PACKAGE_FIELDS = ["title", "cosign_comment"]


@register("agencies", gettext_lazy("社工机构"), order=40, dated=False)
def search_agencies(query: SearchQuery, offset: int, limit: int) -> tuple[int, list[Hit]]:
    """Agencies the user may see whose name, USCC or registration authority holds every term."""
    qs = agency_list(user=query.user).filter(text_q(AGENCY_FIELDS, query.terms)).order_by("organisation__name", "pk")
    total = qs.count()
    return total, [
        Hit(
            title=a.organisation.name,
            url=a.get_absolute_url(),
            snippet=snippet(a.organisation.name, query.terms),
            meta=f"{a.organisation.uscc or ''} · {a.registration_authority}",
        )
        for a in qs[offset : offset + limit]
    ]


@register("tenders", gettext_lazy("招标项目"), order=50)
def search_tenders(query: SearchQuery, offset: int, limit: int) -> tuple[int, list[Hit]]:
    """Tenders the user may see (drafts only for city-wide roles) whose title, description or award reason holds
    every term, published within the period."""
    qs = tender_list(user=query.user).filter(text_q(TENDER_FIELDS, query.terms))
    tz = timezone.get_current_timezone()
    if query.start:
        qs = qs.filter(published_at__gte=datetime.datetime.combine(query.start, datetime.time.min, tzinfo=tz))
    if query.end:
        qs = qs.filter(published_at__lt=datetime.datetime.combine(query.end, datetime.time.min, tzinfo=tz))
    total = qs.count()
    return total, [
        Hit(
            title=t.title,
            url=t.get_absolute_url(),
            snippet=snippet(first_matching([t.title, t.description, t.award_reason], query.terms), query.terms),
            meta=f"{t.town.district.name} {t.town.name} · {t.get_status_display()}",
        )
        for t in qs.order_by("-published_at", "-pk")[offset : offset + limit]
    ]


@register("packages", gettext_lazy("服务项目包"), order=60, dated=False)
def search_packages(query: SearchQuery, offset: int, limit: int) -> tuple[int, list[Hit]]:
    """Service packages the user may see whose title or co-signature comment holds every term."""
    qs = package_list(user=query.user).filter(text_q(PACKAGE_FIELDS, query.terms)).order_by("-starts_on", "-pk")
    total = qs.count()
    return total, [
        Hit(
            title=p.title,
            url=p.get_absolute_url(),
            snippet=snippet(first_matching([p.title, p.cosign_comment], query.terms), query.terms),
            meta=f"{p.town.name} · {p.agency.organisation.name} · {p.starts_on:%Y-%m-%d}–{p.ends_on:%Y-%m-%d}",
        )
        for p in qs[offset : offset + limit]
    ]
