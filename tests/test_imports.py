"""Malformed xlsx files (issue 12, finding 2): the roster import page and the admin catalogue import answer a
form error naming the row, never a server error, and import nothing.

openpyxl reads a sheet lazily in read-only mode, so a number cell holding "abc", a date cell holding
"notadate" or a sheet cut off mid-XML fails while the rows are iterated, not when the workbook is opened."""

import io
import zipfile
from xml.sax.saxutils import escape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from catalog.models import CatalogueEdition
from catalog.services import COLUMNS
from procurement.models import StaffMember
from tests.procurement.factories import qualified_agency

ROSTER_HEADER = [
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
ROSTER_ROW = ["张三", "32050619700110108X", "13900000001", "是", "2020-01-01", "", "", "", "", ""]
CATALOGUE_ROW = [
    "JC",
    "basic",
    "基础服务类",
    "Basic",
    "JC-01",
    "兴趣班",
    "Classes",
    "说明",
    "community",
    "session",
    "24",
    "",
    "",
]

CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>
<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>
</Types>"""
ROOT_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>
</Relationships>"""
WORKBOOK = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"
 xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets>
</workbook>"""
WORKBOOK_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>
</Relationships>"""


def _column(i: int) -> str:
    return chr(ord("A") + i)


def _row_xml(number: int, values: list[str], bad: tuple[int, str, str] | None = None) -> str:
    cells = []
    for i, value in enumerate(values):
        ref = f"{_column(i)}{number}"
        if bad and bad[0] == i:
            cells.append(f'<c r="{ref}" t="{bad[1]}"><v>{bad[2]}</v></c>')
        elif value:
            cells.append(f'<c r="{ref}" t="inlineStr"><is><t>{escape(value)}</t></is></c>')
    return f'<row r="{number}">{"".join(cells)}</row>'


def malformed_xlsx(header: list[str], row: list[str], kind: str) -> bytes:
    """A hand-built workbook: the header, two good rows, then on row 4 a number cell holding "abc" ("n"), a date
    cell holding "notadate" ("d"), or ("truncated") the sheet XML cut off in the middle of row 4. The sheet
    declares its dimension as Excel does, so openpyxl starts reading rows before it meets the damage."""
    bad = {"n": (0, "n", "abc"), "d": (4, "d", "notadate")}.get(kind)
    rows = [_row_xml(1, header), _row_xml(2, row), _row_xml(3, row), _row_xml(4, row, bad), _row_xml(5, row)]
    sheet = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<dimension ref="A1:{_column(len(header) - 1)}5"/>'
        f"<sheetData>{''.join(rows)}</sheetData></worksheet>"
    )
    if kind == "truncated":
        sheet = sheet[: sheet.index('<row r="4">') + 40]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
    return buffer.getvalue()


KINDS = ["n", "d", "truncated"]


@pytest.mark.django_db
@pytest.mark.parametrize("kind", KINDS)
def test_roster_import_answers_a_malformed_xlsx_with_a_form_error(client, manager, world, kind):
    agency = qualified_agency(organisation=world.agency)
    client.force_login(manager)
    content = malformed_xlsx(ROSTER_HEADER, ROSTER_ROW, kind)
    response = client.post(
        reverse("procurement:staff-import", args=[agency.pk]), {"file": SimpleUploadedFile("roster.xlsx", content)}
    )
    # The roster page answers every refused file with 400 and the form (as for a bad row).
    assert response.status_code == 400
    body = response.content.decode()
    assert "无法读取xlsx文件" in body and "第4行" in body
    assert not StaffMember.objects.filter(agency=agency).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("kind", KINDS)
def test_c3_admin_catalogue_import_answers_a_malformed_xlsx_with_a_form_error(client, bureau, kind):
    client.force_login(bureau)
    content = malformed_xlsx(list(COLUMNS), CATALOGUE_ROW, kind)
    response = client.post(
        "/admin/catalog/catalogueedition/import/",
        {
            "file": SimpleUploadedFile("catalogue.xlsx", content),
            "code": "malformed",
            "name_zh": "坏",
            "name_en": "Bad",
            "year": 2026,
        },
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "无法读取xlsx文件" in body and "第4行" in body
    assert not CatalogueEdition.objects.filter(code="malformed").exists()


def test_a_well_formed_hand_built_workbook_is_read():
    """The builder itself is sound: without the bad cell, every row is read."""
    from core.tabular import read_table

    content = malformed_xlsx(ROSTER_HEADER, ROSTER_ROW, "none")
    rows = read_table(content, "roster.xlsx")
    assert len(rows) == 5 and rows[3] == ROSTER_ROW
