"""F3 for packages that started before the money module (or without a split yet): generate every active
package's payment schedule from its round's template. Safe to run again: existing instalments are kept."""

from django.core.management.base import BaseCommand

from funds import services
from procurement.models import ServicePackage


class Command(BaseCommand):
    help = "Generate the payment schedule (F3) of every active package that lacks one."

    def handle(self, *args, **options):
        created = 0
        packages = ServicePackage.objects.filter(status=ServicePackage.Status.ACTIVE).select_related(
            "contract", "round"
        )
        for package in packages:
            created += len(services.schedule_generate(package=package))
        self.stdout.write(f"{created} instalments generated for {packages.count()} active packages.")
