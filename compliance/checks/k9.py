"""K9 — recycled evidence: each reuse pair of `delivery.evidence` (the same file, a near-identical photo) is a
finding about the later report, for the town and the bureau to judge on the side-by-side page."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from django.urls import reverse
from django.utils.translation import gettext as _

from delivery.evidence import SAME_FILE, EvidenceReuse, k9_reuses

from . import Found, check


def _month(use) -> str:
    return f"{use.year}年{use.month}月"


def _place(use) -> str:
    # The community too when there is one: the same photo for two communities of one month is a reuse as well.
    return f"（{use.community_name}）" if use.community_name else ""


def _message(reuse: EvidenceReuse) -> str:
    earlier, later = reuse.earlier, reuse.later
    params = {
        "later_package": later.package_title,
        "later_month": _month(later),
        "later_name": later.original_name,
        "later_place": _place(later),
        "earlier_place": _place(earlier),
        "earlier_package": earlier.package_title,
        "earlier_month": _month(earlier),
        "earlier_name": earlier.original_name,
        "d": reuse.distance,
    }
    if reuse.kind == SAME_FILE:
        return (
            _(
                "%(later_package)s %(later_month)s月报%(later_place)s的附件“%(later_name)s”与 %(earlier_package)s "
                "%(earlier_month)s月报%(earlier_place)s的附件“%(earlier_name)s”是同一个文件，疑似重复使用佐证材料。"
            )
            % params
        )
    return (
        _(
            "%(later_package)s %(later_month)s月报%(later_place)s的照片“%(later_name)s”与 %(earlier_package)s "
            "%(earlier_month)s月报%(earlier_place)s的照片“%(earlier_name)s”高度相似（感知哈希相差 %(d)s 位），疑似重复使用佐证材料。"
        )
        % params
    )


@check("K9")
def k9_recycled_evidence(*, today: datetime.date) -> Iterator[Found]:
    for reuse in k9_reuses():
        earlier, later = reuse.earlier, reuse.later
        yield Found(
            subject_key="attachments:{}-{}".format(*sorted(reuse.attachment_ids)),
            message=_message(reuse),
            severity="warning",
            organisation_id=later.agency_organisation_id,
            district_id=later.district_id,
            town_id=later.town_id,
            community_id=later.community_id,
            package_id=later.package_id,
            url=reverse("delivery:evidence-compare", args=[earlier.attachment_id, later.attachment_id]),
            details={
                "kind": reuse.kind,
                "distance": reuse.distance,
                "attachments": list(reuse.attachment_ids),
                "reports": list(reuse.report_ids),
                "months": [earlier.month_label, later.month_label],
                "packages": [earlier.package_id, later.package_id],
                "towns": [earlier.town_name, later.town_name],
            },
        )
