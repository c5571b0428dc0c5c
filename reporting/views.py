"""The public city statistics page (the role table: anyone sees "city statistics")."""

from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from funds.selectors import fund_statistics

from .statistics import city_statistics


@require_GET
def city_statistics_view(request):
    """City statistics for everyone: aggregates only (see reporting/statistics.py for the definitions)."""
    stats = city_statistics()
    chart = {
        "labels": [y.year for y in stats.years],
        "datasets": [
            {"label": _("具备资格的社工机构"), "data": [y.agencies for y in stats.years], "borderColor": "#1565c0"},
            {"label": _("社会工作者"), "data": [y.social_workers for y in stats.years], "borderColor": "#2e7d32"},
            {"label": _("持证社工"), "data": [y.certified for y in stats.years], "borderColor": "#ef6c00"},
        ],
    }
    context = {"stats": stats, "chart": chart, "funds": fund_statistics()}
    return render(request, "reporting/statistics.html", context)


urlpatterns = [
    path("statistics/", city_statistics_view, name="city-statistics"),
]
