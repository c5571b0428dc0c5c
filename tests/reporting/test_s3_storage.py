"""STORAGE_BACKEND=s3: a rendered PDF (R1, rendered by the Celery task) is stored in the private bucket, not on
the local disk, and the agency downloads it through the permission-checked view."""

import pytest
from django.urls import reverse

from directory.models import Role
from reporting import services
from reporting.models import ReportFile
from tests.s3 import bucket_bytes, bucket_keys, s3_bucket  # noqa: F401  (fixture)


@pytest.mark.django_db
def test_a_rendered_pdf_is_stored_in_the_bucket_and_downloaded_through_the_view(
    s3_bucket,  # noqa: F811
    settings,
    django_capture_on_commit_callbacks,
    client_for,
    manager,
    outsiders,
    finalised,
):
    with django_capture_on_commit_callbacks(execute=True):
        report = services.report_request(actor=manager, kind=ReportFile.Kind.R1, evaluation=finalised)
    report.refresh_from_db()
    assert report.status == ReportFile.Status.READY, report.error

    assert report.file.name in bucket_keys(s3_bucket)
    stored = bucket_bytes(s3_bucket, report.file.name)
    assert stored.startswith(b"%PDF-") and len(stored) == report.size
    assert not settings.MEDIA_ROOT.exists() or not any(settings.MEDIA_ROOT.rglob("*"))

    url = reverse("reporting:report-download", args=[report.pk])
    download = client_for(manager).get(url)
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content) == stored
    assert client_for(outsiders[Role.AGENCY_MANAGER]).get(url).status_code == 404
