"""会签: the role table's district officer "co-signs packages of its towns" — once, on an active package,
with who, when and an optional comment; nobody else can, and the district's home page lists what waits."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from directory.models import Role
from procurement.models import ServicePackage
from procurement.services.packages import package_cosign
from tests.factories import TownFactory
from tests.procurement.factories import PackageFactory

pytestmark = pytest.mark.django_db


def cosign_url(package):
    return reverse("procurement:package-cosign", args=[package.pk])


def test_district_officer_cosigns_a_package_of_its_town_once(client, personas, package):
    officer = personas[Role.DISTRICT_OFFICER]
    client.force_login(officer)
    body = client.get(package.get_absolute_url()).content.decode()
    assert 'data-testid="cosign-form"' in body and "待会签" in body

    response = client.post(cosign_url(package), {"comment": "同意"}, follow=True)
    package.refresh_from_db()
    assert package.cosigned_by == officer and package.cosigned_at is not None and package.cosign_comment == "同意"
    body = response.content.decode()
    assert "已会签" in body and 'data-testid="cosign-form"' not in body and "同意" in body
    assert package.history.first().cosigned_by_id == officer.pk  # the history keeps who co-signed

    first_at = package.cosigned_at
    again = client.post(cosign_url(package), {"comment": "再签"}, follow=True)
    assert "不能重复会签" in again.content.decode()
    package.refresh_from_db()
    assert package.cosigned_at == first_at and package.cosign_comment == "同意"


@pytest.mark.parametrize(
    "role", [Role.BUREAU_ADMIN, Role.TOWN_OFFICER, Role.COMMUNITY_OFFICER, Role.AGENCY_MANAGER, Role.AUDITOR]
)
def test_others_who_read_the_package_may_not_cosign_it(client, personas, package, role):
    client.force_login(personas[role])
    assert 'data-testid="cosign-form"' not in client.get(package.get_absolute_url()).content.decode()
    assert client.post(cosign_url(package), {"comment": "x"}).status_code == 403
    package.refresh_from_db()
    assert package.cosigned_at is None and package.cosigned_by is None


def test_another_districts_officer_gets_nothing(client, outsiders, package):
    client.force_login(outsiders[Role.DISTRICT_OFFICER])
    assert client.get(package.get_absolute_url()).status_code == 404
    assert client.post(cosign_url(package)).status_code == 404
    with pytest.raises(PermissionDenied):
        package_cosign(actor=outsiders[Role.DISTRICT_OFFICER], package=package)
    package.refresh_from_db()
    assert package.cosigned_at is None


def test_anonymous_is_sent_to_login_and_get_is_not_allowed(client, personas, package):
    assert client.post(cosign_url(package)).status_code == 302
    client.force_login(personas[Role.DISTRICT_OFFICER])
    assert client.get(cosign_url(package)).status_code == 405
    package.refresh_from_db()
    assert package.cosigned_at is None


def test_an_ended_package_is_not_cosigned(personas, package):
    ServicePackage.objects.filter(pk=package.pk).update(status=ServicePackage.Status.ENDED)
    package.refresh_from_db()
    with pytest.raises(ValidationError, match="执行中"):
        package_cosign(actor=personas[Role.DISTRICT_OFFICER], package=package)


def test_an_overlong_comment_is_a_field_error_and_nothing_changes(personas, package):
    with pytest.raises(ValidationError) as exc:
        package_cosign(actor=personas[Role.DISTRICT_OFFICER], package=package, comment="长" * 2001)
    assert "comment" in exc.value.message_dict
    package.refresh_from_db()
    assert package.cosigned_at is None


def test_district_home_lists_packages_waiting_for_cosignature(client, personas, outsiders, package, world):
    client.force_login(personas[Role.DISTRICT_OFFICER])
    home = client.get(reverse("directory:home")).content.decode()
    assert "待区民政局会签的服务项目包" in home and package.title in home

    client.force_login(outsiders[Role.DISTRICT_OFFICER])
    away = client.get(reverse("directory:home")).content.decode()
    assert "待区民政局会签的服务项目包" in away and package.title not in away

    package_cosign(actor=personas[Role.DISTRICT_OFFICER], package=package)
    client.force_login(personas[Role.DISTRICT_OFFICER])
    home = client.get(reverse("directory:home")).content.decode()
    # The section, now empty, collapses into the one line of sections with nothing to do.
    assert package.title not in home
    assert "待区民政局会签的服务项目包" in home.split('data-testid="empty-sections"', 1)[1]


def test_district_home_uses_constant_queries(
    client, personas, world, agency, round_2018, django_assert_max_num_queries
):
    officer = personas[Role.DISTRICT_OFFICER]
    client.force_login(officer)
    packages = [PackageFactory(town=world.town_a1, agency=agency, round=round_2018)]
    url = reverse("directory:home")
    with django_assert_max_num_queries(30) as few:
        client.get(url)
    # One active package per town (P1): five more towns of the district.
    packages += [
        PackageFactory(town=TownFactory(district=world.district_a), agency=agency, round=round_2018) for _ in range(5)
    ]
    with django_assert_max_num_queries(len(few.captured_queries)):
        body = client.get(url).content.decode()
    assert all(p.get_absolute_url() in body for p in packages)
