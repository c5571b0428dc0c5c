"""K9 fixtures: town A1's package (the personas' agency) and town B1's package (the other agency), both with an
approved plan; `file_report` files a month's report with real photos through the upload service."""

from __future__ import annotations

import pytest

from delivery.models import ReportLine, ServiceReport
from delivery.services.reports import report_attach
from directory.models import Role
from tests.delivery.reports.builders import END, START, approved_plan, make_report, upload
from tests.procurement.factories import PackageFactory


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    root = tmp_path / "private_media"
    settings.PRIVATE_MEDIA_ROOT = root
    settings.MEDIA_ROOT = root
    return root


@pytest.fixture
def package(world, agency, round_2018):
    return PackageFactory(town=world.town_a1, agency=agency, round=round_2018, starts_on=START, ends_on=END)


@pytest.fixture
def items(package, world):
    return approved_plan(package, world)


@pytest.fixture
def other_package(world, other_agency, round_2018):
    return PackageFactory(town=world.town_b1, agency=other_agency, round=round_2018, starts_on=START, ends_on=END)


@pytest.fixture
def other_items(other_package, world):
    return approved_plan(other_package, world)


@pytest.fixture
def file_report(personas, outsiders):
    """file_report(package, year, month, [(name, bytes), ...], item=None, status=submitted) → attachments."""

    def make(package, year, month, files, *, item=None, status=ServiceReport.Status.SUBMITTED):
        ours = package.agency.organisation.name == "乐仁社工服务社"
        user = personas[Role.AGENCY_WORKER] if ours else outsiders[Role.AGENCY_WORKER]
        report = ServiceReport.objects.filter(package=package, year=year, month=month).first()
        if report is None:
            report = make_report(package, year, month, user)
        line = ReportLine.objects.get_or_create(report=report, plan_item=item)[0] if item is not None else None
        ServiceReport.objects.filter(pk=report.pk).update(status=ServiceReport.Status.DRAFT)
        attachments = [
            report_attach(actor=user, report=report, file=upload(name, content), line=line) for name, content in files
        ]
        ServiceReport.objects.filter(pk=report.pk).update(status=status)
        return attachments

    return make
