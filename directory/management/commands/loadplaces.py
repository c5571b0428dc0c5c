from django.core.management.base import BaseCommand

from directory.services import places_load


class Command(BaseCommand):
    help = "Load Suzhou's districts and towns (D1). Safe to run twice."

    def handle(self, *args, **options):
        counts = places_load()
        self.stdout.write(
            f"Places: {counts['districts']} districts, {counts['towns']} towns, {counts['communities']} communities"
        )
