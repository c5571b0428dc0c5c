from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeliveryConfig(AppConfig):
    name = "delivery"
    verbose_name = _("服务交付：计划、月报与焦点问题")

    def ready(self) -> None:
        from . import demo, home_sections, navigation, search  # noqa: F401  (registers hooks)
