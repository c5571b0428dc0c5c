"""Helpers of the agencies tests: document bytes, roster tables and xlsx round trips."""

import datetime
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from directory.validators import resident_id_check_char

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPG = b"\xff\xd8\xff\xe0" + b"\x00" * 32
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64

HEADER = [
    "姓名",
    "居民身份证号码",
    "手机号",
    "专职",
    "入职日期",
    "离职日期",
    "证书等级",
    "证书编号",
    "发证日期",
    "证书有效期至",
]


def rid(n: int) -> str:
    """A valid resident ID distinct from the factories' (born 1970-1979)."""
    first17 = f"320506{1970 + n % 10}0{n % 9 + 1}1{n % 9}{n:03d}"
    return first17 + resident_id_check_char(first17)


def bad_check_char(resident_id: str) -> str:
    last = "0" if resident_id[-1] != "0" else "1"
    return resident_id[:-1] + last


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def documents(**overrides) -> dict:
    files = {
        "registration_certificate": upload("登记证书.pdf", PDF, "application/pdf"),
        "audit_report": upload("audit.png", PNG, "image/png"),
    }
    files.update(overrides)
    return files


def xlsx(rows: list[list]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def read_xlsx(content: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    return [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]
