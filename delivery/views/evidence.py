"""K9 — recycled evidence: two attachments side by side (photo previews through the private download URL, file,
type, who uploaded it and when, and the report each was filed with) for the town and the bureau to judge."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404
from django.shortcuts import render
from django.urls import path

from delivery.models import ReportAttachment
from delivery.permissions import can_compare_evidence

from ..evidence import IMAGE_TYPES, hamming


def _attachments(first: int, second: int) -> list[ReportAttachment]:
    rows = {
        a.pk: a
        # Two exact lookups rather than `pk__in`: an id beyond the column's range then matches nothing (404).
        for a in ReportAttachment.objects.filter(Q(pk=first) | Q(pk=second)).select_related(
            "report__package__town__district",
            "report__package__agency__organisation",
            "report__package__round",
            "line__plan_item__item",
            "line__plan_item__community",
            "uploaded_by",
        )
    }
    if first == second or len(rows) != 2:
        raise Http404
    return [rows[first], rows[second]]


@login_required
def evidence_compare(request, first: int, second: int):
    """K9: both attachments, only for a user who may see both reports; anyone else gets 404."""
    a, b = _attachments(first, second)
    if not can_compare_evidence(request.user, a.report, b.report):
        raise Http404
    same_file = a.sha256 == b.sha256
    distance = hamming(a.phash, b.phash) if a.phash and b.phash else None
    context = {
        "pair": [
            {
                "attachment": x,
                "report": x.report,
                "package": x.report.package,
                "is_image": x.content_type in IMAGE_TYPES,
            }
            for x in (a, b)
        ],
        "same_file": same_file,
        "distance": distance,
    }
    return render(request, "delivery/evidence/evidence_compare.html", context)


urlpatterns = [
    path("evidence/<int:first>/<int:second>/", evidence_compare, name="evidence-compare"),
]
