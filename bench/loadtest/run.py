"""Load tests (issue 14): the platform under gunicorn on PostgreSQL, driven over HTTP from other processes, with a
hand-written ceiling served by the same gunicorn in the same run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sw_scale make loadtest
    make loadtest LOADTEST_ARGS="--scale 1 --reseed --duration 20 --users 1 8"

1. The data: `manage.py seed_city --scale S` (with --reseed the database is flushed first; without it the city
   already there is used, or built when there is none).
2. The server: gunicorn (`--workers`, sync, default 4) serving bench/loadtest/wsgi.py — the platform with DEBUG
   off, persistent database connections (DB_CONN_MAX_AGE=60), the Celery broker if CELERY_BROKER_URL is set —
   and the baseline (bench/loadtest/baseline.py) under /__baseline__/.
3. The users: logged in through the login form (session cookie) as the bureau, a town officer, the package's
   agency manager and an evaluator; the API lists are called with an API token (Authorization: Bearer).
4. The load: for each target and each number of users, `bench/loadtest/loadgen.py` in its own process (closed
   loop: each virtual user sends its next request when the last one is answered) for `--duration` seconds,
   then the target's baseline, if it has one, the same way right after. Reports p50/p95/p99 latency and
   requests/s; `ceiling_ratio` = ours ÷ baseline in requests/s at the same number of users.
5. The results: bench/results/<date>.json (or --out) and a Markdown table on stdout for docs/PERFORMANCE.md.

PostgreSQL only: SQLite serialises writers and is not what the bureau runs.
"""

from __future__ import annotations

import argparse
import datetime
import http.client
import json
import os
import platform
import re
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent.parent
VENV_BIN = ROOT / ".venv" / "bin"
sys.path.insert(0, str(ROOT))


@dataclass
class Target:
    name: str
    role: str | None  # a login key of `Plan.logins`, "token" for the API token, None for anonymous
    path: str
    baseline: str | None = None


@dataclass
class Plan:
    targets: list[Target]
    logins: dict[str, str]  # role → username
    token: str
    counts: dict[str, int]


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "suzhou_sw.settings")
    import warnings

    warnings.filterwarnings("ignore", message="No directory at")
    import django

    django.setup()


def ensure_city(scale: float, reseed: bool, out=print) -> None:
    from django.core.management import call_command

    from directory.models import User

    if reseed or not User.objects.filter(username="city-bureau").exists():
        call_command("seed_city", scale=scale, flush=reseed, stdout=_Writer(out))


class _Writer:
    def __init__(self, out):
        self.out = out

    def write(self, text: str) -> None:
        if text.strip():
            self.out(text.rstrip("\n"))

    def flush(self) -> None:
        pass


def plan_targets() -> Plan:
    """The pages and lists to load, pointed at rows of the generated city: its first package, that package's
    town officer, agency manager and draft report, and an evaluator of an evaluation in progress."""
    from delivery.models import FocusIssue, ReportLine, ServiceReport
    from directory.models import Membership, Role, User
    from directory.services import api_token_create
    from evaluation.models import EvaluationAssignment
    from funds.models import LedgerEntry
    from procurement.models import ServicePackage, StaffMember

    package = ServicePackage.objects.select_related("town", "agency").order_by("pk").first()
    manager = (
        Membership.objects.filter(organisation_id=package.agency.organisation_id, role=Role.AGENCY_MANAGER)
        .select_related("user")
        .order_by("pk")
        .first()
        .user
    )
    draft = ServiceReport.objects.filter(package=package, status="draft").order_by("pk").first()
    assignment = (
        EvaluationAssignment.objects.filter(evaluation__status="in_progress", declared_at__isnull=False)
        .select_related("evaluator")
        .order_by("pk")
        .first()
    )
    bureau = User.objects.get(username="city-bureau")
    _token, key = api_token_create(
        actor=bureau, name=f"loadtest {datetime.datetime.now():%Y-%m-%d %H:%M}", scope="read"
    )
    targets = [
        Target("home (bureau)", "bureau", "/"),
        Target("package list (bureau)", "bureau", "/procurement/packages/", "/__baseline__/packages/"),
        Target("package page (bureau)", "bureau", f"/procurement/packages/{package.pk}/"),
        Target("town's report list (town officer)", "town", f"/delivery/packages/{package.pk}/reports/"),
        Target("report form (agency)", "agency", f"/delivery/reports/{draft.pk}/edit/"),
        Target("score page (evaluator)", "evaluator", f"/evaluation/evaluations/{assignment.evaluation_id}/workspace/"),
        Target("public city statistics", None, "/statistics/"),
        Target(
            "focus issues API",
            "token",
            "/api/v1/delivery/focus-issues/?limit=50",
            "/__baseline__/api/focus-issues/?limit=50",
        ),
        Target("reports API", "token", "/api/v1/delivery/reports/?limit=50", "/__baseline__/api/reports/?limit=50"),
        Target(
            "catalogue items API",
            "token",
            "/api/v1/catalog/items/?limit=50",
            "/__baseline__/api/catalog-items/?limit=50",
        ),
        Target("tenders API", "token", "/api/v1/procurement/tenders/?limit=50", "/__baseline__/api/tenders/?limit=50"),
    ]
    counts = {
        "packages": ServicePackage.objects.count(),
        "staff": StaffMember.objects.count(),
        "reports": ServiceReport.objects.count(),
        "report_lines": ReportLine.objects.count(),
        "focus_issues": FocusIssue.objects.count(),
        "ledger_entries": LedgerEntry.objects.count(),
    }
    logins = {
        "bureau": "city-bureau",
        "town": f"city-town-{package.town.code}",
        "agency": manager.username,
        "evaluator": assignment.evaluator.username,
    }
    return Plan(targets=targets, logins=logins, token=key, counts=counts)


