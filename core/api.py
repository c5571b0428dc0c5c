"""API plumbing shared by every app (STYLE.md): the schema class that names nested serializers after their view,
the one exception handler, and the list endpoints read as value rows (`RowListMixin`, issue 14)."""

from decimal import Decimal

import drf_spectacular.openapi
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import exceptions, serializers
from rest_framework.response import Response
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


# --- list endpoints read as value rows (issue 14) ------------------------------------------------------------------


def api_datetime(value):
    """A timestamp as DRF's DateTimeField writes it: in the active time zone, ISO 8601, UTC as `Z`."""
    if value is None:
        return None
    text = value.astimezone(timezone.get_current_timezone()).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def api_date(value):
    """A date as DRF's DateField writes it (ISO 8601)."""
    return None if value is None else value.isoformat()


def api_decimal(value, places: int = 2):
    """An amount as DRF's DecimalField writes it (a string with exactly `places` decimals)."""
    if value is None:
        return None
    return f"{value.quantize(Decimal(1).scaleb(-places)):f}"


PAGE_PARAMETERS = {"limit", "offset"}


class RowListMixin:
    """A list endpoint whose page is read as value tuples (`row_columns`, one query with only those columns and
    the joins they need) and turned into the response's objects by `rows(page)`: the same output as the view's
    `serializer_class`, which still describes the endpoint in the OpenAPI document — without building a model
    instance per row and its related ones, or running DRF's field machinery once per field and row (~600 calls
    per page of 50; issue 14). Filters, ordering, the permission scope and the pagination stay the view's own."""

    row_columns: tuple[str, ...] = ()

    def rows(self, page: list[tuple]) -> list[dict]:
        # Every list using the mixin writes its own objects; one that forgot is a programming error, said plainly.
        raise TypeError(f"{type(self).__name__} uses RowListMixin but does not define rows(page)")

    def filter_queryset(self, queryset):
        # Asked for no filter (only a page): the FilterSet would leave the rows as they are, so it is not built —
        # building it deep-copies its filters and form fields and validates an empty form, on every request.
        if self.request.query_params.keys() <= PAGE_PARAMETERS:
            return queryset
        return super().filter_queryset(queryset)

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        rows = queryset.values_list(*self.row_columns)
        paginator = self.paginator
        if paginator is None:
            return Response(self.rows(list(rows)))
        if hasattr(paginator, "paginate_rows"):
            page = paginator.paginate_rows(rows, request, counted=queryset)
        else:
            page = paginator.paginate_queryset(rows, request, view=self)
        if page is None:
            return Response(self.rows(list(rows)))
        return self.get_paginated_response(self.rows(page))
