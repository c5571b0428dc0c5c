"""S2: a report line per plan item (sessions, attendances, households/cases, volunteer hours, narrative) and
attachments — JPG, PNG or PDF by content, at most 10 MB each — with their SHA-256."""

import datetime
import hashlib
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from core.uploads import sniff_upload
from delivery.models import ReportAttachment, ReportLine, ServiceReport
from delivery.services.reports import report_attach, report_create, report_save_draft
from tests.procurement.factories import PackageFactory

from .builders import ELF, JPEG, MZ, PDF, PNG, approved_plan, upload

pytestmark = pytest.mark.django_db


def stored_files(root) -> list:
    """Report attachments on disk (other fixtures store qualification documents next to them)."""
    folder = root / "procurement" / "reportattachment"
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


# --- lines -----------------------------------------------------------------------------------------


def test_s2_a_new_report_has_a_line_for_every_counting_plan_item(package, items, worker):
    report = report_create(actor=worker, package=package, year=2025, month=3)
    lines = set(report.lines.values_list("plan_item_id", flat=True))
    assert lines == {items[k].pk for k in ("station", "activity", "visits", "rental")}
    # a filed item still pending approval does not count (P3), nor do plan year 2's items
    assert items["filed_pending"].pk not in lines
    assert report.status == ServiceReport.Status.DRAFT
    assert report.created_by == worker


def test_s2_the_second_plan_year_uses_that_years_items(package, items, worker):
    report = report_create(actor=worker, package=package, year=2026, month=2)
    assert set(report.lines.values_list("plan_item_id", flat=True)) == {
        items[k].pk for k in ("station_y2", "activity_y2", "visits_y2", "rental_y2")
    }


def test_s2_one_report_per_month(package, items, worker):
    report_create(actor=worker, package=package, year=2025, month=3)
    with pytest.raises(ValidationError, match="已经存在"):
        report_create(actor=worker, package=package, year=2025, month=3)
    assert ServiceReport.objects.filter(package=package, year=2025, month=3).count() == 1


def test_s2_month_outside_the_package_period_is_refused(package, items, worker):
    with pytest.raises(ValidationError, match="服务期"):
        report_create(actor=worker, package=package, year=2024, month=12)
    assert not ServiceReport.objects.exists()


def test_s2_a_future_month_is_refused(world, agency, round_2018, worker):
    today = timezone.localdate()
    package = PackageFactory(
        town=world.town_a2, agency=agency, round=round_2018, starts_on=today - datetime.timedelta(days=40)
    )
    approved_plan(package, world)
    following = (today.replace(day=28) + datetime.timedelta(days=7)).replace(day=1)
    with pytest.raises(ValidationError, match="尚未开始"):
        report_create(actor=worker, package=package, year=following.year, month=following.month)


def test_s2_no_report_without_an_approved_plan(package, worker):
    with pytest.raises(ValidationError, match="服务计划尚未获批"):
        report_create(actor=worker, package=package, year=2025, month=3)


def test_s2_save_draft_writes_every_measure(package, items, worker):
    report = report_create(actor=worker, package=package, year=2025, month=3)
    report_save_draft(
        actor=worker,
        report=report,
        summary="  三月开展了社区活动。 ",
        lines={
            items["activity"].pk: {
                "sessions": "4",
                "attendances": "120",
                "households": "",
                "volunteer_hours": "12.5",
                "narrative": "组织四次文体活动",
            }
        },
    )
    line = ReportLine.objects.get(report=report, plan_item=items["activity"])
    assert (line.sessions, line.attendances, line.households) == (4, 120, 0)
    assert line.volunteer_hours == Decimal("12.5")
    assert line.narrative == "组织四次文体活动"
    report.refresh_from_db()
    assert report.summary == "三月开展了社区活动。"


