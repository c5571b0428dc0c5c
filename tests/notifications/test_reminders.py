"""Daily reminders, with dates derived from the day the task runs (today, month ends, 29 February, the year's
end): S1 reports due soon or overdue → the agency; tender deadlines → the bureau; Q5 expiries → agency managers.
Set-based (a fixed number of queries) and idempotent (the due date or expiry date is in the key)."""

import datetime

import pytest
from django.utils import timezone

from delivery.models import ServiceReport
from delivery.notify import reminders_send as delivery_reminders
from delivery.tasks import reminders_send_task as delivery_task
from delivery.workflow import report_due_date
from notifications.models import Notification
from procurement.notify import reminders_send as procurement_reminders
from procurement.tasks import reminders_send_task as procurement_task
from tests.procurement.factories import (
    AgencyFactory,
    CertificateFactory,
    PackageFactory,
    QualificationFactory,
    StaffFactory,
    TenderFactory,
)

pytestmark = pytest.mark.django_db
Kind = Notification.Kind
DAYS = [
    pytest.param(None, id="today"),
    pytest.param(datetime.date(2028, 2, 29), id="29-february"),
    pytest.param(datetime.date(2026, 12, 31), id="year-end"),
    pytest.param(datetime.date(2027, 1, 31), id="january-end"),
    pytest.param(datetime.date(2027, 4, 30), id="april-end"),
    pytest.param(datetime.date(2027, 3, 1), id="march-first"),
]


def shift(year: int, month: int, by: int) -> tuple[int, int]:
    index = year * 12 + month - 1 + by
    return index // 12, index % 12 + 1


def months_between(first: datetime.date, last: datetime.date) -> list[tuple[int, int]]:
    out, (y, m) = [], (first.year, first.month)
    while (y, m) <= (last.year, last.month):
        out.append((y, m))
        y, m = shift(y, m, 1)
    return out


@pytest.fixture
def reporting_package(world, agency, round_2018, worker):
    def build(today: datetime.date, *, filed_except: set[tuple[int, int]]):
        package = PackageFactory(
            town=world.town_a1,
            agency=agency,
            round=round_2018,
            starts_on=today - datetime.timedelta(days=400),
            ends_on=today + datetime.timedelta(days=400),
        )
        ServiceReport.objects.bulk_create(
            ServiceReport(
                package=package,
                year=y,
                month=m,
                status=ServiceReport.Status.CONFIRMED,
                summary="已确认",
                created_by=worker,
            )
            for y, m in months_between(package.starts_on, today)
            if (y, m) not in filed_except
        )
        return package

    return build


@pytest.mark.parametrize("day", DAYS)
def test_s1_reports_due_soon_and_overdue_remind_the_agency(
    day, reporting_package, manager, worker, outsiders, town_officer, django_assert_max_num_queries
):
    today = day or timezone.localdate()
    this_month = (today.year, today.month)
    overdue_month = shift(*this_month, -3)
    package = reporting_package(today, filed_except={this_month, overdue_month})
    due_on = report_due_date(package, *this_month)  # the 10th of next month: 10 to 41 days away
    overdue_on = report_due_date(package, *overdue_month)
    assert overdue_on < today < due_on

    with django_assert_max_num_queries(6):  # packages, reports, members, the insert (in a savepoint)
        delivery_reminders(today=today)  # due within 3 days: only the overdue month
    assert sorted(Notification.objects.values_list("user__username", "kind", "subject_key")) == sorted(
        (
            user.username,
            Kind.REPORT_OVERDUE,
            f"report_overdue:{package.pk}:{overdue_month[0]}-{overdue_month[1]:02d}:{overdue_on}",
        )
        for user in (manager, worker)
    )

    delivery_reminders(today=due_on - datetime.timedelta(days=3))  # three days before this month's due date
    due = Notification.objects.filter(kind=Kind.REPORT_DUE)
    assert sorted(due.values_list("user__username", flat=True)) == sorted([manager.username, worker.username])
    assert set(due.values_list("subject_key", flat=True)) == {
        f"report_due:{package.pk}:{this_month[0]}-{this_month[1]:02d}:{due_on}"
    }
    assert due.first().url == f"/delivery/packages/{package.pk}/reports/"

    count = Notification.objects.count()
    delivery_reminders(today=due_on - datetime.timedelta(days=3))  # run twice: nobody told twice
    assert Notification.objects.count() == count


def test_s1_filed_months_remind_nobody(reporting_package, other_manager):
    today = timezone.localdate()
    reporting_package(today, filed_except=set())  # every month so far filed, the current one too
    delivery_reminders(today=today, days=60)
    assert not Notification.objects.exists()


def test_s1_other_agencies_are_not_told(reporting_package, manager, other_manager):
    today = timezone.localdate()
    reporting_package(today, filed_except={shift(today.year, today.month, -2)})
    delivery_reminders(today=today)
    assert Notification.objects.filter(user=manager).exists()
    assert not Notification.objects.filter(user=other_manager).exists()


