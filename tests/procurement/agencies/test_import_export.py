"""Roster import (xlsx/CSV, all or nothing, errors by row number) and export (D4: masked unless bureau)."""

import csv
import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from directory.models import Role
from procurement.models import Certificate, StaffMember
from procurement.services.agencies import roster_import
from tests.procurement.factories import CertificateFactory, StaffFactory

from .helpers import HEADER, bad_check_char, days, read_xlsx, rid, upload, xlsx


def row(n: int, name: str = "", **cells) -> list[str]:
    values = {
        "name": name or f"社工{n}",
        "rid": rid(n),
        "phone": f"1390000{n:04d}",
        "full": "是",
        "from": "2020-01-01",
        "until": "",
        "level": "",
        "number": "",
        "issued": "",
        "expires": "",
    }
    values.update(cells)
    return list(values.values())


def post_import(client, agency, content: bytes, filename: str = "roster.xlsx"):
    return client.post(reverse("procurement:staff-import", args=[agency.pk]), {"file": upload(filename, content)})


@pytest.mark.django_db
def test_import_page_documents_the_columns(client, manager, agency):
    client.force_login(manager)
    body = client.get(reverse("procurement:staff-import", args=[agency.pk])).content.decode()
    for title in HEADER:
        assert f"<code>{title}</code>" in body
    assert "助理社会工作师、社会工作师、高级社会工作师" in body
    assert "更新该人员的信息" in body


@pytest.mark.django_db
def test_import_creates_people_and_certificates_and_updates_existing_ones(client, manager, agency):
    existing = StaffFactory(agency=agency, name="旧名字", resident_id=rid(1), is_full_time=True)
    table = [
        HEADER,
        row(1, "新名字", full="否"),
        row(2, level="社会工作师", number="ZS-2", issued="2020-06-01", expires="2026-06-01"),
        row(3, level="高级社会工作师", number="ZS-3", issued="2021/06/01", expires="2027.06.01", until="2025-12-31"),
    ]
    client.force_login(manager)
    response = post_import(client, agency, xlsx(table))
    assert response.status_code == 302
    messages = [str(m) for m in response.wsgi_request._messages]
    assert "新增 2 人，更新 1 人，登记证书 2 张" in messages[0]
    existing.refresh_from_db()
    assert existing.name == "新名字" and existing.is_full_time is False
    assert StaffMember.objects.filter(agency=agency).count() == 3
    third = Certificate.objects.get(number="ZS-3")
    assert third.level == "senior" and third.expires_on.isoformat() == "2027-06-01"
    assert third.staff.employed_until.isoformat() == "2025-12-31"


@pytest.mark.django_db
def test_import_reports_every_bad_row_by_number_and_imports_nothing(client, manager, agency):
    table = [
        HEADER,
        row(1),  # fine
        row(2, rid=bad_check_char(rid(2))),
        row(3, **{"from": "2020-13-45"}),
        row(4, level="社工师", number="ZS-4", issued="2020-01-01", expires="2026-01-01"),
        row(5, rid=rid(1)),  # same person as row 2 of the file
        row(6, full="可能"),
        row(7, level="社会工作师"),  # no number or dates
    ]
    client.force_login(manager)
    response = post_import(client, agency, xlsx(table))
    assert response.status_code == 400
    errors = response.context["errors"]
    assert [e.split("：")[0] for e in errors] == ["第3行", "第4行", "第5行", "第6行", "第7行", "第8行"]
    assert "居民身份证号码校验位错误" in errors[0]
    assert "“入职日期”的日期“2020-13-45”无法识别" in errors[1]
    assert "证书等级“社工师”无效" in errors[2]
    assert "身份证号码与第2行重复" in errors[3]
    assert "“专职”应填写“是”或“否”" in errors[4]
    assert "“证书编号”不能为空" in errors[5]
    assert not StaffMember.objects.filter(agency=agency).exists()
    assert "未导入任何人员" in response.content.decode()


@pytest.mark.django_db
def test_import_refuses_a_certificate_number_registered_to_someone_else(manager, agency, other_agency):
    CertificateFactory(staff=StaffFactory(agency=other_agency), number="ZS-OTHER")
    table = [
        HEADER,
        row(1),
        row(2, level="助理社会工作师", number="ZS-OTHER", issued="2020-01-01", expires="2026-01-01"),
    ]
    with pytest.raises(ValidationError) as exc:
        roster_import(actor=manager, agency=agency, rows=table)
    assert exc.value.messages == ["第3行：证书编号“ZS-OTHER”已登记在其他人员名下。"]
    assert not StaffMember.objects.filter(agency=agency).exists()


