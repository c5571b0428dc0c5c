"""Test data for reports: an approved plan written with the ORM, reports in any state, and file contents."""

from __future__ import annotations

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from catalog.models import ServiceItem
from delivery.models import PlanItem, ReportLine, ServicePlan, ServiceReport

START = datetime.date(2025, 1, 1)
END = datetime.date(2026, 12, 31)

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 200 + b"\xff\xd9"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 100
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 200
MZ = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 200


def upload(name: str, content: bytes, content_type: str = "image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def approved_plan(package, world, *, year2: bool = True) -> dict[str, PlanItem]:
    """An approved plan: a town-level session item, community items counted in attendances, households and
    cases, and a filed item still pending (which does not count); the same items again for plan year 2."""
    catalogue = {i.code: i for i in ServiceItem.objects.filter(edition=package.edition)}
    plan = ServicePlan.objects.create(
        package=package, status=ServicePlan.Status.APPROVED, version=1, approved_at=timezone.now()
    )
    c = world.communities_a1
    spec = {
        "station": ("JC-35", None, 12),  # 次 → sessions
        "activity": ("JC-06", c[0], 200),  # 人次 → attendances
        "visits": ("JC-01", c[1], 60),  # 户 → households
        "rental": ("JD-01", c[0], 5),  # 个 → households (cases)
    }
    items = {}
    for year in (1, 2) if year2 else (1,):
        for key, (code, community, target) in spec.items():
            item = PlanItem.objects.create(
                plan=plan, item=catalogue[code], community=community, year=year, annual_target=target
            )
            items[key if year == 1 else f"{key}_y2"] = item
    items["filed_pending"] = PlanItem.objects.create(
        plan=plan,
        is_filed=True,
        filed_name="社区共享菜园",
        filed_category_kind="empowerment",
        filed_unit="session",
        filed_status=PlanItem.FiledStatus.PENDING,
        year=1,
        annual_target=6,
    )
    return items


def make_report(package, year: int, month: int, user, *, status=ServiceReport.Status.DRAFT, values=None, **fields):
    """A report written with the ORM (for tests of reads): a line per year-1 counting item with `values`
    ({plan_item: {field: value}}), in the given status."""
    report = ServiceReport.objects.create(
        package=package, year=year, month=month, created_by=user, status=status, **fields
    )
    for item, data in (values or {}).items():
        ReportLine.objects.create(report=report, plan_item=item, **data)
    return report
