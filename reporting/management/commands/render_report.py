"""Render a PDF report synchronously, for operators and scripts (no queue, no stored row):

python manage.py render_report r1 --evaluation ID --output report.pdf
python manage.py render_report r1 --package ID --output report.pdf   (the package's latest finalised evaluation)
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from evaluation.models import Evaluation
from reporting.documents import r1_document
from reporting.models import ReportFile


class Command(BaseCommand):
    help = "Render a PDF report (r1…r5) synchronously to a file."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=ReportFile.Kind.values)
        parser.add_argument("--evaluation", type=int, help="R1: the finalised evaluation's id")
        parser.add_argument("--package", type=int, help="R1: the package id (its latest finalised evaluation)")
        parser.add_argument("--year", type=int)
        parser.add_argument("--month", type=int)
        parser.add_argument("--output", required=True, help="where to write the PDF")

    def handle(self, *args, kind, evaluation, package, output, **options):
        if kind != ReportFile.Kind.R1:
            raise CommandError(f"{kind} is not available yet (only r1)")
        finalised = Evaluation.objects.filter(status=Evaluation.Status.FINALISED)
        if evaluation is not None:
            subject = finalised.filter(pk=evaluation).first()
        elif package is not None:
            subject = finalised.filter(package_id=package).order_by("-finalised_at", "-pk").first()
        else:
            raise CommandError("r1 needs --evaluation ID or --package ID")
        if subject is None:
            raise CommandError("no finalised evaluation found (R1 exists only once the bureau finalised it, A5)")
        pdf = r1_document(subject).render()
        Path(output).write_bytes(pdf)
        self.stdout.write(f"{output}: {len(pdf)} bytes")
