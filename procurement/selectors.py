"""Reads of procurement rows, already scoped to the asking user (see permissions.py for the rules)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

import django_filters
from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import MAX_ID
from directory.models import District, Role, Town
from directory.permissions import scope_for
from procurement.models import (
    Agency,
    Bid,
    BidScore,
    Certificate,
    QualificationApplication,
    ServicePackage,
    StaffMember,
    Tender,
    TenderExpert,
)

from .tendering import sealed_q, t4_mean, t4_rank_key, t5_disqualification_reasons


def agency_list(*, user) -> QuerySet[Agency]:
    """Agencies the user may see: all for city-wide roles, otherwise the user's own."""
    qs = Agency.objects.select_related("organisation")
    scope = scope_for(user)
    if scope.sees_all:
        return qs
    return qs.filter(organisation_id__in=scope.agency_ids)


class AgencyFilter(django_filters.FilterSet):
    """The agency list's filters: name or USCC, where it serves (a package, of any status, in the district or
    town), the level of its registration authority and its registration dates."""

    q = django_filters.CharFilter(
        method="search", max_length=100, label=_("关键词"), help_text=_("机构名称或统一社会信用代码的一部分")
    )
    district = django_filters.NumberFilter(
        method="serves", min_value=1, max_value=MAX_ID, label=_("区（县级市）"), help_text=_("在该区承接过项目包")
    )
    town = django_filters.NumberFilter(
        method="serves", min_value=1, max_value=MAX_ID, label=_("街道（镇）"), help_text=_("在该街道承接过项目包")
    )
    registration_authority_level = django_filters.ChoiceFilter(
        choices=Agency.AuthorityLevel.choices, label=_("登记管理机关级别")
    )
    registered_after = django_filters.DateFilter(
        field_name="registered_on", lookup_expr="gte", label=_("成立登记日期起"), help_text=_("如 2016-01-01")
    )
    registered_before = django_filters.DateFilter(
        field_name="registered_on", lookup_expr="lte", label=_("成立登记日期止")
    )

    class Meta:
        model = Agency
        fields = ["q", "district", "town", "registration_authority_level", "registered_after", "registered_before"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(organisation__name__icontains=value) | Q(organisation__uscc__icontains=value))

    def serves(self, queryset, name, value):
        place = "town__district_id" if name == "district" else "town_id"
        return queryset.filter(pk__in=ServicePackage.objects.filter(**{place: value}).values("agency_id"))


def staff_list(*, user, agency: Agency | None = None) -> QuerySet[StaffMember]:
    """Roster rows the user may see: a manager sees its agency's, the city-wide roles everyone's."""
    scope = scope_for(user)
    qs = StaffMember.objects.select_related("agency__organisation").prefetch_related(
        Prefetch("certificates", queryset=Certificate.objects.order_by("-expires_on"))
    )
    if agency is not None:
        qs = qs.filter(agency=agency)
    if scope.sees_all:
        return qs
    return qs.filter(agency__organisation_id__in=scope.orgs_for(Role.AGENCY_MANAGER))


def qualification_list(*, user) -> QuerySet[QualificationApplication]:
    scope = scope_for(user)
    qs = QualificationApplication.objects.select_related("agency__organisation", "submitted_by", "decided_by")
    if scope.sees_all:
        return qs
    return qs.filter(agency__organisation_id__in=scope.orgs_for(Role.AGENCY_MANAGER))


class StaffFilter(django_filters.FilterSet):
    """The roster's filters: a name search and employment status (current staff by default)."""

    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", max_length=50, label=_("姓名"))
    status = django_filters.ChoiceFilter(
        method="filter_status",
        choices=[("current", _("在职")), ("ended", _("已离职")), ("all", _("全部"))],
        empty_label=None,
        label=_("在职状态"),
    )

    class Meta:
        model = StaffMember
        fields = ["q", "status"]

    def filter_status(self, queryset, name, value):
        today = timezone.localdate()
        current = Q(employed_until__isnull=True) | Q(employed_until__gte=today)
        if value == "current":
            return queryset.filter(current)
        if value == "ended":
            return queryset.exclude(current)
        return queryset


