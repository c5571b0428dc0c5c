"""Agencies and their staff, qualification, rounds, tenders, bids, experts, contracts and packages."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from catalog.models import CatalogueEdition
from core.money import MONEY, PERCENT
from core.uploads import private_upload_to
from directory.models import Organisation, Town
from directory.validators import mask_resident_id, validate_resident_id


class Round(models.Model):
    """A purchasing round: the thresholds and defaults that apply to its tenders and packages (Q2, Q3, T1, T4)."""

    code = models.SlugField(_("轮次代码"), max_length=40, unique=True)
    name_zh = models.CharField(_("中文名称"), max_length=100)
    name_en = models.CharField(_("英文名称"), max_length=200, blank=True)
    year = models.PositiveSmallIntegerField(_("开始年份"))
    edition = models.ForeignKey(
        CatalogueEdition, on_delete=models.PROTECT, related_name="rounds", verbose_name=_("服务目录版本")
    )
    min_full_time_staff = models.PositiveSmallIntegerField(_("最少专职人员数"), default=9)
    min_certified_share = models.DecimalField(
        _("持证社工最低占比（%）"), max_digits=5, decimal_places=2, default=Decimal("50"), validators=PERCENT
    )
    default_annual_ceiling = models.DecimalField(_("默认年度最高限价（元）"), default=Decimal("1000000"), **MONEY)
    default_period_years = models.PositiveSmallIntegerField(
        _("默认服务期（年）"), default=2, validators=[MinValueValidator(1), MaxValueValidator(3)]
    )
    weight_price = models.PositiveSmallIntegerField(_("价格权重"), default=20)
    weight_proposal = models.PositiveSmallIntegerField(_("服务方案权重"), default=40)
    weight_team = models.PositiveSmallIntegerField(_("团队权重"), default=25)
    weight_past = models.PositiveSmallIntegerField(_("既往绩效权重"), default=15)
    # P5, P6, S1, S4 defaults (configurable per round).
    min_governance_communities = models.PositiveSmallIntegerField(_("增能/治理类最少覆盖社区数"), default=4)
    min_community_empowerment_share = models.DecimalField(
        _("社区层面增能与治理类最低占比（%）"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("50"),
        validators=PERCENT,
    )
    report_due_day = models.PositiveSmallIntegerField(
        _("月报截止日（次月）"), default=10, validators=[MinValueValidator(1), MaxValueValidator(28)]
    )
    lagging_threshold = models.DecimalField(
        _("进度滞后阈值（%）"), max_digits=5, decimal_places=2, default=Decimal("80"), validators=PERCENT
    )
    is_current = models.BooleanField(_("当前轮次"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("采购轮次")
        verbose_name_plural = _("采购轮次")
        ordering = ["-year", "code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(weight_price__gte=0)
                & models.Q(weight_proposal__gte=0)
                & models.Q(weight_team__gte=0)
                & models.Q(weight_past__gte=0),
                name="round_weights_non_negative",
            ),
            models.UniqueConstraint(
                fields=["is_current"], condition=models.Q(is_current=True), name="round_one_current"
            ),
        ]

    def __str__(self) -> str:
        return self.name_zh


class Agency(models.Model):
    """The profile of a social-work agency (社工机构): registration and qualification facts (Q1)."""

    class AuthorityLevel(models.TextChoices):
        TOWN = "town", _("乡镇（街道）级")
        COUNTY = "county", _("县（区）级")
        CITY = "city", _("地级市")
        PROVINCE = "province", _("省级")
        NATIONAL = "national", _("国家级")

    organisation = models.OneToOneField(
        Organisation,
        on_delete=models.PROTECT,
        related_name="agency",
        limit_choices_to={"kind": Organisation.Kind.AGENCY},
        verbose_name=_("组织"),
    )
    is_social_work_agency = models.BooleanField(_("专业社会工作服务机构"), default=True)
    registration_authority = models.CharField(_("登记管理机关"), max_length=100)
    registration_authority_level = models.CharField(
        _("登记机关级别"), max_length=10, choices=AuthorityLevel.choices, default=AuthorityLevel.COUNTY
    )
    registration_number = models.CharField(_("登记证号"), max_length=50, blank=True)
    registered_on = models.DateField(_("成立登记日期"))
    registration_valid_until = models.DateField(_("登记证书有效期至"))
    legal_representative = models.CharField(_("法定代表人"), max_length=50, blank=True)
    email = models.EmailField(_("电子邮箱"), blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("社工机构")
        verbose_name_plural = _("社工机构")
        ordering = ["organisation__name"]

    def __str__(self) -> str:
        return self.organisation.name

    def get_absolute_url(self) -> str:
        return reverse("procurement:agency-detail", args=[self.pk])


class QualificationApplication(models.Model):
    """An agency's application to be a qualified contractor; the bureau decides with a written reason (Q6)."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("待审核")
        APPROVED = "approved", _("已通过")
        REJECTED = "rejected", _("未通过")

    agency = models.ForeignKey(
        Agency, on_delete=models.CASCADE, related_name="qualifications", verbose_name=_("社工机构")
    )
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.SUBMITTED)
    registration_certificate = models.FileField(_("登记证书"), upload_to=private_upload_to)
    audit_report = models.FileField(_("审计报告"), upload_to=private_upload_to)
    roster_file = models.FileField(_("人员名册"), upload_to=private_upload_to, blank=True)
    note = models.TextField(_("申请说明"), blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("申请人")
    )
    submitted_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("审核人"),
    )
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    reason = models.TextField(_("审核意见"), blank=True)
    valid_from = models.DateField(_("资格有效期起"), null=True, blank=True)
    valid_until = models.DateField(_("资格有效期至"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("资格申请")
        verbose_name_plural = _("资格申请")
        ordering = ["-submitted_at"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="approved")
                | (models.Q(valid_from__isnull=False) & models.Q(valid_until__isnull=False)),
                name="qualification_approved_has_validity",
            ),
            models.CheckConstraint(
                condition=models.Q(status="submitted") | ~models.Q(reason=""),
                name="qualification_decision_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agency} · {self.get_status_display()}"


class StaffMember(models.Model):
    """A person on an agency's roster. The resident ID is masked everywhere but for the bureau (D4)."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="staff", verbose_name=_("社工机构"))
    name = models.CharField(_("姓名"), max_length=50)
    resident_id = models.CharField(_("居民身份证号码"), max_length=18, validators=[validate_resident_id])
    phone = models.CharField(_("手机号"), max_length=20, blank=True)
    is_full_time = models.BooleanField(_("专职"), default=True)
    employed_from = models.DateField(_("入职日期"))
    employed_until = models.DateField(_("离职日期"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("机构人员")
        verbose_name_plural = _("机构人员")
        ordering = ["agency", "name"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "resident_id"], name="staff_unique_resident_id_in_agency"),
            models.CheckConstraint(
                condition=models.Q(employed_until__isnull=True)
                | models.Q(employed_until__gte=models.F("employed_from")),
                name="staff_employment_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def resident_id_masked(self) -> str:
        return mask_resident_id(self.resident_id)


class Certificate(models.Model):
    """A social-worker certificate (社会工作者职业水平证书)."""

    class Level(models.TextChoices):
        ASSISTANT = "assistant", _("助理社会工作师")
        INTERMEDIATE = "intermediate", _("社会工作师")
        SENIOR = "senior", _("高级社会工作师")

    staff = models.ForeignKey(
        StaffMember, on_delete=models.CASCADE, related_name="certificates", verbose_name=_("人员")
    )
    level = models.CharField(_("等级"), max_length=15, choices=Level.choices)
    number = models.CharField(_("证书编号"), max_length=50)
    issued_on = models.DateField(_("发证日期"))
    expires_on = models.DateField(_("有效期至"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("社工证书")
        verbose_name_plural = _("社工证书")
        ordering = ["staff", "-expires_on"]
        constraints = [
            models.UniqueConstraint(fields=["number"], name="certificate_unique_number"),
            models.CheckConstraint(condition=models.Q(expires_on__gt=models.F("issued_on")), name="certificate_dates"),
        ]

    def __str__(self) -> str:
        return f"{self.get_level_display()} {self.number}"


class Expert(models.Model):
    """A review expert in the bureau's pool (T3)."""

    class Category(models.TextChoices):
        PUBLIC_WELFARE = "public_welfare", _("公益服务类")
        FINANCE = "finance", _("财务类")
        LEGAL = "legal", _("法律类")
        ENGINEERING = "engineering", _("工程类")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="expert", verbose_name=_("用户")
    )
    category = models.CharField(_("专家类别"), max_length=20, choices=Category.choices)
    affiliation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="affiliated_experts",
        verbose_name=_("任职单位"),
    )
    title = models.CharField(_("职称"), max_length=50, blank=True)
    is_active = models.BooleanField(_("在库"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("评审专家")
        verbose_name_plural = _("评审专家")
        ordering = ["user__full_name", "user__username"]

    def __str__(self) -> str:
        return str(self.user)


class Tender(models.Model):
    """A tender for one town's package (T1) moving through the T2 states."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        PUBLISHED = "published", _("招标中")
        EVALUATION = "evaluation", _("评审中")
        AWARDED = "awarded", _("已定标")
        CONTRACTED = "contracted", _("已签约")
        UNSUCCESSFUL = "unsuccessful", _("流标")
        CANCELLED = "cancelled", _("已取消")

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="tenders", verbose_name=_("采购轮次"))
    town = models.ForeignKey(Town, on_delete=models.PROTECT, related_name="tenders", verbose_name=_("街道（镇）"))
    edition = models.ForeignKey(
        CatalogueEdition, on_delete=models.PROTECT, related_name="tenders", verbose_name=_("服务目录版本")
    )
    title = models.CharField(_("项目名称"), max_length=200)
    description = models.TextField(_("项目说明"), blank=True)
    annual_ceiling = models.DecimalField(_("年度最高限价（元）"), **MONEY)
    period_years = models.PositiveSmallIntegerField(
        _("服务期（年）"), validators=[MinValueValidator(1), MaxValueValidator(3)]
    )
    service_starts_on = models.DateField(_("服务开始日期"))
    min_full_time_staff = models.PositiveSmallIntegerField(_("最少专职人员数"))
    min_certified_share = models.DecimalField(
        _("持证社工最低占比（%）"), max_digits=5, decimal_places=2, validators=PERCENT
    )
    weight_price = models.PositiveSmallIntegerField(_("价格权重"))
    weight_proposal = models.PositiveSmallIntegerField(_("服务方案权重"))
    weight_team = models.PositiveSmallIntegerField(_("团队权重"))
    weight_past = models.PositiveSmallIntegerField(_("既往绩效权重"))
    expert_count = models.PositiveSmallIntegerField(_("评审专家人数"), default=3, validators=[MinValueValidator(1)])
    bid_deadline = models.DateTimeField(_("投标截止时间"))
    status = models.CharField(_("状态"), max_length=15, choices=Status.choices, default=Status.DRAFT, db_index=True)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    awarded_at = models.DateTimeField(_("定标时间"), null=True, blank=True)
    # Why the tender was cancelled or declared unsuccessful (流标), and why the bureau awarded a bid other
    # than the top-ranked one (T6); both shown on the tender page.
    status_reason = models.TextField(_("取消或流标原因"), blank=True)
    award_reason = models.TextField(_("定标说明"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("创建人")
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("招标项目")
        verbose_name_plural = _("招标项目")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=models.Q(annual_ceiling__gt=0), name="tender_ceiling_positive"),
            models.CheckConstraint(
                condition=models.Q(period_years__gte=1) & models.Q(period_years__lte=3), name="tender_period_1_to_3"
            ),
            models.CheckConstraint(
                condition=models.Q(weight_price__gte=0, weight_proposal__gte=0, weight_team__gte=0, weight_past__gte=0),
                name="tender_weights_non_negative",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("procurement:tender-detail", args=[self.pk])

    @property
    def awaiting_closure(self) -> bool:
        """Published, but its bid deadline has passed (T2): bidding has ended though nobody closed it yet."""
        from .tendering import deadline_passed

        return self.status == self.Status.PUBLISHED and deadline_passed(self)

    @property
    def weights(self) -> dict[str, int]:
        return {
            "price": self.weight_price,
            "proposal": self.weight_proposal,
            "team": self.weight_team,
            "past": self.weight_past,
        }


class Bid(models.Model):
    """One agency's sealed bid (T2): before the deadline nobody but the bidder reads it."""

    tender = models.ForeignKey(Tender, on_delete=models.PROTECT, related_name="bids", verbose_name=_("招标项目"))
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="bids", verbose_name=_("社工机构"))
    price = models.DecimalField(_("年度报价（元）"), **MONEY)
    proposal = models.TextField(_("服务方案"))
    proposal_file = models.FileField(_("服务方案附件"), upload_to=private_upload_to, blank=True)
    team = models.ManyToManyField(StaffMember, related_name="bids", verbose_name=_("拟派团队"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("提交人")
    )
    submitted_at = models.DateTimeField(_("提交时间"))
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    # T5: computed once when bidding closes (bid opening), so the ranking reads it without re-running Q1–Q4.
    disqualification_reasons = models.JSONField(_("无效投标原因"), default=list, blank=True)
    checked_at = models.DateTimeField(_("资格审查时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("投标")
        verbose_name_plural = _("投标")
        ordering = ["tender", "submitted_at"]
        constraints = [
            models.UniqueConstraint(fields=["tender", "agency"], name="bid_one_per_agency"),
            models.CheckConstraint(condition=models.Q(price__gt=0), name="bid_price_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.tender} · {self.agency}"


class ExpertDraw(models.Model):
    """The recorded, reproducible random draw of a tender's review experts (T3)."""

    tender = models.OneToOneField(Tender, on_delete=models.PROTECT, related_name="draw", verbose_name=_("招标项目"))
    seed = models.CharField(_("随机种子"), max_length=64)
    candidates = models.JSONField(_("候选专家"), default=list)
    exclusions = models.JSONField(_("回避专家及原因"), default=list)
    drawn = models.JSONField(_("抽取结果"), default=list)
    # Replacement draws after a drawn expert declared a conflict (T3), each with its own seed.
    redraws = models.JSONField(_("补抽记录"), default=list, blank=True)
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("抽取人")
    )
    drawn_at = models.DateTimeField(_("抽取时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("专家抽取记录")
        verbose_name_plural = _("专家抽取记录")

    def __str__(self) -> str:
        return f"{self.tender} · {self.drawn_at:%Y-%m-%d}"


class TenderExpert(models.Model):
    """An expert drawn for a tender; must declare no conflict of interest before seeing bids."""

    tender = models.ForeignKey(Tender, on_delete=models.PROTECT, related_name="panel", verbose_name=_("招标项目"))
    expert = models.ForeignKey(Expert, on_delete=models.PROTECT, related_name="panels", verbose_name=_("评审专家"))
    declared_at = models.DateTimeField(_("声明时间"), null=True, blank=True)
    has_conflict = models.BooleanField(_("存在利益冲突"), default=False)
    conflict_note = models.TextField(_("冲突说明"), blank=True)

    class Meta:
        verbose_name = _("评审专家组成员")
        verbose_name_plural = _("评审专家组成员")
        constraints = [models.UniqueConstraint(fields=["tender", "expert"], name="tender_expert_unique")]

    def __str__(self) -> str:
        return f"{self.tender} · {self.expert}"

    @property
    def may_score(self) -> bool:
        return self.declared_at is not None and not self.has_conflict


class BidScore(models.Model):
    """One expert's scores of one bid on the weighted criteria (T4), each 0–100."""

    bid = models.ForeignKey(Bid, on_delete=models.PROTECT, related_name="scores", verbose_name=_("投标"))
    expert = models.ForeignKey(Expert, on_delete=models.PROTECT, related_name="scores", verbose_name=_("评审专家"))
    price_score = models.DecimalField(_("价格得分"), max_digits=5, decimal_places=2, validators=PERCENT)
    proposal_score = models.DecimalField(_("服务方案得分"), max_digits=5, decimal_places=2, validators=PERCENT)
    team_score = models.DecimalField(_("团队得分"), max_digits=5, decimal_places=2, validators=PERCENT)
    past_score = models.DecimalField(_("既往绩效得分"), max_digits=5, decimal_places=2, validators=PERCENT)
    total = models.DecimalField(_("加权总分"), max_digits=6, decimal_places=2)
    comment = models.TextField(_("评审意见"), blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("投标评分")
        verbose_name_plural = _("投标评分")
        constraints = [
            models.UniqueConstraint(fields=["bid", "expert"], name="bid_score_unique"),
            models.CheckConstraint(
                condition=models.Q(price_score__gte=0, price_score__lte=100)
                & models.Q(proposal_score__gte=0, proposal_score__lte=100)
                & models.Q(team_score__gte=0, team_score__lte=100)
                & models.Q(past_score__gte=0, past_score__lte=100),
                name="bid_score_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.bid} · {self.expert}: {self.total}"


class Contract(models.Model):
    """The contract an award creates (T6)."""

    tender = models.OneToOneField(
        Tender, on_delete=models.PROTECT, null=True, blank=True, related_name="contract", verbose_name=_("招标项目")
    )
    bid = models.OneToOneField(
        Bid, on_delete=models.PROTECT, null=True, blank=True, related_name="contract", verbose_name=_("中标投标")
    )
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="contracts", verbose_name=_("社工机构"))
    number = models.CharField(_("合同编号"), max_length=50, unique=True)
    signed_on = models.DateField(_("签订日期"), null=True, blank=True)
    value = models.DecimalField(_("合同总金额（元）"), **MONEY)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("合同")
        verbose_name_plural = _("合同")
        ordering = ["-created_at"]
        constraints = [models.CheckConstraint(condition=models.Q(value__gt=0), name="contract_value_positive")]

    def __str__(self) -> str:
        return self.number


class ServicePackage(models.Model):
    """One town's comprehensive package (综合包) run by one agency for one cycle."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("执行中")
        ENDED = "ended", _("已结束")
        TERMINATED = "terminated", _("已终止")

    town = models.ForeignKey(Town, on_delete=models.PROTECT, related_name="packages", verbose_name=_("街道（镇）"))
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="packages", verbose_name=_("社工机构"))
    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="packages", verbose_name=_("采购轮次"))
    edition = models.ForeignKey(
        CatalogueEdition, on_delete=models.PROTECT, related_name="packages", verbose_name=_("服务目录版本")
    )
    tender = models.OneToOneField(
        Tender, on_delete=models.PROTECT, null=True, blank=True, related_name="package", verbose_name=_("招标项目")
    )
    contract = models.OneToOneField(
        Contract, on_delete=models.PROTECT, null=True, blank=True, related_name="package", verbose_name=_("合同")
    )
    title = models.CharField(_("项目名称"), max_length=200)
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))
    annual_amount = models.DecimalField(_("年度金额（元）"), **MONEY)
    annual_ceiling = models.DecimalField(_("年度最高限价（元）"), **MONEY)
    staff_cost_share = models.DecimalField(
        _("人员经费占比（%）"), max_digits=5, decimal_places=2, validators=PERCENT, default=Decimal("0")
    )
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.ACTIVE, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("创建人")
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    # The district's civil-affairs office co-signs (会签) the packages of its towns; once, with who and when.
    cosigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("区民政局会签人"),
    )
    cosigned_at = models.DateTimeField(_("会签时间"), null=True, blank=True)
    cosign_comment = models.TextField(_("会签意见"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("服务项目包")
        verbose_name_plural = _("服务项目包")
        ordering = ["-starts_on", "town__name"]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_on__gt=models.F("starts_on")), name="package_dates_ordered"),
            models.CheckConstraint(
                condition=models.Q(annual_amount__gt=0) & models.Q(annual_amount__lte=models.F("annual_ceiling")),
                name="package_amount_within_ceiling",
            ),
            models.CheckConstraint(
                condition=models.Q(cosigned_by__isnull=True, cosigned_at__isnull=True)
                | models.Q(cosigned_by__isnull=False, cosigned_at__isnull=False),
                name="package_cosign_who_and_when",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("procurement:package-detail", args=[self.pk])

    @property
    def not_started(self) -> bool:
        """An active package whose start date is still ahead (Shanghai's date)."""
        return self.status == self.Status.ACTIVE and self.starts_on > timezone.localdate()

    @property
    def status_label(self) -> str:
        """What pages show: 待开始 for an active package before its start date, else the status."""
        return _("待开始") if self.not_started else self.get_status_display()


class StaffAssignment(models.Model):
    """A staff member fielded on a package (Q2–Q4)."""

    package = models.ForeignKey(
        ServicePackage, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("服务项目包")
    )
    staff = models.ForeignKey(StaffMember, on_delete=models.PROTECT, related_name="assignments", verbose_name=_("人员"))
    is_full_time = models.BooleanField(_("专职"), default=True)
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("项目人员配置")
        verbose_name_plural = _("项目人员配置")
        ordering = ["package", "staff__name"]
        constraints = [
            models.UniqueConstraint(fields=["package", "staff"], name="assignment_unique_staff_in_package"),
        ]

    def __str__(self) -> str:
        return f"{self.package} · {self.staff}"
