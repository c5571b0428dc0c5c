from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "catalog"
    verbose_name = _("服务目录")

    def ready(self) -> None:
        from . import demo, home_sections, navigation  # noqa: F401  (registers home sections, nav links, seeders)
