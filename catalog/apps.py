from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "catalog"
    verbose_name = _("服务目录")

    def ready(self) -> None:
        from . import home_sections  # noqa: F401  (registers the home-page sections)
