"""K1: every running package fields enough full-time staff (Q2), enough of them certified (Q3), nobody
full-time on two packages (Q4) — the package page's staffing_check, city-wide."""

import pytest

from tests.procurement.factories import PackageFactory, StaffFactory, team

from .conftest import closed, field, run

pytestmark = pytest.mark.django_db


def test_k1_understaffed_package_gets_a_finding_a_staffed_one_none(world, package, agency, other_agency, round_2018):
    field(package, team(agency, full_time=4, certified=2))
    staffed = PackageFactory(town=world.town_b1, agency=other_agency, round=round_2018)
    field(staffed, team(other_agency, full_time=9, certified=5))
    findings = run("K1")
    assert set(findings) == {f"package:{package.pk}"}
    finding = findings[f"package:{package.pk}"]
    assert "Q2" in finding.message and "4" in finding.message
    assert finding.organisation_id == world.agency.pk
    assert (finding.package_id, finding.town_id, finding.district_id) == (
        package.pk,
        world.town_a1.pk,
        world.district_a.pk,
    )
    assert finding.url == f"/procurement/packages/{package.pk}/"
    assert finding.details["rules"] == ["Q2", "Q3"] or finding.details["rules"] == ["Q2"]
    assert finding.severity == "critical"


def test_k1_too_few_certified_is_q3(package, agency):
    field(package, team(agency, full_time=9, certified=3))
    finding = run("K1")[f"package:{package.pk}"]
    assert finding.details["rules"] == ["Q3"]
    assert finding.severity == "warning"


def test_k1_staff_full_time_on_two_packages_is_q4_on_both(world, package, agency, round_2018):
    members = team(agency, full_time=9, certified=5)
    field(package, members)
    second = PackageFactory(town=world.town_b1, agency=agency, round=round_2018)
    field(second, [*team(agency, full_time=8, certified=5), members[0]])
    findings = run("K1")
    assert set(findings) == {f"package:{package.pk}", f"package:{second.pk}"}
    assert findings[f"package:{package.pk}"].details["double_booked_staff"] == [members[0].pk]
    assert "Q4" in findings[f"package:{second.pk}"].message


def test_k1_cleared_staffing_is_closed_by_the_next_sweep(package, agency):
    field(package, team(agency, full_time=7, certified=5))
    assert f"package:{package.pk}" in run("K1")
    field(package, [StaffFactory(agency=agency), StaffFactory(agency=agency)])
    assert run("K1") == {}
    assert closed("K1", f"package:{package.pk}")
