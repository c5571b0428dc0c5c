import os
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from procurement.services.ocds import release_package, release_package_json, validate_release_package


class Command(BaseCommand):
    help = (
        "Write the OCDS 1.1.5 release package of every public tender (T6) as UTF-8 JSON — the same document "
        "as /procurement/public/ocds/releases.json."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", "-o", required=True, help="File to write; '-' writes to standard output.")
        parser.add_argument(
            "--base-url",
            default=getattr(settings, "OCDS_BASE_URL", "") or "http://localhost:8000",
            help="Public address of the site, used for the package's uri (default: %(default)s).",
        )
        parser.add_argument(
            "--validate",
            action="store_true",
            help="Check the package against the shipped OCDS 1.1.5 schema first; write nothing if it fails.",
        )

    def handle(self, *args, output: str, base_url: str, validate: bool, **options):
        uri = base_url.rstrip("/") + reverse("procurement:ocds-release-package")
        package = release_package(uri=uri)
        if validate:
            try:
                errors = validate_release_package(package)
            except ImportError as exc:
                raise CommandError(f"--validate needs the jsonschema package (pip install jsonschema): {exc}") from exc
            if errors:
                raise CommandError("The package does not match the OCDS 1.1.5 schema:\n" + "\n".join(errors))
        text = release_package_json(package)
        if output == "-":
            self.stdout.write(text, ending="")
            return
        self._write(Path(output), text)
        self.stderr.write(f"{len(package['releases'])} releases written to {output}")

    def _write(self, path: Path, text: str) -> None:
        # Write beside the target and rename, so a reader never sees a half-written file.
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(text)
            os.chmod(tmp, 0o644)
            os.replace(tmp, path)
        except OSError as exc:
            raise CommandError(f"Cannot write {path}: {exc}") from exc
