"""K8 rectification under concurrency, on PostgreSQL with real threads (each its own connection and
transaction): a sweep running while an answer is being written does not overwrite it, and of a waiver and an
answer racing, the history stays consistent with the status. SQLite serialises writers, so there these skip."""

import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from compliance.checks import Found
from compliance.models import Finding
from compliance.services import finding_respond, finding_waive, findings_sync
from tests.compliance.findings_world import make_findings


def _needs_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL's row locks and real concurrent transactions")


def _in_thread(fn) -> tuple[threading.Thread, dict]:
    outcome: dict = {}

    def run():
        try:
            outcome["result"] = fn()
        except Exception as exc:  # asserted on by the caller
            outcome["error"] = exc
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, outcome


@pytest.mark.django_db(transaction=True)
def test_k8_a_sweep_during_an_answer_keeps_the_answer(world, package, manager):
    _needs_postgresql()
    findings = make_findings(world, package)
    still_found = Found(findings.k3.subject_key, "2025年1月月报仍未提交", organisation_id=world.agency.pk)
    with transaction.atomic():
        finding_respond(actor=manager, finding=findings.k3, text="已补交。")
        # The sweep of the same rule starts while the answer is not yet committed: it waits for the row.
        sweep, outcome = _in_thread(lambda: findings_sync(rule="K3", found=[still_found]))
        time.sleep(0.5)
        assert sweep.is_alive()
    sweep.join(timeout=30)
    assert "error" not in outcome, outcome
    finding = Finding.objects.get(pk=findings.k3.pk)
    assert finding.status == Finding.Status.RESPONDED  # not put back to open by the sweep's update
    assert finding.message == "2025年1月月报仍未提交"
    assert list(finding.events.values_list("kind", flat=True)) == ["opened", "responded"]


@pytest.mark.django_db(transaction=True)
def test_k8_an_answer_racing_a_waiver_is_refused_once_waived(world, package, manager, bureau):
    _needs_postgresql()
    findings = make_findings(world, package)
    with transaction.atomic():
        finding_waive(actor=bureau, finding=findings.k3, reason="另行处理。")
        answer, outcome = _in_thread(lambda: finding_respond(actor=manager, finding=findings.k3, text="已整改"))
        time.sleep(0.5)
        assert answer.is_alive()  # waits for the waiver's row lock
    answer.join(timeout=30)
    assert isinstance(outcome.get("error"), ValidationError) and "豁免" in str(outcome["error"])
    finding = Finding.objects.get(pk=findings.k3.pk)
    assert finding.status == Finding.Status.WAIVED and finding.closed_at is not None
    assert list(finding.events.values_list("kind", flat=True)) == ["opened", "waived"]