def test_s2_negative_attendance_is_refused_and_nothing_is_saved(package, items, worker):
    report = report_create(actor=worker, package=package, year=2025, month=3)
    with pytest.raises(ValidationError) as exc:
        report_save_draft(
            actor=worker,
            report=report,
            summary="改过的小结",
            lines={
                items["station"].pk: {"sessions": "3"},
                items["activity"].pk: {"attendances": "-5"},
            },
        )
    key = f"line-{items['activity'].pk}-attendances"
    assert key in exc.value.message_dict
    assert "不能为负数" in exc.value.message_dict[key][0]
    assert set(report.lines.values_list("sessions", "attendances")) == {(0, 0)}
    report.refresh_from_db()
    assert report.summary == ""


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("sessions", "abc", "整数"),
        ("households", "1.5", "整数"),
        ("volunteer_hours", "-1", "不能为负数"),
        ("volunteer_hours", "1.25", "一位小数"),
    ],
)
def test_s2_bad_numbers_are_refused_with_the_field_named(package, items, worker, field, value, message):
    report = report_create(actor=worker, package=package, year=2025, month=3)
    with pytest.raises(ValidationError) as exc:
        report_save_draft(actor=worker, report=report, lines={items["visits"].pk: {field: value}})
    assert message in exc.value.message_dict[f"line-{items['visits'].pk}-{field}"][0]


