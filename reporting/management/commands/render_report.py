"""Render a PDF report synchronously, for operators and scripts (no queue, no stored row):

python manage.py render_report r1 --evaluation ID --output report.pdf
python manage.py render_report r1 --package ID --output report.pdf   (the package's latest finalised evaluation)
python manage.py render_report r2 --package ID --year 2026 [--month 5] --output progress.pdf
python manage.py render_report r3 --year 2026 --output city.pdf
python manage.py render_report r5 --package ID --output plan.pdf
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from delivery.models import ServicePlan
from evaluation.models import Evaluation
from procurement.models import ServicePackage
from reporting.documents import r1_document, r2_document, r2_period_problem, r3_document, r3_year_problem, r5_document
from reporting.models import ReportFile


class Command(BaseCommand):
    help = "Render a PDF report (r1…r5) synchronously to a file."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=ReportFile.Kind.values)
        parser.add_argument("--evaluation", type=int, help="R1: the finalised evaluation's id")
        parser.add_argument("--package", type=int, help="R1: its latest finalised evaluation; R5: its plan")
        parser.add_argument("--plan", type=int, help="R5: the plan's id")
        parser.add_argument("--year", type=int)
        parser.add_argument("--month", type=int)
        parser.add_argument("--output", required=True, help="where to write the PDF")

    def handle(self, *args, kind, evaluation, package, plan, output, year, month, **options):
        if kind == ReportFile.Kind.R5:
            return self._r5(package=package, plan=plan, output=output)
        if kind == ReportFile.Kind.R2:
            return self._r2(package=package, year=year, month=month, output=output)
        if kind == ReportFile.Kind.R3:
            return self._r3(year=year, output=output)
        if kind != ReportFile.Kind.R1:
            raise CommandError(f"{kind} is not available yet (r4 arrives with compliance)")
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

    def _r5(self, *, package, plan, output):
        plans = ServicePlan.objects.select_related("package__town", "package__agency__organisation").filter(
            version__gt=0
        )
        if plan is not None:
            subject = plans.filter(pk=plan).first()
        elif package is not None:
            subject = plans.filter(package_id=package).first()
        else:
            raise CommandError("r5 needs --plan ID or --package ID")
        if subject is None:
            raise CommandError("no approved plan found (R5 prints a plan's approved version, P7)")
        pdf = r5_document(subject).render()
        Path(output).write_bytes(pdf)
        self.stdout.write(f"{output}: {len(pdf)} bytes")

    def _write(self, document, output):
        pdf = document.render()
        Path(output).write_bytes(pdf)
        self.stdout.write(f"{output}: {len(pdf)} bytes")

    def _r2(self, *, package, year, month, output):
        if package is None or year is None:
            raise CommandError("r2 needs --package ID and --year Y (and --month M for one month)")
        subject = (
            ServicePackage.objects.select_related("town__district", "agency__organisation", "round")
            .filter(pk=package)
            .first()
        )
        if subject is None:
            raise CommandError(f"no package {package}")
        problem = r2_period_problem(subject, year, month)
        if problem:
            raise CommandError(" ".join(str(m) for m in problem.values()))
        self._write(r2_document(subject, year, month), output)

    def _r3(self, *, year, output):
        if year is None:
            raise CommandError("r3 needs --year Y")
        problem = r3_year_problem(year)
        if problem:
            raise CommandError(str(problem))
        self._write(r3_document(year), output)
