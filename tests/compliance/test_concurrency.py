"""K8 under concurrency: two sweeps at once (a second worker, a re-delivered task) leave the findings of one —
no duplicate, no error, one "opened" event per finding. On PostgreSQL with real threads (each its own
connection and transaction); SQLite serialises writers, so there this test skips."""

import threading

import pytest
from django.db import connection

from compliance.models import CheckRun, Finding, FindingEvent
from compliance.services import sweep

from .city import TODAY, build_city

RULES = ["K1", "K2", "K3", "K4", "K5", "K6", "K7"]


def _race(n: int) -> list:
    barrier = threading.Barrier(n)
    outcomes: list = [None] * n

    def run(i):
        try:
            barrier.wait(timeout=10)
            outcomes[i] = sweep(today=TODAY, rules=RULES)
        except Exception as exc:  # asserted on below
            outcomes[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return outcomes


@pytest.mark.django_db(transaction=True)
def test_k8_two_sweeps_at_once_leave_the_findings_of_one(world, agency, round_2018, bureau):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL's row locks and real concurrent transactions")
    build_city(3, district=world.district_a, agency=agency, round_=round_2018, user=bureau)
    outcomes = _race(2)
    for outcome in outcomes:
        assert isinstance(outcome, list), outcome
        assert [r.error for r in outcome] == [""] * len(RULES)
    # Each rule's findings were opened by exactly one of the two sweeps; the other found them and updated.
    for i, rule in enumerate(RULES):
        opened = [outcome[i].opened for outcome in outcomes]
        assert sorted(opened)[0] == 0 and sorted(opened)[1] == Finding.objects.filter(rule=rule).count(), rule
    assert Finding.objects.filter(rule="K3").count() == 36
    assert Finding.objects.count() == FindingEvent.objects.filter(kind="opened").count()
    assert not FindingEvent.objects.exclude(kind="opened").exists()
    assert CheckRun.objects.count() == len(RULES)

    # And the same findings as one sweep alone on a fresh run.
    before = set(Finding.objects.values_list("rule", "subject_key", "message"))
    sweep(today=TODAY, rules=RULES)
    assert set(Finding.objects.values_list("rule", "subject_key", "message")) == before
