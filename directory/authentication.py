"""API tokens on the wire: `Authorization: Bearer sw_…` authenticates a request as the token's user, so the
same permission layer (scope_for, selectors, can_* predicates) answers it as it would that user's session.
A read-only token is refused on any unsafe method, whatever the view's own permission classes."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions
from rest_framework.permissions import SAFE_METHODS

from .models import ApiToken
from .services import API_TOKEN_PREFIX, api_token_hash

# last_used_at is written at most this often per token, so a busy integration does not write on every call.
LAST_USED_PRECISION = datetime.timedelta(minutes=1)


class ApiTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Authorization 头格式应为：Bearer <令牌>。"))
        try:
            key = header[1].decode("ascii")
        except UnicodeDecodeError as exc:
            raise exceptions.AuthenticationFailed(_("令牌无效。")) from exc
        if not key.startswith(API_TOKEN_PREFIX) or len(key) > 100:
            raise exceptions.AuthenticationFailed(_("令牌无效。"))
        token = ApiToken.objects.select_related("user").filter(key_hash=api_token_hash(key)).first()
        if token is None or token.revoked_at is not None:
            raise exceptions.AuthenticationFailed(_("令牌无效或已被撤销。"))
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("该令牌的用户已停用。"))
        if token.scope != ApiToken.Scope.WRITE and request.method not in SAFE_METHODS:
            raise exceptions.PermissionDenied(_("只读令牌不能修改数据，请使用读写令牌。"))
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at > LAST_USED_PRECISION:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
            token.last_used_at = now
        return token.user, token

    def authenticate_header(self, request):
        return self.keyword


class ApiTokenScheme(OpenApiAuthenticationExtension):
    """How the OpenAPI document describes the token (drf-spectacular)."""

    target_class = "directory.authentication.ApiTokenAuthentication"
    name = "apiToken"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "description": "Authorization: Bearer sw_…"}
