"""Public pages (T6): tender notices and results, and the OCDS release package. No login needed.

What a notice shows never depends on who reads it: before the deadline nothing about bids; after it, the
number of bids received; after the award, the winner and its price only — never other bids or prices."""

import gzip

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_safe

from directory.models import District, Town
from procurement.models import Tender
from procurement.tendering import deadline_passed, t2_bids_opened

from .. import selectors
from ..services import ocds_bulk
from ..services.ocds import tender_ocid, tender_result

PAGE_SIZE = 20


@require_GET
def tender_public_list(request):
    """Tender notices (every tender but drafts), filtered by status, district and town, paginated."""
    tenders, filterset = selectors.tender_public_search(filters=request.GET)
    page = Paginator(tenders, PAGE_SIZE).get_page(request.GET.get("page"))
    now = timezone.now()
    rows = [{"tender": t, "result": tender_result(t), "bids_opened": t2_bids_opened(t, now)} for t in page]
    context = {
        "page": page,
        "rows": rows,
        "filter": filterset,
        "statuses": [c for c in Tender.Status.choices if c[0] != Tender.Status.DRAFT],
        "districts": District.objects.order_by("code"),
        "towns": Town.objects.select_related("district").order_by("district__code", "code"),
    }
    template = (
        "procurement/public/partials/_tender_table.html" if request.htmx else "procurement/public/tender_list.html"
    )
    return render(request, template, context)


@require_GET
def tender_public_detail(request, pk: int):
    """A tender notice and, once decided, its result. Drafts exist only for the city-wide roles (404 to others)."""
    tender = get_object_or_404(
        selectors.tender_list(user=request.user).select_related(
            "contract__agency__organisation", "contract__bid", "package__agency__organisation"
        ),
        pk=pk,
    )
    now = timezone.now()
    context = {
        "tender": tender,
        "result": tender_result(tender),
        "bids_opened": t2_bids_opened(tender, now),
        "deadline_passed": deadline_passed(tender, now),
        "is_draft": tender.status == Tender.Status.DRAFT,
        "ocid": tender_ocid(tender),
    }
    return render(request, "procurement/public/tender_detail.html", context)


def _open_data(response: HttpResponse) -> HttpResponse:
    # Open data: any site may read it; it carries no credentials.
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_GET
def ocds_release_package(request):
    """The old address of the single package of every release: a 308 to the paged list (query kept)."""
    target = reverse("ocds:release-list")
    if request.META.get("QUERY_STRING"):
        target += "?" + request.META["QUERY_STRING"]
    response = HttpResponsePermanentRedirect(target)
    response.status_code = 308  # like the other moved addresses (tests/test_moved_urls.py)
    return response


def _json(text: str) -> HttpResponse:
    return _open_data(HttpResponse(text, content_type="application/json"))


def _bad_request(errors: dict) -> HttpResponse:
    return _open_data(JsonResponse(errors, status=400, json_dumps_params={"ensure_ascii": False}))


@require_safe
def ocds_release_list(request):
    """Every public release, oldest first by (date, id), as release packages of `?limit=` releases (default
    100, at most 500) chained by `links.next` — a keyset cursor, so a deep page costs what the first does."""
    errors = {}
    limit = ocds_bulk.DEFAULT_PAGE_SIZE
    if request.GET.get("limit"):
        try:
            limit = int(request.GET["limit"])
        except ValueError:
            limit = 0
        if not 1 <= limit <= ocds_bulk.MAX_PAGE_SIZE:
            errors["limit"] = [f"1–{ocds_bulk.MAX_PAGE_SIZE}"]
    after = None
    if request.GET.get("after"):
        try:
            after = ocds_bulk.decode_cursor(request.GET["after"])
        except ValueError:
            errors["after"] = ["invalid cursor"]
    if errors:
        return _bad_request(errors)
    releases = ocds_bulk.Releases()
    page, next_key = releases.page(after=after, limit=limit)
    next_url = None
    if next_key is not None:
        query = request.GET.copy()
        query["after"] = ocds_bulk.encode_cursor(next_key)
        next_url = request.build_absolute_uri(reverse("ocds:release-list") + "?" + query.urlencode())
    package = releases.page_package(page, uri=request.build_absolute_uri(), next_url=next_url)
    return _json(ocds_bulk.dumps(package))


def _year_file(request, year: int) -> bytes:
    uri = request.build_absolute_uri(reverse("ocds:release-year", args=[year]))
    data = ocds_bulk.Releases().year_file(year, uri=uri)
    if data is None:
        raise Http404
    return data


@require_safe
def ocds_release_year(request, year: int):
    """The release package of one year (bulk file), uncompressed; 404 for a year without releases."""
    return _json(gzip.decompress(_year_file(request, year)).decode("utf-8"))


@require_safe
def ocds_release_year_gz(request, year: int):
    """The same package as `<year>.json`, gzip-compressed: the bytes `export_ocds --output-dir` writes."""
    response = HttpResponse(_year_file(request, year), content_type="application/gzip")
    response["Content-Disposition"] = f'attachment; filename="{year}.json.gz"'
    return _open_data(response)


@require_safe
def ocds_record(request, ocid: str):
    """The record package of one contracting process; 404 unless the ocid is a public tender's."""
    package = ocds_bulk.record_package(ocid, uri=request.build_absolute_uri())
    if package is None:
        raise Http404
    return _json(ocds_bulk.dumps(package))


ocds_urlpatterns = [
    path("releases/", ocds_release_list, name="release-list"),
    path("releases/<int:year>.json", ocds_release_year, name="release-year"),
    path("releases/<int:year>.json.gz", ocds_release_year_gz, name="release-year-gz"),
    path("records/<str:ocid>/", ocds_record, name="record"),
]


urlpatterns = [
    path("public/tenders/", tender_public_list, name="tender-public-list"),
    path("public/tenders/<int:pk>/", tender_public_detail, name="tender-public-detail"),
    path("public/ocds/releases.json", ocds_release_package, name="ocds-release-package"),
]
