"""Compliance (K1–K10): what the nightly sweep found, what the responsible party did about it, and each check's
last run.

K8: a finding is one row per rule × subject (`subject_key`). A re-run updates the row; a finding whose
condition cleared is closed by the sweep; a closed one whose condition comes back is reopened (same row).
The responsible party answers with its rectification (整改); the bureau may waive with a reason. Every such
step is a `FindingEvent`, the finding's history."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.uploads import private_upload_to
from directory.models import Community, District, Organisation, Town
from procurement.models import ServicePackage


class Rule(models.TextChoices):
    K1 = "K1", _("人员配备")
    K2 = "K2", _("证书与资质到期")
    K3 = "K3", _("月报逾期")
    K4 = "K4", _("服务覆盖")
    K5 = "K5", _("服务项目滞后")
    K6 = "K6", _("评估逾期")
    K7 = "K7", _("资金拨付与预算")
    K9 = "K9", _("佐证材料重复使用")
    K10 = "K10", _("抽查评估")


class Finding(models.Model):
    class Severity(models.TextChoices):
        INFO = "info", _("提示")
        WARNING = "warning", _("警告")
        CRITICAL = "critical", _("严重")

    class Status(models.TextChoices):
        OPEN = "open", _("待整改")
        RESPONDED = "responded", _("已整改待核实")
        WAIVED = "waived", _("已豁免")
        CLOSED = "closed", _("已消除")

    rule = models.CharField(_("规则"), max_length=4, choices=Rule.choices)
    # The subject, as a stable key ("package:12", "staff:7:certificate", "attachments:3:9"): one row per rule × key.
    subject_key = models.CharField(_("对象标识"), max_length=120)
    severity = models.CharField(_("严重程度"), max_length=10, choices=Severity.choices, default=Severity.WARNING)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True)
    message = models.TextField(_("问题说明"))
    details = models.JSONField(_("明细"), default=dict, blank=True)
    # Where the subject lives, for the link and for scoping who sees the finding.
    url = models.CharField(_("对象链接"), max_length=300, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="findings",
        verbose_name=_("责任单位"),
    )
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("区（县级市）")
    )
    town = models.ForeignKey(
        Town, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("街道（镇）")
    )
    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("社区（村）")
    )
    package = models.ForeignKey(
        ServicePackage,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="findings",
        verbose_name=_("服务项目包"),
    )
    first_seen_at = models.DateTimeField(_("首次发现"))
    last_seen_at = models.DateTimeField(_("最近发现"))
    closed_at = models.DateTimeField(_("关闭时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("合规问题")
        verbose_name_plural = _("合规问题")
        ordering = ["-last_seen_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["rule", "subject_key"], name="finding_one_per_rule_subject"),
            models.CheckConstraint(
                condition=models.Q(rule__in=["K1", "K2", "K3", "K4", "K5", "K6", "K7", "K9", "K10"]),
                name="finding_rule_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["open", "responded"], closed_at__isnull=True)
                | models.Q(status__in=["waived", "closed"], closed_at__isnull=False),
                name="finding_closed_iff_closed_at",
            ),
        ]
        indexes = [models.Index(fields=["rule", "status"], name="finding_rule_status")]

    def __str__(self) -> str:
        return f"{self.rule} · {self.subject_key}"

    def get_absolute_url(self) -> str:
        return reverse("compliance:finding-detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class FindingEvent(models.Model):
    """The finding's history: opened, rectification answered, waived (with reason), closed, reopened."""

    class Kind(models.TextChoices):
        OPENED = "opened", _("发现")
        RESPONDED = "responded", _("整改说明")
        WAIVED = "waived", _("豁免")
        CLOSED = "closed", _("已消除")
        REOPENED = "reopened", _("再次出现")

    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="events", verbose_name=_("合规问题"))
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    # None: the sweep (core.actors.SYSTEM).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("操作人"),
    )
    text = models.TextField(_("说明"), blank=True)
    attachment = models.FileField(_("附件"), upload_to=private_upload_to, blank=True)
    attachment_name = models.CharField(_("附件名称"), max_length=200, blank=True)
    attachment_content_type = models.CharField(_("附件类型"), max_length=50, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("合规问题记录")
        verbose_name_plural = _("合规问题记录")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.finding} · {self.get_kind_display()}"


class CheckRun(models.Model):
    """One row per rule: the lock two sweeps queue on (K8: concurrent sweeps leave the findings of one) and
    the last run's summary."""

    rule = models.CharField(_("规则"), max_length=4, choices=Rule.choices, unique=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    found = models.PositiveIntegerField(_("发现"), default=0)
    opened = models.PositiveIntegerField(_("新增"), default=0)
    closed = models.PositiveIntegerField(_("关闭"), default=0)
    error = models.TextField(_("错误"), blank=True)

    class Meta:
        verbose_name = _("检查运行")
        verbose_name_plural = _("检查运行")
        ordering = ["rule"]

    def __str__(self) -> str:
        return self.rule
