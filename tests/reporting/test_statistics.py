"""City statistics, public (role table: anyone sees "city statistics"): figures of the kind the city reports,
by their stated definitions, from aggregates only, at a constant number of queries."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from delivery.models import FocusIssue
from directory.models import Community
from procurement.models import QualificationApplication, ServicePackage, StaffAssignment
from reporting.statistics import city_statistics
from tests.factories import CommunityFactory, UserFactory
from tests.procurement.factories import (
    AgencyFactory,
    CertificateFactory,
    PackageFactory,
    QualificationFactory,
    StaffFactory,
)

pytestmark = pytest.mark.django_db

D = datetime.date
TODAY = D(2026, 6, 30)
Status = ServicePackage.Status


@pytest.fixture
def city(world, round_2018):
    """Agency A qualified 2025–2027 with four staff; agency B qualified only 2019–2020; agency C rejected.
    A runs town A1 (2025–2026); town A2's package is terminated; B ran town B1 in 2019–2020."""
    a = AgencyFactory(organisation=world.agency)
    b = AgencyFactory(organisation=world.other_agency)
    c = AgencyFactory()
    QualificationFactory(agency=a, valid_from=D(2025, 1, 1), valid_until=D(2027, 12, 31))
    QualificationFactory(agency=b, valid_from=D(2019, 1, 1), valid_until=D(2020, 12, 31))
    QualificationFactory(
        agency=c, status=QualificationApplication.Status.REJECTED, valid_from=None, valid_until=None, reason="材料不全"
    )
    s1, s2, s3 = (StaffFactory(agency=a, employed_from=D(2019, 1, 1)) for _ in range(3))
    StaffFactory(agency=a, employed_from=D(2019, 1, 1), employed_until=D(2025, 3, 1))  # s4: left in March 2025
    for s in (s1, s2):
        CertificateFactory(staff=s, issued_on=D(2019, 6, 1), expires_on=D(2030, 6, 1))
    CertificateFactory(staff=s3, issued_on=D(2019, 6, 1), expires_on=D(2024, 12, 31))

    CommunityFactory(town=world.town_a1, kind=Community.Kind.VILLAGE)
    running = PackageFactory(
        town=world.town_a1, agency=a, round=round_2018, starts_on=D(2025, 1, 1), ends_on=D(2026, 12, 31)
    )
    PackageFactory(
        town=world.town_a2,
        agency=a,
        round=round_2018,
        starts_on=D(2025, 1, 1),
        ends_on=D(2026, 12, 31),
        status=Status.TERMINATED,
    )
    PackageFactory(
        town=world.town_b1,
        agency=b,
        round=round_2018,
        starts_on=D(2019, 1, 1),
        ends_on=D(2020, 12, 31),
        status=Status.ENDED,
        annual_amount=Decimal("500000.00"),
    )
    for s in (s1, s2):
        StaffAssignment.objects.create(package=running, staff=s, is_full_time=True, starts_on=D(2025, 1, 1))
    StaffAssignment.objects.create(
        package=running, staff=s3, is_full_time=True, starts_on=D(2025, 1, 1), ends_on=D(2025, 6, 30)
    )

    reporter = UserFactory()
    for on in (D(2025, 5, 1), D(2026, 3, 1), None):
        FocusIssue.objects.create(
            community=world.communities_a1[0],
            package=running,
            kind=FocusIssue.Kind.SANITATION,
            title="楼道堆物",
            description="—",
            status=FocusIssue.Status.RESOLVED if on else FocusIssue.Status.IN_PROGRESS,
            resolution="已清理" if on else "",
            resolved_on=on,
            reported_by=reporter,
        )
    return {"a": a, "b": b, "c": c, "running": running}


def test_city_statistics_headline_figures_follow_the_stated_definitions(city, world):
    stats = city_statistics(today=TODAY)
    assert stats.agencies == 1  # A only: B's qualification lapsed, C was rejected
    assert (stats.social_workers, stats.certified) == (3, 2)  # s4 left; s3's certificate expired
    assert stats.certified_share == Decimal("66.7")
    assert stats.stationed == 2  # s3's assignment ended
    assert (stats.packages, stats.agencies_running) == (1, 1)  # the terminated and the ended ones do not count
    assert (stats.towns, stats.towns_covered) == (3, 1)
    assert (stats.communities_covered, stats.villages_covered) == (4, 1)  # all of town A1's
    assert stats.annual_amount == Decimal("980000.00")
    assert stats.focus_resolved == 2


def test_city_statistics_by_year_takes_each_31_december(city):
    years = {y.year: y for y in city_statistics(today=TODAY).years}
    assert min(years) == 2016 and max(years) == 2026
    assert (years[2018].social_workers, years[2018].agencies, years[2018].packages) == (0, 0, 0)
    assert (years[2019].agencies, years[2019].social_workers, years[2019].certified, years[2019].packages) == (
        1,
        4,
        3,
        1,
    )
    assert (years[2024].agencies, years[2024].certified, years[2024].packages) == (0, 3, 0)
    assert (years[2025].agencies, years[2025].social_workers, years[2025].certified) == (1, 3, 2)
    assert (years[2025].focus_resolved, years[2026].focus_resolved) == (1, 1)


