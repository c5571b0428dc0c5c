"""The public city statistics as open data (GET /api/v1/statistics/): the same figures and
definitions as the page (reporting/statistics.py). No login: aggregates only."""

from django.urls import path
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from funds.statistics import CommunityFundStatisticsSerializer

from .caching import city_statistics_cached, fund_statistics_cached


class YearSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    agencies = serializers.IntegerField()
    social_workers = serializers.IntegerField()
    certified = serializers.IntegerField()
    certified_share = serializers.DecimalField(max_digits=4, decimal_places=1, allow_null=True)
    packages = serializers.IntegerField()
    focus_resolved = serializers.IntegerField()


class DistrictSerializer(serializers.Serializer):
    code = serializers.CharField(source="district.code")
    name = serializers.CharField(source="district.name")
    towns = serializers.IntegerField()
    towns_covered = serializers.IntegerField()
    communities_covered = serializers.IntegerField()
    villages_covered = serializers.IntegerField()
    packages = serializers.IntegerField()
    annual_amount = serializers.DecimalField(max_digits=14, decimal_places=2)


class CityStatisticsSerializer(serializers.Serializer):
    on = serializers.DateField()
    agencies = serializers.IntegerField()
    social_workers = serializers.IntegerField()
    certified = serializers.IntegerField()
    certified_share = serializers.DecimalField(max_digits=4, decimal_places=1, allow_null=True)
    stationed = serializers.IntegerField()
    packages = serializers.IntegerField()
    agencies_running = serializers.IntegerField()
    towns = serializers.IntegerField()
    towns_covered = serializers.IntegerField()
    communities_covered = serializers.IntegerField()
    villages_covered = serializers.IntegerField()
    annual_amount = serializers.DecimalField(max_digits=14, decimal_places=2)
    focus_resolved = serializers.IntegerField()
    years = YearSerializer(many=True)
    districts = DistrictSerializer(many=True)
    community_funds = serializers.SerializerMethodField()

    @extend_schema_field(CommunityFundStatisticsSerializer)
    def get_community_funds(self, obj) -> dict:
        # F4: community funds' assets (their ledgers' sums) by district and by kind.
        return CommunityFundStatisticsSerializer(fund_statistics_cached()).data


class CityStatisticsApi(APIView):
    """City statistics for anyone (the role table's "city statistics"), as of today."""

    permission_classes = [AllowAny]
    authentication_classes: list = []  # open data: no session, so no CSRF and nothing about the caller

    @extend_schema(responses=CityStatisticsSerializer)
    def get(self, request):
        response = Response(CityStatisticsSerializer(city_statistics_cached()).data)
        response["Access-Control-Allow-Origin"] = "*"
        return response


urlpatterns = [
    path("statistics/", CityStatisticsApi.as_view(), name="city-statistics"),
]