def count_queries(plan: Plan, targets: list[Target]) -> dict[str, int]:
    """The database queries of one request to each target (the second: caches warm, as under load), in this
    process through Django's test client logged in as the same users — to show they are the same at every
    scale."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    from directory.models import User

    clients: dict[str | None, Client] = {None: Client(), "token": Client(HTTP_AUTHORIZATION=f"Bearer {plan.token}")}
    for role, username in plan.logins.items():
        clients[role] = Client()
        clients[role].force_login(
            User.objects.get(username=username), backend="django.contrib.auth.backends.ModelBackend"
        )
    counts = {}
    with override_settings(ALLOWED_HOSTS=["*"], DEBUG=False):
        for target in targets:
            client = clients[target.role]
            client.get(target.path)
            with CaptureQueriesContext(connection) as ctx:
                client.get(target.path)
            counts[target.name] = len(ctx.captured_queries)
    return counts


def time_sweep() -> dict:
    """The nightly compliance sweep over the city (issue 14: it grows at most linearly): the first run opens
    the findings, the second is what happens night after night (timed, queries counted)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from compliance.services import sweep

    start = time.perf_counter()
    results = sweep()
    first = time.perf_counter() - start
    start = time.perf_counter()
    with CaptureQueriesContext(connection) as ctx:
        sweep()
    again = time.perf_counter() - start
    return {
        "first_s": round(first, 2),
        "rerun_s": round(again, 2),
        "rerun_queries": len(ctx.captured_queries),
        "subjects_found": sum(r.found for r in results),
        "errors": [r.rule for r in results if r.error],
    }


def server_env(database_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "DATABASE_URL": database_url,
            "DJANGO_SETTINGS_MODULE": "suzhou_sw.settings",
            "DEBUG": "false",
            "DB_CONN_MAX_AGE": env.get("DB_CONN_MAX_AGE", "60"),
            "LOG_LEVEL": "WARNING",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            # whitenoise warns when collectstatic has not run; the load test fetches no static file.
            "PYTHONWARNINGS": "ignore:No directory at",
        }
    )
    return env


def start_server(database_url: str, port: int, workers: int, gc_tuning: bool = True) -> subprocess.Popen:
    cmd = [
        str(VENV_BIN / "gunicorn"),
        *(["--config", str(ROOT / "suzhou_sw" / "gunicorn_conf.py")] if gc_tuning else []),
        "bench.loadtest.wsgi:application",
        "--chdir",
        str(ROOT),
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--worker-class",
        "sync",
        "--log-level",
        "warning",
        "--timeout",
        "60",
    ]
    proc = subprocess.Popen(cmd, env=server_env(database_url), start_new_session=True)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {proc.returncode}")
        try:
            status, _headers, _body = request(port, "GET", "/accounts/login/")
            if status == 200:
                return proc
        except OSError:
            pass
        time.sleep(0.3)
    stop_server(proc)
    raise RuntimeError("gunicorn did not answer within 90 s")


