"""R2: a package's progress report for a month or a year — targets vs output per plan item and place, lagging
items (S4), the months' reports (S1), focus issues (S5) and money paid (F3) — rendered by the reporting pipeline
for whoever sees the package and its money; others refused."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from delivery.models import FocusIssue, ServiceReport
from directory.models import Role
from funds import services as funds_services
from funds.models import FundingSource, Instalment
from reporting import services
from reporting.documents import r2_document
from reporting.models import ReportFile
from reporting.permissions import can_request_r2
from reporting.selectors import report_file_list
from tests.delivery.reports.builders import approved_plan, make_report

from .pdf_helpers import assert_cjk_fonts, pdf_text


@pytest.fixture
def progress(world, package, manager, bureau):
    """Town A1's package with an approved plan: the town-level item fully delivered in a confirmed report of the
    start month (on track), the community items untouched (lagging); a resolved focus issue; the first
    instalment paid."""
    items = approved_plan(package, world)
    start = package.starts_on
    make_report(
        package,
        start.year,
        start.month,
        manager,
        status=ServiceReport.Status.CONFIRMED,
        values={items["station"]: {"sessions": 12}},
    )
    FocusIssue.objects.create(
        community=world.communities_a1[0],
        package=package,
        kind="group_rental",
        title="滚绣坊群租房整治",
        description="群租房",
        status=FocusIssue.Status.RESOLVED,
        resolution="已整治",
        resolved_on=timezone.localdate(),
        reported_by=manager,
    )
    lottery = funds_services.source_ensure(kind=FundingSource.Kind.WELFARE_LOTTERY)
    for year in range(start.year, start.year + 3):
        funds_services.budget_set(actor=bureau, source=lottery, year=year, amount="5000000.00")
    funds_services.package_year_split_set(
        actor=bureau, package=package, plan_year=1, parts={lottery: package.annual_amount}
    )
    funds_services.schedule_generate(package=package)
    first = Instalment.objects.filter(package=package).order_by("plan_year", "planned_on", "pk").first()
    funds_services.payment_record(
        actor=bureau, instalment=first, amount=first.amount, paid_on=start, voucher_number="PZ-0001"
    )
    return {"items": items, "paid": first.amount}


def _year(package) -> int:
    return timezone.localdate().year


def test_r2_pdf_prints_targets_output_lagging_focus_and_money(
    client, django_capture_on_commit_callbacks, manager, package, progress
):
    client.force_login(manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("reporting:report-r2-request", args=[package.pk]), {"year": _year(package), "month": ""}
        )
    assert response.status_code == 302
    report = ReportFile.objects.get(kind=ReportFile.Kind.R2)
    assert report.status == ReportFile.Status.READY, report.error
    assert (report.package, report.year, report.month) == (package, _year(package), None)
    page = client.get(reverse("delivery:package-progress", args=[package.pk]))
    assert 'data-testid="report-download"' in page.content.decode()
    download = client.get(reverse("reporting:report-download", args=[report.pk]))
    assert download.status_code == 200
    pdf = b"".join(download.streaming_content)
    text = pdf_text(pdf)
    assert package.title in text
    assert "乐仁社工服务社" in text
    assert "服务项目进度报告" in text
    station = progress["items"]["station"]
    assert station.display_name in text
    assert "滞后" in text  # the community items with no output
    assert "滚绣坊群租房整治" in text
    assert f"{progress['paid']}" in text
    assert_cjk_fonts(pdf)


def test_r2_month_report_and_its_lagging_items(package, progress):
    start = package.starts_on
    document = r2_document(package, start.year, start.month)
    rows = {r["row"].plan_item.pk: r for r in document.context["rows"]}
    station = progress["items"]["station"]
    assert rows[station.pk]["period_output"] == 12
    assert not rows[station.pk]["row"].lagging
    lagging = {r["row"].plan_item.pk for r in document.context["lagging_rows"]}
    assert station.pk not in lagging and progress["items"]["activity"].pk in lagging
    assert document.context["period_label"] == f"{start.year}年{start.month}月"


def test_r2_refused_to_other_agencies_other_towns_and_community_officers(
    client, outsiders, personas, package, progress
):
    url = reverse("reporting:report-r2-request", args=[package.pk])
    data = {"year": _year(package)}
    for role in (Role.AGENCY_MANAGER, Role.TOWN_OFFICER, Role.DISTRICT_OFFICER):
        client.force_login(outsiders[role])
        assert client.post(url, data).status_code == 404, role
    # A community officer sees the package but not the town's money, which R2 prints.
    client.force_login(personas[Role.COMMUNITY_OFFICER])
    assert client.post(url, data).status_code == 403
    with pytest.raises(PermissionDenied):
        services.report_request(
            actor=outsiders[Role.AGENCY_MANAGER], kind=ReportFile.Kind.R2, package=package, year=_year(package)
        )
    assert not ReportFile.objects.exists()


def test_r2_the_package_town_district_and_the_city_may_ask_and_see_it(personas, package, progress):
    report = services.report_request(
        actor=personas[Role.TOWN_OFFICER], kind=ReportFile.Kind.R2, package=package, year=_year(package)
    )
    for role in (Role.TOWN_OFFICER, Role.DISTRICT_OFFICER, Role.AUDITOR, Role.BUREAU_ADMIN, Role.AGENCY_MANAGER):
        assert can_request_r2(personas[role], package) is True, role
        assert list(report_file_list(user=personas[role], kind=ReportFile.Kind.R2)) == [report], role
    for role in (Role.COMMUNITY_OFFICER, Role.EVALUATOR, Role.FUND_MANAGER):
        assert can_request_r2(personas[role], package) is False, role
        assert not report_file_list(user=personas[role], kind=ReportFile.Kind.R2).exists(), role


def test_r2_outsider_cannot_download_a_rendered_report(
    client, django_capture_on_commit_callbacks, manager, outsiders, package, progress
):
    with django_capture_on_commit_callbacks(execute=True):
        report = services.report_request(actor=manager, kind=ReportFile.Kind.R2, package=package, year=_year(package))
    report.refresh_from_db()
    assert report.status == ReportFile.Status.READY
    for role in (Role.AGENCY_MANAGER, Role.TOWN_OFFICER):
        client.force_login(outsiders[role])
        assert client.get(reverse("reporting:report-download", args=[report.pk])).status_code == 404


def test_r2_bad_period_is_a_message_not_a_render(client, manager, package, progress):
    with pytest.raises(ValidationError) as error:
        services.report_request(actor=manager, kind=ReportFile.Kind.R2, package=package, year=1999)
    assert "year" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.report_request(actor=manager, kind=ReportFile.Kind.R2, package=package, year=_year(package), month=13)
    assert "month" in error.value.message_dict
    client.force_login(manager)
    response = client.post(reverse("reporting:report-r2-request", args=[package.pk]), {"year": "abc"}, follow=True)
    assert response.status_code == 200
    assert "请选择" in response.content.decode()
    assert not ReportFile.objects.exists()


def test_r2_asking_again_while_rendering_returns_the_same_render(manager, package, progress):
    first = services.report_request(actor=manager, kind=ReportFile.Kind.R2, package=package, year=_year(package))
    again = services.report_request(actor=manager, kind=ReportFile.Kind.R2, package=package, year=_year(package))
    assert first.pk == again.pk and first.status == ReportFile.Status.QUEUED
    other_month = services.report_request(
        actor=manager,
        kind=ReportFile.Kind.R2,
        package=package,
        year=package.starts_on.year,
        month=package.starts_on.month,
    )
    assert other_month.pk != first.pk


def test_r2_render_report_command(tmp_path, package, progress):
    out = tmp_path / "progress.pdf"
    call_command(
        "render_report", "r2", "--package", str(package.pk), "--year", str(_year(package)), "--output", str(out)
    )
    text = pdf_text(out.read_bytes())
    assert package.title in text and "乐仁社工服务社" in text
