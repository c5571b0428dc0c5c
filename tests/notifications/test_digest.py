"""The daily email digest: at most one email per person per day, listing unread notifications not yet emailed,
read from Django's test outbox."""

import datetime

import pytest
from django.utils import timezone

from notifications.models import DigestSent, Notification
from notifications.services import digest_send, notify, preference_set
from notifications.tasks import digest_send_task

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(manager, town_officer):
    manager.email = "manager@example.cn"
    manager.save(update_fields=["email"])
    town_officer.email = "town@example.cn"
    town_officer.save(update_fields=["email"])
    return manager, town_officer


def tell(user, key, title="月报被退回", url="/delivery/reports/1/"):
    notify(users=[user], kind=Notification.Kind.REPORT_RETURNED, subject_key=key, title=title, url=url)


def test_one_email_per_person_listing_unread_notifications(people, mailoutbox, settings):
    settings.SITE_URL = "https://sw.example.gov.cn"
    manager, town_officer = people
    tell(manager, "a", "双塔街道 2026年3月月报被街镇退回")
    tell(manager, "b", "另一条消息")
    tell(town_officer, "c", "月报待确认")
    assert digest_send() == 2
    by_address = {m.to[0]: m for m in mailoutbox}
    assert set(by_address) == {"manager@example.cn", "town@example.cn"}
    mail = by_address["manager@example.cn"]
    assert "2 条未读消息" in mail.subject
    assert "双塔街道 2026年3月月报被街镇退回" in mail.body and "另一条消息" in mail.body
    assert "https://sw.example.gov.cn/delivery/reports/1/" in mail.body
    assert mail.alternatives and "text/html" in mail.alternatives[0][1]
    assert not Notification.objects.filter(user__in=people, emailed_at__isnull=True).exists()


def test_a_rerun_the_same_day_sends_nothing_even_for_new_notifications(people, mailoutbox):
    manager, _town = people
    tell(manager, "a")
    assert digest_send() == 1
    tell(manager, "b")
    assert digest_send() == 0
    assert len(mailoutbox) == 1
    # the next day the new one goes out, alone
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    assert digest_send(day=tomorrow) == 1
    assert len(mailoutbox) == 2 and "1 条未读消息" in mailoutbox[1].subject


def test_a_second_worker_that_lost_the_claim_sends_nothing(people, mailoutbox):
    manager, _town = people
    tell(manager, "a")
    # another worker claimed this user's digest of the day between our read and our send
    DigestSent.objects.create(user=manager, day=timezone.localdate())
    assert digest_send() == 0
    assert mailoutbox == []


def test_read_and_already_emailed_notifications_are_not_sent(people, mailoutbox):
    manager, _town = people
    tell(manager, "read")
    tell(manager, "emailed")
    Notification.objects.filter(subject_key="read").update(read_at=timezone.now())
    Notification.objects.filter(subject_key="emailed").update(emailed_at=timezone.now())
    assert digest_send() == 0 and mailoutbox == []


def test_opt_out_is_respected(people, mailoutbox):
    manager, town_officer = people
    preference_set(actor=manager, email_digest=False)
    tell(manager, "a")
    tell(town_officer, "b")
    assert digest_send() == 1
    assert [m.to for m in mailoutbox] == [["town@example.cn"]]
    assert Notification.objects.get(user=manager).emailed_at is None  # kept for the bell


def test_users_without_an_address_or_inactive_are_skipped(people, worker, mailoutbox):
    manager, _town = people
    tell(worker, "a")  # the persona has no address
    manager.is_active = False
    manager.save(update_fields=["is_active"])
    tell(manager, "b")
    assert digest_send() == 0 and mailoutbox == []


def test_a_failed_send_is_retried_on_the_next_run(people, mailoutbox, monkeypatch):
    manager, _town = people
    tell(manager, "a")

    def broken(self, fail_silently=False):
        raise OSError("mail server down")

    with monkeypatch.context() as patch:
        patch.setattr("django.core.mail.EmailMultiAlternatives.send", broken)
        assert digest_send() == 0
    assert not DigestSent.objects.exists()
    assert Notification.objects.get(user=manager).emailed_at is None
    assert digest_send() == 1 and len(mailoutbox) == 1


def test_digest_task_is_idempotent(people, mailoutbox):
    manager, _town = people
    tell(manager, "a")
    assert digest_send_task.delay().get() == {"sent": 1}
    assert digest_send_task.delay().get() == {"sent": 0}
    assert digest_send_task.name == "notifications.digest_send_task"
    assert len(mailoutbox) == 1
