"""Search timings (issue 13) on a city built by `manage.py seed_city` (its users: city-bureau, city-agency-1):

    DATABASE_URL=postgres://… python manage.py seed_city --scale 1
    DATABASE_URL=postgres://… python bench/search.py [--repeat 7]

For each typical query — a two-character word, a four-character word, mixed digits and Chinese, a word found
nowhere — the search page's median wall time and query count for the bureau (everything) and an agency (its own
packages), then on PostgreSQL the plan and execution time of the report-line match alone: through the bigram
index, by a sequential LIKE, and through a pg_trgm index built for the comparison and dropped again. Numbers go
to docs/PERFORMANCE.md ("Search") by hand. Reads only, but the trigram comparison creates and drops an index.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

QUERIES = ["独居", "独居老人", "4点半课堂", "养猫"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "suzhou_sw.settings")
    import django

    django.setup()
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections, connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    setup_test_environment()

    from directory.models import User
    from procurement.models import ServicePackage

    print(f"{ServicePackage.objects.count()} packages on {connection.vendor}")
    print("| query | user | hits (reports / focus / plan items) | queries | median ms |")
    print("|---|---|---|---|---|")
    for username in ("city-bureau", "city-agency-1"):
        client = Client()
        client.force_login(User.objects.get(username=username))
        for q in QUERIES:
            client.get("/search/", {"q": q})
            times = []
            for _ in range(args.repeat):
                with CaptureQueriesContext(connection) as ctx:
                    start = time.perf_counter()
                    response = client.get("/search/", {"q": q})
                    times.append((time.perf_counter() - start) * 1000)
            totals = {g.key: g.total for g in response.context["results"]}
            hits = f"{totals['reports']} / {totals['focus_issues']} / {totals['plan_items']}"
            print(f"| {q} | {username} | {hits} | {len(ctx)} | {statistics.median(times):.0f} |")
    if connection.vendor != "postgresql":
        return
    print("\nReport lines alone (EXPLAIN ANALYZE, execution ms):")
    print("| query | bigram index | sequential LIKE | pg_trgm index |")
    print("|---|---|---|---|")
    match = "upper(narrative::text) LIKE upper(%s)"
    plans = {
        "bigram": f"SELECT count(*) FROM procurement_reportline WHERE sw_bigrams(narrative) @> sw_bigrams(%s) AND {match}",
        "seq": f"SELECT count(*) FROM procurement_reportline WHERE {match}",
        "trgm": "SELECT count(*) FROM procurement_reportline WHERE narrative ILIKE %s",
    }
    rows = {q: {} for q in QUERIES}
    with connection.cursor() as cursor:
        for kind in ("bigram", "seq", "trgm"):
            if kind == "seq":
                cursor.execute("SET enable_bitmapscan = off")
            if kind == "trgm":
                cursor.execute("RESET enable_bitmapscan")
                cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
                cursor.execute("CREATE INDEX bench_trgm ON procurement_reportline USING gin (narrative gin_trgm_ops)")
                cursor.execute("ANALYZE procurement_reportline")
            for q in QUERIES:
                params = [q, f"%{q}%"] if kind == "bigram" else [f"%{q}%"]
                runs = []
                for _ in range(args.repeat):
                    cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + plans[kind], params)
                    plan = cursor.fetchone()[0][0]
                    runs.append(plan["Execution Time"])
                node = plan["Plan"]["Plans"][0]
                scan = node.get("Plans", [node])[0].get("Index Name") or node["Node Type"]
                rows[q][kind] = f"{statistics.median(runs):.2f} ({scan})"
        cursor.execute("DROP INDEX bench_trgm")
    for q in QUERIES:
        print(f"| {q} | {rows[q]['bigram']} | {rows[q]['seq']} | {rows[q]['trgm']} |")


if __name__ == "__main__":
    main()
