from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundsConfig(AppConfig):
    name = "funds"
    verbose_name = _("资金")

    def ready(self) -> None:
        from . import demo, home_sections, navigation  # noqa: F401  (registers home sections, nav links, seeders)
