from django.contrib.auth.models import AbstractUser
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .validators import mask_resident_id, validate_resident_id, validate_uscc


class City(models.Model):
    code = models.CharField(_("行政区划代码"), max_length=12, unique=True)
    name = models.CharField(_("名称"), max_length=50)
    name_en = models.CharField(_("英文名称"), max_length=100, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("市")
        verbose_name_plural = _("市")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class District(models.Model):
    class Kind(models.TextChoices):
        DISTRICT = "district", _("区")
        COUNTY_CITY = "county_city", _("县级市")
        ZONE = "zone", _("功能区")

    city = models.ForeignKey(City, on_delete=models.PROTECT, related_name="districts", verbose_name=_("市"))
    code = models.CharField(_("行政区划代码"), max_length=12, unique=True)
    name = models.CharField(_("名称"), max_length=50)
    name_en = models.CharField(_("英文名称"), max_length=100, blank=True)
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices, default=Kind.DISTRICT)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("区（县级市）")
        verbose_name_plural = _("区（县级市）")
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["city", "name"], name="district_unique_name_in_city")]

    def __str__(self) -> str:
        return self.name


class Town(models.Model):
    class Kind(models.TextChoices):
        STREET = "street", _("街道")
        TOWN = "town", _("镇")

    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="towns", verbose_name=_("区（县级市）")
    )
    code = models.CharField(_("行政区划代码"), max_length=12, unique=True)
    name = models.CharField(_("名称"), max_length=50)
    name_en = models.CharField(_("英文名称"), max_length=100, blank=True)
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices, default=Kind.STREET)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("街道（镇）")
        verbose_name_plural = _("街道（镇）")
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["district", "name"], name="town_unique_name_in_district")]

    def __str__(self) -> str:
        return self.name


class Community(models.Model):
    class Kind(models.TextChoices):
        URBAN = "urban", _("社区")
        VILLAGE = "village", _("村")

    town = models.ForeignKey(Town, on_delete=models.PROTECT, related_name="communities", verbose_name=_("街道（镇）"))
    code = models.CharField(_("行政区划代码"), max_length=15, unique=True)
    name = models.CharField(_("名称"), max_length=50)
    name_en = models.CharField(_("英文名称"), max_length=100, blank=True)
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("社区（村）")
        verbose_name_plural = _("社区（村）")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["town", "name"], name="community_unique_name_in_town"),
            models.CheckConstraint(condition=models.Q(kind__in=["urban", "village"]), name="community_kind_valid"),
        ]

    def __str__(self) -> str:
        return self.name


