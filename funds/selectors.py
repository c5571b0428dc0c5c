"""Every read on money, already scoped to the user (funds.permissions), in a fixed number of queries."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

import django_filters
from django.db.models import Count, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import MAX_ID
from directory.models import District, Town
from directory.permissions import scope_for
from evaluation.models import MILESTONE_STAGES, Evaluation
from procurement.models import ServicePackage
from procurement.selectors import package_list

from . import rules
from .models import (
    CommunityFund,
    FundingSource,
    Instalment,
    LedgerEntry,
    MicroGrant,
    PackageYearSplit,
    Payment,
    SourceBudget,
)
from .permissions import can_view_sources, fund_scope_q
from .services import contract_value, package_plan_years

ZERO = rules.ZERO

# --- F1/F2: sources, budgets, what is committed and paid ------------------------------------------


def source_list(*, user) -> QuerySet[FundingSource]:
    """Sources the user may read: all for the city-wide roles; a district officer the city's and its own."""
    scope = scope_for(user)
    qs = FundingSource.objects.select_related("district")
    if scope.sees_all:
        return qs
    if not can_view_sources(user):
        return qs.none()
    return qs.filter(Q(district__isnull=True) | Q(district_id__in=scope.district_ids))


@dataclass
class SourceYearRow:
    source: FundingSource
    budget: SourceBudget | None
    amount: Decimal
    committed: Decimal
    paid: Decimal
    packages: int = 0  # packages with money from this source in the year

    @property
    def available(self) -> Decimal:
        return rules.f2_available(self.amount, self.committed)

    @property
    def over_committed(self) -> bool:
        return self.committed > self.amount


class SourceFilter(django_filters.FilterSet):
    """The source table's filters: the budget year its figures are for (this year if not given), the kind of
    source and the district (a district's own budget)."""

    year = django_filters.NumberFilter(
        method="for_year", min_value=2000, max_value=2100, label=_("年度"), help_text=_("预算年度，如 2025；默认今年")
    )
    kind = django_filters.ChoiceFilter(choices=FundingSource.Kind.choices, label=_("资金来源类型"))
    district = django_filters.NumberFilter(
        field_name="district_id", min_value=1, max_value=MAX_ID, label=_("区（县级市）")
    )

    class Meta:
        model = FundingSource
        fields = ["year", "kind", "district"]

    def for_year(self, queryset, name, value):
        return queryset  # the year picks the budget the rows describe, not the sources

    @property
    def budget_year(self) -> int:
        return self.form.cleaned_data.get("year") or timezone.localdate().year


def source_year_rows(*, user, year: int, sources: QuerySet[FundingSource] | None = None) -> list[SourceYearRow]:
    """Per source (of `sources`, e.g. narrowed by SourceFilter, else all the user may read), for one budget
    year: budget, committed (F2 splits), paid and available. Paid money is attributed to sources in proportion
    to the package year's split. Four queries whatever the data size."""
    return source_year_totals(sources=source_list(user=user) if sources is None else sources, year=year)


def source_year_totals(*, sources, year: int, packages=None) -> list[SourceYearRow]:
    """`source_year_rows` for given sources (a queryset; the caller has scoped it) and, with `packages` (a
    queryset), only the money of those packages — the dashboards of a district, a town or an agency, and R3.
    Four queries whatever the data size."""
    sources = list(sources.order_by("kind", "name"))
    budgets = {b.source_id: b for b in SourceBudget.objects.filter(year=year, source__in=sources)}
    splits = PackageYearSplit.objects.filter(budget__in=budgets.values())
    if packages is not None:
        splits = splits.filter(package__in=packages.values("pk"))
    splits = list(splits.values("package_id", "plan_year", "budget__source_id", "amount", "package__annual_amount"))
    committed: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for s in splits:
        committed[s["budget__source_id"]] += s["amount"]
    keys = {(s["package_id"], s["plan_year"]) for s in splits}
    paid_by_year: dict[tuple[int, int], Decimal] = {}
    if keys:
        rows = (
            Payment.objects.filter(package_id__in={k[0] for k in keys})
            .values("package_id", "instalment__plan_year")
            .annotate(total=Sum("amount"))
            .order_by()
        )
        paid_by_year = {(r["package_id"], r["instalment__plan_year"]): r["total"] for r in rows}
    paid: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for s in splits:
        year_paid = paid_by_year.get((s["package_id"], s["plan_year"]), ZERO)
        if year_paid and s["package__annual_amount"]:
            paid[s["budget__source_id"]] += rules.cents(year_paid * s["amount"] / s["package__annual_amount"])
    return [
        SourceYearRow(
            source=source,
            budget=budgets.get(source.pk),
            amount=budgets[source.pk].amount if source.pk in budgets else ZERO,
            committed=rules.cents(committed[source.pk]),
            paid=rules.cents(paid[source.pk]),
            packages=len({s["package_id"] for s in splits if s["budget__source_id"] == source.pk}),
        )
        for source in sources
    ]


