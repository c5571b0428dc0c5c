"""seed_demo: confirmed monthly reports for every past month of 双塔街道's package and six focus issues, safe to
rerun; the demo has no overdue report."""

import pytest
from django.utils import timezone

from delivery.models import FocusIssue, ServiceReport
from delivery.progress import package_progress
from delivery.workflow import month_bounds
from procurement.models import ServicePackage

pytestmark = pytest.mark.django_db


def test_seed_demo_files_every_past_month_and_focus_issues():
    from core.demo import seed_all

    ctx = seed_all()
    seed_all()
    package = ServicePackage.objects.select_related("round").get(town=ctx.town, status="active")
    today = timezone.localdate()
    expected = set()
    year, month = today.year, today.month
    while True:
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
        first, last = month_bounds(year, month)
        if last < package.starts_on:
            break
        if first <= package.ends_on:
            expected.add((year, month))
    reports = list(ServiceReport.objects.filter(package=package).prefetch_related("lines", "attachments"))
    assert {(r.year, r.month) for r in reports} == expected
    assert all(r.status == ServiceReport.Status.CONFIRMED for r in reports)
    # a PDF sign-in sheet each month; the last three months also an activity photo, recycled (K9's demo)
    photos = sorted((r.year, r.month) for r in reports if len(r.attachments.all()) == 2)
    assert photos == sorted(expected)[-3:] if len(expected) >= 3 else not photos
    assert all(r.lines.all() and len(r.attachments.all()) in (1, 2) for r in reports)
    assert all(r.submitted_at < r.confirmed_at for r in reports)
    # Demo data never lies in the future: every report was submitted after its month ended and confirmed by now.
    now = timezone.now()
    assert all(r.confirmed_at <= now for r in reports)
    assert all(timezone.localdate(r.submitted_at) > month_bounds(r.year, r.month)[1] for r in reports)
    from delivery.services.reports import report_overdue

    assert not [(y, m) for (y, m) in expected if report_overdue(package, y, m)]

    issues = FocusIssue.objects.filter(community__town=ctx.town).prefetch_related("events")
    assert issues.count() == 6
    statuses = sorted(i.status for i in issues)
    assert statuses.count("resolved") == 3 and {"reported", "in_progress", "escalated"} <= set(statuses)
    for issue in issues:
        assert issue.events.all()
        if issue.status == "resolved":
            assert issue.resolution and issue.resolved_on

    if len(expected) >= 3:
        from delivery.evidence import k9_near_duplicate_photos, k9_same_file_reuses

        assert len(k9_same_file_reuses()) == 1 and len(k9_near_duplicate_photos()) == 1

    if expected:
        last_year, last_month = max(expected)
        rows = package_progress(package, on=month_bounds(last_year, last_month)[1])
        assert any(r.output_to_date for r in rows) and any(r.lagging for r in rows)
