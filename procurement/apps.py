from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProcurementConfig(AppConfig):
    name = "procurement"
    verbose_name = _("采购：机构、资格、招投标与项目包")

    def ready(self) -> None:
        from . import demo, home_sections, navigation, search  # noqa: F401  (registers hooks)
