"""The funds API (/api/v1/funds/): one view per operation, nested Input/Output serializers, the same
selectors, predicates and services as the pages. Amounts are strings of Decimal with 2 places (F5); a
negative, non-numeric or 3-decimal amount is a 400 with the field named. Ledger entries and payments have no
update or delete operation: a correction is a reversal (POST .../reverse/)."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django_filters.utils import translate_validation
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView, ListAPIView
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from core.forms import MAX_ID
from core.limits import NOTE_MAX_LENGTH, TEXT_MAX_LENGTH
from core.permissions import require
from directory.models import Community

from . import selectors, services
from .models import FundingSource, MicroGrant
from .permissions import (
    can_close_grant,
    can_manage_fund,
    can_record_payment,
    can_reverse_entry,
    can_set_budget,
    can_split_package,
    can_view_sources,
    is_committee_member,
)

MONEY_IN = {"max_digits": 14, "decimal_places": 2}
MONEY_OUT = {"max_digits": 14, "decimal_places": 2}


def money_in(**kwargs) -> serializers.DecimalField:
    from decimal import Decimal

    kwargs.setdefault("min_value", Decimal("0.01"))
    return serializers.DecimalField(**MONEY_IN, **kwargs)


# --- F1/F2: sources and budgets --------------------------------------------------------------------------


class SourceYearListApi(GenericAPIView):
    """F1/F2: per source for a year (?year=, default this year): budget, committed, paid, available; narrowed
    by kind and district (e.g. `?year=2025&kind=district_budget`)."""

    pagination_class = None  # a handful of sources, answered whole
    queryset = FundingSource.objects.none()  # rows come from source_year_rows; this names the model for the schema
    filterset_class = selectors.SourceFilter

    class OutputSerializer(serializers.Serializer):
        source = serializers.IntegerField(source="source.pk")
        name = serializers.CharField(source="source.name")
        kind = serializers.CharField(source="source.kind")
        district = serializers.CharField(source="source.district.name", allow_null=True, default=None)
        year = serializers.IntegerField()
        budget = serializers.DecimalField(source="amount", **MONEY_OUT)
        committed = serializers.DecimalField(**MONEY_OUT)
        paid = serializers.DecimalField(**MONEY_OUT)
        available = serializers.DecimalField(**MONEY_OUT)

    @extend_schema(responses=OutputSerializer(many=True))
    def get(self, request):
        filterset = self.filterset_class(request.query_params, queryset=selectors.source_list(user=request.user))
        if not filterset.is_valid():
            raise translate_validation(filterset.errors)
        if not can_view_sources(request.user):
            return Response([], status=status.HTTP_200_OK)
        year = filterset.budget_year
        rows = selectors.source_year_rows(user=request.user, year=year, sources=filterset.qs)
        for r in rows:
            r.year = year
        return Response(self.OutputSerializer(rows, many=True).data)


class BudgetSetApi(APIView):
    class InputSerializer(serializers.Serializer):
        year = serializers.IntegerField(min_value=2000, max_value=2100)
        amount = money_in(min_value=0)

    class OutputSerializer(serializers.Serializer):
        source = serializers.IntegerField(source="source_id")
        year = serializers.IntegerField()
        amount = serializers.DecimalField(**MONEY_OUT)

    @extend_schema(request=InputSerializer, responses=OutputSerializer)
    def post(self, request, pk: int):
        source = get_object_or_404(selectors.source_list(user=request.user), pk=pk)
        require(can_set_budget(request.user, source))
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        budget = services.budget_set(actor=request.user, source=source, **data.validated_data)
        return Response(self.OutputSerializer(budget).data)


# --- F2/F3: package money -------------------------------------------------------------------------------------


class InstalmentOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="instalment.pk")
    plan_year = serializers.IntegerField(source="instalment.plan_year")
    milestone = serializers.CharField(source="instalment.milestone")
    percent = serializers.DecimalField(source="instalment.percent", max_digits=5, decimal_places=2)
    amount = serializers.DecimalField(source="instalment.amount", **MONEY_OUT)
    planned_on = serializers.DateField(source="instalment.planned_on")
    paid = serializers.DecimalField(**MONEY_OUT)
    state = serializers.CharField(source="state.code")
    reason = serializers.CharField(source="state.reason")
    release = serializers.CharField(source="state.release")


class PaymentOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    package = serializers.IntegerField(source="package_id")
    instalment = serializers.IntegerField(source="instalment_id")
    paid_on = serializers.DateField()
    amount = serializers.DecimalField(**MONEY_OUT)
    voucher_number = serializers.CharField()
    note = serializers.CharField()
    reverses = serializers.IntegerField(source="reverses_id", allow_null=True)
    recorded_by = serializers.CharField(source="recorded_by.__str__")
    recorded_at = serializers.DateTimeField()


class PackageMoneyApi(APIView):
    """F2/F3: a package's years, splits, instalments (state, why held, what releases it) and payments."""

    class SplitSerializer(serializers.Serializer):
        source = serializers.IntegerField(source="budget.source_id")
        source_name = serializers.CharField(source="budget.source.name")
        budget_year = serializers.IntegerField(source="budget.year")
        amount = serializers.DecimalField(**MONEY_OUT)

    class YearSerializer(serializers.Serializer):
        plan_year = serializers.IntegerField()
        starts_on = serializers.DateField()
        ends_on = serializers.DateField()
        amount = serializers.DecimalField(**MONEY_OUT)
        splits = serializers.SerializerMethodField()
        instalments = InstalmentOutputSerializer(many=True)

        def get_splits(self, obj) -> list[dict]:
            return PackageMoneyApi.SplitSerializer(obj.splits, many=True).data

    class OutputSerializer(serializers.Serializer):
        package = serializers.IntegerField(source="package.pk")
        contract_value = serializers.DecimalField(**MONEY_OUT)
        paid = serializers.DecimalField(**MONEY_OUT)
        years = serializers.SerializerMethodField()
        payments = PaymentOutputSerializer(many=True)

        def get_years(self, obj) -> list[dict]:
            return PackageMoneyApi.YearSerializer(obj.years, many=True).data

    @extend_schema(responses=OutputSerializer)
    def get(self, request, pk: int):
        package = get_object_or_404(selectors.package_money_list(user=request.user), pk=pk)
        return Response(self.OutputSerializer(selectors.package_money(package)).data)


