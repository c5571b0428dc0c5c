from django.core.management.base import BaseCommand

from delivery.services.reports import report_attachments_hash_backfill


class Command(BaseCommand):
    help = (
        "K9: compute the perceptual hash of report photos (JPG, PNG) uploaded before hashes were kept; "
        "files missing from storage are skipped. Safe to run again."
    )

    def handle(self, *args, **options):
        result = report_attachments_hash_backfill()
        self.stdout.write(
            f"hashed {result.hashed} attachment(s); {result.missing} file(s) missing; "
            f"{result.unreadable} unreadable image(s)"
        )
