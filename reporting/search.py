"""The search page and API (issue 13): one box for reports, focus issues, plan items, agencies, tenders and
packages. The kinds come from `core.search`'s registry (each app's `search.py`), each already scoped to the
asking user; this module only reads the form, works out the period and lays the kinds out."""

from __future__ import annotations

import datetime

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_GET
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from core.search import MAX_QUERY_LENGTH, QueryProblem, SearchQuery, kinds, parse_terms, search

PER_KIND = 5  # hits of each kind on the grouped page; "more" opens that kind alone
PER_PAGE = 20  # hits a page when one kind is shown

PERIODS = [
    ("", _lazy("不限时间")),
    ("this_month", _lazy("本月")),
    ("last_month", _lazy("上月")),
    ("this_quarter", _lazy("本季度")),
    ("last_quarter", _lazy("上季度")),
    ("this_year", _lazy("今年")),
    ("last_year", _lazy("去年")),
]


def period_dates(period: str, today: datetime.date) -> tuple[datetime.date | None, datetime.date | None]:
    """The first day of the period and the first day after it (None, None for any time)."""

    def month(year: int, m: int) -> datetime.date:
        year, m = year + (m - 1) // 12, (m - 1) % 12 + 1
        return datetime.date(year, m, 1)

    quarter_start = month(today.year, (today.month - 1) // 3 * 3 + 1)
    match period:
        case "this_month":
            return month(today.year, today.month), month(today.year, today.month + 1)
        case "last_month":
            return month(today.year, today.month - 1), month(today.year, today.month)
        case "this_quarter":
            return quarter_start, month(quarter_start.year, quarter_start.month + 3)
        case "last_quarter":
            return month(quarter_start.year, quarter_start.month - 3), quarter_start
        case "this_year":
            return datetime.date(today.year, 1, 1), datetime.date(today.year + 1, 1, 1)
        case "last_year":
            return datetime.date(today.year - 1, 1, 1), datetime.date(today.year, 1, 1)
    return None, None


class SearchForm(forms.Form):
    q = forms.CharField(label=_lazy("查找"), required=False, strip=True)
    kind = forms.ChoiceField(label=_lazy("类别"), required=False)
    period = forms.ChoiceField(label=_lazy("时间"), required=False, choices=PERIODS)
    page = forms.IntegerField(required=False, min_value=1, max_value=10_000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("全部类别"))] + [(k.key, k.label) for k in kinds()]


def _query(request, data) -> tuple[SearchForm, SearchQuery | None, str]:
    """The form, the query it asks (None when there is nothing to search) and the message saying why not."""
    form = SearchForm(data)
    if not form.is_valid():
        return form, None, _("查找条件有误，请检查后重试。")
    try:
        terms = parse_terms(form.cleaned_data["q"])
    except QueryProblem as exc:
        return form, None, str(exc) if form.cleaned_data["q"] else ""
    start, end = period_dates(form.cleaned_data["period"], timezone.localdate())
    return form, SearchQuery(user=request.user, terms=tuple(terms), start=start, end=end), ""


@login_required
@require_GET
def search_view(request):
    """Every kind the user may see, grouped, five hits each with the count; with `kind`, that kind alone, paged."""
    form, query, problem = _query(request, request.GET)
    context = {"form": form, "problem": problem, "results": [], "page": None, "max_length": MAX_QUERY_LENGTH}
    if query is not None:
        kind = form.cleaned_data["kind"]
        if kind:
            number = form.cleaned_data["page"] or 1
            results = search(query, kind=kind, offset=(number - 1) * PER_PAGE, limit=PER_PAGE)
            total = results[0].total if results else 0
            context["page"] = Paginator(range(total), PER_PAGE).get_page(number)
            if context["page"].number != number:  # past the last page (or not a page): show the last one
                number = context["page"].number
                results = search(query, kind=kind, offset=(number - 1) * PER_PAGE, limit=PER_PAGE)
        else:
            results = search(query, limit=PER_KIND)
        context.update(results=results, query=query, total=sum(r.total for r in results), kind=kind)
        if query.end:
            context["period_last"] = query.end - datetime.timedelta(days=1)
    return render(request, "reporting/search.html", context)


class SearchHitSerializer(serializers.Serializer):
    title = serializers.CharField()
    url = serializers.URLField()
    snippet = serializers.CharField(help_text="HTML: the text around the match, escaped, the match in <mark>")
    meta = serializers.CharField()


class SearchResultSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    total = serializers.IntegerField()
    hits = SearchHitSerializer(many=True)


class SearchAnswerSerializer(serializers.Serializer):
    terms = serializers.ListField(child=serializers.CharField())
    start = serializers.DateField(allow_null=True, help_text="first day of the period")
    end = serializers.DateField(allow_null=True, help_text="first day after the period")
    groups = SearchResultSerializer(many=True)


class SearchApi(APIView):
    """GET /api/v1/search/?q=独居&kind=reports&period=last_quarter&page=1: the page's groups as one JSON object
    (the terms searched, the period, the groups), the same scoping; 400 with the reason for an empty, too short or
    too long query. Not a list of rows, so no FilterSet: q, kind and period are the search itself."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[
            OpenApiParameter("q", str, required=True, description="词语，空格分开，每个至少两个字，共不超过 50 个字"),
            OpenApiParameter(
                "kind", str, enum=["reports", "focus_issues", "plan_items", "agencies", "tenders", "packages"]
            ),
            OpenApiParameter("period", str, enum=[value for value, _label in PERIODS if value]),
            OpenApiParameter("page", int),
        ],
        responses={200: SearchAnswerSerializer},
    )
    def get(self, request):
        form, query, problem = _query(request, request.query_params)
        if form.errors:  # a bad kind, page or period: said under its own name
            raise ApiValidationError(form.errors)
        if query is None:
            raise ApiValidationError({"q": [problem or _("请输入要查找的词语。")]})
        kind = form.cleaned_data["kind"]
        number = form.cleaned_data["page"] or 1
        limit = PER_PAGE if kind else PER_KIND
        results = search(query, kind=kind or None, offset=(number - 1) * limit, limit=limit)
        groups = [
            {
                "key": r.key,
                "label": r.label,
                "total": r.total,
                "hits": [
                    {
                        "title": h.title,
                        "url": request.build_absolute_uri(h.url),
                        "snippet": str(h.snippet),
                        "meta": h.meta,
                    }
                    for h in r.hits
                ],
            }
            for r in results
        ]
        data = {"terms": list(query.terms), "start": query.start, "end": query.end, "groups": groups}
        return Response(SearchAnswerSerializer(data).data)


urlpatterns = [path("search/", search_view, name="search")]
