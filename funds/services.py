"""Every write on money (F1–F5). Each service runs in a transaction, checks who acts, locks the rows whose
sums it guards (a source's yearly budget for F2, the package for F3, the fund for F4) and raises
ValidationError with a message a user can act on. Payments and ledger entries are only ever appended."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from core.uploads import sniff_upload
from directory.permissions import is_bureau_admin
from evaluation.models import MILESTONE_STAGES, Evaluation
from procurement.models import Round, ServicePackage

from . import rules
from .models import (
    CommunityFund,
    FundingSource,
    FundMember,
    GrantReceipt,
    Instalment,
    LedgerEntry,
    MicroGrant,
    PackageYearSplit,
    Payment,
    PaymentTemplate,
    SourceBudget,
    Vote,
)
from .permissions import (
    can_close_grant,
    can_manage_fund,
    can_record_payment,
    can_reverse_entry,
    can_set_budget,
    can_split_package,
    can_vote_on_grant,
    is_committee_member,
)

MAX_RECEIPTS = 10


def _money(value, field: str = "amount", *, allow_zero: bool = False) -> Decimal:
    try:
        return rules.f5_money(value, allow_zero=allow_zero)
    except ValueError as exc:
        raise ValidationError({field: str(exc)}) from None


def _plausible(day, field: str) -> datetime.date:
    if not isinstance(day, datetime.date):
        raise ValidationError({field: _("请填写日期。")})
    if not datetime.date(2000, 1, 1) <= day <= datetime.date(2100, 12, 31):
        raise ValidationError({field: _("日期须在 2000 至 2100 年之间。")})
    return day


def _not_future(day, field: str) -> datetime.date:
    _plausible(day, field)
    if day > timezone.localdate():
        raise ValidationError({field: _("日期不能晚于今天。")})
    return day


def _sum(qs, field: str = "amount") -> Decimal:
    return qs.aggregate(total=Sum(field))["total"] or rules.ZERO


# --- F1: sources and yearly budgets ---------------------------------------------------------------


@transaction.atomic
def source_ensure(*, kind: str, district=None, name: str = "") -> FundingSource:
    """The source of a kind (and district); created on first use."""
    source, _created = FundingSource.objects.get_or_create(
        kind=kind,
        district=district,
        defaults={"name": name or _source_name(kind, district)},
    )
    return source


def _source_name(kind: str, district) -> str:
    label = FundingSource.Kind(kind).label
    return f"{district.name}{label}" if district else str(label)


@transaction.atomic
def budget_set(*, actor, source: FundingSource, year: int, amount) -> SourceBudget:
    """F1: the bureau (a district officer for its district's budget) sets a source's budget for a year; it
    may not go below what is already committed (F2)."""
    if not can_set_budget(actor, source):
        raise PermissionDenied(_("只有民政局（区级预算由本区民政干部）可以录入年度预算。"))
    amount = _money(amount, allow_zero=True)
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        raise ValidationError({"year": _("年度须在 2000 至 2100 之间。")})
    budget = SourceBudget.objects.select_for_update().filter(source=source, year=year).first()
    if budget is None:
        budget = SourceBudget(source=source, year=year, amount=amount, set_by=actor)
    else:
        committed = _sum(budget.splits.all())
        if amount < committed:
            raise ValidationError(
                {"amount": _("该年度已分配 %(c)s 元，预算不能低于已分配金额。") % {"c": f"{committed:,.2f}"}}
            )
        budget.amount = amount
        budget.set_by = actor
    budget.full_clean()
    budget.save()
    return budget


# --- F2: package-year splits ----------------------------------------------------------------------------


def package_plan_years(package: ServicePackage) -> int:
    return rules.plan_year_count(package.starts_on, package.ends_on)


def contract_value(package: ServicePackage) -> Decimal:
    """F3: the contract's value, or (a package entered without a contract) the annual amount × years."""
    if package.contract_id and package.contract.value:
        return package.contract.value
    return rules.cents(package.annual_amount * package_plan_years(package))


@transaction.atomic
def package_year_split_set(*, actor, package: ServicePackage, plan_year: int, parts: Mapping) -> list[PackageYearSplit]:
    """F2: split a package year's amount across sources ({FundingSource: amount}); the parts sum exactly to
    the year's amount and no source's yearly budget is over-committed. The budget rows are locked (in id
    order), so two officers committing at once cannot both take the last of a budget. Replaces the year's
    previous split."""
    if not can_split_package(actor, package):
        raise PermissionDenied(_("只有民政局可以分配资金来源。"))
    if not isinstance(plan_year, int) or not 1 <= plan_year <= package_plan_years(package):
        raise ValidationError({"plan_year": _("该项目包没有这个服务年度。")})
    amounts: dict[int, Decimal] = {}
    sources: dict[int, FundingSource] = {}
    for source, raw in parts.items():
        amount = _money(raw, f"source_{source.pk}", allow_zero=True)
        if amount > 0:
            amounts[source.pk] = amount
            sources[source.pk] = source
    problem = rules.f2_split_problem(package.annual_amount, amounts.values())
    if problem:
        raise ValidationError(problem)
    year = rules.budget_year_of(package.starts_on, plan_year)
    budgets = {
        b.source_id: b
        for b in SourceBudget.objects.select_for_update(of=("self",))
        .filter(source_id__in=list(amounts), year=year)
        .select_related("source")
        .order_by("pk")
    }
    for source_id, amount in amounts.items():
        budget = budgets.get(source_id)
        if budget is None:
            raise ValidationError(_("%(s)s 尚未录入 %(y)d 年度预算。") % {"s": sources[source_id].name, "y": year})
        elsewhere = _sum(budget.splits.exclude(package=package, plan_year=plan_year))
        problem = rules.f2_over_commitment_problem(
            source_name=budget.source.name,
            year=year,
            budget=budget.amount,
            committed_elsewhere=elsewhere,
            amount=amount,
        )
        if problem:
            raise ValidationError(problem)
    PackageYearSplit.objects.filter(package=package, plan_year=plan_year).delete()
    created = []
    for source_id, amount in amounts.items():
        split = PackageYearSplit(
            package=package, plan_year=plan_year, budget=budgets[source_id], amount=amount, committed_by=actor
        )
        split.full_clean(exclude=["package", "budget", "committed_by"])
        split.save()
        created.append(split)
    schedule_generate(package=package)
    return created


# --- F3: schedule and payments --------------------------------------------------------------------------


def template_percents(round_: Round) -> dict[str, Decimal]:
    template = PaymentTemplate.objects.filter(round=round_).first()
    return template.percents if template else dict(rules.DEFAULT_PERCENTS)


@transaction.atomic
def payment_template_set(*, actor, round_: Round, start, mid_term, closing) -> PaymentTemplate:
    """F3 (configurable per round): the bureau sets the milestone percentages (summing to 100)."""
    if not is_bureau_admin(actor):
        raise PermissionDenied(_("只有民政局可以设置拨付计划模板。"))
    percents = {"start": Decimal(start), "mid_term": Decimal(mid_term), "closing": Decimal(closing)}
    problem = rules.f3_template_problem(percents)
    if problem:
        raise ValidationError(problem)
    template, _created = PaymentTemplate.objects.update_or_create(
        round=round_,
        defaults={"start_percent": start, "mid_term_percent": mid_term, "closing_percent": closing},
    )
    return template


def year_instalments(package: ServicePackage, plan_year: int, *, percents: dict, signed_on) -> list[Instalment]:
    """F3: the unsaved instalments of one plan year of `package`, one per milestone, with their amounts and planned
    dates — for `schedule_generate` and for bulk loaders (seed_city) alike."""
    first, last = rules.plan_year_bounds(package.starts_on, package.ends_on, plan_year)
    amounts = rules.f3_instalment_amounts(package.annual_amount, percents)
    return [
        Instalment(
            package=package,
            plan_year=plan_year,
            milestone=milestone,
            percent=percents[milestone],
            amount=amounts[milestone],
            planned_on=rules.f3_planned_on(
                milestone,
                plan_year=plan_year,
                year_starts_on=first,
                year_ends_on=last,
                package_starts_on=package.starts_on,
                signed_on=signed_on,
            ),
        )
        for milestone in rules.MILESTONE_ORDER
    ]


@transaction.atomic
def schedule_generate(*, package: ServicePackage) -> list[Instalment]:
    """F3: the package's instalments from its round's template, for every plan year; safe to run again
    (existing instalments are kept: money may already be paid against them)."""
    percents = template_percents(package.round)
    years = package_plan_years(package)
    signed_on = package.contract.signed_on if package.contract_id else None
    existing = set(package.instalments.values_list("plan_year", "milestone"))
    created = []
    for plan_year in range(1, years + 1):
        for instalment in year_instalments(package, plan_year, percents=percents, signed_on=signed_on):
            if (plan_year, instalment.milestone) in existing:
                continue
            instalment.save()
            created.append(instalment)
    return created


def evaluation_results(package: ServicePackage) -> dict[str, rules.EvaluationResult]:
    return {
        e.stage: rules.EvaluationResult(
            stage=e.stage,
            finalised=e.is_finalised,
            grade=e.grade,
            grade_label=e.get_grade_display(),
            final_score=e.final_score,
        )
        for e in Evaluation.objects.filter(package=package, stage__in=MILESTONE_STAGES)
    }


def instalment_stage(instalment: Instalment, last_plan_year: int) -> str | None:
    return rules.f3_evaluation_stage(
        instalment.milestone, plan_year=instalment.plan_year, last_plan_year=last_plan_year
    )


@transaction.atomic
def payment_record(*, actor, instalment: Instalment, amount, paid_on, voucher_number: str, note: str = "") -> Payment:
    """F3: the bureau records a payment once its milestone is met (the evaluation finalised, 合格 or better);
    never more than the instalment, and never beyond the contract value in all. The package row is locked so
    two payments recorded at once cannot both fit."""
    package = (
        ServicePackage.objects.select_for_update(of=("self",)).select_related("contract").get(pk=instalment.package_id)
    )
    if not can_record_payment(actor, package):
        raise PermissionDenied(_("只有民政局可以录入拨付。"))
    amount = _money(amount)
    _not_future(paid_on, "paid_on")
    voucher_number = (voucher_number or "").strip()
    if not voucher_number:
        raise ValidationError({"voucher_number": _("请填写凭证号。")})
    stage = instalment_stage(instalment, package_plan_years(package))
    evaluation = evaluation_results(package).get(stage) if stage else None
    problem = rules.f3_payment_problem(
        milestone_met=rules.f3_milestone_met(
            stage, evaluation, planned_on=instalment.planned_on, today=timezone.localdate()
        ),
        amount=amount,
        instalment_amount=instalment.amount,
        instalment_paid=_sum(instalment.payments.all()),
        package_paid=_sum(Payment.objects.filter(package=package)),
        contract_value=contract_value(package),
        stage_label=_(rules.STAGE_LABELS.get(stage or "", "")),
    )
    if problem:
        raise ValidationError(problem)
    payment = Payment(
        instalment=instalment,
        package=package,
        paid_on=paid_on,
        amount=amount,
        voucher_number=voucher_number,
        note=note,
        recorded_by=actor,
    )
    payment.full_clean(exclude=["instalment", "package", "recorded_by"])
    payment.save()
    return payment


@transaction.atomic
def payment_reverse(*, actor, payment: Payment, reason: str, voucher_number: str = "") -> Payment:
    """F3/F5: a wrong payment is corrected by a reversing entry (the opposite amount), never an edit."""
    ServicePackage.objects.select_for_update().filter(pk=payment.package_id).first()
    payment = Payment.objects.select_for_update().get(pk=payment.pk)
    if not can_record_payment(actor, payment.package):
        raise PermissionDenied(_("只有民政局可以冲销拨付。"))
    if payment.is_reversal or Payment.objects.filter(reverses=payment).exists():
        raise ValidationError(_("这笔记录已冲销或本身是冲销记录，不能再冲销。"))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请填写冲销原因。")})
    reversal = Payment(
        instalment=payment.instalment,
        package=payment.package,
        paid_on=timezone.localdate(),
        amount=-payment.amount,
        voucher_number=(voucher_number or "").strip() or f"{payment.voucher_number}-冲",
        note=reason,
        reverses=payment,
        recorded_by=actor,
    )
    reversal.save()
    return reversal


# --- F4: community funds -------------------------------------------------------------------------------------


@transaction.atomic
def fund_member_add(*, actor, fund: CommunityFund, user, role: str) -> FundMember:
    """The bureau (or the fund's manager for the committee) names a fund's manager and committee members."""
    if not (is_bureau_admin(actor) or (role == FundMember.Role.COMMITTEE and can_manage_fund(actor, fund))):
        raise PermissionDenied(_("只有民政局或基金管理人可以设置基金成员。"))
    member, _created = FundMember.objects.update_or_create(
        fund=fund, user=user, role=role, defaults={"is_active": True}
    )
    return member


def fund_pools(fund: CommunityFund) -> dict[str, Decimal]:
    """F4: the balance per purpose, summed from the ledger (never stored apart from it)."""
    rows = LedgerEntry.objects.filter(fund=fund).values("restricted_to").annotate(total=Sum("amount")).order_by()
    return rules.f4_balances((r["restricted_to"], r["total"]) for r in rows)


def _lock_fund(fund: CommunityFund) -> CommunityFund:
    return CommunityFund.objects.select_for_update().get(pk=fund.pk)


@transaction.atomic
def donation_record(
    *,
    actor,
    fund: CommunityFund,
    amount,
    occurred_on,
    donor_name: str = "",
    is_anonymous: bool = False,
    restricted_to: str = "",
    note: str = "",
) -> LedgerEntry:
    """F4: a donation in (donor or anonymous; restricted to a purpose or not), recorded by the fund's manager."""
    if not can_manage_fund(actor, fund):
        raise PermissionDenied(_("只有基金管理人可以登记捐赠。"))
    amount = _money(amount)
    _not_future(occurred_on, "occurred_on")
    donor_name = (donor_name or "").strip()
    if not donor_name and not is_anonymous:
        raise ValidationError({"donor_name": _("请填写捐赠人，或勾选匿名捐赠。")})
    fund = _lock_fund(fund)
    entry = LedgerEntry(
        fund=fund,
        kind=LedgerEntry.Kind.DONATION,
        amount=amount,
        occurred_on=occurred_on,
        restricted_to=(restricted_to or "").strip(),
        donor_name=donor_name,
        is_anonymous=bool(is_anonymous),
        note=note,
        recorded_by=actor,
    )
    entry.full_clean(exclude=["fund", "recorded_by", "grant", "reverses"])
    entry.save()
    return entry


@transaction.atomic
def ledger_entry_reverse(*, actor, entry: LedgerEntry, reason: str) -> LedgerEntry:
    """F4/F5: a mistaken donation is corrected by a reversing entry; refused when the money is already spent
    (the balance of its purpose would go negative)."""
    fund = _lock_fund(entry.fund)
    entry = LedgerEntry.objects.select_related("fund").get(pk=entry.pk)
    if not can_reverse_entry(actor, entry):
        raise PermissionDenied(_("这条记录不能由您冲销（只能冲销尚未冲销的捐赠记录）。"))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请填写冲销原因。")})
    pools = fund_pools(fund)
    if pools.get(entry.restricted_to, rules.ZERO) - entry.amount < 0:
        raise ValidationError(_("这笔捐赠已被使用，冲销后余额将为负数，不能冲销。"))
    reversal = LedgerEntry(
        fund=fund,
        kind=LedgerEntry.Kind.REVERSAL,
        amount=-entry.amount,
        occurred_on=timezone.localdate(),
        restricted_to=entry.restricted_to,
        donor_name=entry.donor_name,
        is_anonymous=entry.is_anonymous,
        reverses=entry,
        note=reason,
        recorded_by=actor,
    )
    reversal.save()
    return reversal


def _budget_lines(lines: Iterable) -> tuple[list[dict], Decimal]:
    clean: list[dict] = []
    for i, line in enumerate(lines or [], start=1):
        item = str((line or {}).get("item", "")).strip()
        if not item:
            raise ValidationError({"budget_lines": _("第 %(n)d 行预算缺少用途说明。") % {"n": i}})
        amount = _money((line or {}).get("amount"), "budget_lines")
        clean.append({"item": item[:100], "amount": str(amount)})
    if not clean:
        raise ValidationError({"budget_lines": _("请至少填写一行预算明细。")})
    return clean, rules.money_sum(Decimal(line["amount"]) for line in clean)


@transaction.atomic
def grant_apply(
    *,
    actor,
    fund: CommunityFund,
    kind: str,
    title: str,
    applicant_kind: str,
    applicant_name: str,
    community,
    purpose: str,
    budget_lines: Iterable,
    restricted_to: str = "",
) -> MicroGrant:
    """F4: a resident group, community organisation or agency applies for a micro-grant; the amount is the
    sum of its budget lines."""
    from .permissions import can_apply_for_grant

    if not can_apply_for_grant(actor, fund):
        raise PermissionDenied(_("您不能向这个基金申请微项目。"))
    if community is None or community.town_id != fund.town_id:
        raise ValidationError({"community": _("项目所在社区须属于基金所在的街道（镇）。")})
    if fund.community_id and community.pk != fund.community_id:
        raise ValidationError({"community": _("社区基金只资助本社区的项目。")})
    lines, amount = _budget_lines(budget_lines)
    grant = MicroGrant(
        fund=fund,
        kind=kind,
        title=(title or "").strip(),
        applicant_kind=applicant_kind,
        applicant_name=(applicant_name or "").strip(),
        community=community,
        purpose=(purpose or "").strip(),
        restricted_to=(restricted_to or "").strip(),
        budget_lines=lines,
        amount=amount,
        applied_by=actor,
    )
    grant.full_clean(exclude=["fund", "community", "applied_by", "closed_by"])
    grant.save()
    return grant


def committee_size(fund: CommunityFund) -> int:
    return FundMember.objects.filter(fund=fund, role=FundMember.Role.COMMITTEE, is_active=True).count()


@transaction.atomic
def grant_vote(*, actor, grant: MicroGrant, approve: bool, comment: str = "") -> MicroGrant:
    """F4: a committee member votes once; when approvals exceed the fund's share of the committee (more than
    half by default) the grant is approved and disbursed as a ledger entry under a lock on the fund; a grant
    larger than the available balance (unrestricted, or restricted to its purpose) is refused. When the
    remaining members could no longer approve it, it is rejected."""
    grant = MicroGrant.objects.select_for_update(of=("self",)).select_related("fund").get(pk=grant.pk)
    if not is_committee_member(actor, grant.fund):
        raise PermissionDenied(_("只有本基金管委会委员可以表决。"))
    if not can_vote_on_grant(actor, grant):
        raise ValidationError(_("该项目已不在表决阶段。"))
    if Vote.objects.filter(grant=grant, voter=actor).exists():
        raise ValidationError(_("您已对该项目表决，每人只能表决一次。"))
    Vote.objects.create(grant=grant, voter=actor, approve=bool(approve), comment=(comment or "").strip())
    counts = grant.votes.aggregate(yes=Count("pk", filter=Q(approve=True)), no=Count("pk", filter=Q(approve=False)))
    size = committee_size(grant.fund)
    share = grant.fund.approval_share
    if rules.f4_approved(counts["yes"], size, share):
        _disburse(actor=actor, grant=grant)
    elif rules.f4_rejected(counts["no"], size, share):
        grant.status = MicroGrant.Status.REJECTED
        grant.decided_at = timezone.now()
        grant.save(update_fields=["status", "decided_at"])
    return grant


def _disburse(*, actor, grant: MicroGrant) -> list[LedgerEntry]:
    fund = _lock_fund(grant.fund)
    try:
        parts = rules.f4_draw(fund_pools(fund), grant.restricted_to, grant.amount)
    except ValueError as exc:
        raise ValidationError(str(exc)) from None
    today = timezone.localdate()
    entries = [
        LedgerEntry.objects.create(
            fund=fund,
            kind=LedgerEntry.Kind.GRANT,
            amount=-amount,
            occurred_on=today,
            restricted_to=purpose,
            grant=grant,
            note=grant.title,
            recorded_by=actor,
        )
        for purpose, amount in parts
    ]
    grant.status = MicroGrant.Status.APPROVED
    grant.decided_at = timezone.now()
    grant.save(update_fields=["status", "decided_at"])
    return entries


@transaction.atomic
def grant_close(*, actor, grant: MicroGrant, outcome: str, receipts: Iterable = ()) -> MicroGrant:
    """F4: the grantee (or the manager) closes an approved grant with an outcome note and receipts (JPG,
    PNG, PDF checked by content, at most 10 MB each, like report attachments)."""
    grant = MicroGrant.objects.select_for_update(of=("self",)).select_related("fund").get(pk=grant.pk)
    if not can_close_grant(actor, grant):
        if grant.status != MicroGrant.Status.APPROVED:
            raise ValidationError(_("只有已通过并拨付的项目可以结项。"))
        raise PermissionDenied(_("只有申请人或基金管理人可以结项。"))
    outcome = (outcome or "").strip()
    if not outcome:
        raise ValidationError({"outcome": _("请填写项目成效。")})
    files = list(receipts or [])
    if len(files) > MAX_RECEIPTS:
        raise ValidationError({"receipts": _("最多上传 %(n)d 个票据文件。") % {"n": MAX_RECEIPTS}})
    for uploaded in files:
        try:
            content_type, size, digest = sniff_upload(uploaded, check_name=True)
        except ValidationError as exc:
            raise ValidationError({"receipts": f"{uploaded.name}：{exc.messages[0]}"}) from None
        GrantReceipt.objects.create(
            grant=grant,
            file=uploaded,
            original_name=(uploaded.name or "receipt")[:200],
            content_type=content_type,
            size=size,
            sha256=digest,
            uploaded_by=actor,
        )
    grant.status = MicroGrant.Status.CLOSED
    grant.outcome = outcome
    grant.closed_by = actor
    grant.closed_at = timezone.now()
    grant.full_clean(exclude=["fund", "community", "applied_by", "closed_by"])
    grant.save()
    return grant
