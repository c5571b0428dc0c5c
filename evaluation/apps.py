from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "evaluation"
    verbose_name = _("考核与评估")

    def ready(self) -> None:
        from . import (  # noqa: F401  (registers home sections, nav links, seeders, past performance)
            demo,
            home_sections,
            navigation,
            past_performance,
        )
