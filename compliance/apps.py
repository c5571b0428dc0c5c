from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplianceConfig(AppConfig):
    name = "compliance"
    verbose_name = _("合规检查")

    def ready(self) -> None:
        from . import (  # noqa: F401  (registers the seed_demo step, the home sections and the nav link)
            demo,
            home_sections,
            navigation,
        )
        from .checks import load_all

        load_all()
