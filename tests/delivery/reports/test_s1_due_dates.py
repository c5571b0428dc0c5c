"""S1: one report per package per month, due on the round's day (default the 10th) of the next month."""

import datetime

import pytest
from django.urls import reverse

from delivery.models import ServiceReport
from delivery.services.reports import report_calendar, report_due_date, report_overdue

from .builders import make_report

pytestmark = pytest.mark.django_db
Status = ServiceReport.Status


def test_s1_report_is_due_on_the_10th_of_the_next_month(package):
    assert report_due_date(package, 2025, 3) == datetime.date(2025, 4, 10)
    assert report_due_date(package, 2025, 12) == datetime.date(2026, 1, 10)


def test_s1_due_day_is_configurable_per_round(package):
    package.round.report_due_day = 15
    package.round.save()
    assert report_due_date(package, 2025, 3) == datetime.date(2025, 4, 15)


def test_s1_missing_report_is_overdue_only_after_the_due_date(package, items):
    assert not report_overdue(package, 2025, 3, today=datetime.date(2025, 4, 10))
    assert report_overdue(package, 2025, 3, today=datetime.date(2025, 4, 11))


@pytest.mark.parametrize(
    ("status", "overdue"),
    [
        (Status.DRAFT, True),
        (Status.RETURNED, True),
        (Status.SUBMITTED, False),
        (Status.CONFIRMED, False),
    ],
)
def test_s1_a_report_not_submitted_after_the_due_date_is_overdue(package, items, worker, status, overdue):
    make_report(package, 2025, 3, worker, status=status)
    assert report_overdue(package, 2025, 3, today=datetime.date(2025, 4, 11)) is overdue
    assert report_overdue(package, 2025, 3, today=datetime.date(2025, 4, 1)) is False


def test_s1_calendar_lists_every_month_of_the_package_so_far(package, items, worker):
    make_report(package, 2025, 2, worker, status=Status.CONFIRMED)
    months = report_calendar(package, list(package.reports.all()), today=datetime.date(2025, 4, 20))
    assert [(m.year, m.month) for m in months] == [(2025, 4), (2025, 3), (2025, 2), (2025, 1)]
    flags = {(m.year, m.month): m.overdue for m in months}
    assert flags == {(2025, 4): False, (2025, 3): True, (2025, 2): False, (2025, 1): True}


def test_s1_report_list_page_flags_overdue_months(client_for, worker, package, items):
    make_report(package, 2025, 1, worker, status=Status.CONFIRMED)
    make_report(package, 2025, 2, worker, status=Status.DRAFT)
    html = client_for(worker).get(reverse("delivery:report-list", args=[package.pk])).content.decode()
    assert 'data-month="2025-01">' in html
    assert 'data-month="2025-02" data-overdue="1"' in html
    assert 'data-month="2025-03" data-overdue="1"' in html
    assert "逾期" in html
