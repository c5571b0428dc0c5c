from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplianceConfig(AppConfig):
    name = "compliance"
    verbose_name = _("合规检查")

    def ready(self) -> None:
        from . import demo  # noqa: F401  (registers the seed_demo step)
        from .checks import load_all

        load_all()