def stop_server(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()  # the master stops its workers gracefully
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def request(port: int, method: str, path: str, headers: dict | None = None, body: str | None = None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.getheaders(), response.read()
    finally:
        conn.close()


def _cookies(headers) -> dict[str, str]:
    jar = {}
    for name, value in headers:
        if name.lower() == "set-cookie":
            key, _, rest = value.partition("=")
            jar[key.strip()] = rest.split(";", 1)[0]
    return jar


def login(port: int, username: str, password: str) -> str:
    """Log in through the login form as a browser would; returns the Cookie header value."""
    status, headers, body = request(port, "GET", "/accounts/login/")
    jar = _cookies(headers)
    match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
    if status != 200 or not match:
        raise RuntimeError(f"login page: {status}")
    form = urlencode({"username": username, "password": password, "csrfmiddlewaretoken": match.group(1).decode()})
    status, headers, _body = request(
        port,
        "POST",
        "/accounts/login/",
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": "; ".join(f"{k}={v}" for k, v in jar.items()),
        },
        body=form,
    )
    jar.update(_cookies(headers))
    if status != 302 or "sessionid" not in jar:
        raise RuntimeError(f"login as {username} failed: {status}")
    return "; ".join(f"{k}={v}" for k, v in jar.items())


def load(
    port: int, path: str, headers: dict[str, str], users: int, duration: float, warmup: float, in_process: bool = False
) -> dict:
    if in_process:  # the CI smoke test: no interpreter start per measurement
        from bench.loadtest.loadgen import run as generate

        return generate(f"http://127.0.0.1:{port}{path}", users, duration, headers, warmup)
    cmd = [
        sys.executable,
        "-m",
        "bench.loadtest.loadgen",
        "--url",
        f"http://127.0.0.1:{port}{path}",
        "--users",
        str(users),
        "--duration",
        str(duration),
        "--warmup",
        str(warmup),
    ]
    for name, value in headers.items():
        cmd += ["--header", f"{name}: {value}"]
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def machine() -> dict:
    info = {"cores": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()}
    try:
        cpuinfo = Path("/proc/cpuinfo").read_text()
        found = re.search(r"model name\s*:\s*(.+)", cpuinfo)
        info["cpu"] = found.group(1).strip() if found else ""
        mem = re.search(r"MemTotal:\s*(\d+)", Path("/proc/meminfo").read_text())
        info["memory_gib"] = round(int(mem.group(1)) / 1024 / 1024, 1) if mem else None
    except OSError:
        pass
    return info


def _versions() -> dict:
    import django
    import gunicorn
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        pg = cursor.fetchone()[0]
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
    except OSError:
        commit = ""
    return {"django": django.get_version(), "gunicorn": gunicorn.__version__, "postgresql": pg, "commit": commit}


def run(
    *,
    database_url: str,
    scale: float,
    reseed: bool,
    users: list[int],
    duration: float,
    warmup: float,
    workers: int,
    port: int,
    only: list[str] | None = None,
    in_process: bool = False,
    sweep: bool = False,
    gc_tuning: bool = True,
    out=print,
) -> dict:
    ensure_city(scale, reseed, out)
    plan = plan_targets()
    targets = [t for t in plan.targets if not only or any(o in t.name for o in only)]
    queries = count_queries(plan, targets)
    swept = time_sweep() if sweep else None
    if swept:
        out(f"  compliance sweep: {swept}")
    from core.city import CITY_PASSWORD

    started = datetime.datetime.now(datetime.UTC)
    load_before = os.getloadavg()
    server = start_server(database_url, port, workers, gc_tuning)
    try:
        cookies = {role: login(port, username, CITY_PASSWORD) for role, username in plan.logins.items()}

        def headers_for(role: str | None) -> dict[str, str]:
            if role == "token":
                return {"Authorization": f"Bearer {plan.token}"}
            return {"Cookie": cookies[role]} if role else {}

        results = []
        for target in targets:
            status, _h, body = request(port, "GET", target.path, headers_for(target.role))
            entry = {
                "name": target.name,
                "path": target.path,
                "as": plan.logins.get(target.role, target.role or "anonymous"),
                "status": status,
                "bytes": len(body),
                "queries": queries.get(target.name),
                "runs": {},
            }
            if target.baseline:
                b_status, _h, b_body = request(port, "GET", target.baseline)
                entry["baseline"] = {"path": target.baseline, "status": b_status, "bytes": len(b_body), "runs": {}}
                if target.path.startswith("/api/") and status == 200 and b_status == 200:
                    ours_rows = json.loads(body)
                    base_rows = json.loads(b_body)
                    entry["baseline"]["same_rows"] = [r["id"] for r in ours_rows["results"]] == [
                        r["id"] for r in base_rows["results"]
                    ]
            results.append(entry)
            if status != 200:
                out(f"  {target.name}: {status}, skipped")
        for n in users:
            for target, entry in zip(targets, results, strict=True):
                if entry["status"] != 200:
                    continue
                ours = load(port, target.path, headers_for(target.role), n, duration, warmup, in_process)
                entry["runs"][str(n)] = ours
                line = f"  {target.name} @{n}: {ours['rps']} req/s, p50 {ours['p50_ms']} p95 {ours['p95_ms']} ms"
                if target.baseline and entry["baseline"]["status"] == 200:
                    base = load(port, target.baseline, {}, n, duration, warmup, in_process)
                    entry["baseline"]["runs"][str(n)] = base
                    ratio = round(ours["rps"] / base["rps"], 3) if base["rps"] else None
                    entry.setdefault("ceiling_ratio", {})[str(n)] = ratio
                    line += f" | baseline {base['rps']} req/s, p95 {base['p95_ms']} ms, ratio {ratio}"
                out(line)
    finally:
        stop_server(server)
    return {
        "date": started.date().isoformat(),
        "started_at": started.isoformat(timespec="seconds"),
        "machine": machine()
        | {
            "load_average_before": [round(x, 2) for x in load_before],
            "load_average_after": [round(x, 2) for x in os.getloadavg()],
        },
        "software": _versions(),
        "settings": {
            # The city actually loaded (an existing city is used as it is unless --reseed): packages / 100.
            "scale": round(plan.counts["packages"] / 100, 3),
            "gunicorn_workers": workers,
            "worker_class": "sync",
            "gunicorn_config": "suzhou_sw/gunicorn_conf.py (gc.freeze, thresholds)" if gc_tuning else None,
            "duration_s": duration,
            "warmup_s": warmup,
            "users": users,
            "debug": False,
            "db_conn_max_age": int(server_env(database_url)["DB_CONN_MAX_AGE"]),
            "celery_broker": bool(os.environ.get("CELERY_BROKER_URL")),
            "load_generator": "bench/loadtest/loadgen.py (threads, http.client, closed loop)",
        },
        "data": plan.counts,
        "compliance_sweep": swept,
        "results": results,
    }


def table(report: dict) -> str:
    lines = [
        "| endpoint | queries | users | req/s | p50 ms | p95 ms | p99 ms | baseline req/s | baseline p95 ms | ceiling_ratio |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for entry in report["results"]:
        if not entry["runs"]:
            lines.append(f"| {entry['name']} | | — | status {entry['status']} | | | | | | |")
        for n, r in entry["runs"].items():
            base = entry.get("baseline", {}).get("runs", {}).get(n)
            ratio = entry.get("ceiling_ratio", {}).get(n)
            lines.append(
                f"| {entry['name']} | {entry.get('queries', '')} | {n} | {r['rps']} | {r['p50_ms']} | {r['p95_ms']} | {r['p99_ms']} | "
                f"{base['rps'] if base else '—'} | {base['p95_ms'] if base else '—'} | "
                f"{ratio if ratio is not None else '—'} |"
            )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Load tests against gunicorn + PostgreSQL (issue 14).")
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--reseed", action="store_true", help="flush the database and build the city again")
    parser.add_argument("--users", type=int, nargs="+", default=[1, 8])
    parser.add_argument("--duration", type=float, default=20.0, help="seconds per endpoint and user count")
    parser.add_argument("--warmup", type=float, default=2.0)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--only", nargs="*", help="targets whose name contains one of these words")
    parser.add_argument("--out", help="results file (default bench/results/<date>.json)")
    parser.add_argument("--sweep", action="store_true", help="also time the compliance sweep over the city")
    parser.add_argument(
        "--no-gc-tuning", action="store_true", help="serve without suzhou_sw/gunicorn_conf.py (gc.freeze, thresholds)"
    )
    args = parser.parse_args(argv)
    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith(("postgres://", "postgresql://")):
        print("make loadtest needs DATABASE_URL=postgres://... (its data is generated there)", file=sys.stderr)
        return 2
    setup_django()
    report = run(
        database_url=database_url,
        scale=args.scale,
        reseed=args.reseed,
        users=args.users,
        duration=args.duration,
        warmup=args.warmup,
        workers=args.workers,
        port=args.port,
        only=args.only,
        sweep=args.sweep,
        gc_tuning=not args.no_gc_tuning,
    )
    out = Path(args.out) if args.out else ROOT / "bench" / "results" / f"{report['date']}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"\nResults written to {out.relative_to(ROOT) if out.is_relative_to(ROOT) else out}\n")
    print(table(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
