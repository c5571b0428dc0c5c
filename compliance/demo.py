"""seed_demo step (order 95): a realistic lapse or two on 双塔街道's package — a social worker who left three
weeks ago and has not been replaced (K1), another whose certificate expires in 25 days (K2) — then the sweep,
so the demo opens with findings of several rules (with the demo's own lagging items (K5) and unpaid instalment
(K7) as they fall on the day). Dates are relative to today; safe to run twice."""

from __future__ import annotations

import datetime

from django.utils import timezone

from core.demo import DemoContext, register

CERTIFICATE_NUMBER = "DEMO-K2-0001"


@register(order=95)
def seed_compliance(ctx: DemoContext) -> None:
    from procurement.models import Certificate, ServicePackage, StaffAssignment
    from procurement.services.agencies import certificate_create, staff_member_end_employment

    from .services import sweep

    today = timezone.localdate()
    package = ServicePackage.objects.filter(town=ctx.town, status=ServicePackage.Status.ACTIVE).first()
    manager = ctx.users.get("agency")
    if package is not None and manager is not None:
        fielded = [
            a.staff
            for a in StaffAssignment.objects.filter(package=package, staff__is_full_time=True)
            .select_related("staff")
            .prefetch_related("staff__certificates")
            .order_by("staff__name")
        ]
        if fielded and not any(s.employed_until for s in fielded):
            staff_member_end_employment(actor=manager, staff=fielded[-1], on=today - datetime.timedelta(days=21))
        if not Certificate.objects.filter(number=CERTIFICATE_NUMBER).exists():
            uncertified = [s for s in fielded[:-1] if not s.certificates.all()] or fielded[:1]
            if uncertified:
                certificate_create(
                    actor=manager,
                    staff=uncertified[0],
                    level=Certificate.Level.ASSISTANT,
                    number=CERTIFICATE_NUMBER,
                    issued_on=today.replace(day=1) - datetime.timedelta(days=3 * 365),
                    expires_on=today + datetime.timedelta(days=25),
                )
    results = sweep(today=today)
    found = ", ".join(f"{r.rule} {r.found}" for r in results if r.found)
    ctx.lines.append(f"  compliance: open findings by rule — {found or 'none'}")
