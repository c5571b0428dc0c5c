"""API plumbing shared by every app: the one exception handler (STYLE.md) and the user's own profile."""

import drf_spectacular.openapi
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework.views import exception_handler as drf_exception_handler

from .permissions import scope_for
from .selectors import membership_list_for_user


class AutoSchema(drf_spectacular.openapi.AutoSchema):
    """Name schema components after the view that nests them (`MeApi.OutputSerializer` → `MeApiOutput`),
    so every API's nested InputSerializer/OutputSerializer gets a distinct component."""

    def _get_serializer_name(self, serializer, direction, bypass_extensions=False):
        name = super()._get_serializer_name(serializer, direction, bypass_extensions)
        qualname = serializer.__class__.__qualname__
        if "." in qualname:
            outer = qualname.rsplit(".", 1)[0].replace(".", "")
            return f"{outer}{name}"
        return name


def exception_handler(exc, context):
    """Map Django's ValidationError → 400 with field errors, PermissionDenied → 403, Http404 → 404."""
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            detail = {field: [str(m) for e in errors for m in e.messages] for field, errors in exc.error_dict.items()}
            if "__all__" in detail:
                detail["non_field_errors"] = detail.pop("__all__")
        else:
            detail = {"non_field_errors": exc.messages}
        exc = exceptions.ValidationError(detail)
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    return drf_exception_handler(exc, context)


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
