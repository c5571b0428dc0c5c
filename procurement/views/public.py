"""Public pages (T6): tender notices and results, and the OCDS release package. No login needed.

What a notice shows never depends on who reads it: before the deadline nothing about bids; after it, the
number of bids received; after the award, the winner and its price only — never other bids or prices."""

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from directory.models import District, Town
from procurement.models import Tender
from procurement.tendering import deadline_passed, t2_bids_opened

from .. import selectors
from ..services.ocds import release_package, release_package_json, tender_ocid, tender_result

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


@require_GET
def ocds_release_package(request):
    """The OCDS 1.1.5 release package of every public tender (the same document as `export_ocds`)."""
    uri = request.build_absolute_uri(reverse("procurement:ocds-release-package"))
    response = HttpResponse(release_package_json(release_package(uri=uri)), content_type="application/json")
    # Open data: any site may read it; it carries no credentials.
    response["Access-Control-Allow-Origin"] = "*"
    return response


urlpatterns = [
    path("public/tenders/", tender_public_list, name="tender-public-list"),
    path("public/tenders/<int:pk>/", tender_public_detail, name="tender-public-detail"),
    path("public/ocds/releases.json", ocds_release_package, name="ocds-release-package"),
]
