from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "directory"
    verbose_name = _("名录：地区、组织与用户")

    def ready(self) -> None:
        from . import demo, home_sections, navigation  # noqa: F401  (registers home sections, nav links, demo)
