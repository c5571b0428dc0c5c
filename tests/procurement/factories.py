"""Factories for procurement rows. `qualified_agency()` and `team()` build what a valid bid or package needs."""

import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from catalog.models import CatalogueEdition
from directory.models import Organisation
from directory.validators import resident_id_check_char
from procurement.models import (
    Agency,
    Bid,
    Certificate,
    Expert,
    QualificationApplication,
    Round,
    ServicePackage,
    StaffMember,
    Tender,
)
from tests.factories import OrganisationFactory, TownFactory, UserFactory


def resident_id(n: int) -> str:
    first17 = f"320508{1980 + n % 30}{(n % 12) + 1:02d}{(n % 28) + 1:02d}{n % 1000:03d}"
    return first17 + resident_id_check_char(first17)


class RoundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Round
        django_get_or_create = ["code"]

    code = "2018-new-round"
    name_zh = "2018年新一轮"
    name_en = "2018 new round"
    year = 2018
    edition = factory.LazyFunction(lambda: CatalogueEdition.objects.get(code="2018-new-round"))
    min_full_time_staff = 9
    min_certified_share = Decimal("50")
    is_current = True


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    organisation = factory.SubFactory(OrganisationFactory, kind=Organisation.Kind.AGENCY)
    registration_authority = "苏州市姑苏区民政局"
    registration_authority_level = Agency.AuthorityLevel.COUNTY
    registration_number = factory.Sequence(lambda n: f"苏民证字第{n:06d}号")
    registered_on = datetime.date(2015, 3, 1)
    registration_valid_until = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=900))


class QualificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = QualificationApplication

    agency = factory.SubFactory(AgencyFactory)
    status = QualificationApplication.Status.APPROVED
    registration_certificate = factory.django.FileField(filename="registration.pdf", data=b"%PDF-1.4 test")
    audit_report = factory.django.FileField(filename="audit.pdf", data=b"%PDF-1.4 test")
    submitted_by = factory.SubFactory(UserFactory)
    decided_at = factory.LazyFunction(timezone.now)
    reason = "材料齐全，符合承接条件。"
    valid_from = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=30))
    valid_until = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=700))


class StaffFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StaffMember

    agency = factory.SubFactory(AgencyFactory)
    name = factory.Sequence(lambda n: f"社工{n}")
    resident_id = factory.Sequence(resident_id)
    is_full_time = True
    employed_from = datetime.date(2019, 1, 1)


class CertificateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Certificate

    staff = factory.SubFactory(StaffFactory)
    level = Certificate.Level.ASSISTANT
    number = factory.Sequence(lambda n: f"ZS{n:08d}")
    issued_on = datetime.date(2019, 6, 1)
    expires_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=1000))


def qualified_agency(organisation=None) -> Agency:
    """An agency that passes Q1 today."""
    agency = AgencyFactory(organisation=organisation) if organisation else AgencyFactory()
    QualificationFactory(agency=agency)
    return agency


def team(agency: Agency, full_time: int = 9, certified: int = 5, part_time: int = 0) -> list[StaffMember]:
    """Staff for the agency: `full_time` full-timers of whom `certified` hold a valid certificate."""
    members = []
    for i in range(full_time):
        s = StaffFactory(agency=agency)
        if i < certified:
            CertificateFactory(staff=s)
        members.append(s)
    members += [StaffFactory(agency=agency, is_full_time=False) for _ in range(part_time)]
    return members


class TenderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tender

    round = factory.SubFactory(RoundFactory)
    town = factory.SubFactory(TownFactory)
    edition = factory.LazyAttribute(lambda o: o.round.edition)
    title = factory.LazyAttribute(lambda o: f"{o.town.name}社会工作服务项目")
    annual_ceiling = Decimal("1000000.00")
    period_years = 2
    service_starts_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=60))
    min_full_time_staff = factory.LazyAttribute(lambda o: o.round.min_full_time_staff)
    min_certified_share = factory.LazyAttribute(lambda o: o.round.min_certified_share)
    weight_price = 20
    weight_proposal = 40
    weight_team = 25
    weight_past = 15
    expert_count = 3
    bid_deadline = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=20))
    status = Tender.Status.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)
    created_by = factory.SubFactory(UserFactory)


class BidFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Bid
        skip_postgeneration_save = True

    tender = factory.SubFactory(TenderFactory)
    agency = factory.SubFactory(AgencyFactory)
    price = Decimal("950000.00")
    proposal = "以需求为导向，覆盖全部社区的综合服务方案。"
    submitted_by = factory.SubFactory(UserFactory)
    submitted_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def team(self, create, extracted, **kwargs):
        if create and extracted:
            self.team.set(extracted)


class ExpertFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Expert

    user = factory.SubFactory(UserFactory)
    category = Expert.Category.PUBLIC_WELFARE
    title = "副教授"


class PackageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServicePackage

    town = factory.SubFactory(TownFactory)
    agency = factory.SubFactory(AgencyFactory)
    round = factory.SubFactory(RoundFactory)
    edition = factory.LazyAttribute(lambda o: o.round.edition)
    title = factory.LazyAttribute(lambda o: f"{o.town.name}社工服务项目包")
    starts_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=100))
    ends_on = factory.LazyAttribute(lambda o: o.starts_on + datetime.timedelta(days=730))
    annual_amount = Decimal("980000.00")
    annual_ceiling = Decimal("1000000.00")
    staff_cost_share = Decimal("60")
    created_by = factory.SubFactory(UserFactory)