def source_splits(*, user, source: FundingSource, year: int) -> QuerySet[PackageYearSplit]:
    """The package years committed against one source's budget for a year (only packages the user sees)."""
    return (
        PackageYearSplit.objects.filter(budget__source=source, budget__year=year, package__in=package_list(user=user))
        .select_related("package__town", "package__agency__organisation", "committed_by")
        .order_by("package__town__name", "plan_year")
    )


def budget_years(*, around: int | None = None) -> list[int]:
    this_year = timezone.localdate().year
    years = set(SourceBudget.objects.values_list("year", flat=True).distinct())
    years |= {this_year, this_year + 1}
    return sorted(years, reverse=True)


# --- F3: a package's money ---------------------------------------------------------------------------------


def package_money_list(*, user) -> QuerySet[ServicePackage]:
    """Packages whose money the user may read (community officers do not see the town's money)."""
    scope = scope_for(user)
    qs = package_list(user=user)
    if scope.sees_all:
        return qs
    return qs.filter(
        Q(agency__organisation_id__in=scope.agency_ids)
        | Q(town_id__in=scope.town_ids)
        | Q(town__district_id__in=scope.district_ids)
    )


@dataclass
class InstalmentRow:
    instalment: Instalment
    paid: Decimal
    state: rules.InstalmentState
    stage: str | None
    payments: list[Payment] = field(default_factory=list)

    @property
    def remaining(self) -> Decimal:
        return max(self.instalment.amount - self.paid, ZERO)


@dataclass
class PackageYear:
    plan_year: int
    starts_on: datetime.date
    ends_on: datetime.date
    budget_year: int
    amount: Decimal
    splits: list[PackageYearSplit]
    instalments: list[InstalmentRow]

    @property
    def split_total(self) -> Decimal:
        return rules.money_sum(s.amount for s in self.splits)

    @property
    def split_problem(self) -> str | None:
        if not self.splits:
            return str(_("尚未分配资金来源。"))
        return rules.f2_split_problem(self.amount, (s.amount for s in self.splits))

    @property
    def paid(self) -> Decimal:
        return rules.money_sum(r.paid for r in self.instalments)


@dataclass
class PackageMoney:
    package: ServicePackage
    contract_value: Decimal
    years: list[PackageYear]
    payments: list[Payment]

    @property
    def paid(self) -> Decimal:
        return rules.money_sum(p.amount for p in self.payments)

    @property
    def remaining(self) -> Decimal:
        return self.contract_value - self.paid

    @property
    def due(self) -> Decimal:
        return rules.money_sum(r.remaining for y in self.years for r in y.instalments if r.state.code == "due")

    @property
    def held(self) -> list[InstalmentRow]:
        return [r for y in self.years for r in y.instalments if r.state.code == "held"]


