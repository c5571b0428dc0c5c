"""K8: one finding per rule × subject, updated on re-run, closed when cleared, reopened when it comes back."""

import pytest
from django.utils import timezone

from compliance import checks
from compliance.checks import Found
from compliance.models import CheckRun, Finding, FindingEvent
from compliance.services import findings_sync, sweep

pytestmark = pytest.mark.django_db


def test_k8_rerun_updates_instead_of_duplicating():
    findings_sync(rule="K3", found=[Found("report:1", "逾期 3 天")])
    findings_sync(rule="K3", found=[Found("report:1", "逾期 4 天", severity="critical")])
    finding = Finding.objects.get()
    assert finding.message == "逾期 4 天"
    assert finding.severity == "critical"
    assert finding.first_seen_at < finding.last_seen_at


def test_k8_cleared_condition_closes_and_return_reopens_the_same_row():
    findings_sync(rule="K3", found=[Found("report:1", "逾期"), Found("report:2", "逾期")])
    result = findings_sync(rule="K3", found=[Found("report:2", "逾期")])
    assert result.closed == 1
    closed = Finding.objects.get(subject_key="report:1")
    assert closed.status == Finding.Status.CLOSED and closed.closed_at is not None
    result = findings_sync(rule="K3", found=[Found("report:1", "又逾期"), Found("report:2", "逾期")])
    assert result.opened == 1
    assert Finding.objects.count() == 2
    reopened = Finding.objects.get(subject_key="report:1")
    assert reopened.status == Finding.Status.OPEN and reopened.closed_at is None
    assert list(reopened.events.values_list("kind", flat=True)) == ["opened", "closed", "reopened"]


def test_k8_waived_finding_stays_waived_while_its_condition_holds():
    findings_sync(rule="K1", found=[Found("package:1", "人员不足")])
    Finding.objects.update(status=Finding.Status.WAIVED, closed_at=timezone.now())
    findings_sync(rule="K1", found=[Found("package:1", "人员不足")])
    assert Finding.objects.get().status == Finding.Status.WAIVED
    findings_sync(rule="K1", found=[])
    assert Finding.objects.get().status == Finding.Status.WAIVED


def test_k8_rules_are_separate_subjects():
    findings_sync(rule="K1", found=[Found("package:1", "人员不足")])
    findings_sync(rule="K4", found=[Found("package:1", "覆盖不足")])
    findings_sync(rule="K1", found=[])
    assert Finding.objects.get(rule="K4").is_open
    assert not Finding.objects.get(rule="K1").is_open


@pytest.mark.parametrize("size", [5, 60])
def test_k8_sync_query_count_does_not_grow_with_findings(size, django_assert_num_queries):
    # (SQLite splits a bulk insert past 999 parameters; 60 findings stay within one batch, as on PostgreSQL.)
    findings_sync(rule="K3", found=[Found(f"report:{i}", "逾期") for i in range(3)])
    with django_assert_num_queries(11):
        findings_sync(rule="K3", found=[Found(f"report:{i}", "逾期") for i in range(1, size + 1)])
    assert Finding.objects.filter(closed_at__isnull=True).count() == size
    assert FindingEvent.objects.filter(kind="opened").count() == size + 1


def test_a_failing_check_is_recorded_and_the_others_still_run(monkeypatch):
    def broken(*, today):
        raise RuntimeError("boom")

    def fine(*, today):
        return [Found("package:9", "问题")]

    monkeypatch.setattr(checks, "CHECKS", {"K1": broken, "K2": fine})
    results = sweep()
    assert [r.rule for r in results] == ["K1", "K2"]
    assert "boom" in CheckRun.objects.get(rule="K1").error
    assert Finding.objects.filter(rule="K2").count() == 1
