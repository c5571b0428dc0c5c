"""Report pages: who sees what (outsiders 404), constant queries on the month list, the xlsx export."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from delivery.models import ServiceReport
from directory.models import Role

from .builders import make_report

pytestmark = pytest.mark.django_db
Status = ServiceReport.Status


@pytest.fixture
def report(package, items, worker):
    return make_report(
        package,
        2025,
        3,
        worker,
        status=Status.CONFIRMED,
        summary="三月小结",
        values={items["activity"]: {"attendances": 40}},
    )


@pytest.mark.parametrize(
    ("who", "role", "status"),
    [
        ("personas", Role.AGENCY_WORKER, 200),
        ("personas", Role.AGENCY_MANAGER, 200),
        ("personas", Role.TOWN_OFFICER, 200),
        ("personas", Role.COMMUNITY_OFFICER, 200),
        ("personas", Role.DISTRICT_OFFICER, 200),
        ("personas", Role.BUREAU_ADMIN, 200),
        ("personas", Role.AUDITOR, 200),
        ("personas", Role.EVALUATOR, 404),
        ("personas", Role.EXPERT, 404),
        ("outsiders", Role.AGENCY_WORKER, 404),
        ("outsiders", Role.AGENCY_MANAGER, 404),
        ("outsiders", Role.TOWN_OFFICER, 404),
        ("outsiders", Role.COMMUNITY_OFFICER, 404),
        ("outsiders", Role.DISTRICT_OFFICER, 404),
    ],
)
def test_report_pages_permission_matrix(client_for, personas, outsiders, report, who, role, status):
    user = (personas if who == "personas" else outsiders)[role]
    client = client_for(user)
    assert client.get(reverse("delivery:report-list", args=[report.package.pk])).status_code == status
    assert client.get(report.get_absolute_url()).status_code == status


def test_anonymous_is_sent_to_login(client, report):
    response = client.get(reverse("delivery:report-list", args=[report.package.pk]))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_worker_starts_a_month_from_the_list(client_for, package, items, worker):
    client = client_for(worker)
    response = client.post(reverse("delivery:report-create", args=[package.pk]), {"year": 2025, "month": 4})
    report = ServiceReport.objects.get(package=package, year=2025, month=4)
    assert response["Location"] == reverse("delivery:report-edit", args=[report.pk])
    # a second click opens the existing report instead of creating another
    response = client.post(reverse("delivery:report-create", args=[package.pk]), {"year": 2025, "month": 4})
    assert response["Location"] == report.get_absolute_url()
    assert ServiceReport.objects.filter(package=package, year=2025, month=4).count() == 1


def test_town_officer_cannot_start_a_report(client_for, package, items, town_officer):
    response = client_for(town_officer).post(
        reverse("delivery:report-create", args=[package.pk]), {"year": 2025, "month": 4}
    )
    assert response.status_code == 403
    assert not ServiceReport.objects.exists()


def test_report_list_uses_a_constant_number_of_queries(
    client_for, package, items, worker, django_assert_max_num_queries
):
    client = client_for(worker)
    url = reverse("delivery:report-list", args=[package.pk])
    counts = []
    for rows in (3, 20):
        for i in range(package.reports.count(), rows):
            make_report(package, 2025 + i // 12, i % 12 + 1, worker, status=Status.CONFIRMED)
        with CaptureQueriesContext(connection) as queries, django_assert_max_num_queries(6):
            response = client.get(url)
        assert response.content.decode().count('class="badge" data-status="confirmed"') == rows
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_report_detail_uses_a_constant_number_of_queries(
    client_for, package, items, worker, django_assert_max_num_queries
):
    report = make_report(package, 2025, 3, worker, values={item: {"sessions": 1} for item in items.values()})
    client = client_for(worker)
    with django_assert_max_num_queries(10):
        assert client.get(report.get_absolute_url()).status_code == 200


@pytest.mark.parametrize(
    ("who", "role", "status"),
    [
        ("personas", Role.TOWN_OFFICER, 200),
        ("personas", Role.DISTRICT_OFFICER, 200),
        ("personas", Role.BUREAU_ADMIN, 200),
        ("personas", Role.AGENCY_MANAGER, 200),
        ("personas", Role.COMMUNITY_OFFICER, 404),
        ("outsiders", Role.TOWN_OFFICER, 404),
        ("outsiders", Role.AGENCY_MANAGER, 404),
    ],
)
def test_export_is_for_the_town_the_bureau_and_the_agency(client_for, personas, outsiders, report, who, role, status):
    user = (personas if who == "personas" else outsiders)[role]
    response = client_for(user).get(reverse("delivery:report-export", args=[report.package.pk]))
    assert response.status_code == status


def test_export_holds_one_row_per_report_and_per_line(client_for, personas, report, items, worker):
    make_report(report.package, 2025, 2, worker, status=Status.SUPERSEDED)
    response = client_for(personas[Role.TOWN_OFFICER]).get(reverse("delivery:report-export", args=[report.package.pk]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content))
    summary, details = book.worksheets
    rows = list(summary.iter_rows(values_only=True))
    assert rows[0][:6] == ("街道（镇）", "社工机构", "年", "月", "版本", "状态")
    assert [r[2:6] for r in rows[1:]] == [(2025, 3, 1, "已确认")]  # superseded versions are left out
    assert rows[1][6] == "2025-04-10" and rows[1][9] == "三月小结"
    lines = list(details.iter_rows(values_only=True))
    assert len(lines) == 2
    assert lines[1][6] == items["activity"].display_name and lines[1][8] == "人次" and lines[1][11] == 40
