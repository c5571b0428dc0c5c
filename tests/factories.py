import factory

from directory.demo import demo_uscc
from directory.models import City, Community, District, Membership, Organisation, Town, User


class CityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = City
        django_get_or_create = ["code"]

    code = "320500"
    name = "苏州市"
    name_en = "Suzhou"


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = District

    city = factory.SubFactory(CityFactory)
    code = factory.Sequence(lambda n: f"3205{n + 40:02d}")
    name = factory.Sequence(lambda n: f"测试区{n}")
    kind = District.Kind.DISTRICT


class TownFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Town

    district = factory.SubFactory(DistrictFactory)
    code = factory.Sequence(lambda n: f"T{n:08d}")
    name = factory.Sequence(lambda n: f"测试街道{n}")
    kind = Town.Kind.STREET


class CommunityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Community

    town = factory.SubFactory(TownFactory)
    code = factory.Sequence(lambda n: f"C{n:011d}")
    name = factory.Sequence(lambda n: f"测试社区{n}")
    kind = Community.Kind.URBAN


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    kind = Organisation.Kind.AGENCY
    name = factory.Sequence(lambda n: f"测试组织{n}")
    uscc = factory.Sequence(lambda n: demo_uscc(5000 + n))


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"用户{n}")
    password = factory.PostGenerationMethodCall("set_password", "pw-for-tests")

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = "agency_manager"
