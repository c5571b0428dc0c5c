"""The user's own profile and API tokens over the API."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.authentication import BasicAuthentication, SessionAuthentication
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from .models import ApiToken
from .permissions import scope_for
from .selectors import ApiTokenFilter, api_token_list, membership_list_for_user
from .services import api_token_create, api_token_revoke


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


# --- API tokens ------------------------------------------------------------------------------------------
# Managed with the user's session or its user name and password (HTTP Basic, throttled like the login page by
# django-axes), never with a token: a leaked token cannot mint more tokens or outlive its revocation.
TOKEN_MANAGEMENT_AUTHENTICATION = [SessionAuthentication, BasicAuthentication]


class ApiTokenOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    scope = serializers.ChoiceField(choices=ApiToken.Scope.choices)
    prefix = serializers.CharField(help_text="令牌的前几个字符，用于辨认")
    user = serializers.CharField(source="user.username")
    created_at = serializers.DateTimeField()
    last_used_at = serializers.DateTimeField(allow_null=True)
    revoked_at = serializers.DateTimeField(allow_null=True)
    is_active = serializers.BooleanField()


class ApiTokenListCreateApi(GenericAPIView):
    """The caller's API tokens (the bureau: `?all=true` for everyone's); POST creates one and answers its key
    once, in `token`."""

    authentication_classes = TOKEN_MANAGEMENT_AUTHENTICATION
    serializer_class = ApiTokenOutputSerializer
    filterset_class = ApiTokenFilter

    class InputSerializer(serializers.Serializer):
        name = serializers.CharField(max_length=100)
        scope = serializers.ChoiceField(choices=ApiToken.Scope.choices)

    class CreatedSerializer(ApiTokenOutputSerializer):
        token = serializers.CharField(help_text="令牌本身：只在创建时返回这一次")

    def get_queryset(self):
        everyone = self.request.query_params.get("all") in ("1", "true")
        return api_token_list(user=self.request.user, everyone=everyone)

    @extend_schema(
        responses=ApiTokenOutputSerializer(many=True),
        parameters=[OpenApiParameter("all", bool, description="民政局：列出所有用户的令牌")],
    )
    def get(self, request):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(ApiTokenOutputSerializer(page, many=True).data)

    @extend_schema(request=InputSerializer, responses={201: CreatedSerializer})
    def post(self, request):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        token, key = api_token_create(actor=request.user, **data.validated_data)
        token.token = key
        return Response(self.CreatedSerializer(token).data, status=status.HTTP_201_CREATED)


class ApiTokenRevokeApi(APIView):
    """Revoke a token: the caller's own, or anyone's for the bureau; at once and for good."""

    authentication_classes = TOKEN_MANAGEMENT_AUTHENTICATION

    @extend_schema(request=None, responses=ApiTokenOutputSerializer)
    def post(self, request, pk: int):
        token = get_object_or_404(api_token_list(user=request.user, everyone=True), pk=pk)
        token = api_token_revoke(actor=request.user, token=token)
        return Response(ApiTokenOutputSerializer(token).data)
