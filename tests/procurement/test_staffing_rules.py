"""Q2–Q5 as computed by procurement.rules.staffing_check, the one function every caller uses."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from procurement.models import StaffAssignment
from procurement.rules import Thresholds, staff_with_certificates, staffing_check
from tests.procurement.factories import CertificateFactory, PackageFactory, RoundFactory, StaffFactory, team

TODAY = timezone.localdate
ROUND_2018 = Thresholds(min_full_time_staff=9, min_certified_share=Decimal("50"))
PILOT_2016 = Thresholds(min_full_time_staff=5, min_certified_share=Decimal("50"))


def _check(members, thresholds=ROUND_2018, on=None, **kw):
    members = list(staff_with_certificates(s.id for s in members))
    return staffing_check(members, on=on or TODAY(), thresholds=thresholds, **kw)


@pytest.mark.django_db
def test_q2_package_needs_nine_full_time_staff(agency):
    members = team(agency, full_time=9, certified=5)
    assert _check(members).ok
    result = _check(members[:8])
    assert not result.ok
    assert result.full_time == 8
    assert any("少于本轮要求的" in p and "9" in p for p in result.problems)


@pytest.mark.django_db
def test_q2_part_time_staff_do_not_count(agency):
    members = team(agency, full_time=8, certified=5, part_time=3)
    result = _check(members)
    assert result.full_time == 8 and not result.ok


@pytest.mark.django_db
def test_q2_threshold_is_data_of_the_round(agency, edition_2018):
    members = team(agency, full_time=5, certified=3)
    assert not _check(members, ROUND_2018).ok
    assert _check(members, PILOT_2016).ok
    pilot = RoundFactory(code="pilot", min_full_time_staff=5)
    assert _check(members, Thresholds.of(pilot)).ok


@pytest.mark.django_db
def test_q2_staff_who_left_do_not_count(agency):
    members = team(agency, full_time=9, certified=5)
    leaver = members[-1]
    leaver.employed_until = TODAY() - datetime.timedelta(days=1)
    leaver.save()
    result = _check(members)
    assert result.full_time == 8 and not result.ok
    assert any(leaver.name in p for p in result.problems)


@pytest.mark.django_db
def test_q3_half_of_full_time_staff_are_certified(agency):
    members = team(agency, full_time=10, certified=5)
    result = _check(members)
    assert result.ok and result.share == Decimal("50.00")
    members = team(agency, full_time=10, certified=4)
    result = _check(members)
    assert not result.ok and result.share == Decimal("40.00")
    assert any("低于本轮要求的" in p and "低于本轮要求的 50%" in p for p in result.problems)


@pytest.mark.django_db
def test_q3_any_certificate_level_counts(agency):
    members = team(agency, full_time=9, certified=0)
    for member, level in zip(members[:5], ["assistant", "intermediate", "senior", "assistant", "senior"], strict=True):
        CertificateFactory(staff=member, level=level)
    assert _check(members).certified == 5


@pytest.mark.django_db
def test_q3_share_threshold_is_configurable(agency):
    members = team(agency, full_time=10, certified=6)
    assert not _check(members, Thresholds(9, Decimal("70"))).ok
    assert _check(members, Thresholds(9, Decimal("60"))).ok


@pytest.mark.django_db
def test_q4_staff_member_is_full_time_on_one_package_at_a_time(agency, edition_2018):
    members = team(agency, full_time=9, certified=5)
    package = PackageFactory(agency=agency)
    StaffAssignment.objects.create(package=package, staff=members[0], starts_on=package.starts_on)
    result = _check(members)
    assert not result.ok
    assert result.double_booked == [members[0].id]
    assert any("已在其他项目包中担任专职" in p and package.title in p for p in result.problems)
    # checking the package itself does not count its own assignments against it
    assert _check(members, exclude_package_id=package.id).ok


@pytest.mark.django_db
def test_q4_ended_or_part_time_assignments_do_not_block(agency, edition_2018):
    members = team(agency, full_time=9, certified=5)
    old = PackageFactory(agency=agency, status="ended")
    StaffAssignment.objects.create(package=old, staff=members[0], starts_on=old.starts_on)
    current = PackageFactory(agency=agency)
    StaffAssignment.objects.create(package=current, staff=members[1], starts_on=current.starts_on, is_full_time=False)
    assert _check(members).ok


@pytest.mark.django_db
def test_q5_certificate_expiring_within_60_days_warns(agency):
    members = team(agency, full_time=9, certified=4)
    expiring = members[4]
    CertificateFactory(staff=expiring, expires_on=TODAY() + datetime.timedelta(days=30))
    result = _check(members)
    assert result.ok and result.certified == 5
    assert any(expiring.name in w for w in result.warnings)
    far = _check(members, on=TODAY() - datetime.timedelta(days=200))
    assert not any(expiring.name in w for w in far.warnings)


@pytest.mark.django_db
def test_q5_expired_certificate_no_longer_counts(agency):
    members = team(agency, full_time=9, certified=4)
    CertificateFactory(staff=members[4], expires_on=TODAY() - datetime.timedelta(days=1))
    result = _check(members)
    assert result.certified == 4 and not result.ok


@pytest.mark.django_db
def test_staffing_check_on_a_future_date_uses_that_date(agency):
    members = team(agency, full_time=9, certified=5)
    StaffFactory(agency=agency)  # not in the team: ignored
    CertificateFactory(staff=members[5], expires_on=TODAY() + datetime.timedelta(days=400))
    later = TODAY() + datetime.timedelta(days=1200)  # every certificate has expired by then
    result = _check(members, on=later)
    assert result.certified == 0 and not result.ok


@pytest.mark.django_db
def test_staffing_check_uses_constant_queries(agency, django_assert_max_num_queries):
    small = list(staff_with_certificates(s.id for s in team(agency, full_time=9, certified=5)))
    big = list(staff_with_certificates(s.id for s in team(agency, full_time=40, certified=25)))
    with django_assert_max_num_queries(1):
        staffing_check(small, on=TODAY(), thresholds=ROUND_2018)
    with django_assert_max_num_queries(1):
        staffing_check(big, on=TODAY(), thresholds=ROUND_2018)