def package_money(package: ServicePackage, *, today: datetime.date | None = None) -> PackageMoney:
    """F2/F3: a package's years with their splits and instalments (each with its state, why it is held and
    what releases it) and every payment; a fixed handful of queries."""
    today = today or timezone.localdate()
    years = package_plan_years(package)
    evaluations = {
        e.stage: rules.EvaluationResult(
            stage=e.stage,
            finalised=e.is_finalised,
            grade=e.grade,
            grade_label=e.get_grade_display(),
            final_score=e.final_score,
        )
        for e in Evaluation.objects.filter(package=package, stage__in=MILESTONE_STAGES)
    }
    splits = list(
        PackageYearSplit.objects.filter(package=package)
        .select_related("budget__source")
        .order_by("budget__source__kind")
    )
    payments = list(
        Payment.objects.filter(package=package).select_related("recorded_by", "instalment").order_by("paid_on", "pk")
    )
    by_instalment: dict[int, list[Payment]] = defaultdict(list)
    for p in payments:
        by_instalment[p.instalment_id].append(p)
    instalments = list(Instalment.objects.filter(package=package).order_by("plan_year", "planned_on", "pk"))
    result = []
    for plan_year in range(1, years + 1):
        first, last = rules.plan_year_bounds(package.starts_on, package.ends_on, plan_year)
        rows = []
        for inst in (i for i in instalments if i.plan_year == plan_year):
            stage = rules.f3_evaluation_stage(inst.milestone, plan_year=plan_year, last_plan_year=years)
            paid = rules.money_sum(p.amount for p in by_instalment[inst.pk])
            state = rules.f3_instalment_state(
                amount=inst.amount,
                paid=paid,
                planned_on=inst.planned_on,
                stage=stage,
                evaluation=evaluations.get(stage) if stage else None,
                today=today,
            )
            rows.append(
                InstalmentRow(instalment=inst, paid=paid, state=state, stage=stage, payments=by_instalment[inst.pk])
            )
        result.append(
            PackageYear(
                plan_year=plan_year,
                starts_on=first,
                ends_on=last,
                budget_year=rules.budget_year_of(package.starts_on, plan_year),
                amount=package.annual_amount,
                splits=[s for s in splits if s.plan_year == plan_year],
                instalments=rows,
            )
        )
    return PackageMoney(package=package, contract_value=contract_value(package), years=result, payments=payments)


@dataclass
class PaidSummary:
    contract_value: Decimal
    paid: Decimal
    held: list[tuple[Instalment, rules.InstalmentState]]


def package_paid_summary(package: ServicePackage, *, today: datetime.date | None = None) -> PaidSummary:
    """F3 in short, for other apps' pages (the evaluator's workspace): contract value, paid so far and the
    held instalments with the reason; two queries (three with a contract)."""
    today = today or timezone.localdate()
    years = package_plan_years(package)
    evaluations = {
        e.stage: rules.EvaluationResult(
            stage=e.stage,
            finalised=e.is_finalised,
            grade=e.grade,
            grade_label=e.get_grade_display(),
            final_score=e.final_score,
        )
        for e in Evaluation.objects.filter(package=package, stage__in=MILESTONE_STAGES)
    }
    instalments = list(
        Instalment.objects.filter(package=package)
        .annotate(paid=Coalesce(Sum("payments__amount"), Value(ZERO)))
        .order_by("plan_year", "planned_on", "pk")
    )
    held = []
    for inst in instalments:
        stage = rules.f3_evaluation_stage(inst.milestone, plan_year=inst.plan_year, last_plan_year=years)
        state = rules.f3_instalment_state(
            amount=inst.amount,
            paid=inst.paid,
            planned_on=inst.planned_on,
            stage=stage,
            evaluation=evaluations.get(stage) if stage else None,
            today=today,
        )
        if state.code == "held":
            held.append((inst, state))
    return PaidSummary(
        contract_value=contract_value(package), paid=rules.money_sum(i.paid for i in instalments), held=held
    )


def package_paid_total(package: ServicePackage) -> Decimal:
    return Payment.objects.filter(package=package).aggregate(t=Sum("amount"))["t"] or ZERO


