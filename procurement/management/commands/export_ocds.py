import os
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from procurement.services.ocds import release_package, release_package_json, validate_release_package
from procurement.services.ocds_bulk import Releases


class Command(BaseCommand):
    help = (
        "Write OCDS 1.1.5 release packages of the public tenders (T6): with --output-dir, one gzip-compressed "
        "package per year (<year>.json.gz, the same bytes as /ocds/releases/<year>.json.gz); with --output, the "
        "single package of every release as UTF-8 JSON."
    )

    def add_arguments(self, parser):
        target = parser.add_mutually_exclusive_group(required=True)
        target.add_argument("--output-dir", "-d", help="Directory to write <year>.json.gz into (created if missing).")
        target.add_argument(
            "--output", "-o", help="File to write the single package of every release to; '-' is standard output."
        )
        parser.add_argument(
            "--base-url",
            default=getattr(settings, "OCDS_BASE_URL", "") or "http://localhost:8000",
            help="Public address of the site, used for the packages' uri (default: %(default)s).",
        )
        parser.add_argument(
            "--validate",
            action="store_true",
            help="Check each package against the shipped OCDS 1.1.5 schema first; write nothing if one fails.",
        )

    def handle(self, *args, output: str | None, output_dir: str | None, base_url: str, validate: bool, **options):
        base_url = base_url.rstrip("/")
        if output_dir is not None:
            self._write_years(Path(output_dir), base_url, validate)
            return
        uri = base_url + reverse("procurement:ocds-release-package")
        package = release_package(uri=uri)
        if validate:
            self._validate(package, output)
        text = release_package_json(package)
        if output == "-":
            self.stdout.write(text, ending="")
            return
        self._write(Path(output), text.encode("utf-8"))
        self.stderr.write(f"{len(package['releases'])} releases written to {output}")

    def _write_years(self, directory: Path, base_url: str, validate: bool) -> None:
        releases = Releases()
        files = {}
        for year in releases.years:
            uri = base_url + reverse("ocds:release-year", args=[year])
            if validate:
                self._validate(releases.year_package(year, uri=uri), f"{year}.json.gz")
            files[year] = releases.year_file(year, uri=uri)
        for year, data in files.items():
            self._write(directory / f"{year}.json.gz", data)
            self.stderr.write(
                f"{len(releases.year(year))} releases of {year} written to {directory / f'{year}.json.gz'}"
            )
        if not files:
            directory.mkdir(parents=True, exist_ok=True)
            self.stderr.write("No public releases: nothing written.")

    def _validate(self, package: dict, name: str) -> None:
        try:
            errors = validate_release_package(package)
        except ImportError as exc:
            raise CommandError(f"--validate needs the jsonschema package (pip install jsonschema): {exc}") from exc
        if errors:
            raise CommandError(f"{name} does not match the OCDS 1.1.5 schema:\n" + "\n".join(errors))

    def _write(self, path: Path, data: bytes) -> None:
        # Write beside the target and rename, so a reader never sees a half-written file.
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
            with os.fdopen(fd, "wb") as f:
                f.write(data)
            os.chmod(tmp, 0o644)
            os.replace(tmp, path)
        except OSError as exc:
            raise CommandError(f"Cannot write {path}: {exc}") from exc