class SplitPartSerializer(serializers.Serializer):
    """One source's share of a package year (F2)."""

    source = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    amount = money_in()


class BudgetLineSerializer(serializers.Serializer):
    """One line of a micro-grant's budget (F4)."""

    item = serializers.CharField(max_length=100)
    amount = money_in()


class SplitSetApi(APIView):
    """F2: split a package year across sources; refused with the amount still available when over-committing."""

    class InputSerializer(serializers.Serializer):
        plan_year = serializers.IntegerField(min_value=1, max_value=10)
        parts = serializers.ListField(child=SplitPartSerializer(), min_length=1, max_length=20)

    class OutputSerializer(serializers.Serializer):
        id = serializers.IntegerField()
        plan_year = serializers.IntegerField()
        source = serializers.IntegerField(source="budget.source_id")
        amount = serializers.DecimalField(**MONEY_OUT)

    @extend_schema(request=InputSerializer, responses={201: OutputSerializer(many=True)})
    def post(self, request, pk: int):
        package = get_object_or_404(selectors.package_money_list(user=request.user), pk=pk)
        require(can_split_package(request.user, package))
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        parts = {}
        sources = {s.pk: s for s in selectors.source_list(user=request.user)}
        for part in data.validated_data["parts"]:
            source = sources.get(part["source"])
            if source is None:
                raise serializers.ValidationError({"parts": ["资金来源不存在。"]})
            if source in parts:
                raise serializers.ValidationError({"parts": ["同一资金来源只能出现一次。"]})
            parts[source] = part["amount"]
        splits = services.package_year_split_set(
            actor=request.user, package=package, plan_year=data.validated_data["plan_year"], parts=parts
        )
        return Response(self.OutputSerializer(splits, many=True).data, status=status.HTTP_201_CREATED)


class PaymentListApi(ListAPIView):
    """Payments of the packages whose money the user sees (filter: package, paid_after, paid_before)."""

    serializer_class = PaymentOutputSerializer
    filterset_class = selectors.PaymentFilter

    def get_queryset(self):
        return selectors.payment_list(user=self.request.user)


