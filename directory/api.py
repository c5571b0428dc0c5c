"""The user's own profile over the API."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from .permissions import scope_for
from .selectors import membership_list_for_user


class MeApi(APIView):
    class OutputSerializer(serializers.Serializer):
        username = serializers.CharField()
        full_name = serializers.CharField()
        roles = serializers.ListField(child=serializers.CharField())
        memberships = serializers.ListField(child=serializers.DictField())

    @extend_schema(responses=OutputSerializer)
    def get(self, request):
        memberships = [
            {"organisation": m.organisation.name, "organisation_kind": m.organisation.kind, "role": m.role}
            for m in membership_list_for_user(user=request.user)
        ]
        data = {
            "username": request.user.username,
            "full_name": request.user.full_name,
            "roles": sorted(scope_for(request.user).roles),
            "memberships": memberships,
        }
        return Response(self.OutputSerializer(data).data)
