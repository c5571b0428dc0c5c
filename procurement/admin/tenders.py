"""Admin of tendering: the expert pool (edited here), and read-only views of tenders, bids, scores, draws,
contracts and packages — their writes go through the pages' services. Bids and scores stay sealed (T2):
nothing of a bid appears here before its tender's deadline, not even to the bureau."""

from django.contrib import admin
from django.db.models import Count
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from directory.admin_site import ReadOnlyAdminMixin
from procurement.models import (
    Bid,
    BidScore,
    Contract,
    Expert,
    ExpertDraw,
    ServicePackage,
    StaffAssignment,
    Tender,
    TenderExpert,
)
from procurement.tendering import sealed_q


def _opened(queryset, tender_path: str):
    """T2 sealing for the admin (`tendering.sealed_q`): only bids (or scores) of tenders whose deadline has passed."""
    return queryset.exclude(sealed_q(timezone.now(), tender_path))


@admin.register(Expert)
class ExpertAdmin(SimpleHistoryAdmin):
    list_display = ["user", "category", "affiliation", "title", "is_active"]
    list_filter = ["category", "is_active"]
    search_fields = ["user__username", "user__full_name", "affiliation__name", "title"]
    list_select_related = ["user", "affiliation"]
    autocomplete_fields = ["user", "affiliation"]


class BidInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Bid
    extra = 0
    fields = ["agency", "price", "submitted_at", "disqualification_reasons"]
    readonly_fields = fields
    show_change_link = True

    def get_queryset(self, request):
        return _opened(super().get_queryset(request), "tender").select_related("agency__organisation")


class TenderExpertInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = TenderExpert
    extra = 0
    fields = ["expert", "declared_at", "has_conflict", "conflict_note"]
    readonly_fields = fields


@admin.register(Tender)
class TenderAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    """Tenders are created and moved through their states on the tender pages (one set of services)."""

    list_display = ["title", "town", "status", "annual_ceiling", "period_years", "bid_deadline", "bid_total"]
    list_filter = ["status", "round"]
    search_fields = ["title", "town__name"]
    list_select_related = ["town", "round"]
    inlines = [BidInline, TenderExpertInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(bid_total=Count("bids"))

    def has_add_permission(self, request, obj=None):
        # The "add" button leads to the tender page, which calls tender_create.
        return super(ReadOnlyAdminMixin, self).has_add_permission(request)

    @admin.display(description=_("投标数"))
    def bid_total(self, obj):
        return obj.bid_total

    def add_view(self, request, form_url="", extra_context=None):
        return redirect("procurement:tender-create")


@admin.register(Bid)
class BidAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["tender", "agency", "price", "submitted_at", "checked_at"]
    list_filter = ["tender__status"]
    search_fields = ["tender__title", "agency__organisation__name"]
    list_select_related = ["tender", "agency__organisation"]
    exclude = ["proposal_file"]

    def get_queryset(self, request):
        return _opened(super().get_queryset(request), "tender")


@admin.register(BidScore)
class BidScoreAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["bid", "expert", "price_score", "proposal_score", "team_score", "past_score", "total"]
    search_fields = ["bid__tender__title", "bid__agency__organisation__name", "expert__user__full_name"]
    list_select_related = ["bid__tender", "bid__agency__organisation", "expert__user"]

    def get_queryset(self, request):
        return _opened(super().get_queryset(request), "bid__tender")


@admin.register(ExpertDraw)
class ExpertDrawAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["tender", "seed", "drawn_by", "drawn_at"]
    list_select_related = ["tender", "drawn_by"]
    search_fields = ["tender__title", "seed"]


@admin.register(Contract)
class ContractAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ["number", "agency", "tender", "value", "signed_on"]
    search_fields = ["number", "agency__organisation__name", "tender__title"]
    list_select_related = ["agency__organisation", "tender"]


class StaffAssignmentInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = StaffAssignment
    extra = 0
    fields = ["staff", "is_full_time", "starts_on", "ends_on"]
    readonly_fields = fields


@admin.register(ServicePackage)
class ServicePackageAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    """Packages come from an award or from the direct-entry page, both running Q1–Q4, P1 and P2."""

    list_display = ["title", "town", "agency", "starts_on", "ends_on", "annual_amount", "status", "cosigned_at"]
    list_filter = ["status", "round", ("cosigned_at", admin.EmptyFieldListFilter)]
    search_fields = ["title", "town__name", "agency__organisation__name"]
    list_select_related = ["town", "agency__organisation"]
    inlines = [StaffAssignmentInline]

    def has_add_permission(self, request, obj=None):
        # The "add" button leads to the direct-entry page, which calls package_create_direct.
        return super(ReadOnlyAdminMixin, self).has_add_permission(request)

    def add_view(self, request, form_url="", extra_context=None):
        return redirect("procurement:package-create")