class PaymentRecordApi(APIView):
    """F3: the bureau records a payment once its milestone is met; never beyond the instalment or the contract."""

    class InputSerializer(serializers.Serializer):
        amount = money_in()
        paid_on = serializers.DateField()
        voucher_number = serializers.CharField(max_length=50)
        note = serializers.CharField(required=False, allow_blank=True, default="", max_length=NOTE_MAX_LENGTH)

    @extend_schema(request=InputSerializer, responses={201: PaymentOutputSerializer})
    def post(self, request, pk: int):
        instalment = get_object_or_404(selectors.instalment_list(user=request.user), pk=pk)
        require(can_record_payment(request.user, instalment.package))
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        payment = services.payment_record(actor=request.user, instalment=instalment, **data.validated_data)
        return Response(PaymentOutputSerializer(payment).data, status=status.HTTP_201_CREATED)


class PaymentReverseApi(APIView):
    class InputSerializer(serializers.Serializer):
        reason = serializers.CharField(max_length=500)

    @extend_schema(request=InputSerializer, responses={201: PaymentOutputSerializer})
    def post(self, request, pk: int):
        payment = get_object_or_404(selectors.payment_list(user=request.user), pk=pk)
        require(can_record_payment(request.user, payment.package))
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        reversal = services.payment_reverse(actor=request.user, payment=payment, reason=data.validated_data["reason"])
        return Response(PaymentOutputSerializer(reversal).data, status=status.HTTP_201_CREATED)


# --- F4: community funds ---------------------------------------------------------------------------------------


class FundListApi(ListAPIView):
    """Community funds the user reads, with their balance (the ledger's sum). Filters: kind, town, district."""

    class OutputSerializer(serializers.Serializer):
        id = serializers.IntegerField()
        kind = serializers.CharField()
        name = serializers.CharField()
        host = serializers.CharField(source="host.name")
        district = serializers.CharField(source="town.district.name")
        town = serializers.CharField(source="town.name")
        community = serializers.CharField(source="community.name", allow_null=True, default=None)
        approval_share = serializers.DecimalField(max_digits=5, decimal_places=2)
        balance = serializers.DecimalField(**MONEY_OUT, allow_null=True)

    serializer_class = OutputSerializer
    filterset_class = selectors.FundFilter

    def get_queryset(self):
        return selectors.fund_list(user=self.request.user)


class LedgerOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    fund = serializers.IntegerField(source="fund_id")
    kind = serializers.CharField()
    amount = serializers.DecimalField(**MONEY_OUT)
    occurred_on = serializers.DateField()
    restricted_to = serializers.CharField()
    donor = serializers.SerializerMethodField()
    grant = serializers.IntegerField(source="grant_id", allow_null=True)
    reverses = serializers.IntegerField(source="reverses_id", allow_null=True)
    note = serializers.CharField()
    recorded_by = serializers.CharField(source="recorded_by.__str__")
    recorded_at = serializers.DateTimeField()

    def get_donor(self, obj) -> str:
        return str(obj.public_donor) if obj.kind != "grant" else ""


class LedgerListApi(ListAPIView):
    """Ledger entries of the funds the user reads (filters: fund, kind, year). Read-only: no update or delete."""

    serializer_class = LedgerOutputSerializer
    filterset_class = selectors.LedgerFilter

    def get_queryset(self):
        return selectors.ledger_list(user=self.request.user)


class DonationRecordApi(APIView):
    class InputSerializer(serializers.Serializer):
        amount = money_in()
        occurred_on = serializers.DateField()
        donor_name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
        is_anonymous = serializers.BooleanField(required=False, default=False)
        restricted_to = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
        note = serializers.CharField(required=False, allow_blank=True, default="", max_length=NOTE_MAX_LENGTH)

    @extend_schema(request=InputSerializer, responses={201: LedgerOutputSerializer})
    def post(self, request, pk: int):
        fund = get_object_or_404(selectors.fund_list(user=request.user), pk=pk)
        require(can_manage_fund(request.user, fund))
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        entry = services.donation_record(actor=request.user, fund=fund, **data.validated_data)
        return Response(LedgerOutputSerializer(entry).data, status=status.HTTP_201_CREATED)


class LedgerReverseApi(APIView):
    class InputSerializer(serializers.Serializer):
        reason = serializers.CharField(max_length=500)

    @extend_schema(request=InputSerializer, responses={201: LedgerOutputSerializer})
    def post(self, request, pk: int):
        entry = get_object_or_404(selectors.ledger_list(user=request.user), pk=pk)
        require(can_reverse_entry(request.user, entry))
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        reversal = services.ledger_entry_reverse(actor=request.user, entry=entry, reason=data.validated_data["reason"])
        return Response(LedgerOutputSerializer(reversal).data, status=status.HTTP_201_CREATED)


class GrantOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    fund = serializers.IntegerField(source="fund_id")
    kind = serializers.CharField()
    title = serializers.CharField()
    applicant_kind = serializers.CharField()
    applicant_name = serializers.CharField()
    community = serializers.CharField(source="community.name")
    purpose = serializers.CharField()
    restricted_to = serializers.CharField()
    budget_lines = serializers.ListField(child=serializers.DictField())
    amount = serializers.DecimalField(**MONEY_OUT)
    status = serializers.CharField()
    outcome = serializers.CharField()
    applied_at = serializers.DateTimeField()
    decided_at = serializers.DateTimeField(allow_null=True)
    closed_at = serializers.DateTimeField(allow_null=True)


class GrantListApi(ListAPIView):
    """Micro-grants of the funds the user reads and those the user applied for (filters: fund, status, kind)."""

    serializer_class = GrantOutputSerializer
    filterset_class = selectors.GrantFilter

    def get_queryset(self):
        return selectors.grant_list(user=self.request.user)


class GrantApplyApi(APIView):
    class InputSerializer(serializers.Serializer):
        kind = serializers.ChoiceField(choices=MicroGrant.Kind.choices)
        title = serializers.CharField(max_length=200)
        applicant_kind = serializers.ChoiceField(choices=MicroGrant.ApplicantKind.choices)
        applicant_name = serializers.CharField(max_length=200)
        community = serializers.IntegerField(min_value=1, max_value=MAX_ID)
        purpose = serializers.CharField(max_length=TEXT_MAX_LENGTH)
        restricted_to = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
        budget_lines = serializers.ListField(child=BudgetLineSerializer(), min_length=1, max_length=50)

    @extend_schema(request=InputSerializer, responses={201: GrantOutputSerializer})
    def post(self, request, pk: int):
        from .permissions import can_apply_for_grant

        fund = get_object_or_404(selectors.public_fund_list(), pk=pk)  # funds are public (信息公开)
        require(can_apply_for_grant(request.user, fund))
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = dict(data.validated_data)
        lines = [dict(line) for line in d.pop("budget_lines")]
        community = Community.objects.filter(pk=d.pop("community")).first()
        grant = services.grant_apply(actor=request.user, fund=fund, community=community, budget_lines=lines, **d)
        return Response(GrantOutputSerializer(grant).data, status=status.HTTP_201_CREATED)


class GrantVoteApi(APIView):
    """F4: a committee member votes once; more than the fund's share approves and disburses the grant."""

    class InputSerializer(serializers.Serializer):
        approve = serializers.BooleanField()
        comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=NOTE_MAX_LENGTH)

    @extend_schema(request=InputSerializer, responses=GrantOutputSerializer)
    def post(self, request, pk: int):
        grant = get_object_or_404(selectors.grant_list(user=request.user), pk=pk)
        require(is_committee_member(request.user, grant.fund))
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        grant = services.grant_vote(actor=request.user, grant=grant, **data.validated_data)
        return Response(GrantOutputSerializer(grant).data)


class GrantCloseApi(APIView):
    """F4: the grantee (or the fund's manager) closes an approved grant with its outcome and receipts
    (multipart: `outcome`, and up to 10 files named `receipts`; JPG, PNG or PDF checked by content)."""

    parser_classes = [MultiPartParser, FormParser]

    class InputSerializer(serializers.Serializer):
        outcome = serializers.CharField(max_length=TEXT_MAX_LENGTH)
        receipts = serializers.ListField(child=serializers.FileField(), required=False, max_length=10, default=list)

    @extend_schema(request={"multipart/form-data": InputSerializer}, responses=GrantOutputSerializer)
    def post(self, request, pk: int):
        grant = get_object_or_404(selectors.grant_list(user=request.user), pk=pk)
        require(can_close_grant(request.user, grant))
        data = self.InputSerializer(
            data={"outcome": request.data.get("outcome", ""), "receipts": request.FILES.getlist("receipts")}
        )
        data.is_valid(raise_exception=True)
        grant = services.grant_close(actor=request.user, grant=grant, **data.validated_data)
        return Response(GrantOutputSerializer(grant).data)
