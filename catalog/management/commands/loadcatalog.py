from django.core.management.base import BaseCommand

from catalog.services import load_shipped_editions
from core.actors import SYSTEM


class Command(BaseCommand):
    help = "Load the shipped service catalogue editions (2016 pilot, 2018 new round). Safe to run twice."

    def handle(self, *args, **options):
        for edition, created in load_shipped_editions(actor=SYSTEM):
            state = "loaded" if created else "already present"
            self.stdout.write(
                f"{edition.code}: {state} — {edition.categories.count()} categories, "
                f"{edition.items.count()} sub-items, "
                f"{sum(item.tasks.count() for item in edition.items.all())} small items"
            )
