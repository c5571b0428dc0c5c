from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from catalog.services import edition_import
from core.actors import SYSTEM
from core.tabular import read_table


class Command(BaseCommand):
    help = "Import a catalogue edition from an xlsx or CSV file (C3): all rows or none."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--code", required=True)
        parser.add_argument("--name-zh", required=True)
        parser.add_argument("--name-en", required=True)
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--description", default="")
        parser.add_argument("--current", action="store_true", help="make it the current edition")
        parser.add_argument("--replace", action="store_true", help="replace an edition with this code not yet in use")

    def handle(self, *args, **o):
        path = Path(o["file"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        try:
            edition = edition_import(
                actor=SYSTEM,
                code=o["code"],
                name_zh=o["name_zh"],
                name_en=o["name_en"],
                year=o["year"],
                description=o["description"],
                is_current=o["current"],
                replace=o["replace"],
                rows=read_table(path.read_bytes(), path.name),
            )
        except ValidationError as exc:
            raise CommandError("\n".join(exc.messages)) from exc
        self.stdout.write(f"Imported {edition.code}: {edition.items.count()} sub-items")
