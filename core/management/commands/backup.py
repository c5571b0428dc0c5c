from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.backup import BackupError, backup


class Command(BaseCommand):
    help = (
        "Back up the platform into an empty directory: the PostgreSQL database (pg_dump --format=custom, "
        "database.dump) and every private file a row refers to, read through the storage (local directory or "
        "S3 bucket) into files/, with manifest.json (sizes, SHA-256). docs/DEPLOYMENT.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", required=True, help="directory to write (absent or empty)")
        parser.add_argument(
            "--files-only", action="store_true", help="only the files (the database is dumped another way)"
        )

    def handle(self, *args, output: str, files_only: bool, **options):
        try:
            manifest = backup(Path(output), database=not files_only)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        size = sum(entry["size"] for entry in manifest["files"])
        self.stdout.write(
            f"{output}: database {'dumped' if manifest['database'] else 'not included'}, "
            f"{len(manifest['files'])} files ({size} bytes)"
        )
        if manifest["missing"]:
            self.stderr.write(
                f"{len(manifest['missing'])} files referred to by rows were missing from the storage "
                f"(listed in manifest.json): {', '.join(manifest['missing'][:5])}"
            )
