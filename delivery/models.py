"""Delivery: service plans with their items, versions, comments and venues (P3–P8), monthly service reports with
lines and attachments (S1–S4), and community focus issues (S5).

The tables keep the names they had when these models lived in procurement (`procurement_*`): the move to this
app was a state-only migration, no data moved."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.uploads import private_upload_to, type_label
from procurement.models import ServicePackage


class ServicePlan(models.Model):
    """A package's service plan (服务计划) moving through the P7 workflow; each approval or amendment
    freezes a PlanVersion snapshot, so the plan's history shows every version."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        SUBMITTED = "submitted", _("待街镇审核")
        TOWN_REVIEWED = "town_reviewed", _("待民政局审批")
        APPROVED = "approved", _("已批准")
        RETURNED = "returned", _("已退回")

    package = models.OneToOneField(
        ServicePackage, on_delete=models.CASCADE, related_name="plan", verbose_name=_("服务项目包")
    )
    status = models.CharField(_("状态"), max_length=15, choices=Status.choices, default=Status.DRAFT, db_index=True)
    version = models.PositiveIntegerField(_("版本"), default=0)
    returned_reason = models.TextField(_("退回原因"), blank=True)
    amendment_reason = models.TextField(_("变更原因"), blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    approved_at = models.DateTimeField(_("批准时间"), null=True, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    history = HistoricalRecords(table_name="procurement_historicalserviceplan")

    class Meta:
        db_table = "procurement_serviceplan"
        verbose_name = _("服务计划")
        verbose_name_plural = _("服务计划")

    def __str__(self) -> str:
        return f"{self.package} · v{self.version}"


class PlanItem(models.Model):
    """Catalogue sub-item × place (the town as a whole, or one community) × annual target for a plan year (P3).
    Off-catalogue items are filed (备案): they count only once the bureau approves them."""

    class FiledStatus(models.TextChoices):
        PENDING = "pending", _("待备案审批")
        APPROVED = "approved", _("已备案")
        REJECTED = "rejected", _("未通过")

    plan = models.ForeignKey(ServicePlan, on_delete=models.CASCADE, related_name="items", verbose_name=_("服务计划"))
    item = models.ForeignKey(
        "catalog.ServiceItem",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plan_items",
        verbose_name=_("目录子项"),
    )
    community = models.ForeignKey(
        "directory.Community",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plan_items",
        verbose_name=_("社区（村）"),
        help_text=_("留空表示街镇层面"),
    )
    year = models.PositiveSmallIntegerField(_("服务年度"), default=1, validators=[MinValueValidator(1)])
    annual_target = models.PositiveIntegerField(_("年度目标"), validators=[MinValueValidator(1)])
    # Filed (备案) off-catalogue items carry their own name, category and unit.
    is_filed = models.BooleanField(_("备案项目"), default=False)
    filed_name = models.CharField(_("备案项目名称"), max_length=100, blank=True)
    filed_category_kind = models.CharField(
        _("备案项目类别"),
        max_length=20,
        blank=True,
        choices=[
            ("basic", _("基础服务类")),
            ("needs_research", _("需求调研类")),
            ("empowerment", _("自治增能类")),
            ("governance", _("焦点治理类")),
        ],
    )
    filed_unit = models.CharField(
        _("备案项目单位"),
        max_length=12,
        blank=True,
        choices=[("session", _("次")), ("attendance", _("人次")), ("household", _("户")), ("case", _("个"))],
    )
    justification = models.TextField(_("备案理由"), blank=True)
    filed_status = models.CharField(_("备案状态"), max_length=10, choices=FiledStatus.choices, blank=True)
    note = models.TextField(_("说明"), blank=True)
    history = HistoricalRecords(table_name="procurement_historicalplanitem")

    class Meta:
        db_table = "procurement_planitem"
        verbose_name = _("服务计划条目")
        verbose_name_plural = _("服务计划条目")
        ordering = ["plan", "year", "community__name", "item__code"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(is_filed=False) & models.Q(item__isnull=False))
                | (models.Q(is_filed=True) & models.Q(item__isnull=True) & ~models.Q(filed_name="")),
                name="plan_item_catalogue_or_filed",
            ),
            models.UniqueConstraint(
                fields=["plan", "item", "community", "year"],
                condition=models.Q(item__isnull=False, community__isnull=False),
                name="plan_item_unique_in_community",
            ),
            models.UniqueConstraint(
                fields=["plan", "item", "year"],
                condition=models.Q(item__isnull=False, community__isnull=True),
                name="plan_item_unique_at_town_level",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.filed_name if self.is_filed else str(self.item.name)

    @property
    def category_kind(self) -> str:
        return self.filed_category_kind if self.is_filed else self.item.category.kind

    @property
    def unit(self) -> str:
        return self.unit_of(self.is_filed, self.filed_unit, self.item.unit if not self.is_filed else "")

    @staticmethod
    def unit_of(is_filed: bool, filed_unit: str, catalogue_unit: str) -> str:
        """The output unit: the filed item's own, else its catalogue item's (also for rows read as plain values)."""
        return filed_unit if is_filed else catalogue_unit

    @property
    def counts(self) -> bool:
        return self.counts_when(self.is_filed, self.filed_status)

    @classmethod
    def counts_when(cls, is_filed: bool, filed_status: str) -> bool:
        """P3: a filed item counts only once the bureau approves it (also for rows read as plain values)."""
        return not is_filed or filed_status == cls.FiledStatus.APPROVED


class PlanVersion(models.Model):
    """A frozen copy of the plan at each approval or amendment (P7)."""

    plan = models.ForeignKey(ServicePlan, on_delete=models.CASCADE, related_name="versions", verbose_name=_("服务计划"))
    number = models.PositiveIntegerField(_("版本号"))
    reason = models.TextField(_("变更原因"), blank=True)
    snapshot = models.JSONField(_("计划内容"))
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("批准人")
    )
    approved_at = models.DateTimeField(_("批准时间"), auto_now_add=True)

    class Meta:
        db_table = "procurement_planversion"
        verbose_name = _("服务计划版本")
        verbose_name_plural = _("服务计划版本")
        ordering = ["plan", "-number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="plan_version_unique_number")]

    def __str__(self) -> str:
        return f"{self.plan.package} · v{self.number}"


class PlanComment(models.Model):
    """A town or community officer's comment during review; community officers comment on their community."""

    plan = models.ForeignKey(ServicePlan, on_delete=models.CASCADE, related_name="comments", verbose_name=_("服务计划"))
    plan_item = models.ForeignKey(
        PlanItem, on_delete=models.CASCADE, null=True, blank=True, related_name="comments", verbose_name=_("计划条目")
    )
    community = models.ForeignKey(
        "directory.Community",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("社区（村）"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("作者")
    )
    text = models.TextField(_("意见"))
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        db_table = "procurement_plancomment"
        verbose_name = _("计划意见")
        verbose_name_plural = _("计划意见")
        ordering = ["plan", "created_at"]

    def __str__(self) -> str:
        return f"{self.author}: {self.text[:30]}"


class Venue(models.Model):
    """A venue the town or a community provides free of charge (P8)."""

    package = models.ForeignKey(
        ServicePackage, on_delete=models.CASCADE, related_name="venues", verbose_name=_("服务项目包")
    )
    community = models.ForeignKey(
        "directory.Community",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="venues",
        verbose_name=_("社区（村）"),
        help_text=_("留空表示街镇提供"),
    )
    name = models.CharField(_("场地名称"), max_length=100)
    address = models.CharField(_("地址"), max_length=200)
    area_m2 = models.DecimalField(
        _("面积（平方米）"), max_digits=8, decimal_places=1, validators=[MinValueValidator(Decimal("0.1"))]
    )
    equipment = models.TextField(_("设施设备"), blank=True)
    is_free = models.BooleanField(_("无偿提供"), default=True)
    history = HistoricalRecords(table_name="procurement_historicalvenue")

    class Meta:
        db_table = "procurement_venue"
        verbose_name = _("服务场地")
        verbose_name_plural = _("服务场地")
        ordering = ["package", "name"]

    def __str__(self) -> str:
        return self.name


# --- Service reports (S1–S4) and focus issues (S5) ----------------------------------------------


class ServiceReport(models.Model):
    """One month's service report of a package (S1). A confirmed report is immutable; a correction is a new
    version that supersedes it and keeps the old one (S3)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        SUBMITTED = "submitted", _("待街镇确认")
        CONFIRMED = "confirmed", _("已确认")
        RETURNED = "returned", _("已退回")
        SUPERSEDED = "superseded", _("已被更正")

    package = models.ForeignKey(
        ServicePackage, on_delete=models.PROTECT, related_name="reports", verbose_name=_("服务项目包")
    )
    year = models.PositiveSmallIntegerField(_("年"))
    month = models.PositiveSmallIntegerField(_("月"), validators=[MinValueValidator(1), MaxValueValidator(12)])
    version = models.PositiveSmallIntegerField(_("版本"), default=1)
    supersedes = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="superseded_by",
        verbose_name=_("更正的报告"),
    )
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.DRAFT, db_index=True)
    summary = models.TextField(_("本月工作小结"), blank=True)
    returned_reason = models.TextField(_("退回原因"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("填报人")
    )
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("确认人"),
    )
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    history = HistoricalRecords(table_name="procurement_historicalservicereport")

    class Meta:
        db_table = "procurement_servicereport"
        verbose_name = _("服务报告")
        verbose_name_plural = _("服务报告")
        ordering = ["package", "-year", "-month", "-version"]
        # The API list's order (newest month first, issue 14): its page of 50 is read from the index, not sorted
        # out of every report.
        indexes = [models.Index(fields=["-year", "-month", "package", "-version"], name="report_newest_month_first")]
        constraints = [
            models.UniqueConstraint(fields=["package", "year", "month", "version"], name="report_unique_version"),
            # S3: a confirmed report stays live while its correction is being drafted, submitted or returned,
            # so a month holds at most one open version and at most one confirmed one; superseded ones pile up.
            models.UniqueConstraint(
                fields=["package", "year", "month"],
                condition=models.Q(status__in=["draft", "submitted", "returned"]),
                name="report_one_open_version_per_month",
            ),
            models.UniqueConstraint(
                fields=["package", "year", "month"],
                condition=models.Q(status="confirmed"),
                name="report_one_confirmed_version_per_month",
            ),
            models.CheckConstraint(condition=models.Q(month__gte=1, month__lte=12), name="report_month_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.package} · {self.year}-{self.month:02d} v{self.version}"

    def get_absolute_url(self) -> str:
        return reverse("delivery:report-detail", args=[self.pk])


class ReportLine(models.Model):
    """Output against one plan item in a monthly report (S2)."""

    report = models.ForeignKey(
        ServiceReport, on_delete=models.CASCADE, related_name="lines", verbose_name=_("服务报告")
    )
    plan_item = models.ForeignKey(
        PlanItem, on_delete=models.PROTECT, related_name="report_lines", verbose_name=_("计划条目")
    )
    sessions = models.PositiveIntegerField(_("开展次数"), default=0)
    attendances = models.PositiveIntegerField(_("服务人次"), default=0)
    households = models.PositiveIntegerField(_("服务户数/个案数"), default=0)
    volunteer_hours = models.DecimalField(
        _("志愿服务时长（小时）"),
        max_digits=8,
        decimal_places=1,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    narrative = models.TextField(_("服务情况"), blank=True)

    class Meta:
        db_table = "procurement_reportline"
        verbose_name = _("报告条目")
        verbose_name_plural = _("报告条目")
        ordering = ["report", "plan_item_id"]
        constraints = [
            models.UniqueConstraint(fields=["report", "plan_item"], name="report_line_unique_item"),
            models.CheckConstraint(condition=models.Q(volunteer_hours__gte=0), name="report_line_hours_non_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.report} · {self.plan_item}"


class ReportAttachment(models.Model):
    """A photo or sign-in sheet (JPG, PNG or PDF, checked by content, ≤ 10 MB) with its SHA-256 (S2)."""

    report = models.ForeignKey(
        ServiceReport, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("服务报告")
    )
    line = models.ForeignKey(
        ReportLine,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="attachments",
        verbose_name=_("报告条目"),
    )
    file = models.FileField(_("文件"), upload_to=private_upload_to)
    original_name = models.CharField(_("原文件名"), max_length=200)
    content_type = models.CharField(_("文件类型"), max_length=50)
    size = models.PositiveIntegerField(_("大小（字节）"))
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    # K9: a 64-bit perceptual hash (imagehash.phash) as 16 hex characters; null for PDFs and unreadable images.
    phash = models.CharField(_("图像感知哈希"), max_length=16, null=True, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("上传人")
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        db_table = "procurement_reportattachment"
        verbose_name = _("报告附件")
        verbose_name_plural = _("报告附件")
        ordering = ["report", "uploaded_at"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def type_label(self) -> str:
        return type_label(self.content_type)


class FocusIssue(models.Model):
    """A community focus issue (社区焦点问题, S5)."""

    class Kind(models.TextChoices):
        GROUP_RENTAL = "group_rental", _("群租房")
        GREEN_FARMING = "green_farming", _("毁绿种菜")
        HIGH_THROW = "high_throw", _("高空抛物")
        PET_NUISANCE = "pet_nuisance", _("宠物扰民")
        STAIRWELL_SAFETY = "stairwell_safety", _("楼道安全隐患")
        NO_PROPERTY_MANAGEMENT = "no_property_management", _("无物业管理小区")
        SANITATION = "sanitation", _("环境卫生")
        NEIGHBOUR_DISPUTE = "neighbour_dispute", _("邻里纠纷")
        OTHER = "other", _("其他")

    class Status(models.TextChoices):
        REPORTED = "reported", _("已登记")
        IN_PROGRESS = "in_progress", _("处理中")
        RESOLVED = "resolved", _("已解决")
        ESCALATED = "escalated", _("已上报")

    community = models.ForeignKey(
        "directory.Community", on_delete=models.PROTECT, related_name="focus_issues", verbose_name=_("社区（村）")
    )
    package = models.ForeignKey(
        ServicePackage,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="focus_issues",
        verbose_name=_("服务项目包"),
    )
    kind = models.CharField(_("问题类型"), max_length=25, choices=Kind.choices)
    title = models.CharField(_("标题"), max_length=200)
    description = models.TextField(_("问题描述"))
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.REPORTED, db_index=True)
    resolution = models.TextField(_("解决情况"), blank=True)
    resolved_on = models.DateField(_("解决日期"), null=True, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("登记人")
    )
    reported_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    history = HistoricalRecords(table_name="procurement_historicalfocusissue")

    class Meta:
        db_table = "procurement_focusissue"
        verbose_name = _("社区焦点问题")
        verbose_name_plural = _("社区焦点问题")
        ordering = ["-reported_at"]
        # The lists' order (newest first, `focus_issue_list`): a page reads the index instead of sorting every
        # visible issue (issue 14).
        indexes = [models.Index(fields=["-reported_at", "-id"], name="focus_issue_newest_first")]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="resolved")
                | (~models.Q(resolution="") & models.Q(resolved_on__isnull=False)),
                name="focus_issue_resolved_has_resolution",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("delivery:focus-issue-detail", args=[self.pk])


class FocusIssueEvent(models.Model):
    """Who moved a focus issue to which state, when (S5)."""

    issue = models.ForeignKey(FocusIssue, on_delete=models.CASCADE, related_name="events", verbose_name=_("焦点问题"))
    from_status = models.CharField(_("原状态"), max_length=12, blank=True)
    to_status = models.CharField(_("新状态"), max_length=12, choices=FocusIssue.Status.choices)
    note = models.TextField(_("说明"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("操作人")
    )
    at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        db_table = "procurement_focusissueevent"
        verbose_name = _("焦点问题进展")
        verbose_name_plural = _("焦点问题进展")
        ordering = ["issue", "at"]

    def __str__(self) -> str:
        return f"{self.issue}: {self.to_status}"
