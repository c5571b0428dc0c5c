from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Restore a directory written by `manage.py backup`: pg_restore into the configured database, which must "
        "be empty (createdb a new one), then every file into the configured storage (local directory or S3 "
        "bucket), each checked against its SHA-256. docs/DEPLOYMENT.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("source", help="backup directory (with manifest.json)")
        parser.add_argument("--files-only", action="store_true", help="only the files (database restored already)")

    def handle(self, *args, source: str, files_only: bool, **options):
        try:
            counts = restore(Path(source), database=not files_only)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"{source}: database {'not ' if files_only else ''}restored, {counts['files_written']} files written, "
            f"{counts['files_present']} already present"
        )
