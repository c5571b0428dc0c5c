"""K1–K7 are set-based: the whole sweep runs the same number of queries for 2 packages as for 4 (each package
breaking every rule the same way, so every check opens findings at both sizes; 4 packages stay within one
SQLite insert batch of findings and of their notifications)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from compliance.checks import registered
from compliance.models import Finding
from compliance.services import sweep

from .city import TODAY, build_city

pytestmark = pytest.mark.django_db
RULES = ["K1", "K2", "K3", "K4", "K5", "K6", "K7"]


def _sweep_queries(n, world, agency, round_2018, bureau) -> tuple[int, int]:
    build_city(n, district=world.district_a, agency=agency, round_=round_2018, user=bureau)
    with CaptureQueriesContext(connection) as first:
        results = sweep(today=TODAY, rules=RULES)
    assert [r.rule for r in results] == RULES and not any(r.error for r in results)
    assert all(r.opened for r in results), [(r.rule, r.opened) for r in results]
    with CaptureQueriesContext(connection) as second:
        sweep(today=TODAY, rules=RULES)
    return len(first), len(second)


@pytest.mark.parametrize("size", [2, 4])
def test_k8_sweep_query_count_does_not_grow_with_packages(size, world, agency, round_2018, bureau):
    assert set(RULES) <= set(registered())
    first, second = _sweep_queries(size, world, agency, round_2018, bureau)
    assert Finding.objects.filter(rule="K3").count() == 12 * size
    assert (first, second) == (FIRST, SECOND)


FIRST, SECOND = 162, 92