def staff_roster(*, user, agency: Agency, filters=None) -> tuple[QuerySet[StaffMember], StaffFilter]:
    """One agency's roster as the user may see it, with certificates, filtered (current staff by default)."""
    data = dict(filters.items()) if filters is not None else {}
    data.setdefault("status", "current")
    filterset = StaffFilter(data, queryset=staff_list(user=user, agency=agency).order_by("name", "pk"))
    return filterset.qs, filterset


class QualificationFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=QualificationApplication.Status.choices, label=_("状态"))

    class Meta:
        model = QualificationApplication
        fields = ["status"]


def qualification_filtered(*, user, filters=None) -> tuple[QuerySet[QualificationApplication], QualificationFilter]:
    """Qualification applications the user may see, filtered by status."""
    filterset = QualificationFilter(filters or None, queryset=qualification_list(user=user))
    return filterset.qs, filterset


def tender_list(*, user) -> QuerySet[Tender]:
    """Every tender but drafts is public; drafts are for the city-wide roles."""
    # The bid count as a correlated subquery per row of the page (index on bid.tender_id), not a GROUP BY over
    # every tender joined to every bid: the paginator's COUNT(*) then needs no grouping either (issue 14).
    bids = Bid.objects.filter(tender=OuterRef("pk")).order_by().values("tender").annotate(n=Count("pk")).values("n")
    qs = Tender.objects.select_related("town__district", "round", "edition").annotate(
        bid_count=Coalesce(Subquery(bids), 0)
    )
    if user is not None and scope_for(user).sees_all:
        return qs
    return qs.exclude(status=Tender.Status.DRAFT)


# The columns TenderListApi shows (issue 14): the tender's own terms, its place's and round's names.
TENDER_ROW_FIELDS = (
    "id",
    "title",
    "status",
    "town",
    "town__name",
    "town__district",
    "town__district__name",
    "round",
    "round__code",
    "edition",
    "edition__code",
    "annual_ceiling",
    "period_years",
    "service_starts_on",
    "min_full_time_staff",
    "min_certified_share",
    "weight_price",
    "weight_proposal",
    "weight_team",
    "weight_past",
    "bid_deadline",
    "created_at",
)


def tender_rows(*, user) -> QuerySet[Tender]:
    """`tender_list` narrowed to the API list's columns (the descriptions, reasons and the other tables'
    columns stay in the database)."""
    return tender_list(user=user).only(*TENDER_ROW_FIELDS)


def tender_public_list() -> QuerySet[Tender]:
    return tender_list(user=None)


def bid_visible_list(*, user) -> QuerySet[Bid]:
    """T2 sealing in one place, as rows: a user always sees their own agency's bids; a bid of any other agency
    only once its tender's deadline has passed (`tendering.sealed_q`), and then only for the city-wide roles
    and the tender's experts who declared no conflict of interest."""
    scope = scope_for(user)
    own = Q(agency__organisation_id__in=scope.agency_ids)
    if scope.sees_all:
        readers = Q()
    elif user is not None and user.is_authenticated:
        readers = Q(
            tender__in=TenderExpert.objects.filter(
                expert__user=user, declared_at__isnull=False, has_conflict=False
            ).values("tender_id")
        )
    else:
        readers = Q(pk__in=[])
    return Bid.objects.filter(own | (~sealed_q(timezone.now()) & readers))


def bid_list(*, user, tender: Tender) -> QuerySet[Bid]:
    """The bids of one tender that the user may read (`bid_visible_list`)."""
    return (
        bid_visible_list(user=user)
        .filter(tender=tender)
        .select_related("agency__organisation", "tender")
        .prefetch_related("team", "scores")
    )


def bid_get(*, user, pk) -> Bid:
    """One bid the user may read, or 404 (a sealed bid of another agency does not exist for them)."""
    return get_object_or_404(bid_visible_list(user=user).select_related("tender", "agency__organisation"), pk=pk)


