"""API of tendering: the tender list, a tender's bids (sealed until the deadline, T2), bid submission and
expert scoring through the same services as the pages."""

from types import SimpleNamespace

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView, ListAPIView
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api import RowListMixin, api_date, api_datetime, api_decimal
from core.forms import MAX_ID
from core.limits import NOTE_MAX_LENGTH, TEXT_MAX_LENGTH
from core.parsers import JSONParser
from directory.models import Role
from directory.permissions import scope_for
from procurement.models import Bid
from procurement.permissions import can_list_bids, can_see_bid_count
from procurement.selectors import (
    BidFilter,
    TenderFilter,
    agency_list,
    bid_for_panel_get,
    bid_list,
    tender_list,
    tender_rows,
)

from ..services.tenders import bid_score_submit, bid_submit, tender_close_if_due
from ..tendering import t2_bids_opened


class TenderListApi(RowListMixin, ListAPIView):
    """Tenders the caller may see: every published one (and later states) for anyone logged in; drafts for
    the bureau (and the read-only auditor). Filter by `status` and `town`. `bid_count` is null before the
    deadline for everyone but the city-wide roles (T2)."""

    class OutputSerializer(serializers.Serializer):
        id = serializers.IntegerField()
        title = serializers.CharField()
        status = serializers.CharField()
        town = serializers.CharField(source="town.name")
        town_id = serializers.IntegerField()
        district = serializers.CharField(source="town.district.name")
        round = serializers.CharField(source="round.code")
        edition = serializers.CharField(source="edition.code")
        annual_ceiling = serializers.DecimalField(max_digits=14, decimal_places=2)
        period_years = serializers.IntegerField()
        service_starts_on = serializers.DateField()
        min_full_time_staff = serializers.IntegerField()
        min_certified_share = serializers.DecimalField(max_digits=5, decimal_places=2)
        weights = serializers.DictField(child=serializers.IntegerField())
        bid_deadline = serializers.DateTimeField()
        bid_count = serializers.SerializerMethodField()

        def get_bid_count(self, obj) -> int | None:
            # T2: null while the count is sealed (before the deadline, for all but the city-wide roles).
            return obj.bid_count if can_see_bid_count(self.context["request"].user, obj) else None

    serializer_class = OutputSerializer  # the schema; the rows are written by `rows` (issue 14)
    filterset_class = TenderFilter
    row_columns = (
        "id",
        "title",
        "status",
        "town__name",
        "town_id",
        "town__district__name",
        "round__code",
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
        "bid_count",
    )

    def get_queryset(self):
        return tender_rows(user=self.request.user).order_by("-created_at", "pk")

    def rows(self, page):
        sees_all = scope_for(self.request.user).sees_all  # T2, as `can_see_bid_count`, once per request
        now = timezone.now()
        data = []
        for values in page:
            (pk, title, status, town, town_id, district, round_code, edition, ceiling, years, starts_on) = values[:11]
            (min_staff, certified, w_price, w_proposal, w_team, w_past, deadline, bid_count) = values[11:]
            opened = sees_all or t2_bids_opened(SimpleNamespace(bid_deadline=deadline, status=status), now)
            data.append(
                {
                    "id": pk,
                    "title": title,
                    "status": status,
                    "town": town,
                    "town_id": town_id,
                    "district": district,
                    "round": round_code,
                    "edition": edition,
                    "annual_ceiling": api_decimal(ceiling),
                    "period_years": years,
                    "service_starts_on": api_date(starts_on),
                    "min_full_time_staff": min_staff,
                    "min_certified_share": api_decimal(certified),
                    "weights": {"price": w_price, "proposal": w_proposal, "team": w_team, "past": w_past},
                    "bid_deadline": api_datetime(deadline),
                    "bid_count": bid_count if opened else None,
                }
            )
        return data


class BidOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    agency = serializers.CharField(source="agency.organisation.name")
    agency_id = serializers.IntegerField()
    price = serializers.DecimalField(max_digits=14, decimal_places=2)
    proposal = serializers.CharField()
    proposal_file = serializers.SerializerMethodField()
    team = serializers.SerializerMethodField()
    submitted_at = serializers.DateTimeField()
    disqualification_reasons = serializers.ListField(child=serializers.CharField())

    def get_proposal_file(self, obj) -> str | None:
        return reverse("procurement:bid-proposal", args=[obj.pk]) if obj.proposal_file else None

    def get_team(self, obj) -> list[dict]:
        return [{"id": m.pk, "name": m.name, "is_full_time": m.is_full_time} for m in obj.team.all()]


