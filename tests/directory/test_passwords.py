"""Passwords (issue 12, finding 8): every user changes its own password; the bureau sends a reset link by e-mail
(Django's own views, Chinese pages)."""

import re

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import RequestFactory
from django.urls import reverse

from directory.models import Role
from directory.services import user_password_reset_send
from tests.factories import UserFactory

OLD = "pw-for-tests"
NEW = "Suzhou-社工-2026!"


def password_change(client, old=OLD, new=NEW, again=None):
    return client.post(
        reverse("password_change"),
        {"old_password": old, "new_password1": new, "new_password2": again or new},
    )


@pytest.mark.django_db
def test_every_role_changes_its_own_password(client, personas):
    for role, user in personas.items():
        client.force_login(user)
        home = client.get(reverse("directory:home")).content.decode()
        assert reverse("password_change") in home, role
        page = client.get(reverse("password_change"))
        assert page.status_code == 200 and "修改密码" in page.content.decode()
        response = password_change(client)
        assert response.status_code == 302 and response.url == reverse("password_change_done"), role
        user.refresh_from_db()
        assert user.check_password(NEW)
        assert "密码已修改" in client.get(response.url).content.decode()


@pytest.mark.django_db
def test_a_wrong_old_password_or_a_weak_new_one_is_a_form_error(client, manager):
    client.force_login(manager)
    response = password_change(client, old="not-it")
    assert response.status_code == 200 and "errorlist" in response.content.decode()
    response = password_change(client, new="12345678")
    assert response.status_code == 200 and "errorlist" in response.content.decode()
    manager.refresh_from_db()
    assert manager.check_password(OLD)


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_login(client):
    response = client.get(reverse("password_change"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


@pytest.fixture
def member(db):
    return UserFactory(username="zhang", email="zhang@example.cn", full_name="张社工")


def _send_from_admin(client, bureau, *users):
    client.force_login(bureau)
    return client.post(
        reverse("admin:directory_user_changelist"),
        {"action": "send_password_reset", "_selected_action": [u.pk for u in users]},
        follow=True,
    )


@pytest.mark.django_db
def test_the_bureau_sends_a_reset_link_that_works_once(client, bureau, member):
    response = _send_from_admin(client, bureau, member)
    assert "已向 1 位用户发送重设密码邮件" in response.content.decode()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["zhang@example.cn"] and "重设密码" in message.subject
    assert "张社工" in message.body and "zhang" in message.body
    link = re.search(r"https?://[^/\s]+(/accounts/reset/\S+/)", message.body).group(1)
    client.logout()
    form_url = client.get(link).url  # Django swaps the token for a session marker
    page = client.get(form_url)
    assert page.status_code == 200 and "设置新密码" in page.content.decode()
    response = client.post(form_url, {"new_password1": NEW, "new_password2": NEW})
    assert response.status_code == 302 and response.url == reverse("password_reset_complete")
    member.refresh_from_db()
    assert member.check_password(NEW)
    assert client.post(reverse("login"), {"username": "zhang", "password": NEW}).status_code == 302
    client.logout()
    again = client.get(link, follow=True).content.decode()
    assert "链接无效" in again


@pytest.mark.django_db
def test_a_user_without_e_mail_gets_no_reset_and_the_bureau_is_told(client, bureau):
    nameless = UserFactory(username="noemail", email="")
    response = _send_from_admin(client, bureau, nameless)
    assert "没有登记邮箱" in response.content.decode()
    assert mail.outbox == []


@pytest.mark.django_db
def test_only_the_bureau_sends_reset_links(personas, member):
    request = RequestFactory().get("/")
    for role, user in personas.items():
        if role == Role.BUREAU_ADMIN:
            continue
        with pytest.raises(PermissionDenied):
            user_password_reset_send(actor=user, user=member, request=request)
    member.is_active = False
    with pytest.raises(ValidationError):
        user_password_reset_send(actor=personas[Role.BUREAU_ADMIN], user=member, request=request)
    assert mail.outbox == []
