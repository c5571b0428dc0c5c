"""S4: progress = confirmed output to date ÷ annual target; expected = elapsed share of the plan year; an item
is lagging when progress < 80% (configurable per round) of expected."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from delivery.models import ServiceReport
from delivery.progress import package_progress, plan_year_of
from procurement.models import ServicePackage

from .builders import make_report

pytestmark = pytest.mark.django_db
Status = ServiceReport.Status
ON = datetime.date(2025, 7, 1)  # 182 of 365 days of plan year 1 → 49.9 %


@pytest.fixture
def half_year(package, items, worker, town_officer):
    """January–June 2025 confirmed: 1 session, 10 attendances, 5 households, no cases a month."""
    for month in range(1, 7):
        make_report(
            package,
            2025,
            month,
            worker,
            status=Status.CONFIRMED,
            confirmed_by=town_officer,
            values={
                items["station"]: {"sessions": 1, "attendances": 30},
                items["activity"]: {"sessions": 3, "attendances": 10},
                items["visits"]: {"households": 5},
                items["rental"]: {"households": 0},
            },
        )
    return package


def by_key(rows, items):
    keys = {item.pk: key for key, item in items.items()}
    return {keys[row.plan_item.pk]: row for row in rows}


def test_s4_output_counts_the_measure_of_the_items_unit(half_year, items):
    rows = by_key(package_progress(half_year, on=ON), items)
    assert set(rows) == {"station", "activity", "visits", "rental"}
    assert (rows["station"].output_to_date, rows["station"].target) == (6, 12)  # 次 → sessions
    assert (rows["activity"].output_to_date, rows["activity"].target) == (60, 200)  # 人次 → attendances
    assert rows["visits"].output_to_date == 30  # 户 → households
    assert rows["rental"].output_to_date == 0  # 个 → households/cases
    assert rows["station"].progress_pct == Decimal("50.0")
    assert rows["activity"].progress_pct == Decimal("30.0")


def test_s4_expected_is_the_elapsed_share_of_the_plan_year_and_lagging_below_80_percent_of_it(half_year, items):
    rows = by_key(package_progress(half_year, on=ON), items)
    assert {row.expected_pct for row in rows.values()} == {Decimal("49.9")}
    # 80 % of 49.9 % is 39.9 %: 50 % is on track, 30 % and 0 % lag
    assert not rows["station"].lagging and not rows["visits"].lagging
    assert rows["activity"].lagging and rows["rental"].lagging


def test_s4_lagging_threshold_is_configurable_per_round(half_year, items):
    half_year.round.lagging_threshold = Decimal("50")
    half_year.round.save()
    package = ServicePackage.objects.select_related("round").get(pk=half_year.pk)
    rows = by_key(package_progress(package, on=ON), items)
    assert not rows["activity"].lagging  # 30 % ≥ 50 % of 49.9 %
    assert rows["rental"].lagging


def test_s4_only_confirmed_live_versions_count(half_year, items, worker, town_officer):
    make_report(half_year, 2025, 7, worker, status=Status.SUBMITTED, values={items["station"]: {"sessions": 50}})
    old = make_report(half_year, 2025, 8, worker, status=Status.SUPERSEDED, values={items["station"]: {"sessions": 70}})
    make_report(
        half_year,
        2025,
        8,
        worker,
        status=Status.CONFIRMED,
        version=2,
        supersedes=old,
        values={items["station"]: {"sessions": 2}},
    )
    on = datetime.date(2025, 8, 31)
    rows = by_key(package_progress(half_year, on=on), items)
    assert rows["station"].output_to_date == 6 + 2


def test_s4_months_after_the_date_do_not_count(half_year, items):
    rows = by_key(package_progress(half_year, on=datetime.date(2025, 3, 31)), items)
    assert rows["station"].output_to_date == 3


def test_s4_each_plan_year_has_its_own_items_and_targets(half_year, items, worker):
    assert plan_year_of(half_year, datetime.date(2025, 12, 31)) == 1
    assert plan_year_of(half_year, datetime.date(2026, 1, 1)) == 2
    make_report(half_year, 2026, 1, worker, status=Status.CONFIRMED, values={items["station_y2"]: {"sessions": 4}})
    rows = package_progress(half_year, on=datetime.date(2026, 2, 1))
    assert {row.plan_item.pk for row in rows} == {
        items[k].pk for k in ("station_y2", "activity_y2", "visits_y2", "rental_y2")
    }
    station = next(r for r in rows if r.plan_item.pk == items["station_y2"].pk)
    assert station.output_to_date == 4  # year 1's output does not carry over
    assert station.expected_pct == Decimal("8.8")  # 32 of 365 days


def test_s4_progress_reads_a_constant_number_of_queries(half_year, items, django_assert_max_num_queries):
    package = ServicePackage.objects.select_related("round").get(pk=half_year.pk)
    with django_assert_max_num_queries(2):
        rows = package_progress(package, on=ON)
        [row.plan_item.display_name for row in rows]


def test_s4_progress_page_shows_the_chart_and_lagging_badges(client_for, half_year, worker):
    url = reverse("delivery:package-progress", args=[half_year.pk])
    html = client_for(worker).get(url, {"on": ON.isoformat()}).content.decode()
    assert "vendor/chartjs/chart.umd.min.js" in html
    assert 'id="progress-data"' in html and 'id="progress-chart"' in html
    assert html.count('data-lagging="1"') == 2
    assert "49.9%" in html and "滞后" in html


def test_s4_progress_page_is_scoped(client_for, half_year, outsiders, personas):
    from directory.models import Role

    url = reverse("delivery:package-progress", args=[half_year.pk])
    for role in (Role.AGENCY_WORKER, Role.TOWN_OFFICER, Role.COMMUNITY_OFFICER, Role.DISTRICT_OFFICER):
        assert client_for(outsiders[role]).get(url).status_code == 404
    for role in (Role.AGENCY_WORKER, Role.TOWN_OFFICER, Role.BUREAU_ADMIN, Role.AUDITOR):
        assert client_for(personas[role]).get(url).status_code == 200


def test_s4_lagging_boundary_is_80_percent_of_the_expected_share(half_year, items):
    # Expected 49.9 % on ON; 80 % of it is 39.92 %. 60 attendances of 150 (40.0 %) is on track, of 151 (39.7 %) lags.
    activity = items["activity"]
    for target, lagging in ((150, False), (151, True)):
        type(activity).objects.filter(pk=activity.pk).update(annual_target=target)
        rows = by_key(package_progress(ServicePackage.objects.get(pk=half_year.pk), on=ON), items)
        assert rows["activity"].lagging is lagging, target