class Organisation(models.Model):
    class Kind(models.TextChoices):
        BUREAU = "bureau", _("民政局")
        TOWN_OFFICE = "town_office", _("街道办事处/镇政府")
        COMMUNITY_COMMITTEE = "community_committee", _("居委会/村委会")
        AGENCY = "agency", _("社工机构")
        EVALUATION_FIRM = "evaluation_firm", _("第三方评估机构")
        FOUNDATION = "foundation", _("基金会")

    kind = models.CharField(_("组织类型"), max_length=30, choices=Kind.choices, db_index=True)
    name = models.CharField(_("名称"), max_length=200)
    name_en = models.CharField(_("英文名称"), max_length=200, blank=True)
    uscc = models.CharField(
        _("统一社会信用代码"), max_length=18, unique=True, null=True, blank=True, validators=[validate_uscc]
    )
    # Where the organisation sits: a bureau at city (no district) or district level, a town office in
    # its town, a committee in its community. Agencies and firms are city-wide and may leave these empty.
    district = models.ForeignKey(
        District,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
        verbose_name=_("区（县级市）"),
    )
    town = models.ForeignKey(
        Town,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
        verbose_name=_("街道（镇）"),
    )
    community = models.ForeignKey(
        Community,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
        verbose_name=_("社区（村）"),
    )
    address = models.CharField(_("地址"), max_length=200, blank=True)
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    is_active = models.BooleanField(_("有效"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("组织")
        verbose_name_plural = _("组织")
        ordering = ["kind", "name"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind="town_office") | models.Q(town__isnull=False),
                name="organisation_town_office_has_town",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="community_committee") | models.Q(community__isnull=False),
                name="organisation_committee_has_community",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    full_name = models.CharField(_("姓名"), max_length=50, blank=True)
    phone = models.CharField(_("手机号"), max_length=20, blank=True)
    resident_id = models.CharField(_("居民身份证号码"), max_length=18, blank=True, validators=[validate_resident_id])
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def resident_id_masked(self) -> str:
        return mask_resident_id(self.resident_id)


class Role(models.TextChoices):
    """Stable role codes (D2). The labels are translated; the codes never are."""

    BUREAU_ADMIN = "bureau_admin", _("民政局管理员")
    DISTRICT_OFFICER = "district_officer", _("区民政干部")
    TOWN_OFFICER = "town_officer", _("街镇干部")
    COMMUNITY_OFFICER = "community_officer", _("社区（村）干部")
    AGENCY_MANAGER = "agency_manager", _("社工机构负责人")
    AGENCY_WORKER = "agency_worker", _("社工机构社工")
    EVALUATOR = "evaluator", _("第三方评估员")
    EXPERT = "expert", _("评审专家")
    AUDITOR = "auditor", _("审计（只读）")
    FUND_MANAGER = "fund_manager", _("社区基金管理人")


# Which organisation kinds a role may be held in.
ROLE_ORGANISATION_KINDS: dict[str, set[str]] = {
    Role.BUREAU_ADMIN: {Organisation.Kind.BUREAU},
    Role.DISTRICT_OFFICER: {Organisation.Kind.BUREAU},
    Role.TOWN_OFFICER: {Organisation.Kind.TOWN_OFFICE},
    Role.COMMUNITY_OFFICER: {Organisation.Kind.COMMUNITY_COMMITTEE},
    Role.AGENCY_MANAGER: {Organisation.Kind.AGENCY},
    Role.AGENCY_WORKER: {Organisation.Kind.AGENCY},
    Role.EVALUATOR: {Organisation.Kind.EVALUATION_FIRM},
    Role.EXPERT: set(Organisation.Kind.values),
    Role.AUDITOR: {Organisation.Kind.BUREAU},
    Role.FUND_MANAGER: {Organisation.Kind.FOUNDATION},
}


class Membership(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("用户"))
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("组织")
    )
    role = models.CharField(_("角色"), max_length=30, choices=Role.choices)
    is_active = models.BooleanField(_("有效"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("成员身份")
        verbose_name_plural = _("成员身份")
        ordering = ["organisation__name", "role"]
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation", "role"], name="membership_unique_role"),
            models.CheckConstraint(condition=models.Q(role__in=Role.values), name="membership_role_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.organisation} · {self.get_role_display()}"

    def get_absolute_url(self) -> str:
        return reverse("admin:directory_membership_change", args=[self.pk])


class ApiToken(models.Model):
    """A key another system (a district's own software, the finance office's tools) uses to call the API as
    this user. Only the SHA-256 of the key is stored: the key itself is shown once, when it is created."""

    class Scope(models.TextChoices):
        READ = "read", _("只读")
        WRITE = "write", _("读写")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("用户"))
    name = models.CharField(_("名称"), max_length=100)
    scope = models.CharField(_("权限范围"), max_length=10, choices=Scope.choices, default=Scope.READ)
    prefix = models.CharField(
        _("令牌前缀"), max_length=12, help_text=_("令牌的前几个字符，用于辨认；不能用来调用接口。")
    )
    key_hash = models.CharField(_("令牌摘要"), max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("最近使用时间"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("撤销人")
    )

    class Meta:
        verbose_name = _("API 令牌")
        verbose_name_plural = _("API 令牌")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(scope__in=["read", "write"]), name="apitoken_scope_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
