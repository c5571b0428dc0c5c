"""Permanent redirects for pages and endpoints that moved to another app's prefix: bookmarks and other systems
keep working. A 308 keeps the method and body (a POST stays a POST), unlike a 301. The API's redirects appear
in the OpenAPI document as deprecated operations that name their new address."""

from __future__ import annotations

from django.http.response import HttpResponseRedirectBase
from django.urls import URLPattern, path, reverse
from drf_spectacular.utils import extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.views import APIView

API_METHODS = ("get", "post", "put", "patch", "delete")


class HttpResponsePermanentRedirect308(HttpResponseRedirectBase):
    status_code = 308


def _target(request, name: str, kwargs: dict) -> HttpResponsePermanentRedirect308:
    url = reverse(name, kwargs=kwargs)
    query = request.META.get("QUERY_STRING", "")
    return HttpResponsePermanentRedirect308(f"{url}?{query}" if query else url)


def _redirect_handler(name: str):
    def handler(self, request, **kwargs):
        return _target(request, name, kwargs)

    return handler


def moved_pages(patterns: list[URLPattern], new_namespace: str) -> list[URLPattern]:
    """For each page pattern now served under `new_namespace`, the same route (under the old prefix) answering
    308 to the new address."""

    def view_for(name: str):
        def moved(request, **kwargs):
            return _target(request, f"{new_namespace}:{name}", kwargs)

        return moved

    return [path(str(p.pattern), view_for(p.name)) for p in patterns]


def moved_api(patterns: list[URLPattern], new_name_prefix: str, new_path_prefix: str) -> list[URLPattern]:
    """For each API pattern now named `<new_name_prefix><name>` in the `api-v1` namespace, the same route under the
    old prefix answering 308, documented as deprecated with the new address."""
    moved = []
    for p in patterns:
        target_view = getattr(p.callback, "cls", None)
        methods = [m for m in API_METHODS if target_view is None or hasattr(target_view, m)]
        name = f"api-v1:{new_name_prefix}{p.name}"
        new_path = f"{new_path_prefix}{p.pattern}"

        attrs = {
            "permission_classes": [AllowAny],
            "authentication_classes": [],
            "__doc__": f"Moved permanently to {new_path} (308).",
        }
        for method in methods:
            attrs[method] = extend_schema(
                deprecated=True,
                description=f"Moved permanently to `{new_path}`: answers 308 with that address.",
                request=None,
                responses={308: None},
                operation_id=f"moved_{method}_{p.name}".replace("-", "_"),
            )(_redirect_handler(name))
        view = type(f"Moved{target_view.__name__ if target_view else p.name}", (APIView,), attrs)
        moved.append(path(str(p.pattern), view.as_view()))
    return moved