def package_paid_totals(package_ids) -> dict[int, Decimal]:
    """{package id: paid so far (net of reversals)} in one query."""
    rows = (
        Payment.objects.filter(package_id__in=list(package_ids))
        .values("package_id")
        .annotate(t=Sum("amount"))
        .order_by()
    )
    return {r["package_id"]: r["t"] for r in rows}


class PaymentFilter(django_filters.FilterSet):
    package = django_filters.NumberFilter(field_name="package_id", min_value=1, max_value=MAX_ID, label=_("服务项目包"))
    paid_after = django_filters.DateFilter(field_name="paid_on", lookup_expr="gte", label=_("拨付日期起"))
    paid_before = django_filters.DateFilter(field_name="paid_on", lookup_expr="lte", label=_("拨付日期止"))

    class Meta:
        model = Payment
        fields = ["package", "paid_after", "paid_before"]


def payment_list(*, user, filters=None) -> QuerySet[Payment]:
    """Payments of the packages whose money the user sees."""
    qs = (
        Payment.objects.filter(package__in=package_money_list(user=user))
        .select_related("package__town", "instalment", "recorded_by")
        .order_by("-paid_on", "-pk")
    )
    return PaymentFilter(filters or None, queryset=qs).qs


def instalment_list(*, user) -> QuerySet[Instalment]:
    return Instalment.objects.filter(package__in=package_money_list(user=user)).select_related("package")


# --- F4: community funds ----------------------------------------------------------------------------------


class FundFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=CommunityFund.Kind.choices, label=_("类型"))
    town = django_filters.ModelChoiceFilter(queryset=Town.objects.all(), label=_("街道（镇）"))
    district = django_filters.ModelChoiceFilter(
        queryset=District.objects.all(), field_name="town__district", label=_("区（县级市）")
    )

    class Meta:
        model = CommunityFund
        fields = ["kind", "town", "district"]


def fund_list(*, user, filters=None) -> QuerySet[CommunityFund]:
    """Funds the user may read, each with its balance (the ledger's sum) annotated."""
    qs = (
        CommunityFund.objects.filter(fund_scope_q(user))
        .select_related("host", "town__district", "community")
        .annotate(balance=Sum("ledger__amount"))
        .order_by("town__name", "name")
    )
    return FundFilter(filters or None, queryset=qs).qs


def public_fund_list() -> QuerySet[CommunityFund]:
    """Every active fund publishes (信息公开)."""
    return (
        CommunityFund.objects.filter(is_active=True)
        .select_related("host", "town__district", "community")
        .annotate(balance=Sum("ledger__amount"))
        .order_by("town__district__name", "town__name", "name")
    )


class LedgerFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=LedgerEntry.Kind.choices, label=_("类型"))
    fund = django_filters.NumberFilter(field_name="fund_id", min_value=1, max_value=MAX_ID, label=_("社区基金"))
    year = django_filters.NumberFilter(field_name="occurred_on__year", min_value=2000, max_value=2100, label=_("年度"))

    class Meta:
        model = LedgerEntry
        fields = ["kind", "fund", "year"]


def ledger_list(*, user, filters=None) -> QuerySet[LedgerEntry]:
    qs = (
        LedgerEntry.objects.filter(fund_scope_q(user, "fund__"))
        .select_related("fund", "grant", "recorded_by", "reversed_by")
        .order_by("-occurred_on", "-pk")
    )
    return LedgerFilter(filters or None, queryset=qs).qs


class GrantFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=MicroGrant.Status.choices, label=_("状态"))
    kind = django_filters.ChoiceFilter(choices=MicroGrant.Kind.choices, label=_("类型"))
    fund = django_filters.NumberFilter(field_name="fund_id", min_value=1, max_value=MAX_ID, label=_("社区基金"))

    class Meta:
        model = MicroGrant
        fields = ["status", "kind", "fund"]


