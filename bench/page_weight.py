"""Page weight of the pages a worker files a monthly report through, as a phone downloads them: the HTML as the
platform sends it (gzip, core.middleware.CompressTextMiddleware) and every stylesheet and script the page
names, compressed as WhiteNoise serves them in production (gzip level 9 and brotli, made at collectstatic).

    DATABASE_URL=… python bench/page_weight.py                 # the data in that database (make run's demo)
    python bench/page_weight.py --bench-scale 40               # a throw-away SQLite city from bench/datagen.py

First visit: the HTML and every asset. Repeat visit: the HTML only — in production the assets have hashed names
and WhiteNoise lets browsers keep them for ten years, so a phone asks for them once. Numbers go to
docs/PERFORMANCE.md by hand. With the demo data it uses the `worker` login and its package's newest report
that can still be edited (if there is none, one is started for the running month, or a correction of the newest
confirmed report: this writes to the database).
"""

from __future__ import annotations

import argparse
import gzip
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ASSET = re.compile(r'<(?:link rel="stylesheet" href|script src)="([^"]+)"')


def _sizes(data: bytes) -> tuple[int, int, int]:
    import brotli

    return len(data), len(gzip.compress(data, 9, mtime=0)), len(brotli.compress(data))


def _assets(html: str) -> list[tuple[str, tuple[int, int, int]]]:
    from django.conf import settings
    from django.contrib.staticfiles import finders

    found = []
    for url in ASSET.findall(html):
        path = finders.find(url.removeprefix("/").removeprefix(settings.STATIC_URL.strip("/") + "/"))
        found.append((url, _sizes(Path(path).read_bytes())))
    return found


def _page(client, url: str) -> dict:
    response = client.get(url, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert response.status_code == 200, (url, response.status_code)
    sent = response.content
    html = gzip.decompress(sent) if response.get("Content-Encoding") == "gzip" else sent
    return {"html_raw": len(html), "html_sent": len(sent), "assets": _assets(html.decode())}


def _report_for(user):
    """The newest editable report of a package the user may file for; started for the running month if none."""
    from django.utils import timezone

    from delivery.models import ServiceReport
    from delivery.permissions import can_file_report
    from delivery.services.reports import report_correct, report_create
    from procurement.models import ServicePackage

    editable = ServiceReport.objects.filter(status__in=["draft", "returned"]).order_by("-year", "-month", "-pk")
    for report in editable.select_related("package"):
        if can_file_report(user, report.package):
            return report
    today = timezone.localdate()
    for package in ServicePackage.objects.order_by("pk"):
        if not can_file_report(user, package):
            continue
        if not package.reports.filter(year=today.year, month=today.month).exists():
            return report_create(actor=user, package=package, year=today.year, month=today.month)
        # The running month is filed already (bench/datagen.py confirms every month): correct the newest report.
        newest = package.reports.filter(status="confirmed").order_by("-year", "-month").first()
        if newest:
            return report_correct(actor=user, report=newest)
    raise SystemExit(f"{user} may file for no package")


def measure(username: str) -> None:
    from django.test import Client
    from django.urls import reverse

    from directory.models import User

    user = User.objects.get(username=username)
    report = _report_for(user)
    client = Client()
    client.force_login(user)
    pages = [
        ("report form", reverse("delivery:report-edit", args=[report.pk])),
        ("report list", reverse("delivery:report-list", args=[report.package_id])),
        ("progress page", reverse("delivery:package-progress", args=[report.package_id])),
        ("home", reverse("directory:home")),
    ]
    print(f"{username}: report {report} ({report.lines.count()} lines)")
    print(
        f"{'page':14} {'HTML raw':>9} {'HTML gz':>8} {'assets raw':>10} {'assets gz':>9} {'assets br':>9}"
        f" {'first (gz)':>10} {'first (br)':>10} {'repeat':>7}"
    )
    for name, url in pages:
        page = _page(client, url)
        raw = sum(s[0] for _, s in page["assets"])
        gz = sum(s[1] for _, s in page["assets"])
        br = sum(s[2] for _, s in page["assets"])
        print(
            f"{name:14} {page['html_raw']:>9} {page['html_sent']:>8} {raw:>10} {gz:>9} {br:>9}"
            f" {page['html_sent'] + gz:>10} {page['html_sent'] + br:>10} {page['html_sent']:>7}"
        )
        if name == "report form":
            for url_, sizes in page["assets"]:
                print(f"    {url_:48} raw {sizes[0]:>7}  gz {sizes[1]:>6}  br {sizes[2]:>6}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--user", default="worker", help="the login to measure as (demo data: worker)")
    parser.add_argument("--bench-scale", type=int, help="build bench/datagen.py's city at this scale first")
    args = parser.parse_args()
    from bench.run import setup_django

    setup_django()
    username = args.user
    if args.bench_scale:
        from django.core.management import call_command

        from bench.datagen import generate

        call_command("migrate", verbosity=0)
        call_command("flush", "--noinput", verbosity=0)
        username = generate(args.bench_scale)["agency_manager"].username
    measure(username)
    return 0


if __name__ == "__main__":
    sys.exit(main())
