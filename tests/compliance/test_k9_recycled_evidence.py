# ruff: noqa: F811 — the fixtures imported from tests.delivery.evidence are parameters of the tests
"""K9 through the sweep: a recycled photo becomes a finding about the later report, held by its agency and
pointing at the side-by-side page; a report that keeps the rule gets none; a cleared reuse closes."""

import pytest
from django.urls import reverse

from compliance.models import Finding
from compliance.services import sweep
from delivery.models import ReportAttachment
from tests.delivery.evidence.conftest import (  # noqa: F401 — fixtures
    file_report,
    items,
    other_items,
    other_package,
    package,
    private_media,
)
from tests.delivery.evidence.images import jpeg, variants

pytestmark = pytest.mark.django_db


def test_k9_recycled_photo_gets_a_finding(package, items, other_package, other_items, file_report):
    (march,) = file_report(package, 2025, 3, [("三月活动.jpg", jpeg(1))])
    (theirs,) = file_report(other_package, 2025, 5, [("五月活动.jpg", jpeg(1))])
    sweep(rules=["K9"])
    finding = Finding.objects.get(rule="K9")
    assert finding.status == Finding.Status.OPEN
    assert finding.severity == "warning"
    assert finding.subject_key == f"attachments:{march.pk}-{theirs.pk}"
    assert finding.organisation_id == other_package.agency.organisation_id  # the later report answers
    assert finding.town_id == other_package.town_id and finding.package_id == other_package.pk
    assert finding.url == reverse("delivery:evidence-compare", args=[march.pk, theirs.pk])
    assert "2025年3月" in finding.message and "2025年5月" in finding.message
    assert package.title in finding.message and other_package.title in finding.message
    assert finding.details["kind"] == "same_file"


def test_k9_near_identical_photo_gets_a_finding(package, items, file_report):
    file_report(package, 2025, 3, [("a.jpg", jpeg(2))])
    file_report(package, 2025, 4, [("b.jpg", variants(2)["resaved_q40"])])
    sweep(rules=["K9"])
    finding = Finding.objects.get(rule="K9")
    assert "高度相似" in finding.message
    assert finding.details["kind"] == "near_photo"


def test_k9_keeping_the_rule_gets_no_finding(package, items, other_package, other_items, file_report):
    file_report(package, 2025, 3, [("a.jpg", jpeg(1))])
    file_report(package, 2025, 4, [("b.jpg", jpeg(2))])
    file_report(other_package, 2025, 4, [("c.jpg", jpeg(3))])
    sweep(rules=["K9"])
    assert not Finding.objects.filter(rule="K9").exists()


def test_k9_cleared_reuse_is_closed(package, items, file_report):
    file_report(package, 2025, 3, [("a.jpg", jpeg(1))])
    (april,) = file_report(package, 2025, 4, [("a.jpg", jpeg(1))])
    sweep(rules=["K9"])
    assert Finding.objects.get(rule="K9").status == Finding.Status.OPEN
    ReportAttachment.objects.filter(pk=april.pk).delete()  # the agency replaced the recycled photo
    sweep(rules=["K9"])
    finding = Finding.objects.get(rule="K9")
    assert finding.status == Finding.Status.CLOSED and finding.closed_at is not None


def test_k9_sweep_query_count_does_not_grow_with_attachments(
    package, items, file_report, django_assert_max_num_queries
):
    file_report(package, 2025, 3, [("a.jpg", jpeg(1))])
    file_report(package, 2025, 4, [("a.jpg", jpeg(1))])
    with django_assert_max_num_queries(40) as small:  # a ceiling; what matters is that it does not grow
        sweep(rules=["K9"])
    for month in range(5, 11):
        file_report(package, 2025, month, [("a.jpg", jpeg(1)), (f"{month}.jpg", jpeg(20 + month))])
    with django_assert_max_num_queries(len(small.captured_queries)):
        sweep(rules=["K9"])
    assert Finding.objects.filter(rule="K9").count() == 7