def _panel_bids(*, user) -> QuerySet[Bid]:
    return Bid.objects.filter(
        tender__in=panel_list(user=user).values("tender_id"), tender__bid_deadline__lte=timezone.now()
    ).select_related("tender__town", "agency__organisation")


def panel_bidder_list(*, user, tender: Tender) -> QuerySet[Bid]:
    """The bids of a tender the user holds a panel seat on, once opened (T2/T3), for the conflict declaration:
    an expert must know whom they declare about. The page shows the bidders' names only, until they declare."""
    return _panel_bids(user=user).filter(tender=tender).order_by("agency__organisation__name")


def bid_for_panel_get(*, user, pk) -> Bid:
    """A bid of a tender the user holds a review-panel seat on, after its deadline (T3: an expert never learns
    of bids before bid opening), whether or not they declared yet — the page then says what to do; 404
    otherwise."""
    return get_object_or_404(_panel_bids(user=user), pk=pk)


def served_town_ids(*, user, active_only: bool) -> QuerySet:
    """ "The agency serves this town", decided once: the towns where one of the user's agencies holds a package.
    Any package (active, ended or terminated) lets the agency read the town's focus issues — its history stays
    readable; only an active package lets it act there (register or move focus issues). A lazy `town_id`
    subquery: filter with `town_id__in=...`, or `.filter(town_id=...).exists()` for one town."""
    qs = ServicePackage.objects.filter(agency__organisation_id__in=scope_for(user).agency_ids)
    if active_only:
        qs = qs.filter(status=ServicePackage.Status.ACTIVE)
    return qs.values("town_id")


def package_list(*, user) -> QuerySet[ServicePackage]:
    """Packages the user may see: city-wide roles all; agencies theirs; officers their places'."""
    scope = scope_for(user)
    qs = ServicePackage.objects.select_related("town__district", "agency__organisation", "round", "edition")
    if scope.sees_all:
        return qs
    return qs.filter(
        Q(agency__organisation_id__in=scope.agency_ids)
        | Q(town_id__in=scope.town_ids | scope.community_town_ids)
        | Q(town__district_id__in=scope.district_ids)
    )


def package_get(*, user, pk) -> ServicePackage:
    """One package the user may see, or 404 (an outsider learns nothing): the scoped getter views use."""
    return get_object_or_404(package_list(user=user), pk=pk)


# --- tenders: lists, panels, disqualification and ranking (T2–T5) ------------------------------


class TenderFilter(django_filters.FilterSet):
    """The tender list's filters: status and town."""

    status = django_filters.ChoiceFilter(choices=Tender.Status.choices, label=_("状态"))
    town = django_filters.ModelChoiceFilter(queryset=Town.objects.select_related("district"), label=_("街道（镇）"))

    class Meta:
        model = Tender
        fields = ["status", "town"]


class BidFilter(django_filters.FilterSet):
    """The filters of a tender's bid list: the bidding agency and when the bid came in."""

    agency = django_filters.NumberFilter(field_name="agency_id", min_value=1, max_value=MAX_ID, label=_("社工机构"))
    submitted_after = django_filters.DateFilter(
        field_name="submitted_at", lookup_expr="date__gte", label=_("提交日期起"), help_text=_("如 2025-03-01")
    )
    submitted_before = django_filters.DateFilter(
        field_name="submitted_at", lookup_expr="date__lte", label=_("提交日期止")
    )

    class Meta:
        model = Bid
        fields = ["agency", "submitted_after", "submitted_before"]


def tender_filtered_list(*, user, filters=None) -> tuple[QuerySet[Tender], TenderFilter]:
    """`tender_list` narrowed by the status/town filters; an invalid filter gives no rows and form errors."""
    filterset = TenderFilter(filters or None, queryset=tender_list(user=user).order_by("-created_at"))
    return filterset.qs, filterset


def tender_open_list(*, user) -> QuerySet[Tender]:
    """Tenders still taking bids: published and before the deadline (T2)."""
    return tender_list(user=user).filter(status=Tender.Status.PUBLISHED, bid_deadline__gt=timezone.now())


