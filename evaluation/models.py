"""Two-way assessments (A1), rubrics (A3), third-party evaluations and score sheets (A2, A4, A5).

Scores and weights are Decimals. Indicator sets and rubrics are versioned data: once a round or an evaluation
uses one (`in_use_since`), edits land in a new version (`derived_from`), so a past result always reads against
the indicators it was scored on. A finalised evaluation stores its numbers, so its result never moves.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from catalog.models import BilingualName
from core.versioning import NumberedVersion
from directory.models import Organisation
from procurement.models import ServicePackage

SCORE = {"max_digits": 5, "decimal_places": 1}
RESULT = {"max_digits": 6, "decimal_places": 2}
POSITIVE_SCORE = [MinValueValidator(Decimal("0.5"))]
NON_NEGATIVE = [MinValueValidator(Decimal("0"))]
WEIGHT = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))]


class Bilingual(BilingualName):
    """catalog's bilingual name, with the English name optional for the bureau's own indicators."""

    name_en = models.CharField(_("英文名称"), max_length=200, blank=True)

    class Meta:
        abstract = True


class Grade(models.TextChoices):
    """A4 bands."""

    EXCELLENT = "excellent", _("优秀")
    GOOD = "good", _("良好")
    PASS = "pass", _("合格")
    FAIL = "fail", _("不合格")


# --- Two-way assessment (A1) ---------------------------------------------------------------------


class Direction(models.TextChoices):
    OF_AGENCY = "of_agency", _("街镇和社区考核社工机构")
    OF_TOWN_OFFICE = "of_town_office", _("社工机构考核街镇")


class AssessmentIndicatorSet(Bilingual, NumberedVersion):
    """A versioned set of two-way assessment indicators for one direction (A1, configurable)."""

    code = models.SlugField(_("指标集代码"), max_length=40)
    direction = models.CharField(_("考核方向"), max_length=20, choices=Direction.choices)
    is_default = models.BooleanField(_("默认指标集"), default=False)
    # version, derived_from, in_use_since (set when a round opens with it) and created_at: NumberedVersion.
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("双向考核指标集")
        verbose_name_plural = _("双向考核指标集")
        ordering = ["direction", "code", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="assessment_set_unique_version"),
            models.UniqueConstraint(
                fields=["direction"], condition=models.Q(is_default=True), name="assessment_set_one_default"
            ),
            models.CheckConstraint(
                condition=models.Q(direction__in=["of_agency", "of_town_office"]), name="assessment_set_direction"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name_zh} v{self.version}"


class AssessmentIndicator(Bilingual):
    indicator_set = models.ForeignKey(
        AssessmentIndicatorSet, on_delete=models.CASCADE, related_name="indicators", verbose_name=_("指标集")
    )
    code = models.SlugField(_("指标代码"), max_length=20)
    description = models.TextField(_("说明"), blank=True)
    max_score = models.DecimalField(_("满分"), validators=POSITIVE_SCORE, **SCORE)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("双向考核指标")
        verbose_name_plural = _("双向考核指标")
        ordering = ["indicator_set", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["indicator_set", "code"], name="assessment_indicator_unique_code"),
            models.CheckConstraint(condition=models.Q(max_score__gt=0), name="assessment_indicator_max_positive"),
        ]

    def __str__(self) -> str:
        return self.name_zh


class AssessmentRound(models.Model):
    """One half-year two-way assessment of a package (A1). Raters see their own sheet; the other side's sheets
    become visible once the round is closed (by the bureau, or automatically after `closes_on`)."""

    class Status(models.TextChoices):
        OPEN = "open", _("进行中")
        CLOSED = "closed", _("已结束")

    package = models.ForeignKey(
        ServicePackage, on_delete=models.PROTECT, related_name="assessment_rounds", verbose_name=_("服务项目包")
    )
    period = models.CharField(_("考核期"), max_length=6, help_text=_("如 2025H1（上半年）或 2025H2（下半年）"))
    opens_on = models.DateField(_("开始日期"))
    closes_on = models.DateField(_("截止日期"))
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True)
    agency_indicator_set = models.ForeignKey(
        AssessmentIndicatorSet,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"direction": Direction.OF_AGENCY},
        verbose_name=_("考核社工机构的指标集"),
    )
    town_office_indicator_set = models.ForeignKey(
        AssessmentIndicatorSet,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"direction": Direction.OF_TOWN_OFFICE},
        verbose_name=_("考核街镇的指标集"),
    )
    # Empty when the platform opened the round on its half-year schedule.
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("发起人"),
    )
    opened_at = models.DateTimeField(_("发起时间"), auto_now_add=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("结束人"),
    )
    closed_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("双向考核轮次")
        verbose_name_plural = _("双向考核轮次")
        ordering = ["package", "-period"]
        constraints = [
            models.UniqueConstraint(fields=["package", "period"], name="assessment_round_unique_period"),
            models.CheckConstraint(
                condition=models.Q(closes_on__gte=models.F("opens_on")), name="assessment_round_dates_ordered"
            ),
            models.CheckConstraint(
                condition=models.Q(period__regex=r"^[0-9]{4}H[12]$"), name="assessment_round_period_format"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.package} · {self.period}"

    def get_absolute_url(self) -> str:
        return reverse("evaluation:round-detail", args=[self.pk])

    def is_closed_on(self, day) -> bool:
        return self.status == self.Status.CLOSED or day > self.closes_on

    @property
    def is_closed(self) -> bool:
        """Closed by the bureau, or past its closing date: results are visible to both sides."""
        return self.is_closed_on(timezone.localdate())

    def indicator_set_for(self, direction: str) -> AssessmentIndicatorSet:
        if direction == Direction.OF_AGENCY:
            return self.agency_indicator_set
        return self.town_office_indicator_set


class AssessmentSheet(models.Model):
    """One rater's sheet in a round: the town office or a community committee scoring the agency, or the
    agency scoring the town office. Saved as a draft, submitted once, then locked."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        SUBMITTED = "submitted", _("已提交")

    round = models.ForeignKey(AssessmentRound, on_delete=models.CASCADE, related_name="sheets", verbose_name=_("轮次"))
    rater_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="assessment_sheets", verbose_name=_("评价方")
    )
    direction = models.CharField(_("考核方向"), max_length=20, choices=Direction.choices)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    total = models.DecimalField(_("得分"), null=True, blank=True, **RESULT)
    max_total = models.DecimalField(_("满分"), null=True, blank=True, **RESULT)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("提交人"),
    )
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("双向考核表")
        verbose_name_plural = _("双向考核表")
        ordering = ["round", "direction", "rater_organisation__kind", "rater_organisation__name"]
        constraints = [
            models.UniqueConstraint(fields=["round", "rater_organisation"], name="assessment_sheet_one_per_rater"),
            models.CheckConstraint(
                condition=models.Q(status="draft")
                | (
                    models.Q(submitted_at__isnull=False)
                    & models.Q(total__isnull=False)
                    & models.Q(max_total__gt=0)
                    & models.Q(total__lte=models.F("max_total"))
                ),
                name="assessment_sheet_submitted_has_total",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.round} · {self.rater_organisation}"

    def get_absolute_url(self) -> str:
        return reverse("evaluation:sheet-detail", args=[self.pk])

    @property
    def percent(self) -> Decimal | None:
        from .scoring import percent

        if self.total is None or not self.max_total:
            return None
        return percent(self.total, self.max_total)


class AssessmentScore(models.Model):
    sheet = models.ForeignKey(
        AssessmentSheet, on_delete=models.CASCADE, related_name="scores", verbose_name=_("考核表")
    )
    indicator = models.ForeignKey(
        AssessmentIndicator, on_delete=models.PROTECT, related_name="scores", verbose_name=_("指标")
    )
    # Empty while a draft holds only a comment; a submitted sheet has every score.
    score = models.DecimalField(_("得分"), null=True, blank=True, validators=NON_NEGATIVE, **SCORE)
    comment = models.TextField(_("说明"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("双向考核得分")
        verbose_name_plural = _("双向考核得分")
        ordering = ["sheet", "indicator__order"]
        constraints = [
            models.UniqueConstraint(fields=["sheet", "indicator"], name="assessment_score_unique_indicator"),
            models.CheckConstraint(
                condition=models.Q(score__isnull=True) | models.Q(score__gte=0), name="assessment_score_non_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator}: {self.score}"


# --- Rubric (A3) ---------------------------------------------------------------------------------


class Rubric(Bilingual, NumberedVersion):
    """A versioned evaluation rubric: dimensions whose weights sum to 100 (A3), and the A4 weight of the
    two-way assessment in the final score (third-party weight = 100 − two_way_weight)."""

    code = models.SlugField(_("评估指标体系代码"), max_length=40)
    description = models.TextField(_("说明"), blank=True)
    two_way_weight = models.DecimalField(
        _("双向考核权重（%）"), max_digits=5, decimal_places=2, default=Decimal("20"), validators=WEIGHT
    )
    is_default = models.BooleanField(_("默认指标体系"), default=False)
    # version, derived_from, in_use_since (set when the first evaluation is assigned with it; from then on edits
    # make a new version, A3) and created_at: NumberedVersion.
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("评估指标体系")
        verbose_name_plural = _("评估指标体系")
        ordering = ["code", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="rubric_unique_version"),
            models.UniqueConstraint(
                fields=["is_default"], condition=models.Q(is_default=True), name="rubric_one_default"
            ),
            models.CheckConstraint(
                condition=models.Q(two_way_weight__gte=0, two_way_weight__lte=100), name="rubric_two_way_weight_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name_zh} v{self.version}"

    @property
    def third_party_weight(self) -> Decimal:
        return Decimal("100") - self.two_way_weight


class RubricDimension(Bilingual):
    rubric = models.ForeignKey(Rubric, on_delete=models.CASCADE, related_name="dimensions", verbose_name=_("指标体系"))
    code = models.SlugField(_("维度代码"), max_length=20)
    weight = models.DecimalField(_("权重"), max_digits=5, decimal_places=2, validators=WEIGHT)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("评估维度")
        verbose_name_plural = _("评估维度")
        ordering = ["rubric", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["rubric", "code"], name="rubric_dimension_unique_code"),
            models.CheckConstraint(condition=models.Q(weight__gte=0, weight__lte=100), name="rubric_dimension_weight"),
        ]

    def __str__(self) -> str:
        return f"{self.name_zh}（{self.weight}）"


class RubricIndicator(Bilingual):
    dimension = models.ForeignKey(
        RubricDimension, on_delete=models.CASCADE, related_name="indicators", verbose_name=_("评估维度")
    )
    code = models.SlugField(_("指标代码"), max_length=20)
    description = models.TextField(_("评分说明"), blank=True)
    max_score = models.DecimalField(_("满分"), validators=POSITIVE_SCORE, **SCORE)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("评估指标")
        verbose_name_plural = _("评估指标")
        ordering = ["dimension__order", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["dimension", "code"], name="rubric_indicator_unique_code"),
            models.CheckConstraint(condition=models.Q(max_score__gt=0), name="rubric_indicator_max_positive"),
        ]

    def __str__(self) -> str:
        return self.name_zh


# --- Third-party evaluation (A2, A4, A5) ---------------------------------------------------------


class Evaluation(models.Model):
    """A package's mid-term or closing third-party evaluation. Finalising stores the A4 numbers; from then on
    nothing about it changes (A5)."""

    class Stage(models.TextChoices):
        MID_TERM = "mid_term", _("中期评估")
        CLOSING = "closing", _("结项评估")
        SPOT_CHECK = "spot_check", _("抽查评估")

    class Status(models.TextChoices):
        ASSIGNED = "assigned", _("已派出")
        IN_PROGRESS = "in_progress", _("评估中")
        SCORED = "scored", _("待定稿")
        FINALISED = "finalised", _("已定稿")

    package = models.ForeignKey(
        ServicePackage, on_delete=models.PROTECT, related_name="evaluations", verbose_name=_("服务项目包")
    )
    stage = models.CharField(_("评估阶段"), max_length=10, choices=Stage.choices)
    firm = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="evaluations",
        limit_choices_to={"kind": Organisation.Kind.EVALUATION_FIRM},
        verbose_name=_("第三方评估机构"),
    )
    rubric = models.ForeignKey(Rubric, on_delete=models.PROTECT, related_name="evaluations", verbose_name=_("指标体系"))
    due_on = models.DateField(_("完成期限"))
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.ASSIGNED, db_index=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("派出人")
    )
    assigned_at = models.DateTimeField(_("派出时间"), auto_now_add=True)
    # The A4 result, stored when the bureau finalises (A5).
    package_score = models.DecimalField(_("第三方评估得分"), null=True, blank=True, **RESULT)
    spread = models.DecimalField(_("评估员分差"), null=True, blank=True, **RESULT)
    two_way_score = models.DecimalField(_("双向考核得分"), null=True, blank=True, **RESULT)
    two_way_weight = models.DecimalField(
        _("双向考核权重（%）"), max_digits=5, decimal_places=2, null=True, blank=True, validators=WEIGHT
    )
    final_score = models.DecimalField(_("最终得分"), null=True, blank=True, **RESULT)
    grade = models.CharField(_("等级"), max_length=10, choices=Grade.choices, blank=True)
    dimension_scores = models.JSONField(_("各维度得分"), default=list, blank=True)
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("定稿人"),
    )
    finalised_at = models.DateTimeField(_("定稿时间"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("第三方评估")
        verbose_name_plural = _("第三方评估")
        ordering = ["due_on", "package__town__name"]
        constraints = [
            # A2: one mid-term and one closing evaluation per package; spot checks (K10) are one per draw's pick.
            models.UniqueConstraint(
                fields=["package", "stage"],
                condition=models.Q(stage__in=["mid_term", "closing"]),
                name="evaluation_one_per_stage",
            ),
            models.CheckConstraint(
                condition=models.Q(stage__in=["mid_term", "closing", "spot_check"]), name="evaluation_stage_valid"
            ),
            models.CheckConstraint(
                condition=~models.Q(status="finalised")
                | (
                    models.Q(final_score__isnull=False)
                    & models.Q(package_score__isnull=False)
                    & models.Q(finalised_by__isnull=False)
                    & models.Q(finalised_at__isnull=False)
                    & ~models.Q(grade="")
                ),
                name="evaluation_finalised_has_result",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.package} · {self.get_stage_display()}"

    def get_absolute_url(self) -> str:
        return reverse("evaluation:evaluation-detail", args=[self.pk])

    @property
    def is_finalised(self) -> bool:
        return self.status == self.Status.FINALISED

    @property
    def third_party_weight(self) -> Decimal | None:
        return None if self.two_way_weight is None else Decimal("100") - self.two_way_weight


# The stages A2 schedules and F3's payments wait for; a spot check (K10) releases no money.
MILESTONE_STAGES = (Evaluation.Stage.MID_TERM, Evaluation.Stage.CLOSING)


class EvaluationAssignment(models.Model):
    """An evaluator of the firm assigned to an evaluation. They declare (no) conflict of interest before
    scoring (A2); a declared conflict removes them."""

    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("评估")
    )
    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="evaluation_assignments",
        verbose_name=_("评估员"),
    )
    assigned_at = models.DateTimeField(_("派出时间"), auto_now_add=True)
    declared_at = models.DateTimeField(_("声明时间"), null=True, blank=True)
    has_conflict = models.BooleanField(_("存在利益冲突"), default=False)
    conflict_note = models.TextField(_("声明说明"), blank=True)
    removed_at = models.DateTimeField(_("撤出时间"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("评估员派出")
        verbose_name_plural = _("评估员派出")
        ordering = ["evaluation", "assigned_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "evaluator"], name="assignment_unique_evaluator"),
            models.CheckConstraint(
                condition=~models.Q(has_conflict=True)
                | (models.Q(declared_at__isnull=False) & models.Q(removed_at__isnull=False)),
                name="assignment_conflict_removes",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.evaluation} · {self.evaluator}"

    @property
    def is_active(self) -> bool:
        return self.removed_at is None

    @property
    def may_score(self) -> bool:
        return self.is_active and self.declared_at is not None and not self.has_conflict


class ScoreSheet(models.Model):
    """One evaluator's scores on the rubric; locked once submitted (A3)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        SUBMITTED = "submitted", _("已提交")

    assignment = models.OneToOneField(
        EvaluationAssignment, on_delete=models.CASCADE, related_name="sheet", verbose_name=_("评估员派出")
    )
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    total = models.DecimalField(_("总分"), null=True, blank=True, **RESULT)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("评分表")
        verbose_name_plural = _("评分表")
        ordering = ["assignment"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="draft")
                | (models.Q(submitted_at__isnull=False) & models.Q(total__gte=0) & models.Q(total__lte=100)),
                name="score_sheet_submitted_has_total",
            ),
        ]

    def __str__(self) -> str:
        return str(self.assignment)

    @property
    def is_submitted(self) -> bool:
        return self.status == self.Status.SUBMITTED


class IndicatorScore(models.Model):
    sheet = models.ForeignKey(ScoreSheet, on_delete=models.CASCADE, related_name="scores", verbose_name=_("评分表"))
    indicator = models.ForeignKey(
        RubricIndicator, on_delete=models.PROTECT, related_name="scores", verbose_name=_("评估指标")
    )
    # Empty while a draft holds only a comment; a submitted sheet has every score.
    score = models.DecimalField(_("得分"), null=True, blank=True, validators=NON_NEGATIVE, **SCORE)
    comment = models.TextField(_("评语"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("指标得分")
        verbose_name_plural = _("指标得分")
        ordering = ["sheet", "indicator__dimension__order", "indicator__order"]
        constraints = [
            models.UniqueConstraint(fields=["sheet", "indicator"], name="indicator_score_unique"),
            models.CheckConstraint(
                condition=models.Q(score__isnull=True) | models.Q(score__gte=0), name="indicator_score_non_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator}: {self.score}"


# --- Spot checks (K10) ------------------------------------------------------------------------------


class SpotCheckDraw(models.Model):
    """K10: the year's draw of packages running more than a year for a spot-check evaluation, stratified by
    district; the recorded seed reproduces it (`evaluation.spot_checks.k10_draw`)."""

    year = models.PositiveSmallIntegerField(_("年度"), unique=True)
    drawn_on = models.DateField(_("抽取日期"))
    seed = models.CharField(_("随机种子"), max_length=64)
    share = models.PositiveSmallIntegerField(
        _("抽查比例（%）"), validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    eligible_count = models.PositiveIntegerField(_("符合条件的项目包数"))
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("抽取人"),
        help_text=_("为空表示系统按计划自动抽取。"),
    )
    drawn_at = models.DateTimeField(_("抽取时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("年度抽查")
        verbose_name_plural = _("年度抽查")
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(condition=models.Q(share__gte=1, share__lte=100), name="spot_check_share_valid"),
        ]

    def __str__(self) -> str:
        return _("%(year)s年度抽查") % {"year": self.year}

    def get_absolute_url(self) -> str:
        return reverse("evaluation:spot-check-detail", args=[self.year])


class SpotCheckPick(models.Model):
    """A package drawn in a year's spot check (K10), with its district (the stratum), whether it was drawn with
    priority (running more than two years, never drawn before) and, once assigned, its spot-check evaluation."""

    draw = models.ForeignKey(SpotCheckDraw, on_delete=models.CASCADE, related_name="picks", verbose_name=_("年度抽查"))
    package = models.ForeignKey(
        ServicePackage, on_delete=models.PROTECT, related_name="spot_check_picks", verbose_name=_("服务项目包")
    )
    district = models.ForeignKey(
        "directory.District", on_delete=models.PROTECT, related_name="+", verbose_name=_("区（县级市）")
    )
    priority = models.BooleanField(_("优先抽取"), default=False)
    evaluation = models.OneToOneField(
        Evaluation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="spot_check_pick",
        verbose_name=_("抽查评估"),
    )

    class Meta:
        verbose_name = _("抽中项目包")
        verbose_name_plural = _("抽中项目包")
        ordering = ["draw", "district_id", "-priority", "package_id"]
        constraints = [models.UniqueConstraint(fields=["draw", "package"], name="spot_check_pick_unique_package")]

    def __str__(self) -> str:
        return f"{self.draw} · {self.package}"
