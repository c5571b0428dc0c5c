"""Money (F1–F5): funding sources and their yearly budgets, package-year splits, payment schedules and
payments held to evaluation results; community funds, their append-only ledgers, micro-grants and votes.

Every amount is Decimal CNY with 2 places (F5). Payments and ledger entries are append-only: a mistake is
corrected by a reversing entry, never by an edit (services, admin and API refuse both)."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.money import MONEY, PERCENT
from core.uploads import private_upload_to
from directory.models import Community, District, Organisation, Town
from procurement.models import Round, ServicePackage


class FundingSource(models.Model):
    """F1: where a package's money comes from."""

    class Kind(models.TextChoices):
        WELFARE_LOTTERY = "welfare_lottery", _("市级福彩公益金")
        CITY_BUDGET = "city_budget", _("市级财政预算")
        DISTRICT_BUDGET = "district_budget", _("区级财政预算")

    kind = models.CharField(_("资金来源类型"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("名称"), max_length=100)
    district = models.ForeignKey(
        District,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="funding_sources",
        verbose_name=_("区（县级市）"),
    )
    is_active = models.BooleanField(_("有效"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("资金来源")
        verbose_name_plural = _("资金来源")
        ordering = ["kind", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=["welfare_lottery", "city_budget", "district_budget"]),
                name="funding_source_kind_valid",
            ),
            models.CheckConstraint(
                condition=(models.Q(kind="district_budget") & models.Q(district__isnull=False))
                | (~models.Q(kind="district_budget") & models.Q(district__isnull=True)),
                name="funding_source_district_iff_district_budget",
            ),
            models.UniqueConstraint(fields=["kind", "district"], name="funding_source_unique_district"),
            models.UniqueConstraint(
                fields=["kind"], condition=models.Q(district__isnull=True), name="funding_source_unique_city"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("funds:source-detail", args=[self.pk])


class SourceBudget(models.Model):
    """F1: a source's budget for one calendar year. Splits commit against it (F2)."""

    source = models.ForeignKey(
        FundingSource, on_delete=models.PROTECT, related_name="budgets", verbose_name=_("资金来源")
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    amount = models.DecimalField(_("年度预算（元）"), **MONEY)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("录入人")
    )
    set_at = models.DateTimeField(_("录入时间"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("年度预算")
        verbose_name_plural = _("年度预算")
        ordering = ["-year", "source__kind", "source__name"]
        constraints = [
            models.UniqueConstraint(fields=["source", "year"], name="source_budget_one_per_year"),
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="source_budget_amount_not_negative"),
            models.CheckConstraint(
                condition=models.Q(year__gte=2000) & models.Q(year__lte=2100), name="source_budget_year_plausible"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source} · {self.year}"


class PaymentTemplate(models.Model):
    """F3 (configurable per round): the share of a year's amount paid at each milestone. A round without a
    template uses the default 40 / 30 / 30."""

    round = models.OneToOneField(
        Round, on_delete=models.CASCADE, related_name="payment_template", verbose_name=_("采购轮次")
    )
    start_percent = models.DecimalField(
        _("签约/年初拨付比例（%）"), max_digits=5, decimal_places=2, validators=PERCENT, default=Decimal("40")
    )
    mid_term_percent = models.DecimalField(
        _("中期评估合格后拨付比例（%）"), max_digits=5, decimal_places=2, validators=PERCENT, default=Decimal("30")
    )
    closing_percent = models.DecimalField(
        _("结项/年度评估合格后拨付比例（%）"), max_digits=5, decimal_places=2, validators=PERCENT, default=Decimal("30")
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("拨付计划模板")
        verbose_name_plural = _("拨付计划模板")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    start_percent__gte=0,
                    mid_term_percent__gte=0,
                    closing_percent__gte=0,
                ),
                name="payment_template_percent_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return str(self.round)

    @property
    def percents(self) -> dict[str, Decimal]:
        return {
            Instalment.Milestone.START: self.start_percent,
            Instalment.Milestone.MID_TERM: self.mid_term_percent,
            Instalment.Milestone.CLOSING: self.closing_percent,
        }


class PackageYearSplit(models.Model):
    """F2: the part of a package year's amount that one source pays, committed against its yearly budget."""

    package = models.ForeignKey(
        ServicePackage, on_delete=models.PROTECT, related_name="splits", verbose_name=_("服务项目包")
    )
    plan_year = models.PositiveSmallIntegerField(_("服务年度"))
    budget = models.ForeignKey(
        SourceBudget, on_delete=models.PROTECT, related_name="splits", verbose_name=_("年度预算")
    )
    amount = models.DecimalField(_("金额（元）"), **MONEY)
    committed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("录入人")
    )
    committed_at = models.DateTimeField(_("录入时间"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("资金来源分配")
        verbose_name_plural = _("资金来源分配")
        ordering = ["package", "plan_year", "budget__source__kind"]
        constraints = [
            models.UniqueConstraint(fields=["package", "plan_year", "budget"], name="split_one_per_source"),
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="split_amount_positive"),
            models.CheckConstraint(condition=models.Q(plan_year__gte=1), name="split_plan_year_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.package} · {self.plan_year} · {self.budget.source}"


class Instalment(models.Model):
    """F3: one line of a package's payment schedule, generated from the round's template."""

    class Milestone(models.TextChoices):
        START = "start", _("签约/年初")
        MID_TERM = "mid_term", _("中期评估合格")
        CLOSING = "closing", _("结项/年度评估合格")

    package = models.ForeignKey(
        ServicePackage, on_delete=models.PROTECT, related_name="instalments", verbose_name=_("服务项目包")
    )
    plan_year = models.PositiveSmallIntegerField(_("服务年度"))
    milestone = models.CharField(_("节点"), max_length=10, choices=Milestone.choices)
    percent = models.DecimalField(_("比例（%）"), max_digits=5, decimal_places=2, validators=PERCENT)
    amount = models.DecimalField(_("应拨金额（元）"), **MONEY)
    planned_on = models.DateField(_("计划日期"))
    created_at = models.DateTimeField(_("生成时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("拨付节点")
        verbose_name_plural = _("拨付节点")
        ordering = ["package", "plan_year", "planned_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["package", "plan_year", "milestone"], name="instalment_one_per_milestone"),
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="instalment_amount_not_negative"),
            models.CheckConstraint(
                condition=models.Q(milestone__in=["start", "mid_term", "closing"]), name="instalment_milestone_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.package} · {self.plan_year} · {self.get_milestone_display()}"


class Payment(models.Model):
    """F3/F5: money paid against an instalment. Append-only: a correction is a reversing entry (negative,
    pointing at the payment it reverses), never an edit."""

    instalment = models.ForeignKey(
        Instalment, on_delete=models.PROTECT, related_name="payments", verbose_name=_("拨付节点")
    )
    package = models.ForeignKey(
        ServicePackage, on_delete=models.PROTECT, related_name="payments", verbose_name=_("服务项目包")
    )
    paid_on = models.DateField(_("拨付日期"))
    amount = models.DecimalField(_("金额（元）"), **MONEY)
    voucher_number = models.CharField(_("凭证号"), max_length=50)
    note = models.TextField(_("说明"), blank=True)
    reverses = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reversed_by",
        verbose_name=_("冲销的拨付"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("录入人")
    )
    recorded_at = models.DateTimeField(_("录入时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("拨付记录")
        verbose_name_plural = _("拨付记录")
        ordering = ["paid_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(reverses__isnull=True) & models.Q(amount__gt=0))
                | (models.Q(reverses__isnull=False) & models.Q(amount__lt=0)),
                name="payment_positive_or_reversal",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.package} · {self.paid_on} · {self.amount}"

    @property
    def is_reversal(self) -> bool:
        return self.reverses_id is not None


class CommunityFund(models.Model):
    """F4: a community public-welfare fund hosted by a foundation, or a community development foundation
    registered in its own name."""

    class Kind(models.TextChoices):
        COMMUNITY_FUND = "community_fund", _("社区公益基金")
        FOUNDATION = "foundation", _("社区发展基金会")

    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("名称"), max_length=200)
    host = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="hosted_funds",
        limit_choices_to={"kind": Organisation.Kind.FOUNDATION},
        verbose_name=_("依托（托管）组织"),
    )
    town = models.ForeignKey(
        Town, on_delete=models.PROTECT, related_name="community_funds", verbose_name=_("街道（镇）")
    )
    community = models.ForeignKey(
        Community,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="community_funds",
        verbose_name=_("社区（村）"),
    )
    description = models.TextField(_("简介"), blank=True)
    # F4 (configurable): a grant is approved when approvals exceed this share of the committee.
    approval_share = models.DecimalField(
        _("通过比例（超过委员会成员的 %）"),
        max_digits=5,
        decimal_places=2,
        validators=PERCENT,
        default=Decimal("50"),
    )
    established_on = models.DateField(_("设立日期"), null=True, blank=True)
    is_active = models.BooleanField(_("有效"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("社区基金")
        verbose_name_plural = _("社区基金")
        ordering = ["town__name", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=["community_fund", "foundation"]), name="community_fund_kind_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(approval_share__gte=0) & models.Q(approval_share__lt=100),
                name="community_fund_share_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("funds:fund-detail", args=[self.pk])


class FundMember(models.Model):
    """Who runs a fund: its manager(s) and its committee (membership per fund, not a role of its own)."""

    class Role(models.TextChoices):
        MANAGER = "manager", _("基金管理人")
        COMMITTEE = "committee", _("管委会委员")

    fund = models.ForeignKey(
        CommunityFund, on_delete=models.CASCADE, related_name="members", verbose_name=_("社区基金")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="fund_memberships", verbose_name=_("用户")
    )
    role = models.CharField(_("身份"), max_length=10, choices=Role.choices)
    is_active = models.BooleanField(_("有效"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("基金成员")
        verbose_name_plural = _("基金成员")
        ordering = ["fund", "role", "user__username"]
        constraints = [
            models.UniqueConstraint(fields=["fund", "user", "role"], name="fund_member_unique"),
            models.CheckConstraint(
                condition=models.Q(role__in=["manager", "committee"]), name="fund_member_role_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.fund} · {self.user} · {self.get_role_display()}"


class MicroGrant(models.Model):
    """F4: a micro-project (微创投 / 微自治) applied for, voted on by the committee, disbursed from the ledger
    on approval and closed by the grantee with an outcome and receipts."""

    class Kind(models.TextChoices):
        MICRO_VENTURE = "micro_venture", _("微创投")
        MICRO_AUTONOMY = "micro_autonomy", _("微自治")

    class ApplicantKind(models.TextChoices):
        RESIDENT_GROUP = "resident_group", _("居民小组")
        COMMUNITY_ORG = "community_org", _("社区社会组织")
        AGENCY = "agency", _("社工机构")

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("待表决")
        APPROVED = "approved", _("已通过并拨付")
        REJECTED = "rejected", _("未通过")
        CLOSED = "closed", _("已结项")

    fund = models.ForeignKey(CommunityFund, on_delete=models.PROTECT, related_name="grants", verbose_name=_("社区基金"))
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("项目名称"), max_length=200)
    applicant_kind = models.CharField(_("申请方类型"), max_length=20, choices=ApplicantKind.choices)
    applicant_name = models.CharField(_("申请方"), max_length=200)
    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, related_name="micro_grants", verbose_name=_("社区（村）")
    )
    purpose = models.TextField(_("项目用途"))
    # The restricted purpose it may draw on (blank: general, unrestricted money only).
    restricted_to = models.CharField(_("定向用途"), max_length=50, blank=True)
    budget_lines = models.JSONField(_("预算明细"), default=list)
    amount = models.DecimalField(_("申请金额（元）"), **MONEY)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.SUBMITTED, db_index=True)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("申请人")
    )
    applied_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    decided_at = models.DateTimeField(_("表决结果时间"), null=True, blank=True)
    outcome = models.TextField(_("项目成效"), blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("结项人"),
    )
    closed_at = models.DateTimeField(_("结项时间"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("微项目")
        verbose_name_plural = _("微项目")
        ordering = ["-applied_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="micro_grant_amount_positive"),
            models.CheckConstraint(
                condition=models.Q(status__in=["submitted", "approved", "rejected", "closed"]),
                name="micro_grant_status_valid",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="closed")
                | (models.Q(closed_at__isnull=False) & models.Q(closed_by__isnull=False) & ~models.Q(outcome="")),
                name="micro_grant_closed_has_outcome",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("funds:grant-detail", args=[self.pk])


class Vote(models.Model):
    """A committee member's vote on a micro-grant: once, with who and when."""

    grant = models.ForeignKey(MicroGrant, on_delete=models.PROTECT, related_name="votes", verbose_name=_("微项目"))
    voter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("委员")
    )
    approve = models.BooleanField(_("同意"))
    comment = models.TextField(_("意见"), blank=True)
    cast_at = models.DateTimeField(_("表决时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("表决")
        verbose_name_plural = _("表决")
        ordering = ["cast_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["grant", "voter"], name="vote_once_per_member")]

    def __str__(self) -> str:
        return f"{self.grant} · {self.voter}"


class LedgerEntry(models.Model):
    """F4/F5: one movement of a fund's money. Append-only; the balance is the sum of the entries.
    Donations are positive, grants negative; a reversal carries the opposite amount of the entry it reverses.
    `restricted_to` names the purpose a restricted donation may be spent on (blank: unrestricted)."""

    class Kind(models.TextChoices):
        DONATION = "donation", _("捐赠收入")
        GRANT = "grant", _("项目拨付")
        REVERSAL = "reversal", _("冲销")

    fund = models.ForeignKey(CommunityFund, on_delete=models.PROTECT, related_name="ledger", verbose_name=_("社区基金"))
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    amount = models.DecimalField(_("金额（元）"), **MONEY)
    occurred_on = models.DateField(_("日期"))
    restricted_to = models.CharField(_("定向用途"), max_length=50, blank=True)
    donor_name = models.CharField(_("捐赠人"), max_length=200, blank=True)
    # The donor did not agree to be named: public pages show 匿名.
    is_anonymous = models.BooleanField(_("匿名捐赠"), default=False)
    grant = models.ForeignKey(
        MicroGrant,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ledger_entries",
        verbose_name=_("微项目"),
    )
    reverses = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reversed_by",
        verbose_name=_("冲销的记录"),
    )
    note = models.TextField(_("说明"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("录入人")
    )
    recorded_at = models.DateTimeField(_("录入时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("台账记录")
        verbose_name_plural = _("台账记录")
        ordering = ["occurred_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=["donation", "grant", "reversal"]), name="ledger_kind_valid"
            ),
            models.CheckConstraint(
                condition=(models.Q(kind="donation") & models.Q(amount__gt=0) & models.Q(reverses__isnull=True))
                | (models.Q(kind="grant") & models.Q(amount__lt=0) & models.Q(grant__isnull=False))
                | (models.Q(kind="reversal") & models.Q(reverses__isnull=False) & ~models.Q(amount=0)),
                name="ledger_amount_sign_by_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.fund} · {self.get_kind_display()} · {self.amount}"

    @property
    def public_donor(self) -> str:
        return _("匿名") if self.is_anonymous or not self.donor_name else self.donor_name


class GrantReceipt(models.Model):
    """A receipt or photo the grantee attaches when closing a micro-grant (private, checked by content)."""

    grant = models.ForeignKey(MicroGrant, on_delete=models.PROTECT, related_name="receipts", verbose_name=_("微项目"))
    file = models.FileField(_("文件"), upload_to=private_upload_to)
    original_name = models.CharField(_("原文件名"), max_length=200)
    content_type = models.CharField(_("文件类型"), max_length=50)
    size = models.PositiveIntegerField(_("大小（字节）"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("上传人")
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("票据")
        verbose_name_plural = _("票据")
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name
