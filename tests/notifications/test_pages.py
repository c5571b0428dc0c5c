"""The bell, the list behind it, opening and marking read, the email switch: each user sees only their own."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from directory.models import Role
from notifications.models import Notification, NotificationPreference
from notifications.services import notify, safe_url

pytestmark = pytest.mark.django_db

LIST = reverse("notifications:list")


def tell(user, n=1, *, url="/delivery/reports/1/", kind=Notification.Kind.OTHER, prefix="s"):
    for i in range(n):
        notify(users=[user], kind=kind, subject_key=f"{prefix}:{i}", title=f"消息{prefix}{i}", url=url)
    return list(Notification.objects.filter(user=user, subject_key__startswith=f"{prefix}:").order_by("id"))


def _bell_counts(queries) -> list[str]:
    return [q["sql"] for q in queries if "notifications_notification" in q["sql"] and "COUNT(" in q["sql"].upper()]


def test_bell_shows_the_unread_count_of_the_user_only(client_for, manager, town_officer):
    first, *_rest = tell(manager, 3)
    Notification.objects.filter(pk=first.pk).update(read_at=timezone.now())
    tell(town_officer, 1)
    page = client_for(manager).get(reverse("directory:home")).content.decode()
    assert 'data-testid="bell-count">2<' in page
    page = client_for(town_officer).get(reverse("directory:home")).content.decode()
    assert 'data-testid="bell-count">1<' in page


def test_bell_without_unread_shows_no_count(client_for, manager):
    page = client_for(manager).get(reverse("directory:home")).content.decode()
    assert 'data-testid="bell"' in page and "bell-count" not in page


def test_anonymous_visitor_has_no_bell_and_no_count_query(client, manager):
    tell(manager, 2)
    with CaptureQueriesContext(connection) as context:
        page = client.get(reverse("login")).content.decode()
    assert 'data-testid="bell"' not in page
    assert not _bell_counts(context.captured_queries)


def test_bell_costs_one_query_per_request(client_for, manager):
    tell(manager, 2)
    client = client_for(manager)
    with CaptureQueriesContext(connection) as context:
        assert client.get(reverse("directory:home")).status_code == 200
    assert len(_bell_counts(context.captured_queries)) == 1


def test_list_shows_own_notifications_unread_first(client_for, manager, town_officer):
    read, unread = tell(manager, 2)
    Notification.objects.filter(pk=read.pk).update(read_at=timezone.now())
    tell(town_officer, 1, prefix="other")
    page = client_for(manager).get(LIST).content.decode()
    assert page.index(unread.title) < page.index(read.title)
    assert "消息other0" not in page


def test_list_query_count_is_constant(client_for, manager, django_assert_max_num_queries):
    client = client_for(manager)
    tell(manager, 3)
    with django_assert_max_num_queries(8) as few:
        assert client.get(LIST).status_code == 200
    tell(manager, 40, prefix="more")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(LIST).status_code == 200
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(LIST, {"page": "2"}).status_code == 200


def test_list_survives_a_garbage_page_number(client_for, manager):
    tell(manager, 1)
    assert client_for(manager).get(LIST, {"page": "abc"}).status_code == 200


def test_opening_marks_read_and_goes_to_the_subject(client_for, manager):
    (n,) = tell(manager, url="/delivery/reports/7/")
    response = client_for(manager).post(reverse("notifications:notification-open", args=[n.pk]))
    assert response.status_code == 302 and response["Location"] == "/delivery/reports/7/"
    n.refresh_from_db()
    assert n.is_read


@pytest.mark.parametrize(
    "url",
    [
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example",
        "javascript:alert(1)",
        "evil.example",
        "/\t/evil.example",
    ],
)
def test_no_open_redirect(client_for, manager, url):
    (n,) = tell(manager)
    Notification.objects.filter(pk=n.pk).update(url=url)  # even a row written around notify()
    response = client_for(manager).post(reverse("notifications:notification-open", args=[n.pk]))
    assert response.status_code == 302 and response["Location"] == LIST


def test_notify_keeps_only_same_site_paths():
    assert safe_url("/delivery/reports/1/?tab=lines") == "/delivery/reports/1/?tab=lines"
    for bad in ("https://evil.example/x", "//evil.example", "/\\evil.example", "http:/evil", ""):
        assert safe_url(bad) == ""


def test_mark_one_read(client_for, manager):
    first, second = tell(manager, 2)
    response = client_for(manager).post(reverse("notifications:notification-read", args=[first.pk]), {"page": "1"})
    assert response.status_code == 302 and response["Location"] == f"{LIST}?page=1"
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.is_read and not second.is_read


def test_mark_all_read_touches_only_own(client_for, manager, town_officer):
    tell(manager, 3)
    (theirs,) = tell(town_officer, 1)
    response = client_for(manager).post(reverse("notifications:notification-read-all"))
    assert response.status_code == 302
    assert not Notification.objects.filter(user=manager, read_at__isnull=True).exists()
    theirs.refresh_from_db()
    assert not theirs.is_read


@pytest.mark.parametrize("name", ["notification-open", "notification-read"])
def test_another_users_notification_is_404(client_for, manager, town_officer, name):
    (theirs,) = tell(town_officer)
    assert client_for(manager).post(reverse(f"notifications:{name}", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert not theirs.is_read


@pytest.mark.parametrize("name", ["notification-open", "notification-read", "notification-read-all"])
def test_marking_is_post_only(client_for, manager, name):
    (n,) = tell(manager)
    args = [] if name == "notification-read-all" else [n.pk]
    assert client_for(manager).get(reverse(f"notifications:{name}", args=args)).status_code == 405
    n.refresh_from_db()
    assert not n.is_read


@pytest.mark.parametrize(
    "name,args",
    [
        ("list", []),
        ("settings", []),
        ("notification-open", [1]),
        ("notification-read", [1]),
        ("notification-read-all", []),
    ],
)
def test_anonymous_is_sent_to_login(client, name, args):
    method = client.get if name in ("list", "settings") else client.post
    response = method(reverse(f"notifications:{name}", args=args))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_email_switch_defaults_on_and_turns_off(client_for, manager):
    client = client_for(manager)
    page = client.get(reverse("notifications:settings")).content.decode()
    assert 'name="email_digest"' in page and "checked" in page
    assert 'data-testid="no-email"' in page  # the persona has no address: the page says so
    response = client.post(reverse("notifications:settings"), {})
    assert response.status_code == 302
    assert NotificationPreference.objects.get(user=manager).email_digest is False
    client.post(reverse("notifications:settings"), {"email_digest": "on"})
    assert NotificationPreference.objects.get(user=manager).email_digest is True


def test_every_persona_opens_its_list(client_for, personas):
    for role, user in personas.items():
        tell(user, 1, prefix=role)
        page = client_for(user).get(LIST).content.decode()
        assert f"消息{role}0" in page, role
    assert Role.AUDITOR in personas


def test_list_pages_through_more_than_one_page(client_for, manager):
    tell(manager, 35)
    c = client_for(manager)
    first = c.get(reverse("notifications:list")).content.decode()
    assert "下一页" in first and "上一页" not in first and "第 1 / 2 页" in first
    second = c.get(reverse("notifications:list"), {"page": 2}).content.decode()
    assert "上一页" in second and "下一页" not in second and "第 2 / 2 页" in second
