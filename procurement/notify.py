"""Who procurement tells, and when (notifications): the daily reminders (`procurement.reminders_send_task`) of
tender deadlines (→ the bureau's administrators) and of Q5 expiries (→ the agency's managers). Set-based: a
fixed number of queries whatever the number of tenders, agencies and staff; idempotent through the subject key,
which carries the deadline or expiry date, so a renewed qualification that later nears its new end is a new
reminder."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from directory.models import Membership, Role
from notifications.models import Notification
from notifications.services import Notice, notify_bulk

from .models import Agency, Certificate, QualificationApplication, Tender
from .rules import EXPIRY_WARNING_DAYS

TENDER_DEADLINE_DAYS = 3


def _members(role: str, **lookups) -> list[tuple[int | None, int]]:
    return list(
        Membership.objects.filter(
            is_active=True, organisation__is_active=True, user__is_active=True, role=role, **lookups
        )
        .values_list("organisation__agency", "user_id")
        .distinct()
    )


def _tender_notices(now: datetime.datetime) -> list[Notice]:
    tenders = list(
        Tender.objects.filter(
            status=Tender.Status.PUBLISHED,
            bid_deadline__gt=now,
            bid_deadline__lte=now + datetime.timedelta(days=TENDER_DEADLINE_DAYS),
        ).select_related("town")
    )
    if not tenders:
        return []
    admins = [user_id for _agency, user_id in _members(Role.BUREAU_ADMIN)]
    notices = []
    for tender in tenders:
        deadline = timezone.localtime(tender.bid_deadline)
        notices.append(
            Notice(
                users=admins,
                kind=Notification.Kind.TENDER_DEADLINE,
                subject_key=f"tender:{tender.pk}:deadline:{deadline:%Y%m%d%H%M}",
                title=_("招标「%(tender)s」将于 %(deadline)s 截止投标")
                % {"tender": tender.title, "deadline": f"{deadline:%Y-%m-%d %H:%M}"},
                url=tender.get_absolute_url(),
            )
        )
    return notices


def _expiry_notices(today: datetime.date) -> list[Notice]:
    """Q5: a registration, the current qualification or a staff member's current certificate that ends within
    60 days (and has not yet ended). What counts as current is what `rules.qualification_check` and
    `rules.valid_certificate` read: the approved qualification (the certificate) valid today that runs longest,
    so one renewed in time raises nothing."""
    horizon = today + datetime.timedelta(days=EXPIRY_WARNING_DAYS)
    agencies = {a.pk: a for a in Agency.objects.filter(organisation__is_active=True).select_related("organisation")}
    items: list[tuple[int, str, str, datetime.date, str]] = []  # agency, key, what, ends on, url
    for agency in agencies.values():
        if today <= agency.registration_valid_until <= horizon:
            items.append(
                (
                    agency.pk,
                    f"registration:{agency.pk}:{agency.registration_valid_until.isoformat()}",
                    _("%(agency)s 的登记证书") % {"agency": agency},
                    agency.registration_valid_until,
                    agency.get_absolute_url(),
                )
            )
    current: dict[int, QualificationApplication] = {}
    for application in QualificationApplication.objects.filter(
        agency__in=list(agencies),
        status=QualificationApplication.Status.APPROVED,
        valid_from__lte=today,
        valid_until__gte=today,
    ):
        best = current.get(application.agency_id)
        if best is None or application.valid_until > best.valid_until:
            current[application.agency_id] = application
    for application in current.values():
        if application.valid_until <= horizon:
            items.append(
                (
                    application.agency_id,
                    f"qualification:{application.pk}:{application.valid_until.isoformat()}",
                    _("%(agency)s 的承接资格") % {"agency": agencies[application.agency_id]},
                    application.valid_until,
                    agencies[application.agency_id].get_absolute_url(),
                )
            )
    certificates: dict[int, Certificate] = {}
    for certificate in (
        Certificate.objects.filter(
            staff__agency__in=list(agencies),
            staff__employed_from__lte=today,
            issued_on__lte=today,
            expires_on__gte=today,
        )
        .exclude(staff__employed_until__lt=today)
        .select_related("staff")
    ):
        best = certificates.get(certificate.staff_id)
        if best is None or certificate.expires_on > best.expires_on:
            certificates[certificate.staff_id] = certificate
    for certificate in certificates.values():
        if certificate.expires_on <= horizon:
            agency_id = certificate.staff.agency_id
            items.append(
                (
                    agency_id,
                    f"certificate:{certificate.pk}:{certificate.expires_on.isoformat()}",
                    _("%(name)s 的社工证书") % {"name": certificate.staff.name},
                    certificate.expires_on,
                    reverse("procurement:staff-detail", args=[certificate.staff_id]),
                )
            )
    if not items:
        return []
    managers: dict[int, list[int]] = {}
    for agency_id, user_id in _members(Role.AGENCY_MANAGER, organisation__agency__in={i[0] for i in items}):
        managers.setdefault(agency_id, []).append(user_id)
    return [
        Notice(
            users=managers.get(agency_id, []),
            kind=Notification.Kind.QUALIFICATION_EXPIRY,
            subject_key=key,
            title=_("%(what)s将于 %(date)s 到期（Q5），请及时办理") % {"what": what, "date": ends_on.isoformat()},
            url=url,
        )
        for agency_id, key, what, ends_on, url in items
        if managers.get(agency_id)
    ]


def reminders_send(*, today: datetime.date | None = None, now: datetime.datetime | None = None) -> int:
    """The daily procurement reminders: tender deadlines within 3 days → bureau administrators; registrations,
    qualifications and certificates expiring within 60 days (Q5) → the agency's managers. Returns the rows
    offered (telling someone twice adds nothing)."""
    now = now or timezone.now()
    today = today or timezone.localdate(now)
    return notify_bulk([*_tender_notices(now), *_expiry_notices(today)])
