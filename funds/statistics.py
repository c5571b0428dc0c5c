"""Community funds in the public city statistics (reporting/ shows and publishes them): assets — the ledgers'
sums — by district and by kind. Aggregates only."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers


class FundStatsRowSerializer(serializers.Serializer):
    label = serializers.CharField()
    funds = serializers.IntegerField()
    assets = serializers.DecimalField(max_digits=14, decimal_places=2)


class CommunityFundStatisticsSerializer(serializers.Serializer):
    funds = serializers.IntegerField(help_text=_("社区公益基金与社区发展基金会的数量"))
    assets = serializers.DecimalField(max_digits=14, decimal_places=2, help_text=_("资产合计（台账余额，元）"))
    by_district = FundStatsRowSerializer(many=True)
    by_kind = FundStatsRowSerializer(many=True)
