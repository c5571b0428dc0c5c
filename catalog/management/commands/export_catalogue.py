from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from catalog.models import CatalogueEdition
from catalog.services import export_csv, export_xlsx


class Command(BaseCommand):
    help = "Export a catalogue edition as xlsx or CSV (chosen by the output file's extension)."

    def add_arguments(self, parser):
        parser.add_argument("code")
        parser.add_argument("--output", required=True)

    def handle(self, *args, **o):
        edition = CatalogueEdition.objects.filter(code=o["code"]).first()
        if edition is None:
            raise CommandError(f"No edition with code {o['code']!r}")
        out = Path(o["output"])
        if out.suffix.lower() == ".xlsx":
            out.write_bytes(export_xlsx(edition))
        elif out.suffix.lower() == ".csv":
            out.write_bytes(export_csv(edition))
        else:
            raise CommandError("The output file must end in .xlsx or .csv")
        self.stdout.write(f"Wrote {out}")
