"""Benchmarks: query counts and response times of the list pages and endpoints, and of the nightly compliance
sweep, at two data sizes.

    make bench                       # scales 5 and 40, 15 timed requests each
    make bench BENCH_ARGS="--scales 10 200 --repeat 30"

Runs against a throw-away SQLite file unless DATABASE_URL names a PostgreSQL database (its data is
flushed!). A list whose query count grows with the data is reported and makes the run exit 1: the
standard is a constant number of queries whatever the data size. Numbers go to docs/PERFORMANCE.md by hand.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup_django() -> None:
    if not os.environ.get("DATABASE_URL"):
        path = Path(tempfile.mkdtemp(prefix="suzhou-bench-")) / "bench.sqlite3"
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "suzhou_sw.settings")
    import warnings

    warnings.filterwarnings("ignore", message="No directory at")
    import django

    django.setup()
    # As Django's own test framework does: keep the connection open across requests, so that the
    # queries of a request can be captured (closing it clears the connection's query log).
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)


# (name, role, URL name, the generated object whose pk the URL takes (or None), query string)
ENDPOINTS = [
    ("catalogue browser", "bureau_admin", "catalog:item-list", None, ""),
    ("catalogue API", "bureau_admin", "api-v1:catalog-item-list", None, "?limit=200"),
    ("home (bureau)", "bureau_admin", "directory:home", None, ""),
    ("home (agency)", "agency_manager", "directory:home", None, ""),
    ("public tender notices", None, "procurement:tender-public-list", None, ""),
    ("public city statistics", None, "reporting:city-statistics", None, ""),
    ("OCDS release list (first page)", None, "ocds:release-list", None, ""),
    ("tender list (bureau)", "bureau_admin", "procurement:tender-list", None, ""),
    ("package list (bureau)", "bureau_admin", "procurement:package-list", None, ""),
    ("staff roster (agency)", "agency_manager", "procurement:staff-list", "agency", ""),
    ("agency list (bureau)", "bureau_admin", "procurement:agency-list", None, ""),
    ("qualification list (bureau)", "bureau_admin", "procurement:qualification-list", None, ""),
    ("plan editor (agency)", "agency_manager", "delivery:plan-detail", "package", ""),
    ("coverage matrix (bureau)", "bureau_admin", "delivery:plan-coverage", "package", ""),
    ("report list (agency)", "agency_manager", "delivery:report-list", "package", ""),
    ("progress page (agency)", "agency_manager", "delivery:package-progress", "package", ""),
    ("focus issues (bureau)", "bureau_admin", "delivery:focus-issue-list", None, ""),
    ("evaluation list (bureau)", "bureau_admin", "evaluation:evaluation-list", None, ""),
    ("funding sources (bureau)", "bureau_admin", "funds:source-list", None, ""),
    ("package money list (bureau)", "bureau_admin", "funds:package-list", None, ""),
    ("package money (agency)", "agency_manager", "funds:package-money", "package", ""),
    ("community fund (bureau)", "bureau_admin", "funds:fund-detail", "fund", ""),
    ("fund public page", None, "funds:public-fund", "fund", ""),
    ("fund ledger API (bureau)", "bureau_admin", "api-v1:funds-ledger-list", None, "?limit=200"),
    ("findings (bureau)", "bureau_admin", "compliance:finding-list", None, ""),
    ("findings (agency)", "agency_manager", "compliance:finding-list", None, ""),
    ("findings API (bureau)", "bureau_admin", "api-v1:compliance-finding-list", None, "?limit=200"),
    ("dashboard lagging (bureau)", "bureau_admin", "reporting:dashboard-packages", None, "?show=lagging"),
    ("city annual page (bureau)", "bureau_admin", "reporting:city-annual", None, ""),
    ("search 独居 (bureau)", "bureau_admin", "reporting:search", None, "?q=独居"),
    ("search 4点半课堂 (agency)", "agency_manager", "reporting:search", None, "?q=4点半课堂"),
    ("search API 独居老人 (bureau)", "bureau_admin", "api-v1:search", None, "?q=独居老人"),
]

# PDFs rendered synchronously (as the Celery task does): the targets are 1 s for a package's and 5 s for the city's.
PDF_TARGETS = {"R2 package progress PDF": 1000.0, "R3 city annual PDF": 5000.0}


def measure_pdfs(users, repeat: int) -> dict[str, tuple]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from reporting.documents import r2_document, r3_document

    year = timezone.localdate().year
    package = users["package"]
    builds = {
        "R2 package progress PDF": lambda: r2_document(package, year).render(),
        "R3 city annual PDF": lambda: r3_document(year).render(),
    }
    results = {}
    for name, build in builds.items():
        build()  # load WeasyPrint and the fonts once
        with CaptureQueriesContext(connection) as ctx:
            build()
        timings = []
        for _ in range(max(1, repeat // 5)):
            start = time.perf_counter()
            build()
            timings.append((time.perf_counter() - start) * 1000)
        results[name] = (200, len(ctx.captured_queries), statistics.median(timings))
    return results


def measure(client, url: str, repeat: int) -> tuple[int, int, float]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    # captured_queries is read lazily from the connection's log, which the next request resets.
    queries = len(ctx.captured_queries)
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        client.get(url)
        timings.append((time.perf_counter() - start) * 1000)
    return response.status_code, queries, statistics.median(timings)


def run_scale(scale: int, repeat: int) -> dict[str, tuple]:
    from django.core.management import call_command
    from django.test import Client
    from django.urls import NoReverseMatch, reverse

    from bench.datagen import generate
    from bench.datagen_findings import generate_findings
    from bench.datagen_funds import generate_money

    call_command("flush", "--noinput", verbosity=0)
    users = generate(scale)
    users |= generate_money(scale, users)
    users |= generate_findings(scale, users)
    results = {}
    for name, role, url_name, arg, query in ENDPOINTS:
        try:
            url = reverse(url_name, args=[users[arg].pk] if arg else None) + query
        except NoReverseMatch:
            results[name] = None
            continue
        client = Client()
        if role:
            client.force_login(users[role])
        try:
            client.get(url)  # warm caches and the session
            results[name] = measure(client, url, repeat)
        except Exception as exc:  # report the endpoint as broken and go on with the others
            results[name] = ("ERR", 0, 0.0)
            print(f"{name}: {exc.__class__.__name__}: {exc}", file=sys.stderr)
    results[SWEEP] = measure_sweep(repeat)
    results |= measure_pdfs(users, repeat)
    return results


SWEEP = "compliance sweep (K1–K10)"


def measure_sweep(repeat: int) -> tuple[str, int, float]:
    """The nightly sweep over the generated city: the first run opens the findings; the next runs (what happens
    night after night: update, close, reopen) are timed and their queries counted."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from compliance.services import sweep

    results = sweep()
    errors = [r.rule for r in results if r.error]
    if errors:
        print(f"{SWEEP}: checks failed: {', '.join(errors)}", file=sys.stderr)
        return ("ERR", 0, 0.0)
    with CaptureQueriesContext(connection) as ctx:
        sweep()
    # A bulk write that SQLite splits into batches (999 parameters a statement) counts once: on PostgreSQL it is
    # one statement, and the batches grow with the findings, not with queries per package.
    queries, previous = 0, ""
    for query in ctx.captured_queries:
        head = query["sql"][:60]
        if not (head == previous and head.startswith(("UPDATE", "INSERT"))):
            queries += 1
        previous = head
    timings = []
    for _ in range(max(1, repeat // 5)):
        start = time.perf_counter()
        sweep()
        timings.append((time.perf_counter() - start) * 1000)
    found = sum(r.found for r in results)
    print(f"{SWEEP}: {found} subjects found", file=sys.stderr)
    return ("ok", queries, statistics.median(timings))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", type=int, nargs=2, default=[5, 40], metavar=("SMALL", "LARGE"))
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    setup_django()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    small, large = (run_scale(s, args.repeat) for s in args.scales)
    print(
        f"{'endpoint':28} {'status':>6} {'queries@' + str(args.scales[0]):>12} {'queries@' + str(args.scales[1]):>12}"
        f" {'ms@' + str(args.scales[0]):>9} {'ms@' + str(args.scales[1]):>9}"
    )
    growing: list[str] = []
    broken: list[str] = []
    slow: list[str] = []
    for name in [e[0] for e in ENDPOINTS] + [SWEEP] + list(PDF_TARGETS):
        a, b = small[name], large[name]
        if a is None:
            print(f"{name:28} {'n/a':>6}")
            continue
        print(f"{name:28} {b[0]:>6} {a[1]:>12} {b[1]:>12} {a[2]:>9.1f} {b[2]:>9.1f}")
        if b[1] > a[1]:
            growing.append(name)
        if "ERR" in (a[0], b[0]):
            broken.append(name)
        if name in PDF_TARGETS and b[2] > PDF_TARGETS[name]:
            slow.append(f"{name} ({b[2]:.0f} ms > {PDF_TARGETS[name]:.0f} ms)")
    if slow:
        print("\nOver the PDF targets (not a failure: the machine is shared): " + ", ".join(slow))
    if broken:
        print("\nFailed: " + ", ".join(broken))
    if growing:
        print("\nQuery count grows with the data for: " + ", ".join(growing))
    if growing or broken:
        return 1
    print("\nEvery measured list uses a constant number of queries.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
