"""Before/after table of two load-test result files (bench/results/*.json), for docs/PERFORMANCE.md:

python bench/loadtest/compare.py bench/results/2026-12-02-before.json bench/results/2026-12-02.json
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def compare(before: dict, after: dict) -> str:
    lines = [
        "| endpoint | users | req/s before → after | p95 ms before → after | ceiling_ratio before → after |",
        "|---|---|---|---|---|",
    ]
    after_by_name = {r["name"]: r for r in after["results"]}
    for old in before["results"]:
        new = after_by_name.get(old["name"])
        if new is None:
            continue
        for n, o in old["runs"].items():
            a = new["runs"].get(n)
            if a is None:
                continue
            ratio_o = old.get("ceiling_ratio", {}).get(n, "—")
            ratio_a = new.get("ceiling_ratio", {}).get(n, "—")
            lines.append(
                f"| {old['name']} | {n} | {o['rps']} → {a['rps']} | {o['p95_ms']} → {a['p95_ms']} | {ratio_o} → {ratio_a} |"
            )
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    before, after = (json.loads(Path(p).read_text(encoding="utf-8")) for p in argv[:2])
    print(compare(before, after))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