@pytest.mark.django_db
def test_import_missing_columns_and_empty_files(manager, agency):
    with pytest.raises(ValidationError, match="缺少列：证书编号"):
        roster_import(actor=manager, agency=agency, rows=[[h for h in HEADER if h != "证书编号"]])
    with pytest.raises(ValidationError, match="文件中没有人员"):
        roster_import(actor=manager, agency=agency, rows=[HEADER, [""] * 10])


@pytest.mark.django_db
def test_import_accepts_csv_with_english_headers(client, manager, agency):
    codes = ["name", "resident_id", "phone", "is_full_time", "employed_from", "employed_until"]
    codes += ["level", "certificate_number", "issued_on", "expires_on"]
    buffer = io.StringIO()
    csv.writer(buffer).writerows(
        [codes, row(7, "陈洁", level="assistant", number="C-7", issued="2020-01-01", expires="2028-01-01")]
    )
    client.force_login(manager)
    response = post_import(client, agency, buffer.getvalue().encode("utf-8-sig"), "roster.csv")
    assert response.status_code == 302
    assert StaffMember.objects.get(agency=agency).certificates.get().number == "C-7"


@pytest.mark.django_db
def test_import_refuses_other_file_types_and_files_over_5_mb(client, manager, agency):
    client.force_login(manager)
    response = post_import(client, agency, b"MZ\x90\x00", "roster.exe")
    assert response.status_code == 400 and "文件扩展“exe”是不被允许" in response.content.decode()
    big = xlsx([HEADER]) + b"\0" * (5 * 1024 * 1024)
    response = post_import(client, agency, big)
    assert "文件不能超过5 MB" in response.content.decode()
    response = post_import(client, agency, b"not a zip", "roster.xlsx")
    assert response.status_code == 400 and "无法读取xlsx文件" in response.content.decode()


@pytest.mark.django_db
def test_d4_export_masks_resident_ids_for_everyone(client, personas, agency):
    staff = StaffFactory(agency=agency, name="林芳")
    CertificateFactory(staff=staff, level="intermediate", number="ZS-LIN")
    url = reverse("procurement:staff-export", args=[agency.pk])
    for role in (Role.AGENCY_MANAGER, Role.AUDITOR, Role.BUREAU_ADMIN):
        client.force_login(personas[role])
        response = client.get(url)
        assert response["Content-Disposition"].startswith("attachment;")
        table = read_xlsx(response.content)
        assert table[0] == HEADER
        assert table[1][:2] == ["林芳", staff.resident_id_masked]
        assert table[1][6:8] == ["社会工作师", "ZS-LIN"]
        text = client.get(url, {"format": "csv"}).content.decode("utf-8-sig")
        assert staff.resident_id not in text and staff.resident_id_masked in text


@pytest.mark.django_db
def test_bureau_export_imports_back_unchanged(client, bureau_admin, agency):
    staff = StaffFactory(agency=agency)
    CertificateFactory(staff=staff, expires_on=days(400))
    client.force_login(bureau_admin)
    table = read_xlsx(client.get(reverse("procurement:staff-export", args=[agency.pk])).content)
    result = roster_import(actor=bureau_admin, agency=agency, rows=table)
    assert (result.created, result.updated, result.certificates) == (0, 1, 1)
    assert staff.certificates.count() == 1


@pytest.mark.django_db
def test_manager_reimports_its_masked_export_to_update_people(client, manager, agency):
    staff = StaffFactory(agency=agency, phone="13900000000")
    client.force_login(manager)
    table = read_xlsx(client.get(reverse("procurement:staff-export", args=[agency.pk])).content)
    table[1][2] = "13911112222"
    response = post_import(client, agency, xlsx(table))
    assert response.status_code == 302
    staff.refresh_from_db()
    assert staff.phone == "13911112222"
    unknown = [HEADER, row(1, rid=rid(99)[:4] + "*" * 10 + rid(99)[-4:])]
    with pytest.raises(ValidationError, match="脱敏的身份证号码无法对应到本机构唯一的人员"):
        roster_import(actor=manager, agency=agency, rows=unknown)