def test_s2_negative_attendance_in_the_form_keeps_the_input_and_changes_nothing(client_for, package, items, worker):
    report = report_create(actor=worker, package=package, year=2025, month=3)
    url = reverse("delivery:report-edit", args=[report.pk])
    response = client_for(worker).post(
        url,
        {
            "summary": "我的小结",
            f"line-{items['activity'].pk}-attendances": "-5",
            f"line-{items['station'].pk}-sessions": "7",
            "action": "save",
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "服务人次不能为负数" in html
    assert 'value="-5"' in html and 'value="7"' in html and "我的小结" in html
    assert not ReportLine.objects.filter(report=report).exclude(sessions=0, attendances=0).exists()


# --- attachments -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "content_type"), [(JPEG, "image/jpeg"), (PNG, "image/png"), (PDF, "application/pdf")]
)
def test_s2_jpg_png_pdf_are_accepted_by_content_and_the_sha256_is_kept(
    package, items, worker, private_media, content, content_type
):
    report = report_create(actor=worker, package=package, year=2025, month=3)
    # the name says nothing: the content decides
    attachment = report_attach(actor=worker, report=report, file=upload("scan.bin", content, "text/plain"))
    assert attachment.content_type == content_type
    assert attachment.size == len(content)
    assert attachment.sha256 == hashlib.sha256(content).hexdigest()
    assert attachment.original_name == "scan.bin"
    with attachment.file.open("rb") as f:
        assert f.read() == content
    assert str(private_media) in attachment.file.path


@pytest.mark.parametrize("content", [ELF, MZ], ids=["elf", "windows-exe"])
def test_s2_an_executable_renamed_jpg_is_refused(package, items, worker, private_media, content):
    report = report_create(actor=worker, package=package, year=2025, month=3)
    with pytest.raises(ValidationError) as exc:
        report_attach(actor=worker, report=report, file=upload("photo.jpg", content, "image/jpeg"))
    assert exc.value.message_dict["file"] == ["文件内容不是 JPG/PNG/PDF"]
    assert not ReportAttachment.objects.exists()
    assert stored_files(private_media) == []


def test_s2_an_11_mb_file_is_refused(package, items, worker, private_media):
    report = report_create(actor=worker, package=package, year=2025, month=3)
    big = JPEG + b"\x00" * (11 * 1024 * 1024)
    with pytest.raises(ValidationError) as exc:
        report_attach(actor=worker, report=report, file=upload("big.jpg", big))
    assert exc.value.message_dict["file"] == ["文件超过 10 MB"]
    assert not ReportAttachment.objects.exists()
    assert stored_files(private_media) == []


def test_s2_sniffing_reads_the_stream_not_the_declared_size(package):
    class Stream:
        """A file object that under-declares its size: the limit still holds while reading."""

        name = "x.jpg"
        size = 10

        def __init__(self, data):
            import io

            self._io = io.BytesIO(data)

        def seek(self, pos):
            self._io.seek(pos)

        def read(self, n=-1):
            return self._io.read(n)

    with pytest.raises(ValidationError, match="文件超过 10 MB"):
        sniff_upload(Stream(JPEG + b"\x00" * (10 * 1024 * 1024)))
    content_type, size, digest = sniff_upload(Stream(JPEG))
    assert (content_type, size, digest) == ("image/jpeg", len(JPEG), hashlib.sha256(JPEG).hexdigest())


def test_s2_exactly_10_mb_is_accepted():
    content = PDF + b"\x00" * (10 * 1024 * 1024 - len(PDF))
    assert sniff_upload(upload("a.pdf", content, "application/pdf"))[1] == 10 * 1024 * 1024


def test_s2_upload_page_refuses_an_executable_with_a_clear_message(client_for, package, items, worker, private_media):
    report = report_create(actor=worker, package=package, year=2025, month=3)
    client = client_for(worker)
    response = client.post(
        reverse("delivery:report-attach", args=[report.pk]), {"file": upload("photo.jpg", ELF)}, follow=True
    )
    assert "文件内容不是 JPG/PNG/PDF" in response.content.decode()
    assert not ReportAttachment.objects.exists()
    assert stored_files(private_media) == []


def test_s2_upload_page_stores_a_photo_against_a_line(client_for, package, items, worker):
    report = report_create(actor=worker, package=package, year=2025, month=3)
    line = report.lines.get(plan_item=items["activity"])
    response = client_for(worker).post(
        reverse("delivery:report-attach", args=[report.pk]),
        {"file": upload("活动照片.jpg", JPEG), "line": line.pk},
        follow=True,
    )
    attachment = ReportAttachment.objects.get()
    assert attachment.line == line and attachment.uploaded_by == worker
    body = response.content.decode()
    assert "活动照片.jpg" in body
    assert '类型">JPG</td>' in body and '类型">image/jpeg' not in body  # a word people use, not a MIME type


def test_s2_attachment_line_choices_and_list_name_the_place(client_for, package, items, worker, world):
    """One sub-item often lands in several communities: the worker must tell its lines apart when attaching a
    photo, and the attachment list says which community's line the photo belongs to."""
    from delivery.models import PlanItem

    second = world.communities_a1[1]
    PlanItem.objects.create(
        plan=items["activity"].plan, item=items["activity"].item, community=second, year=1, annual_target=50
    )
    report = report_create(actor=worker, package=package, year=2025, month=3)
    client = client_for(worker)
    page = client.get(reverse("delivery:report-edit", args=[report.pk])).content.decode()
    name = items["activity"].display_name
    first = world.communities_a1[0]
    assert f"{name} · {first.name}</option>" in page
    assert f"{name} · {second.name}</option>" in page
    assert f"{items['station'].display_name} · 街镇层面</option>" in page
    line = report.lines.get(plan_item__item=items["activity"].item, plan_item__community=second)
    response = client.post(
        reverse("delivery:report-attach", args=[report.pk]),
        {"file": upload("活动照片.png", PNG), "line": line.pk},
        follow=True,
    )
    assert f"{name} · {second.name}</td>" in response.content.decode()


def test_s2_another_agencys_worker_cannot_attach(package, items, worker, outsiders):
    from directory.models import Role

    report = report_create(actor=worker, package=package, year=2025, month=3)
    with pytest.raises(PermissionDenied):
        report_attach(actor=outsiders[Role.AGENCY_WORKER], report=report, file=upload("a.jpg", JPEG))
    assert not ReportAttachment.objects.exists()


def test_s2_upload_page_refuses_an_11_mb_file_with_a_clear_message(client_for, package, items, worker, private_media):
    report = report_create(actor=worker, package=package, year=2025, month=3)
    big = upload("scan.jpg", JPEG + b"\x00" * (11 * 1024 * 1024))
    response = client_for(worker).post(reverse("delivery:report-attach", args=[report.pk]), {"file": big}, follow=True)
    assert "附件未上传：文件超过 10 MB" in response.content.decode()
    assert not ReportAttachment.objects.exists()
    assert stored_files(private_media) == []
