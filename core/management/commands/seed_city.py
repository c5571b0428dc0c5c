import time

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

from core.city import CITY_PASSWORD, seed_all


class Command(BaseCommand):
    help = (
        "Build a reproducible Suzhou-sized city for load tests (issue 14): at --scale 1 ten districts, 100 towns, "
        "2,100 communities, 113 agencies, 1,800 staff, 100 packages with plans, 2,400 monthly reports, 1,000 focus "
        "issues, evaluations and money. --scale 10 multiplies everything but the districts. Needs an empty "
        "database (or --flush, which deletes every row first)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale", type=float, default=1, help="1 = Suzhou today; 10 = ten times the towns; 0.05 = five towns"
        )
        parser.add_argument("--seed", type=int, default=14, help="random seed (same seed, same city)")
        parser.add_argument("--flush", action="store_true", help="delete every row of every table first")

    def handle(self, *args, scale: float, seed: int, flush: bool, **options):
        from directory.models import User

        if scale <= 0:
            raise CommandError("--scale must be more than 0.")
        if flush:
            call_command("flush", "--noinput", verbosity=0)
        elif User.objects.filter(username="city-bureau").exists():
            raise CommandError("This database already holds a generated city; run again with --flush.")
        started = time.perf_counter()
        ctx = seed_all(scale=scale, seed=seed, today=timezone.localdate(), out=self.stdout.write)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        elapsed = time.perf_counter() - started
        self.stdout.write(f"City at scale {scale:g} (seed {seed}) built in {elapsed:.1f} s on {connection.vendor}:")
        for name, n in ctx.counts.items():
            self.stdout.write(f"  {n:>9,} {name}")
        self.stdout.write(
            f"Log in with password {CITY_PASSWORD} as city-bureau, city-district-<code>, city-town-<code>, "
            "city-community-<code>, city-agency-<n>, city-worker-<n>, city-evaluator-<n>, city-fund-<district code>."
        )
