from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# The rows the cached city and dashboard figures are made of (reporting/caching.py): a write to any of them forgets the figures.
FIGURE_SOURCES = [
    "directory.District",
    "directory.Town",
    "directory.Community",
    "directory.Organisation",
    "procurement.Round",  # lagging threshold, report due day
    "procurement.Agency",
    "procurement.QualificationApplication",
    "procurement.StaffMember",
    "procurement.Certificate",
    "procurement.ServicePackage",
    "procurement.StaffAssignment",
    "delivery.FocusIssue",
    "delivery.ServicePlan",
    "delivery.PlanItem",
    "delivery.ServiceReport",
    "delivery.ReportLine",
    "evaluation.Evaluation",
]
FIGURE_SOURCE_APPS = ["funds"]  # every model: budgets, splits, instalments, payments, community funds, ledgers


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = _("统计与报告")

    def ready(self) -> None:
        from django.apps import apps
        from django.db.models.signals import post_delete, post_save

        from . import dashboard, navigation  # noqa: F401  (register the home page's figures, the statistics link)
        from .caching import invalidate

        models = [apps.get_model(label) for label in FIGURE_SOURCES]
        models += [m for label in FIGURE_SOURCE_APPS for m in apps.get_app_config(label).get_models()]
        for model in models:
            for signal in (post_save, post_delete):
                signal.connect(invalidate, sender=model, dispatch_uid=f"reporting-figures-{model._meta.label}")
