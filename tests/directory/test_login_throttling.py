"""Login throttling (issue 12, finding 1; django-axes): by user name and by address, a Chinese lockout page that
says when to try again, unlocking by the bureau in the admin, and every attempt kept (never the password) for
the auditor."""

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.urls import reverse

from directory.models import Role
from tests.factories import UserFactory

PASSWORD = "pw-for-tests"
LOGIN = "/accounts/login/"


def attempt(client, username, password, address="10.0.0.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


@pytest.fixture
def victim(db):
    return UserFactory(username="victim")


@pytest.mark.django_db
def test_thirty_wrong_passwords_then_the_right_one_is_refused(client, victim):
    for n in range(30):
        response = attempt(client, "victim", f"guess-{n}")
        assert response.status_code in (200, 429)
    response = attempt(client, "victim", PASSWORD)
    assert response.status_code == 429
    assert not logged_in(client)
    page = response.content.decode()
    assert "登录已被暂时锁定" in page and "之后" in page and "分钟后" in page and "再试" in page
    assert response["Retry-After"] == str(int(settings.AXES_COOLOFF_TIME.total_seconds()))


@pytest.mark.django_db
def test_the_lock_holds_from_another_address_too(client, victim):
    """By user name: spreading guesses over many addresses does not help."""
    for n in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "victim", f"guess-{n}", address=f"10.0.1.{n}")
    assert attempt(client, "victim", PASSWORD, address="10.0.2.1").status_code == 429
    assert not logged_in(client)


@pytest.mark.django_db
def test_one_address_guessing_many_user_names_is_locked_out(client, victim):
    """By address: one address spraying passwords over many user names is stopped as well."""
    for n in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, f"someone{n}", "guess", address="10.0.3.3")
    assert attempt(client, "victim", PASSWORD, address="10.0.3.3").status_code == 429
    assert not logged_in(client)


@pytest.mark.django_db
def test_other_users_are_unaffected(client, victim):
    other = UserFactory(username="colleague")
    for n in range(30):
        attempt(client, "victim", f"guess-{n}")
    response = attempt(client, other.username, PASSWORD, address="10.0.0.2")
    assert response.status_code == 302
    assert logged_in(client)


@pytest.mark.django_db
def test_a_few_failures_then_success_resets_the_count(client, victim):
    for n in range(settings.AXES_FAILURE_LIMIT - 1):
        attempt(client, "victim", f"guess-{n}")
    assert attempt(client, "victim", PASSWORD).status_code == 302
    client.logout()
    for n in range(settings.AXES_FAILURE_LIMIT - 1):
        attempt(client, "victim", f"guess-{n}")
    assert attempt(client, "victim", PASSWORD).status_code == 302


@pytest.mark.django_db
def test_the_bureau_unlocks_in_the_admin(client, victim, bureau):
    for n in range(30):
        attempt(client, "victim", f"guess-{n}")
    assert attempt(client, "victim", PASSWORD).status_code == 429
    client.force_login(bureau)
    changelist = reverse("admin:axes_accessattempt_changelist")
    assert client.get(changelist).status_code == 200
    locked = list(AccessAttempt.objects.values_list("pk", flat=True))
    assert locked
    response = client.post(changelist, {"action": "delete_selected", "_selected_action": locked, "post": "yes"})
    assert response.status_code == 302
    assert not AccessAttempt.objects.exists()
    client.logout()
    assert attempt(client, "victim", PASSWORD).status_code == 302
    assert logged_in(client)


@pytest.mark.django_db
def test_attempts_are_kept_without_the_password(client, victim):
    attempt(client, "victim", "my-secret-guess")
    attempt(client, "victim", PASSWORD)
    assert AccessFailureLog.objects.filter(username="victim", ip_address="10.0.0.1").count() == 1
    assert AccessLog.objects.filter(username="victim", ip_address="10.0.0.1").count() == 1
    stored = " ".join(
        str(row) for model in (AccessAttempt, AccessFailureLog, AccessLog) for row in model.objects.values_list()
    )
    assert "my-secret-guess" not in stored and PASSWORD not in stored


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.AUDITOR, Role.BUREAU_ADMIN])
def test_the_auditor_and_the_bureau_read_login_attempts(client, personas, victim, role, django_assert_max_num_queries):
    attempt(client, "victim", "wrong")
    attempt(client, "victim", PASSWORD)
    client.logout()
    client.force_login(personas[role])
    url = reverse("directory:login-attempt-list")
    with django_assert_max_num_queries(8):
        response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert "victim" in page and "成功" in page and "失败" in page and "10.0.0.1" in page
    assert "wrong" not in page and PASSWORD not in page
    assert "登录记录" in client.get(reverse("directory:home")).content.decode()
    filtered = client.get(url, {"username": "nobody-else"}).content.decode()
    assert "没有登录记录" in filtered


@pytest.mark.django_db
def test_only_the_auditor_and_the_bureau_read_login_attempts(client, personas):
    url = reverse("directory:login-attempt-list")
    assert client.get(url).status_code == 302
    for role, user in personas.items():
        if role in (Role.AUDITOR, Role.BUREAU_ADMIN):
            continue
        client.force_login(user)
        assert client.get(url).status_code == 404, role
        assert "登录记录" not in client.get(reverse("directory:home")).content.decode()


@pytest.mark.django_db
def test_the_auditor_cannot_unlock(client, personas):
    client.force_login(personas[Role.AUDITOR])
    assert client.get(reverse("admin:axes_accessattempt_changelist")).status_code == 302
