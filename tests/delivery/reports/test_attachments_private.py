"""Attachments are private: stored outside the static and public media paths and served only through the
download view, which asks `can_view_report`."""

from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from delivery.services.reports import report_attach, report_create
from directory.models import Role

from .builders import JPEG, PDF, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def attachment(package, items, worker):
    report = report_create(actor=worker, package=package, year=2025, month=3)
    return report_attach(actor=worker, report=report, file=upload("签到表.jpg", JPEG))


def url(attachment) -> str:
    return reverse("delivery:report-attachment", args=[attachment.pk])


@pytest.mark.parametrize(
    "role", [Role.AGENCY_WORKER, Role.AGENCY_MANAGER, Role.TOWN_OFFICER, Role.COMMUNITY_OFFICER, Role.BUREAU_ADMIN]
)
def test_the_package_side_downloads_the_attachment(client_for, personas, attachment, role):
    response = client_for(personas[role]).get(url(attachment))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == JPEG
    assert response["Content-Type"] == "image/jpeg"
    assert "private" in response["Cache-Control"]


@pytest.mark.parametrize("role", [Role.AGENCY_WORKER, Role.AGENCY_MANAGER, Role.COMMUNITY_OFFICER, Role.TOWN_OFFICER])
def test_outsiders_get_nothing(client_for, outsiders, attachment, role):
    # another agency's people, a community officer and a town officer of another town
    response = client_for(outsiders[role]).get(url(attachment))
    assert response.status_code == 404
    assert JPEG not in response.content


def test_anonymous_is_sent_to_login(client, attachment):
    response = client.get(url(attachment))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_pdf_is_downloaded_with_its_original_name(client_for, personas, package, items, worker):
    report = report_create(actor=worker, package=package, year=2025, month=4)
    pdf = report_attach(actor=worker, report=report, file=upload("签到表.pdf", PDF, "application/pdf"))
    response = client_for(personas[Role.TOWN_OFFICER]).get(url(pdf))
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]


def test_the_file_is_not_under_static_or_any_public_url(client, attachment, private_media):
    path = Path(attachment.file.path).resolve()
    assert path.is_relative_to(Path(settings.PRIVATE_MEDIA_ROOT).resolve())
    public_roots = [settings.STATIC_ROOT, *[d[1] if isinstance(d, tuple) else d for d in settings.STATICFILES_DIRS]]
    for root in public_roots:
        assert not path.is_relative_to(Path(root).resolve())
    # the stored name is derived from the hash, never the uploaded name
    assert "签到表" not in attachment.file.name
    for guess in (
        settings.MEDIA_URL + attachment.file.name,
        "/media/" + attachment.file.name,
        settings.STATIC_URL + attachment.file.name,
    ):
        assert client.get(guess if guess.startswith("/") else "/" + guess).status_code == 404
