"""A small closed-loop HTTP load generator, standard library only (no locust, wrk, ab or hey on this machine,
and nothing may be installed): N threads, each one virtual user with its own HTTP/1.1 connection (kept alive
when the server allows; gunicorn's sync workers close after each response, and the client reconnects, as a
browser would), sending GET requests back to back for a fixed time and recording each request's latency.

    python -m bench.loadtest.loadgen --url http://127.0.0.1:8765/api/v1/... --users 8 --duration 20 \
        [--header "Cookie: sessionid=..."] [--warmup 2]

Prints one JSON object: requests, errors, status counts, requests/s, latency p50/p95/p99/mean/max (ms) and
the mean body size. A request counts if it began inside the timed window (after the warm-up); requests still
in flight when the window closes are waited for, and requests/s divides by the time until the last answer."""

from __future__ import annotations

import argparse
import http.client
import json
import statistics
import sys
import threading
import time
from urllib.parse import urlsplit


def percentile(sorted_values: list[float], p: float) -> float:
    if not sorted_values:
        return 0.0
    k = max(0, min(len(sorted_values) - 1, round(p / 100 * (len(sorted_values) - 1))))
    return sorted_values[k]


def run(url: str, users: int, duration: float, headers: dict[str, str], warmup: float = 0.0) -> dict:
    parts = urlsplit(url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    start_at = time.perf_counter() + warmup
    stop_at = start_at + duration
    lock = threading.Lock()
    latencies: list[float] = []
    statuses: dict[str, int] = {}
    errors: list[str] = []
    body_bytes = [0]
    last_end = [start_at]

    def user() -> None:
        conn = http.client.HTTPConnection(parts.hostname, parts.port or 80, timeout=30)
        mine: list[float] = []
        my_status: dict[str, int] = {}
        my_bytes = 0
        my_last = start_at
        while True:
            begun = time.perf_counter()
            if begun >= stop_at:
                break
            try:
                conn.request("GET", path, headers=headers)
                response = conn.getresponse()
                body = response.read()
                if response.will_close:
                    conn.close()
            except (OSError, http.client.HTTPException) as exc:
                conn.close()
                with lock:
                    errors.append(f"{type(exc).__name__}: {exc}")
                time.sleep(0.05)
                continue
            ended = time.perf_counter()
            if begun >= start_at:
                my_last = ended
                mine.append((ended - begun) * 1000)
                key = str(response.status)
                my_status[key] = my_status.get(key, 0) + 1
                my_bytes += len(body)
        conn.close()
        with lock:
            latencies.extend(mine)
            for k, v in my_status.items():
                statuses[k] = statuses.get(k, 0) + v
            body_bytes[0] += my_bytes
            last_end[0] = max(last_end[0], my_last)

    threads = [threading.Thread(target=user, daemon=True) for _ in range(users)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=duration + warmup + 60)
    latencies.sort()
    n = len(latencies)
    elapsed = max(last_end[0] - start_at, duration)
    return {
        "users": users,
        "duration_s": round(elapsed, 2),
        "requests": n,
        "errors": len(errors),
        "error_sample": errors[:3],
        "status": statuses,
        "rps": round(n / elapsed, 2),
        "p50_ms": round(percentile(latencies, 50), 1),
        "p95_ms": round(percentile(latencies, 95), 1),
        "p99_ms": round(percentile(latencies, 99), 1),
        "mean_ms": round(statistics.fmean(latencies), 1) if latencies else 0.0,
        "max_ms": round(latencies[-1], 1) if latencies else 0.0,
        "mean_bytes": round(body_bytes[0] / n) if n else 0,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--users", type=int, default=1)
    parser.add_argument("--duration", type=float, default=10.0)
    parser.add_argument("--warmup", type=float, default=1.0)
    parser.add_argument("--header", action="append", default=[], help='"Name: value", repeatable')
    args = parser.parse_args(argv)
    headers = {"Accept-Encoding": "identity"}
    for h in args.header:
        name, _, value = h.partition(":")
        headers[name.strip()] = value.strip()
    json.dump(run(args.url, args.users, args.duration, headers, args.warmup), sys.stdout)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
