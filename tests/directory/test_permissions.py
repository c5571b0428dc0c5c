"""The permission layer: scopes, selectors and predicates (plain bools) for every persona and outsider."""

import pytest

from directory import permissions
from directory.models import Role
from directory.selectors import community_list, organisation_list, town_list


@pytest.mark.django_db
def test_predicates_return_plain_bools(world, personas, outsiders):
    predicates = [
        lambda u: permissions.can_view_town(u, world.town_a1),
        lambda u: permissions.can_view_community(u, world.communities_a1[0]),
        lambda u: permissions.can_view_organisation(u, world.agency),
        permissions.is_bureau_admin,
        permissions.can_use_admin,
        permissions.can_see_full_resident_id,
        permissions.can_manage_directory,
    ]
    for user in [*personas.values(), *outsiders.values()]:
        for predicate in predicates:
            assert type(predicate(user)) is bool


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "towns"),
    [
        (Role.BUREAU_ADMIN, {"双塔街道", "平江街道", "松陵街道"}),
        (Role.AUDITOR, {"双塔街道", "平江街道", "松陵街道"}),
        (Role.DISTRICT_OFFICER, {"双塔街道", "平江街道"}),
        (Role.TOWN_OFFICER, {"双塔街道"}),
        (Role.COMMUNITY_OFFICER, {"双塔街道"}),
        (Role.AGENCY_MANAGER, set()),
        (Role.AGENCY_WORKER, set()),
        (Role.EVALUATOR, set()),
        (Role.EXPERT, set()),
    ],
)
def test_town_list_is_scoped_by_role(world, personas, role, towns):
    assert set(town_list(user=personas[role]).values_list("name", flat=True)) == towns


@pytest.mark.django_db
def test_outsiders_see_their_own_side_only(world, outsiders):
    assert set(town_list(user=outsiders[Role.TOWN_OFFICER]).values_list("name", flat=True)) == {"松陵街道"}
    assert set(town_list(user=outsiders[Role.DISTRICT_OFFICER]).values_list("name", flat=True)) == {"松陵街道"}
    assert list(community_list(user=outsiders[Role.COMMUNITY_OFFICER])) == [world.community_b1]
    assert not permissions.can_view_town(outsiders[Role.TOWN_OFFICER], world.town_a1)
    assert not permissions.can_view_community(outsiders[Role.COMMUNITY_OFFICER], world.communities_a1[0])


@pytest.mark.django_db
def test_community_officer_sees_only_its_community(world, personas):
    officer = personas[Role.COMMUNITY_OFFICER]
    assert list(community_list(user=officer)) == [world.communities_a1[0]]
    assert not permissions.can_view_community(officer, world.communities_a1[1])
    assert permissions.can_view_town(officer, world.town_a1)


@pytest.mark.django_db
def test_town_officer_sees_all_communities_of_its_town(world, personas):
    assert set(community_list(user=personas[Role.TOWN_OFFICER])) == set(world.communities_a1)


@pytest.mark.django_db
def test_agency_sees_its_own_organisation_not_another(world, personas, outsiders):
    manager = personas[Role.AGENCY_MANAGER]
    assert list(organisation_list(user=manager)) == [world.agency]
    assert permissions.can_view_organisation(manager, world.agency)
    assert not permissions.can_view_organisation(manager, world.other_agency)
    assert not permissions.can_view_organisation(outsiders[Role.AGENCY_MANAGER], world.agency)


@pytest.mark.django_db
def test_town_officer_sees_its_committees(world, personas):
    visible = set(organisation_list(user=personas[Role.TOWN_OFFICER]))
    assert {world.town_office_a1, world.committee_a1} <= visible
    assert world.committee_b1 not in visible and world.agency not in visible


@pytest.mark.django_db
def test_inactive_membership_grants_nothing(world, personas):
    from directory.models import User

    officer = personas[Role.TOWN_OFFICER]
    officer.memberships.update(is_active=False)
    fresh = User.objects.get(pk=officer.pk)
    assert list(town_list(user=fresh)) == []
    assert not permissions.can_view_town(fresh, world.town_a1)


@pytest.mark.django_db
def test_scope_is_computed_once_per_user_object(personas, django_assert_num_queries):
    from directory.models import User

    user = User.objects.get(pk=personas[Role.TOWN_OFFICER].pk)
    with django_assert_num_queries(1):
        permissions.scope_for(user)
        permissions.scope_for(user)
        permissions.is_bureau_admin(user)


def test_anonymous_has_no_scope():
    from django.contrib.auth.models import AnonymousUser

    assert permissions.scope_for(AnonymousUser()) is permissions.NO_SCOPE
    assert permissions.is_bureau_admin(AnonymousUser()) is False
