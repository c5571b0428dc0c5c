"""K2: certificates of fielded full-time staff and the qualification of agencies holding packages, expiring
within the horizon (Q5: 60 days) or expired; severity rises as expiry nears."""

import datetime

import pytest
from django.utils import timezone

from procurement.models import QualificationApplication
from tests.procurement.factories import CertificateFactory, StaffFactory

from .conftest import closed, field, run

pytestmark = pytest.mark.django_db


def _staff_with_certificate(agency, expires_in: int):
    staff = StaffFactory(agency=agency)
    certificate = CertificateFactory(staff=staff, expires_on=timezone.localdate() + datetime.timedelta(days=expires_in))
    return staff, certificate


def test_k2_certificate_expiring_gets_a_finding_a_valid_one_none(world, package, agency):
    soon, soon_cert = _staff_with_certificate(agency, 20)
    urgent, urgent_cert = _staff_with_certificate(agency, 5)
    gone, gone_cert = _staff_with_certificate(agency, -3)
    fine, _fine_cert = _staff_with_certificate(agency, 400)
    field(package, [soon, urgent, gone, fine])
    findings = run("K2")
    keys = {f"certificate:{c.pk}" for c in (soon_cert, urgent_cert, gone_cert)}
    assert set(findings) == keys
    assert findings[f"certificate:{soon_cert.pk}"].severity == "info"
    assert findings[f"certificate:{urgent_cert.pk}"].severity == "warning"
    expired = findings[f"certificate:{gone_cert.pk}"]
    assert expired.severity == "critical" and "已于" in expired.message and gone.name in expired.message
    assert expired.organisation_id == world.agency.pk and expired.package_id == package.pk
    assert expired.url == f"/procurement/staff/{gone.pk}/"


def test_k2_staff_not_fielded_on_a_running_package_is_left_alone(agency, package):
    _staff_with_certificate(agency, 10)  # on the roster, not on the package
    assert run("K2") == {}


def test_k2_renewed_certificate_closes_the_finding(package, agency):
    staff, certificate = _staff_with_certificate(agency, 10)
    field(package, [staff])
    assert f"certificate:{certificate.pk}" in run("K2")
    CertificateFactory(
        staff=staff,
        issued_on=timezone.localdate(),
        expires_on=timezone.localdate() + datetime.timedelta(days=1095),
    )
    assert run("K2") == {}
    assert closed("K2", f"certificate:{certificate.pk}")


def test_k2_agency_qualification_expiring_and_renewed(world, package, agency):
    qualification = QualificationApplication.objects.get(agency=agency)
    qualification.valid_until = timezone.localdate() + datetime.timedelta(days=30)
    qualification.save()
    key = f"agency:{agency.pk}:qualification"
    finding = run("K2")[key]
    assert "承接资格" in finding.message and finding.severity == "info"
    assert finding.organisation_id == world.agency.pk and finding.package_id == package.pk
    qualification.valid_until = timezone.localdate() - datetime.timedelta(days=1)
    qualification.save()
    assert run("K2")[key].severity == "critical"
    qualification.valid_until = timezone.localdate() + datetime.timedelta(days=700)
    qualification.save()
    assert run("K2") == {}
    assert closed("K2", key)


def test_k2_horizon_is_a_setting(settings, package, agency):
    staff, certificate = _staff_with_certificate(agency, 50)
    field(package, [staff])
    assert f"certificate:{certificate.pk}" in run("K2")
    settings.COMPLIANCE_EXPIRY_HORIZON_DAYS = 30
    assert run("K2") == {}
