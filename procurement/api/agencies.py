"""API of agencies and their rosters: scoped lists; resident IDs masked unless the caller is the bureau (D4)."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils import timezone
from django_filters.utils import translate_validation
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView, ListAPIView
from rest_framework.response import Response

from procurement.models import StaffMember
from procurement.permissions import can_edit_agency, can_view_roster
from procurement.selectors import AgencyFilter, StaffFilter, agency_list, staff_roster

from ..services.agencies import staff_member_create


class AgencyListApi(ListAPIView):
    """Agencies the caller may see: all for the bureau and the auditor, otherwise the caller's own."""

    class OutputSerializer(serializers.Serializer):
        id = serializers.IntegerField()
        name = serializers.CharField(source="organisation.name")
        uscc = serializers.CharField(source="organisation.uscc", allow_null=True)
        is_social_work_agency = serializers.BooleanField()
        registration_authority = serializers.CharField()
        registration_authority_level = serializers.CharField()
        registration_number = serializers.CharField()
        registered_on = serializers.DateField()
        registration_valid_until = serializers.DateField()
        legal_representative = serializers.CharField()
        email = serializers.CharField()
        address = serializers.CharField(source="organisation.address")

    serializer_class = OutputSerializer
    filterset_class = AgencyFilter

    def get_queryset(self):
        return agency_list(user=self.request.user).order_by("organisation__name", "pk")


class StaffListCreateApi(GenericAPIView):
    """GET lists an agency's roster (current staff unless `status=ended|all`; `q` searches names);
    POST adds a person through the same service as the page. Resident IDs come back masked unless the
    caller is a bureau administrator (D4)."""

    class CertificateSerializer(serializers.Serializer):
        level = serializers.CharField()
        number = serializers.CharField()
        issued_on = serializers.DateField()
        expires_on = serializers.DateField()
        is_valid = serializers.SerializerMethodField()

        def get_is_valid(self, obj) -> bool:
            return obj.issued_on <= self.context["today"] <= obj.expires_on

    class OutputSerializer(serializers.Serializer):
        id = serializers.IntegerField()
        name = serializers.CharField()
        resident_id = serializers.SerializerMethodField()
        phone = serializers.CharField()
        is_full_time = serializers.BooleanField()
        employed_from = serializers.DateField()
        employed_until = serializers.DateField(allow_null=True)
        certificates = serializers.SerializerMethodField()

        def get_resident_id(self, obj) -> str:
            # D4: a resident ID never appears in list output, not even for the bureau.
            return obj.resident_id_masked

        def get_certificates(self, obj) -> list[dict]:
            serializer = StaffListCreateApi.CertificateSerializer(
                obj.certificates.all(), many=True, context=self.context
            )
            return serializer.data

    class InputSerializer(serializers.Serializer):
        name = serializers.CharField(max_length=50)
        resident_id = serializers.CharField(max_length=18)
        phone = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
        is_full_time = serializers.BooleanField(required=False, default=True)
        employed_from = serializers.DateField()
        employed_until = serializers.DateField(required=False, allow_null=True, default=None)

    serializer_class = OutputSerializer
    # The roster is filtered by staff_roster (current staff by default); the filter backend stays declared only
    # so that the schema lists the filters, and get() never calls filter_queryset.
    filterset_class = StaffFilter
    queryset = StaffMember.objects.none()  # rows come from staff_roster; this names the model for the schema

    def _agency(self, pk: int):
        agency = get_object_or_404(agency_list(user=self.request.user), pk=pk)
        if not can_view_roster(self.request.user, agency):
            raise PermissionDenied
        return agency

    def get_serializer_context(self):
        return {
            **super().get_serializer_context(),
            "today": timezone.localdate(),
        }

    @extend_schema(responses=OutputSerializer(many=True))
    def get(self, request, pk: int):
        agency = self._agency(pk)
        staff, filterset = staff_roster(user=request.user, agency=agency, filters=request.query_params)
        if not filterset.is_valid():
            raise translate_validation(filterset.errors)
        page = self.paginate_queryset(staff)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(request=InputSerializer, responses={201: OutputSerializer})
    def post(self, request, pk: int):
        agency = self._agency(pk)
        if not can_edit_agency(request.user, agency):
            raise PermissionDenied
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        staff = staff_member_create(actor=request.user, agency=agency, **serializer.validated_data)
        return Response(self.get_serializer(staff).data, status=status.HTTP_201_CREATED)


urlpatterns = [
    path("agencies/", AgencyListApi.as_view(), name="procurement-agency-list"),
    path("agencies/<int:pk>/staff/", StaffListCreateApi.as_view(), name="procurement-staff-list"),
]