def grant_list(*, user, filters=None) -> QuerySet[MicroGrant]:
    """Grants of the funds the user reads, and the grants the user applied for."""
    scope_q = Q() if scope_for(user).sees_all else fund_scope_q(user, "fund__") | Q(applied_by_id=user.pk)
    qs = (
        MicroGrant.objects.filter(scope_q)
        .select_related("fund", "community", "applied_by")
        .annotate(
            yes=Count("votes", filter=Q(votes__approve=True), distinct=True),
            no=Count("votes", filter=Q(votes__approve=False), distinct=True),
        )
        .order_by("-applied_at", "-pk")
    )
    return GrantFilter(filters or None, queryset=qs).qs


@dataclass
class FundYear:
    year: int
    donations: list[LedgerEntry]
    grants: list[MicroGrant]
    donated: Decimal
    granted: Decimal


def fund_public_years(fund: CommunityFund) -> list[FundYear]:
    """信息公开 by year: donations received (net of reversals; anonymous donors as 匿名) and grants made with
    their purpose and outcome. Reversed donations are left out, with their reversal."""
    entries = list(LedgerEntry.objects.filter(fund=fund).select_related("grant").order_by("-occurred_on", "-pk"))
    reversed_ids = {e.reverses_id for e in entries if e.reverses_id}
    grants = list(
        MicroGrant.objects.filter(fund=fund, status__in=[MicroGrant.Status.APPROVED, MicroGrant.Status.CLOSED])
        .select_related("community")
        .order_by("-decided_at")
    )
    years: dict[int, FundYear] = {}

    def year_of(y: int) -> FundYear:
        return years.setdefault(y, FundYear(year=y, donations=[], grants=[], donated=ZERO, granted=ZERO))

    for e in entries:
        if e.kind == LedgerEntry.Kind.DONATION and e.pk not in reversed_ids:
            fy = year_of(e.occurred_on.year)
            fy.donations.append(e)
            fy.donated += e.amount
        elif e.kind == LedgerEntry.Kind.GRANT:
            year_of(e.occurred_on.year).granted += -e.amount
    for g in grants:
        year_of(timezone.localtime(g.decided_at).year if g.decided_at else g.applied_at.year).grants.append(g)
    return [years[y] for y in sorted(years, reverse=True)]


@dataclass
class FundStatsRow:
    label: str
    funds: int
    assets: Decimal


def fund_statistics(*, on: datetime.date | None = None) -> dict:
    """City statistics: community funds' assets (the ledgers' sums) by district and by kind; three queries.
    With `on`, the ledgers up to that day (R3 of a past year)."""
    ledger = LedgerEntry.objects.filter(fund__is_active=True)
    if on is not None:
        ledger = ledger.filter(occurred_on__lte=on)
    by_district = (
        ledger.values("fund__town__district__name", "fund__town__district__code")
        .annotate(assets=Sum("amount"))
        .order_by("fund__town__district__code")
    )
    counts = (
        CommunityFund.objects.filter(is_active=True)
        .values("kind", "town__district__name", "town__district__code")
        .annotate(n=Count("pk"))
        .order_by()
    )
    kind_assets = dict(ledger.values_list("fund__kind").annotate(assets=Sum("amount")).order_by())
    funds_by_district: dict[str, int] = defaultdict(int)
    funds_by_kind: dict[str, int] = defaultdict(int)
    names: dict[str, str] = {}
    for c in counts:
        funds_by_district[c["town__district__code"]] += c["n"]
        funds_by_kind[c["kind"]] += c["n"]
        names[c["town__district__code"]] = c["town__district__name"]
    assets_by_district = {r["fund__town__district__code"]: r["assets"] for r in by_district}
    district_rows = [
        FundStatsRow(label=names[code], funds=funds_by_district[code], assets=assets_by_district.get(code) or ZERO)
        for code in sorted(names)
    ]
    kind_rows = [
        FundStatsRow(label=str(label), funds=funds_by_kind.get(kind, 0), assets=kind_assets.get(kind) or ZERO)
        for kind, label in CommunityFund.Kind.choices
    ]
    return {
        "by_district": district_rows,
        "by_kind": kind_rows,
        "funds": sum(funds_by_kind.values()),
        "assets": rules.money_sum(r.assets for r in kind_rows),
    }
