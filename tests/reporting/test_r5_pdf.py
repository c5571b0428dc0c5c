"""R5: a plan's approved version as a PDF for signature — the frozen snapshot (P7), asked for on the plan page by
whoever sees the package, nobody before a version exists."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from pypdf import PdfReader

from delivery.models import PlanVersion, ServicePlan
from delivery.services.plans import plan_snapshot
from directory.models import Role
from reporting import services
from reporting.models import ReportFile
from tests.delivery.reports.builders import END, START, approved_plan
from tests.procurement.factories import PackageFactory


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


@pytest.fixture
def plan(world, agency, round_2018, bureau):
    package = PackageFactory(town=world.town_a1, agency=agency, round=round_2018, starts_on=START, ends_on=END)
    items = approved_plan(package, world)
    plan = ServicePlan.objects.get(package=package)
    PlanVersion.objects.create(
        plan=plan, number=1, snapshot=plan_snapshot(list(items.values())), approved_by=bureau, reason=""
    )
    return plan


def test_r5_pdf_prints_the_approved_version_with_its_items(client, django_capture_on_commit_callbacks, manager, plan):
    client.force_login(manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reporting:report-r5-request", args=[plan.pk]))
    assert response.status_code == 302
    report = ReportFile.objects.get(kind=ReportFile.Kind.R5)
    assert report.status == ReportFile.Status.READY, report.error
    page = client.get(reverse("delivery:plan-detail", args=[plan.package_id]))
    assert 'data-testid="report-download"' in page.content.decode()
    download = client.get(reverse("reporting:report-download", args=[report.pk]))
    assert download.status_code == 200
    text = _text(b"".join(download.streaming_content))
    assert plan.package.title in text
    assert "乐仁社工服务社" in text
    assert "社区共享菜园" in text  # a filed item of the snapshot
    assert "服务计划（第 1 版）" in text


def test_r5_refused_to_outsiders_and_before_approval(client, outsiders, manager, plan):
    client.force_login(outsiders[Role.AGENCY_MANAGER])
    assert client.post(reverse("reporting:report-r5-request", args=[plan.pk])).status_code == 404
    client.force_login(outsiders[Role.TOWN_OFFICER])
    assert client.post(reverse("reporting:report-r5-request", args=[plan.pk])).status_code == 404
    ServicePlan.objects.filter(pk=plan.pk).update(version=0)
    plan.refresh_from_db()
    with pytest.raises(ValidationError):
        services.report_request(actor=manager, kind=ReportFile.Kind.R5, plan=plan)
    assert not ReportFile.objects.exists()


def test_r5_render_report_command(tmp_path, plan):
    out = tmp_path / "plan.pdf"
    call_command("render_report", "r5", "--package", str(plan.package_id), "--output", str(out))
    assert plan.package.title in _text(out.read_bytes())
