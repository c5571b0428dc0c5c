"""Funds fixtures on top of the persona world: town A1's package (run by the personas' agency) and town B1's,
the city welfare-lottery fund, the city budget and district A's budget with this year's budgets, a community
fund in town A1 with a manager and a committee of three."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from catalog.models import CatalogueEdition
from directory.models import Organisation, Role
from evaluation.models import Evaluation, Grade
from evaluation.services import rubric_load_shipped
from funds import services
from funds.models import CommunityFund, FundingSource, FundMember
from tests.factories import OrganisationFactory, UserFactory
from tests.procurement.factories import AgencyFactory, PackageFactory, RoundFactory


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    root = tmp_path / "private_media"
    settings.PRIVATE_MEDIA_ROOT = root
    settings.MEDIA_ROOT = root
    return root


@pytest.fixture
def edition(db):
    edition, _created = CatalogueEdition.objects.get_or_create(
        code="2018-new-round", defaults={"name_zh": "2018年新一轮", "name_en": "2018 new round", "year": 2018}
    )
    return edition


@pytest.fixture
def package(world, edition):
    """Town A1's package: started a year and a bit ago (so year 2 runs now), 980,000.00 a year, two years."""
    agency = AgencyFactory(organisation=world.agency)
    today = timezone.localdate()
    starts = today.replace(day=1) - datetime.timedelta(days=400)
    starts = starts.replace(day=1)
    return PackageFactory(
        town=world.town_a1,
        agency=agency,
        round=RoundFactory(edition=edition),
        starts_on=starts,
        ends_on=starts.replace(year=starts.year + 2) - datetime.timedelta(days=1),
    )


@pytest.fixture
def other_package(world, edition):
    agency = AgencyFactory(organisation=world.other_agency)
    return PackageFactory(town=world.town_b1, agency=agency, round=RoundFactory(edition=edition))


@pytest.fixture
def sources(world, bureau):
    lottery = services.source_ensure(kind=FundingSource.Kind.WELFARE_LOTTERY)
    city = services.source_ensure(kind=FundingSource.Kind.CITY_BUDGET)
    district = services.source_ensure(kind=FundingSource.Kind.DISTRICT_BUDGET, district=world.district_a)
    return {"lottery": lottery, "city": city, "district": district}


def budget_all(bureau, sources, year, amount="2000000.00"):
    for source in sources.values():
        services.budget_set(actor=bureau, source=source, year=year, amount=Decimal(amount))


@pytest.fixture
def budgets(bureau, sources, package):
    years = {package.starts_on.year, package.starts_on.year + 1, timezone.localdate().year}
    for year in years:
        budget_all(bureau, sources, year)
    return sources


def split_evenly(bureau, package, sources, plan_year):
    half = package.annual_amount / 2
    return services.package_year_split_set(
        actor=bureau, package=package, plan_year=plan_year, parts={sources["lottery"]: half, sources["district"]: half}
    )


def finalised_evaluation(package, stage, grade=Grade.GOOD, score="85.00", world=None, bureau=None) -> Evaluation:
    """An evaluation stored as the bureau leaves it when finalising (A5), without the scoring walk."""
    firm = Organisation.objects.filter(kind=Organisation.Kind.EVALUATION_FIRM).first()
    actor = bureau or UserFactory()
    return Evaluation.objects.create(
        package=package,
        stage=stage,
        firm=firm,
        rubric=rubric_load_shipped(),
        due_on=timezone.localdate(),
        status=Evaluation.Status.FINALISED,
        assigned_by=actor,
        package_score=Decimal(score),
        final_score=Decimal(score),
        grade=grade,
        finalised_by=actor,
        finalised_at=timezone.now(),
    )


@pytest.fixture
def foundation(world):
    return world.foundation


@pytest.fixture
def fund_manager(personas):
    """The fund_manager persona: staff of the host foundation (and named the fund's manager below)."""
    return personas[Role.FUND_MANAGER]


@pytest.fixture
def fund(world, foundation, fund_manager):
    fund = CommunityFund.objects.create(
        kind=CommunityFund.Kind.COMMUNITY_FUND,
        name="双塔街道社区公益基金",
        host=foundation,
        town=world.town_a1,
    )
    FundMember.objects.create(fund=fund, user=fund_manager, role=FundMember.Role.MANAGER)
    return fund


@pytest.fixture
def committee(fund):
    members = []
    for i in range(3):
        user = UserFactory(username=f"committee_{i}", full_name=f"委员{i}")
        FundMember.objects.create(fund=fund, user=user, role=FundMember.Role.COMMITTEE)
        members.append(user)
    return members


@pytest.fixture
def other_fund(world):
    host = OrganisationFactory(
        kind=Organisation.Kind.FOUNDATION, name="吴江区社区发展基金会", district=world.district_b
    )
    return CommunityFund.objects.create(
        kind=CommunityFund.Kind.FOUNDATION, name="松陵社区发展基金会", host=host, town=world.town_b1
    )
