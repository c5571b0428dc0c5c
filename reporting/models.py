"""Rendered PDF reports (R1–R5): one row per render asked for — its subject, who asked and when, its status
(queued → rendering → ready, or failed with the reason), the PDF in private storage and a fingerprint of the data
it was built from, so a page can tell that the data changed since and offer a fresh render."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.uploads import private_upload_to


class ReportFile(models.Model):
    class Kind(models.TextChoices):
        R1 = "r1", _("评估报告")
        R2 = "r2", _("项目进度报告")
        R3 = "r3", _("全市年度报告")
        R4 = "r4", _("合规检查报告")
        R5 = "r5", _("服务计划审定版")

    class Status(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RENDERING = "rendering", _("生成中")
        READY = "ready", _("已生成")
        FAILED = "failed", _("生成失败")

    ACTIVE = (Status.QUEUED, Status.RENDERING)

    kind = models.CharField(_("报告类型"), max_length=2, choices=Kind.choices)
    # The subject: one of these, by kind (R1 evaluation, R2 package + period, R3 year, R5 plan).
    evaluation = models.ForeignKey(
        "evaluation.Evaluation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="report_files",
        verbose_name=_("评估"),
    )
    package = models.ForeignKey(
        "procurement.ServicePackage",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="report_files",
        verbose_name=_("服务项目"),
    )
    plan = models.ForeignKey(
        "delivery.ServicePlan",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="report_files",
        verbose_name=_("服务计划"),
    )
    year = models.PositiveSmallIntegerField(_("年度"), null=True, blank=True)
    month = models.PositiveSmallIntegerField(_("月份"), null=True, blank=True)
    # kind + subject + period in one string, so "one render at a time per report" is a plain partial unique index
    # (NULLs in the separate columns would never collide).
    subject_key = models.CharField(_("报告标识"), max_length=100, editable=False)

    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    error = models.TextField(_("失败原因"), blank=True)
    file = models.FileField(_("PDF 文件"), upload_to=private_upload_to, blank=True)
    size = models.PositiveIntegerField(_("文件大小（字节）"), null=True, blank=True)
    data_fingerprint = models.CharField(_("数据指纹"), max_length=64, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("申请人"),
    )
    requested_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    rendered_at = models.DateTimeField(_("生成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("PDF 报告")
        verbose_name_plural = _("PDF 报告")
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["subject_key"],
                condition=models.Q(status__in=["queued", "rendering"]),
                name="reportfile_one_render_at_a_time",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="ready") | (models.Q(rendered_at__isnull=False) & ~models.Q(file="")),
                name="reportfile_ready_has_file",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="r1") | models.Q(evaluation__isnull=False),
                name="reportfile_r1_has_evaluation",
            ),
        ]
        indexes = [models.Index(fields=["subject_key", "-requested_at"], name="reportfile_subject_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE

    @property
    def filename(self) -> str:
        return f"{self.kind}-{self.subject_key.split(':', 1)[-1].replace('=', '-').replace(',', '_')}-{self.pk}.pdf"
