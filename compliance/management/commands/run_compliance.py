import datetime

from django.core.management.base import BaseCommand, CommandError

from compliance.checks import registered
from compliance.services import sweep


class Command(BaseCommand):
    help = (
        "Run the compliance sweep (K1–K10) now, as the nightly compliance.sweep_task does, and print a summary "
        "per rule: subjects found, findings opened (new or reopened), closed, and any error."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--rule",
            action="append",
            dest="rules",
            metavar="K3",
            help="Run only this rule; repeat for several (default: every registered rule).",
        )
        parser.add_argument("--date", help="Check as of this day, YYYY-MM-DD (default: today in Shanghai).")

    def handle(self, *args, rules=None, date=None, **options):
        known = list(registered())
        rules = [r.upper() for r in rules] if rules else None
        unknown = [r for r in rules or [] if r not in known]
        if unknown:
            raise CommandError(f"Unknown rule(s): {', '.join(unknown)}. Registered: {', '.join(known)}.")
        try:
            today = datetime.date.fromisoformat(date) if date else None
        except ValueError as exc:
            raise CommandError(f"--date must be YYYY-MM-DD: {date!r}") from exc
        results = sweep(today=today, rules=rules)
        self.stdout.write(f"{'rule':<5} {'found':>6} {'opened':>7} {'closed':>7}  error")
        for r in results:
            self.stdout.write(f"{r.rule:<5} {r.found:>6} {r.opened:>7} {r.closed:>7}  {r.error}")
        failed = [r.rule for r in results if r.error]
        if failed:
            self.stderr.write(self.style.ERROR(f"Failed: {', '.join(failed)}"))