def test_s1_query_count_does_not_grow_with_packages(world, agency, round_2018, manager, django_assert_max_num_queries):
    today = timezone.localdate()
    for town in (world.town_a1, world.town_a2, world.town_b1):
        PackageFactory(town=town, agency=agency, round=round_2018, starts_on=today - datetime.timedelta(days=200))
    with django_assert_max_num_queries(6):
        assert delivery_reminders(today=today) > 0


def test_delivery_task_is_named_and_idempotent(reporting_package, manager):
    today = timezone.localdate()
    reporting_package(today, filed_except={shift(today.year, today.month, -3)})
    assert delivery_task.name == "delivery.reminders_send_task"
    delivery_task.delay(today.isoformat()).get()
    count = Notification.objects.count()
    assert count > 0
    delivery_task.delay(today.isoformat()).get()
    assert Notification.objects.count() == count


# --- procurement: tender deadlines and Q5 expiries ----------------------------------------------------------


def test_tender_deadlines_within_three_days_remind_the_bureau(world, bureau, manager):
    now = timezone.now()
    soon = TenderFactory(town=world.town_a1, bid_deadline=now + datetime.timedelta(days=2, hours=23))
    TenderFactory(town=world.town_a2, bid_deadline=now + datetime.timedelta(days=3, hours=1))  # later
    TenderFactory(town=world.town_b1, bid_deadline=now - datetime.timedelta(hours=1))  # passed
    procurement_reminders(now=now)
    notes = Notification.objects.filter(kind=Kind.TENDER_DEADLINE)
    assert list(notes.values_list("user__username", flat=True)) == [bureau.username]
    assert notes.get().url == soon.get_absolute_url()
    # a moved deadline is a new subject; the same one is not told twice
    procurement_reminders(now=now)
    assert notes.count() == 1


@pytest.mark.parametrize("day", DAYS)
def test_q5_expiries_within_60_days_remind_agency_managers(
    day, world, manager, worker, other_manager, django_assert_max_num_queries
):
    today = day or timezone.localdate()
    agency = AgencyFactory(organisation=world.agency, registration_valid_until=today + datetime.timedelta(days=60))
    qualification = QualificationFactory(
        agency=agency, valid_from=today - datetime.timedelta(days=300), valid_until=today + datetime.timedelta(days=30)
    )
    expiring = CertificateFactory(
        staff=StaffFactory(agency=agency, employed_from=today - datetime.timedelta(days=900)),
        issued_on=today - datetime.timedelta(days=700),
        expires_on=today,
    )
    renewed = StaffFactory(agency=agency, employed_from=today - datetime.timedelta(days=900))
    CertificateFactory(
        staff=renewed, issued_on=today - datetime.timedelta(days=700), expires_on=today + datetime.timedelta(days=10)
    )
    CertificateFactory(
        staff=renewed, issued_on=today - datetime.timedelta(days=5), expires_on=today + datetime.timedelta(days=900)
    )
    CertificateFactory(  # long valid: nothing
        staff=StaffFactory(agency=agency, employed_from=today - datetime.timedelta(days=900)),
        issued_on=today - datetime.timedelta(days=700),
        expires_on=today + datetime.timedelta(days=61),
    )
    CertificateFactory(  # already expired: K2's business, not a reminder
        staff=StaffFactory(agency=agency, employed_from=today - datetime.timedelta(days=900)),
        issued_on=today - datetime.timedelta(days=700),
        expires_on=today - datetime.timedelta(days=1),
    )
    other = AgencyFactory(
        organisation=world.other_agency, registration_valid_until=today + datetime.timedelta(days=900)
    )
    QualificationFactory(
        agency=other, valid_from=today - datetime.timedelta(days=10), valid_until=today + datetime.timedelta(days=600)
    )

    with django_assert_max_num_queries(9):
        procurement_reminders(today=today, now=timezone.now() + datetime.timedelta(days=3650))
    notes = Notification.objects.filter(kind=Kind.QUALIFICATION_EXPIRY)
    assert set(notes.values_list("user__username", flat=True)) == {manager.username}  # managers, not workers
    assert sorted(notes.values_list("subject_key", flat=True)) == sorted(
        [
            f"registration:{agency.pk}:{today + datetime.timedelta(days=60)}",
            f"qualification:{qualification.pk}:{qualification.valid_until}",
            f"certificate:{expiring.pk}:{today}",
        ]
    )
    procurement_reminders(today=today)
    assert notes.count() == 3


def test_procurement_task_is_named_and_idempotent(world, manager):
    today = timezone.localdate()
    AgencyFactory(organisation=world.agency, registration_valid_until=today + datetime.timedelta(days=5))
    assert procurement_task.name == "procurement.reminders_send_task"
    procurement_task.delay().get()
    procurement_task.delay().get()
    assert Notification.objects.filter(user=manager, kind=Kind.QUALIFICATION_EXPIRY).count() == 1
