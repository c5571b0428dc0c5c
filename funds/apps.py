from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundsConfig(AppConfig):
    name = "funds"
    verbose_name = _("资金")

    def ready(self) -> None:
        from . import (  # noqa: F401  (registers home, nav, seeders, statistics)
            demo,
            home_sections,
            navigation,
            statistics,
        )
