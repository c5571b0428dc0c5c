"""Fixtures of the agencies area: private media in a temporary directory, the manager, an open application."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from procurement.models import QualificationApplication
from tests.procurement.factories import QualificationFactory

from .helpers import HEADER, rid, xlsx


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "private_media"
    settings.PRIVATE_MEDIA_ROOT = settings.MEDIA_ROOT


@pytest.fixture
def pending_application(agency, manager):
    """A submitted (open) application of the personas' agency, with a roster snapshot of one person."""
    return QualificationFactory(
        agency=agency,
        status=QualificationApplication.Status.SUBMITTED,
        submitted_by=manager,
        decided_at=None,
        reason="",
        valid_from=None,
        valid_until=None,
        roster_file=SimpleUploadedFile(
            "roster.xlsx", xlsx([HEADER, ["张三", rid(1), "", "是", "2020-01-01", "", "", "", "", ""]])
        ),
    )
