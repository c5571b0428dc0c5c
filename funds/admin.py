"""The bureau's desk for money: funding sources, per-round payment templates, community funds and their
members are kept here; budgets, splits, instalments, payments, ledger entries, grants, votes and receipts are
read-only (they change only through the services behind the pages and the API, and payments and ledger
entries never change at all: a correction is a reversing entry)."""

from django import forms
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from directory.admin_site import ReadOnlyAdminMixin

from . import rules
from .models import (
    CommunityFund,
    FundingSource,
    FundMember,
    GrantReceipt,
    Instalment,
    LedgerEntry,
    MicroGrant,
    PackageYearSplit,
    Payment,
    PaymentTemplate,
    SourceBudget,
    Vote,
)


@admin.register(FundingSource)
class FundingSourceAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "district", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "district__name"]

    def has_delete_permission(self, request, obj=None):
        return False  # deactivate instead: budgets and splits refer to it


@admin.register(SourceBudget)
class SourceBudgetAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ["source", "year", "amount", "set_by", "set_at"]
    list_filter = ["year", "source__kind"]
    search_fields = ["source__name"]


class PaymentTemplateForm(forms.ModelForm):
    class Meta:
        model = PaymentTemplate
        fields = ["round", "start_percent", "mid_term_percent", "closing_percent"]

    def clean(self):
        data = super().clean()
        percents = {k: data.get(f"{k}_percent") for k in ("start", "mid_term", "closing")}
        if None not in percents.values():
            problem = rules.f3_template_problem(percents)
            if problem:
                raise forms.ValidationError(problem)
        return data


@admin.register(PaymentTemplate)
class PaymentTemplateAdmin(SimpleHistoryAdmin):
    form = PaymentTemplateForm
    list_display = ["round", "start_percent", "mid_term_percent", "closing_percent"]
    search_fields = ["round__name_zh", "round__code"]


@admin.register(PackageYearSplit)
class PackageYearSplitAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["package", "plan_year", "budget", "amount", "committed_by", "committed_at"]
    list_filter = ["budget__year", "budget__source__kind"]
    search_fields = ["package__title", "package__town__name", "budget__source__name"]


@admin.register(Instalment)
class InstalmentAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["package", "plan_year", "milestone", "percent", "amount", "planned_on"]
    list_filter = ["milestone"]
    search_fields = ["package__title", "package__town__name"]


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["package", "instalment", "paid_on", "amount", "voucher_number", "reverses", "recorded_by"]
    list_filter = ["paid_on"]
    search_fields = ["package__title", "voucher_number", "note"]


class FundMemberInline(admin.TabularInline):
    model = FundMember
    extra = 1
    autocomplete_fields = ["user"]

    def has_delete_permission(self, request, obj=None):
        return False  # set is_active off instead: votes refer to members


@admin.register(CommunityFund)
class CommunityFundAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "town", "community", "host", "approval_share", "is_active"]
    list_filter = ["kind", "is_active", "town__district"]
    search_fields = ["name", "host__name", "town__name"]
    autocomplete_fields = ["host", "town", "community"]
    inlines = [FundMemberInline]

    def has_delete_permission(self, request, obj=None):
        return False  # a fund with a ledger is never deleted; deactivate it


@admin.register(FundMember)
class FundMemberAdmin(SimpleHistoryAdmin):
    list_display = ["fund", "user", "role", "is_active"]
    list_filter = ["role", "is_active"]
    search_fields = ["fund__name", "user__username", "user__full_name"]
    autocomplete_fields = ["fund", "user"]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """F4/F5: read-only — no entry is edited or deleted, here or anywhere."""

    list_display = [
        "fund",
        "occurred_on",
        "kind",
        "amount",
        "restricted_to",
        "donor_name",
        "is_anonymous",
        "recorded_by",
    ]
    list_filter = ["kind", "fund"]
    search_fields = ["fund__name", "donor_name", "note", "restricted_to"]


@admin.register(MicroGrant)
class MicroGrantAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ["title", "fund", "kind", "amount", "status", "applied_at"]
    list_filter = ["status", "kind"]
    search_fields = ["title", "applicant_name", "fund__name"]


@admin.register(Vote)
class VoteAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["grant", "voter", "approve", "cast_at"]
    search_fields = ["grant__title", "voter__username"]


@admin.register(GrantReceipt)
class GrantReceiptAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["grant", "original_name", "size", "uploaded_by", "uploaded_at"]
    search_fields = ["grant__title", "original_name", "sha256"]
