"""STORAGE_BACKEND=s3 (several web servers): an attachment is uploaded into the private bucket — nothing is
written to the local disk — and streamed back only through the permission-checked download view."""

import pytest
from django.urls import reverse

from delivery.services.reports import report_attach, report_attachment_delete, report_create
from directory.models import Role
from tests.s3 import bucket_bytes, bucket_keys, s3_bucket  # noqa: F401  (fixture)

from .builders import JPEG, upload

pytestmark = pytest.mark.django_db


def test_an_attachment_lands_in_the_bucket_and_not_on_disk(
    s3_bucket,  # noqa: F811
    settings,
    client_for,
    personas,
    outsiders,
    package,
    items,
    worker,
):
    report = report_create(actor=worker, package=package, year=2025, month=3)
    attachment = report_attach(actor=worker, report=report, file=upload("签到表.jpg", JPEG))

    # (the agency's qualification documents, uploaded by the fixtures, are in the bucket too)
    assert attachment.file.name in bucket_keys(s3_bucket)
    assert bucket_bytes(s3_bucket, attachment.file.name) == JPEG
    assert not settings.MEDIA_ROOT.exists() or not any(settings.MEDIA_ROOT.rglob("*"))

    url = reverse("delivery:report-attachment", args=[attachment.pk])
    response = client_for(personas[Role.TOWN_OFFICER]).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == JPEG
    assert response["Cache-Control"] == "private, no-store"
    # The bucket is never revealed: no redirect to a signed URL, and outsiders get nothing.
    assert "amazonaws" not in str(response.headers)
    assert client_for(outsiders[Role.TOWN_OFFICER]).get(url).status_code == 404


def test_a_removed_attachment_leaves_the_bucket(
    s3_bucket,  # noqa: F811
    django_capture_on_commit_callbacks,
    package,
    items,
    worker,
):
    report = report_create(actor=worker, package=package, year=2025, month=3)
    attachment = report_attach(actor=worker, report=report, file=upload("签到表.jpg", JPEG))
    name = attachment.file.name
    assert name in bucket_keys(s3_bucket)
    with django_capture_on_commit_callbacks(execute=True):
        report_attachment_delete(actor=worker, attachment=attachment)
    assert name not in bucket_keys(s3_bucket)


def test_a_file_missing_from_the_bucket_is_a_404_not_a_500(
    s3_bucket,  # noqa: F811
    client_for,
    personas,
    package,
    items,
    worker,
):
    report = report_create(actor=worker, package=package, year=2025, month=3)
    attachment = report_attach(actor=worker, report=report, file=upload("签到表.jpg", JPEG))
    s3_bucket.delete_object(Bucket="suzhou-sw-test-private", Key=attachment.file.name)
    url = reverse("delivery:report-attachment", args=[attachment.pk])
    assert client_for(personas[Role.TOWN_OFFICER]).get(url).status_code == 404
