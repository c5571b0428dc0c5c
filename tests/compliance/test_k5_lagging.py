"""K5: plan items whose confirmed output lags behind the elapsed share of the plan year (S4, the progress
page's arithmetic) are one finding per package; judged once 45 days of the plan year have passed."""

import datetime

import pytest

from delivery.models import ServiceReport
from tests.delivery.reports.builders import approved_plan, make_report

from .conftest import closed, run

pytestmark = pytest.mark.django_db
MID_YEAR = datetime.date(2025, 7, 15)


def _full_output(items):
    return {
        items["station"]: {"sessions": 12},
        items["activity"]: {"attendances": 200},
        items["visits"]: {"households": 60},
        items["rental"]: {"households": 5},
    }


def test_k5_lagging_items_get_a_finding_on_track_ones_none(world, dated_package, worker):
    items = approved_plan(dated_package, world)
    finding = run("K5", MID_YEAR)[f"package:{dated_package.pk}"]
    assert finding.severity == "critical" and "S4" in finding.message
    assert {row["plan_item_id"] for row in finding.details["items"]} == {
        items[k].pk for k in ("station", "activity", "visits", "rental")
    }
    assert finding.organisation_id == world.agency.pk
    assert finding.url == f"/delivery/packages/{dated_package.pk}/progress/"
    make_report(dated_package, 2025, 6, worker, status=ServiceReport.Status.CONFIRMED, values=_full_output(items))
    assert run("K5", MID_YEAR) == {}
    assert closed("K5", f"package:{dated_package.pk}")


def test_k5_one_lagging_item_is_a_warning(world, dated_package, worker):
    items = approved_plan(dated_package, world)
    output = _full_output(items)
    output[items["rental"]] = {"households": 1}
    make_report(dated_package, 2025, 6, worker, status=ServiceReport.Status.CONFIRMED, values=output)
    finding = run("K5", MID_YEAR)[f"package:{dated_package.pk}"]
    assert [row["plan_item_id"] for row in finding.details["items"]] == [items["rental"].pk]
    assert finding.severity == "warning"


def test_k5_unconfirmed_output_does_not_count(world, dated_package, worker):
    items = approved_plan(dated_package, world)
    make_report(dated_package, 2025, 6, worker, status=ServiceReport.Status.SUBMITTED, values=_full_output(items))
    assert f"package:{dated_package.pk}" in run("K5", MID_YEAR)


@pytest.mark.parametrize("today", [datetime.date(2025, 2, 1), datetime.date(2026, 1, 20)])
def test_k5_not_judged_in_the_first_weeks_of_a_plan_year(world, dated_package, today):
    approved_plan(dated_package, world)
    assert run("K5", today) == {}
