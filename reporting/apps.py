from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = _("统计与报告")

    def ready(self) -> None:
        from . import dashboard, navigation  # noqa: F401  (register the home page's figures, the statistics link)
