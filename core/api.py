"""API plumbing shared by every app (STYLE.md): the schema class that names nested serializers after their view,
and the one exception handler."""

import drf_spectacular.openapi
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import exceptions, serializers
from rest_framework.views import exception_handler as drf_exception_handler


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


@extend_schema_field({"oneOf": [{"type": "number"}, {"type": "string", "maxLength": 40}], "nullable": True})
class NumberOrTextField(serializers.Field):
    """A number as a client may send it — 3, 2.5 or "3" — handed to the service unchanged so that the service
    names the cell that is wrong; but never a boolean, a list or an object (true would count as 1)."""

    default_error_messages = {"invalid": _("请填写数字。")}

    def to_internal_value(self, data):
        if data is None or (isinstance(data, int | float | str) and not isinstance(data, bool)):
            if isinstance(data, str) and len(data) > 40:
                self.fail("invalid")
            return data
        self.fail("invalid")

    def to_representation(self, value):
        return value