def bid_mine_list(*, user) -> QuerySet[Bid]:
    """The bids of the user's own agencies (a bidder always reads its own bid)."""
    return (
        Bid.objects.filter(agency__organisation_id__in=scope_for(user).agency_ids)
        .select_related("tender__town", "agency__organisation")
        .prefetch_related("team")
        .order_by("-submitted_at")
    )


def panel_list(*, user) -> QuerySet[TenderExpert]:
    """The user's seats on review panels, only for tenders whose deadline has passed (T3: an expert never
    learns of a tender's bids before bid opening)."""
    if user is None or not user.is_authenticated:
        return TenderExpert.objects.none()
    return (
        TenderExpert.objects.filter(expert__user=user, tender__bid_deadline__lte=timezone.now())
        .exclude(tender__status=Tender.Status.DRAFT)
        .select_related("tender__town__district", "expert__user")
        .order_by("-tender__bid_deadline")
    )


@dataclass
class RankedBid:
    bid: Bid
    rank: int | None  # None for a disqualified bid (T5: not ranked)
    score: Decimal | None  # mean of the experts' weighted totals (T4)
    team_score: Decimal | None  # mean team score, the first tie-breaker
    sheets: list[BidScore] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)

    @property
    def disqualified(self) -> bool:
        return bool(self.reasons)


def tender_ranking(tender: Tender, *, user) -> list[RankedBid]:
    """T4 ranking of the bids the user may read (sealing via `bid_list`): valid bids by mean score, ties broken
    by mean team score, then by earlier submission; disqualified bids (T5) follow, unranked, with reasons.
    A constant number of queries once bidding has closed (the T5 check is stored on each bid then)."""
    bids = (
        bid_list(user=user, tender=tender)
        .prefetch_related(None)
        .prefetch_related(
            Prefetch(
                "team",
                queryset=StaffMember.objects.order_by("name").prefetch_related(
                    Prefetch("certificates", queryset=Certificate.objects.order_by("-expires_on"))
                ),
            ),
            Prefetch("scores", queryset=BidScore.objects.select_related("expert__user").order_by("expert_id")),
        )
    )
    rows = []
    for bid in bids:
        bid.tender = tender
        sheets = list(bid.scores.all())
        reasons = list(bid.disqualification_reasons) if bid.checked_at else t5_disqualification_reasons(bid)
        rows.append(
            RankedBid(
                bid=bid,
                rank=None,
                score=t4_mean(s.total for s in sheets),
                team_score=t4_mean(s.team_score for s in sheets),
                sheets=sheets,
                reasons=reasons,
            )
        )
    valid = sorted(
        (r for r in rows if not r.disqualified),
        key=lambda r: t4_rank_key(r.score, r.team_score, r.bid.submitted_at, r.bid.pk),
    )
    for rank, row in enumerate(valid, start=1):
        row.rank = rank
    invalid = sorted((r for r in rows if r.disqualified), key=lambda r: (r.bid.submitted_at, r.bid.pk))
    return valid + invalid


# --- public notices and results (T6) -------------------------------------------------------------


class TenderPublicFilter(django_filters.FilterSet):
    """The public notice list's filters: status (never draft), district and town."""

    status = django_filters.ChoiceFilter(
        choices=[(value, label) for value, label in Tender.Status.choices if value != Tender.Status.DRAFT],
        label=_("状态"),
    )
    district = django_filters.ModelChoiceFilter(
        field_name="town__district", queryset=District.objects.all(), label=_("区（县级市）")
    )
    town = django_filters.ModelChoiceFilter(queryset=Town.objects.select_related("district"), label=_("街道（镇）"))

    class Meta:
        model = Tender
        fields = ["status", "district", "town"]


def tender_public_search(*, filters=None) -> tuple[QuerySet[Tender], TenderPublicFilter]:
    """Public tenders (never drafts), newest notice first, with the winner of each awarded one, filtered."""
    qs = (
        tender_public_list()
        .select_related("contract__agency__organisation", "contract__bid", "package__agency__organisation")
        .order_by("-published_at", "-pk")
    )
    filterset = TenderPublicFilter(filters or None, queryset=qs)
    return filterset.qs, filterset
