from django.core.management.base import BaseCommand

from core.demo import seed_all


class Command(BaseCommand):
    help = "Create demo places, organisations and one user of every role, then print their logins. Safe to run twice."

    def handle(self, *args, **options):
        ctx = seed_all()
        self.stdout.write("Demo data ready. Log in at http://127.0.0.1:8000/ as:")
        for line in ctx.lines:
            self.stdout.write(line)
