"""Home pages, login, language switch, admin access: who gets what."""

import pytest
from django.urls import reverse

from directory.models import Role

ALL_ROLES = list(Role.values)


@pytest.mark.django_db
def test_login_page_is_chinese_by_default(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    body = response.content.decode()
    assert '<html lang="zh-hans">' in body
    assert "登录" in body


@pytest.mark.django_db
def test_anonymous_is_sent_to_login_from_home_and_catalogue(client):
    for url in (reverse("directory:home"), reverse("catalog:item-list")):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
def test_login_with_wrong_password_shows_a_message(client, personas):
    response = client.post(reverse("login"), {"username": "p_town_officer", "password": "wrong"})
    assert response.status_code == 200
    assert "请输入一个正确的" in response.content.decode()


@pytest.mark.django_db
def test_login_then_home(client, personas):
    response = client.post(reverse("login"), {"username": "p_town_officer", "password": "pw-for-tests"}, follow=True)
    assert response.status_code == 200
    assert "街镇干部" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("role", ALL_ROLES)
def test_home_page_for_each_role_shows_its_role_and_attention_list(client, personas, role):
    client.force_login(personas[role])
    response = client.get(reverse("directory:home"))
    assert response.status_code == 200
    body = response.content.decode()
    assert f'data-role="{role}"' in body
    assert "需要您关注" in body


@pytest.mark.django_db
def test_bureau_home_lists_users_without_a_role(client, bureau_admin, no_role_user):
    client.force_login(bureau_admin)
    body = client.get(reverse("directory:home")).content.decode()
    assert "尚未分配角色的用户" in body
    assert str(no_role_user) in body


@pytest.mark.django_db
@pytest.mark.parametrize("role", [r for r in ALL_ROLES if r != Role.BUREAU_ADMIN])
def test_only_the_bureau_sees_users_without_a_role(client, personas, no_role_user, role):
    client.force_login(personas[role])
    body = client.get(reverse("directory:home")).content.decode()
    assert "尚未分配角色的用户" not in body
    assert str(no_role_user) not in body


@pytest.mark.django_db
def test_district_home_lists_only_its_own_towns(client, world, personas, outsiders):
    client.force_login(personas[Role.DISTRICT_OFFICER])
    body = client.get(reverse("directory:home")).content.decode()
    assert world.town_a1.name in body and world.town_a2.name in body
    assert world.town_b1.name not in body
    client.force_login(outsiders[Role.DISTRICT_OFFICER])
    body = client.get(reverse("directory:home")).content.decode()
    assert world.town_b1.name in body
    assert world.town_a1.name not in body


@pytest.mark.django_db
def test_town_home_shows_its_town_not_another(client, world, personas):
    client.force_login(personas[Role.TOWN_OFFICER])
    body = client.get(reverse("directory:home")).content.decode()
    assert world.town_a1.name in body
    assert world.town_b1.name not in body and world.town_a2.name not in body


@pytest.mark.django_db
def test_user_without_role_is_told_to_ask_the_bureau(client, no_role_user):
    client.force_login(no_role_user)
    body = client.get(reverse("directory:home")).content.decode()
    assert "尚未被分配任何角色" in body


@pytest.mark.django_db
def test_language_switch_to_english_and_back(client, personas):
    client.force_login(personas[Role.AGENCY_MANAGER])
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("directory:home")}, follow=True)
    body = response.content.decode()
    assert '<html lang="en">' in body
    assert "Needs your attention" in body
    response = client.post(
        reverse("set_language"), {"language": "zh-hans", "next": reverse("directory:home")}, follow=True
    )
    assert "需要您关注" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("role", [r for r in ALL_ROLES if r != Role.BUREAU_ADMIN])
def test_admin_is_refused_to_everyone_but_the_bureau(client, personas, role):
    user = personas[role]
    user.is_staff = True  # even a staff flag set by mistake does not open the admin
    user.save()
    client.force_login(user)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


@pytest.mark.django_db
def test_admin_open_to_bureau_with_chinese_names(client, bureau_admin):
    client.force_login(bureau_admin)
    body = client.get("/admin/").content.decode()
    assert "服务目录版本" in body and "社区（村）" in body and "成员身份" in body


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/admin/directory/organisation/?q=乐仁",
        "/admin/directory/membership/?role=town_officer",
        "/admin/directory/community/?kind=village",
        "/admin/directory/user/",
        "/admin/catalog/serviceitem/?q=兴趣",
        "/admin/catalog/catalogueedition/",
    ],
)
def test_admin_lists_search_and_filter(client, bureau_admin, edition_2018, path):
    client.force_login(bureau_admin)
    assert client.get(path).status_code == 200


@pytest.mark.django_db
def test_history_records_who_changed_what(client, bureau_admin, world):
    client.force_login(bureau_admin)
    org = world.agency
    response = client.post(
        f"/admin/directory/organisation/{org.pk}/change/",
        {
            "kind": org.kind,
            "name": "乐仁社工服务社（更名）",
            "name_en": "",
            "uscc": org.uscc,
            "address": "",
            "contact_name": "",
            "contact_phone": "",
            "is_active": "on",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    latest = org.history.latest()
    assert latest.name == "乐仁社工服务社（更名）"
    assert latest.history_user == bureau_admin
    delta = latest.diff_against(latest.prev_record)
    assert [c.field for c in delta.changes] == ["name"]


@pytest.mark.django_db
def test_chinese_even_for_an_english_browser_until_the_switch_is_used(client):
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="zh-hans">' in response.content.decode()
    client.cookies["django_language"] = "en"
    response = client.get(reverse("login"))
    assert '<html lang="en">' in response.content.decode()
    client.cookies["django_language"] = "klingon"
    assert '<html lang="zh-hans">' in client.get(reverse("login")).content.decode()


def test_bureau_home_counts_organisations_without_members_and_links_to_them(client, personas, world):
    from directory.models import Organisation
    from tests.factories import OrganisationFactory

    for n in range(25):
        OrganisationFactory(kind=Organisation.Kind.FOUNDATION, name=f"空村委会{n}")
    client.force_login(personas["bureau_admin"])
    body = client.get(reverse("directory:home")).content.decode()
    assert "空村委会0" not in body  # no list of names on the first screen
    without = Organisation.objects.filter(is_active=True, memberships__isnull=True).count()
    assert f"{without} 个组织尚无成员" in body
    listing = client.get(reverse("admin:directory_organisation_changelist"), {"members": "none"})
    assert listing.status_code == 200 and "空村委会0" in listing.content.decode()
    assert "乐仁社工服务社" not in listing.content.decode()  # the personas' agency has members