class TenderBidListApi(GenericAPIView):
    """GET: the bids of a tender the caller may read — before the deadline only their own agency's (T2
    sealing), after it all of them for the bureau, the auditor and the declared experts.
    POST: an agency manager submits or replaces the agency's bid (multipart for the PDF attachment)."""

    parser_classes = [JSONParser, MultiPartParser, FormParser]
    # A tender's bids are few (one per qualified agency) and answered whole, as a list: not paged, and the
    # schema says so (it promised a paged object before).
    pagination_class = None
    queryset = Bid.objects.none()  # rows come from bid_list (sealing); this only names the model for the schema
    filterset_class = BidFilter

    class InputSerializer(serializers.Serializer):
        agency = serializers.IntegerField(required=False)
        price = serializers.DecimalField(max_digits=14, decimal_places=2)
        proposal = serializers.CharField(max_length=TEXT_MAX_LENGTH)
        proposal_file = serializers.FileField(required=False)
        team_ids = serializers.ListField(
            child=serializers.IntegerField(min_value=1, max_value=MAX_ID), allow_empty=True
        )

    OutputSerializer = BidOutputSerializer

    def _tender(self, pk):
        tender = get_object_or_404(tender_list(user=self.request.user), pk=pk)
        return tender_close_if_due(tender)

    @extend_schema(responses=BidOutputSerializer(many=True))
    def get(self, request, pk: int):
        tender = self._tender(pk)
        if not can_list_bids(request.user, tender):
            raise PermissionDenied
        bids = self.filter_queryset(bid_list(user=request.user, tender=tender).order_by("submitted_at", "pk"))
        return Response(self.OutputSerializer(bids, many=True).data)

    @extend_schema(request=InputSerializer, responses={201: BidOutputSerializer})
    def post(self, request, pk: int):
        tender = self._tender(pk)
        agencies = list(
            agency_list(user=request.user).filter(
                organisation_id__in=scope_for(request.user).orgs_for(Role.AGENCY_MANAGER)
            )
        )
        if not agencies:
            raise PermissionDenied
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        agency = agencies[0]
        if "agency" in data:
            agency = next((a for a in agencies if a.pk == data["agency"]), None)
            if agency is None:
                raise serializers.ValidationError({"agency": [_("您不是该机构的负责人。")]})
        bid = bid_submit(
            actor=request.user,
            tender=tender,
            agency=agency,
            price=data["price"],
            proposal=data["proposal"],
            proposal_file=data.get("proposal_file"),
            team_ids=data["team_ids"],
        )
        bid = bid_list(user=request.user, tender=tender).get(pk=bid.pk)
        return Response(self.OutputSerializer(bid).data, status=status.HTTP_201_CREATED)


class BidScoreCreateApi(APIView):
    """An expert's score sheet for one bid (T4). Only for experts drawn for the bid's tender (others 404);
    refused (403) before the conflict declaration; a sheet is submitted once (400 after); each score 0–100
    (400 with the field's error)."""

    class InputSerializer(serializers.Serializer):
        price_score = serializers.DecimalField(max_digits=8, decimal_places=2)
        proposal_score = serializers.DecimalField(max_digits=8, decimal_places=2)
        team_score = serializers.DecimalField(max_digits=8, decimal_places=2)
        past_score = serializers.DecimalField(max_digits=8, decimal_places=2)
        comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=NOTE_MAX_LENGTH)

    class OutputSerializer(serializers.Serializer):
        id = serializers.IntegerField()
        bid = serializers.IntegerField(source="bid_id")
        price_score = serializers.DecimalField(max_digits=5, decimal_places=2)
        proposal_score = serializers.DecimalField(max_digits=5, decimal_places=2)
        team_score = serializers.DecimalField(max_digits=5, decimal_places=2)
        past_score = serializers.DecimalField(max_digits=5, decimal_places=2)
        total = serializers.DecimalField(max_digits=6, decimal_places=2)
        comment = serializers.CharField()

    @extend_schema(request=InputSerializer, responses={201: OutputSerializer})
    def post(self, request, pk: int):
        bid = bid_for_panel_get(user=request.user, pk=pk)
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        tender_close_if_due(bid.tender)
        sheet = bid_score_submit(actor=request.user, bid=bid, **serializer.validated_data)
        return Response(self.OutputSerializer(sheet).data, status=status.HTTP_201_CREATED)


urlpatterns = [
    path("tenders/", TenderListApi.as_view(), name="procurement-tender-list"),
    path("tenders/<int:pk>/bids/", TenderBidListApi.as_view(), name="procurement-tender-bid-list"),
    path("bids/<int:pk>/scores/", BidScoreCreateApi.as_view(), name="procurement-bid-score-create"),
]