def test_city_statistics_by_district(city, world):
    rows = {r.district.pk: r for r in city_statistics(today=TODAY).districts}
    a, b = rows[world.district_a.pk], rows[world.district_b.pk]
    assert (a.towns, a.towns_covered, a.communities_covered, a.villages_covered, a.packages) == (2, 1, 4, 1, 1)
    assert a.annual_amount == Decimal("980000.00")
    assert (b.towns, b.towns_covered, b.packages, b.annual_amount) == (1, 0, 0, Decimal("0.00"))


def test_city_statistics_page_is_public_and_shows_no_person(client, city):
    response = client.get(reverse("reporting:city-statistics"))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-testid="headline"' in body and 'data-testid="years"' in body and 'data-testid="districts"' in body
    assert "姑苏区" in body and "统计口径" in body
    for staff in city["a"].staff.all():
        assert staff.name not in body and staff.resident_id not in body
    assert (
        reverse("reporting:city-statistics") in client.get(reverse("procurement:tender-public-list")).content.decode()
    )


@pytest.mark.parametrize("url_name", ["reporting:city-statistics", "api-v1:city-statistics"])
def test_city_statistics_page_and_api_use_constant_queries(
    client, city, world, round_2018, url_name, django_assert_max_num_queries
):
    url = reverse(url_name)
    with django_assert_max_num_queries(20) as few:
        client.get(url)
    for _ in range(3):
        agency = AgencyFactory()
        QualificationFactory(agency=agency)
        StaffFactory(agency=agency)
        PackageFactory(agency=agency, round=round_2018)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200


def test_city_statistics_in_english(client, city):
    client.cookies["django_language"] = "en"
    body = client.get(reverse("reporting:city-statistics")).content.decode()
    assert "City statistics" in body


def test_city_statistics_count_a_person_once_and_only_while_employed(city, world, round_2018):
    a = city["a"]
    # The same person on a second agency's roster: one social worker, not two.
    shared = a.staff.filter(certificates__expires_on__gte=TODAY).first()
    other = AgencyFactory()
    QualificationFactory(agency=other, valid_from=D(2025, 1, 1), valid_until=D(2027, 12, 31))
    StaffFactory(agency=other, name=shared.name, resident_id=shared.resident_id, employed_from=D(2020, 1, 1))
    # Someone who left but whose assignment was never ended is not stationed.
    gone = StaffFactory(agency=a, employed_from=D(2019, 1, 1), employed_until=D(2026, 1, 31))
    StaffAssignment.objects.create(package=city["running"], staff=gone, is_full_time=True, starts_on=D(2025, 1, 1))
    stats = city_statistics(today=TODAY)
    assert (stats.social_workers, stats.certified, stats.stationed) == (3, 2, 2)


def test_city_statistics_qualified_agencies_agree_with_q1(city, world):
    from procurement.models import Agency
    from procurement.rules import qualification_check

    lapsed = AgencyFactory(registration_valid_until=D(2026, 1, 1))  # qualification fine, registration expired
    QualificationFactory(agency=lapsed, valid_from=D(2025, 1, 1), valid_until=D(2027, 12, 31))
    town_level = AgencyFactory(registration_authority_level=Agency.AuthorityLevel.TOWN)
    QualificationFactory(agency=town_level, valid_from=D(2025, 1, 1), valid_until=D(2027, 12, 31))
    expected = sum(qualification_check(agency, on=TODAY).ok for agency in Agency.objects.all())
    assert expected == 1
    assert city_statistics(today=TODAY).agencies == expected


def test_city_statistics_headline_focus_issues_add_up_to_the_years(city, world):
    FocusIssue.objects.create(
        community=world.communities_a1[0],
        package=city["running"],
        kind=FocusIssue.Kind.OTHER,
        title="旧问题",
        description="—",
        status=FocusIssue.Status.RESOLVED,
        resolution="已解决",
        resolved_on=D(2015, 5, 1),
        reported_by=UserFactory(),
    )
    stats = city_statistics(today=TODAY)
    assert stats.focus_resolved == sum(y.focus_resolved for y in stats.years) == 2


def test_city_statistics_api_is_open_data_with_the_page_figures(client, city, world):
    url = reverse("api-v1:city-statistics")
    response = client.get(url)
    assert response.status_code == 200 and response["Access-Control-Allow-Origin"] == "*"
    data = response.json()
    stats = city_statistics()
    assert data["on"] == stats.on.isoformat()
    assert (data["agencies"], data["social_workers"], data["packages"]) == (
        stats.agencies,
        stats.social_workers,
        stats.packages,
    )
    assert data["annual_amount"] == f"{stats.annual_amount:.2f}"
    assert [y["year"] for y in data["years"]] == list(range(2016, stats.on.year + 1))
    row = next(d for d in data["districts"] if d["code"] == world.district_a.code)
    assert row["name"] == "姑苏区" and row["towns"] == 2
    body = response.content.decode()
    for staff in city["a"].staff.all():
        assert staff.name not in body and staff.resident_id not in body
    assert client.post(url).status_code == 405  # read-only
