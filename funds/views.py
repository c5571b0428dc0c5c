"""Money pages (/funds/): sources and budgets by year, a package's money, community funds with their ledger,
micro-grants and votes, and each fund's public disclosure page (no login). Every money page exports xlsx.
Rows come from the scoped selectors (an outsider gets 404); actions ask the predicates (403 when the row is
visible but the act is not the user's); writes go through one service each."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.forms import add_service_errors, parse_id
from core.permissions import require
from core.tabular import xlsx_bytes
from core.uploads import private_file_response
from directory.models import Community

from . import rules, selectors, services
from .forms import (
    BudgetForm,
    DonationForm,
    GrantApplyForm,
    GrantCloseForm,
    PaymentForm,
    ReverseForm,
    SplitForm,
    VoteForm,
)
from .models import MicroGrant
from .permissions import (
    can_apply_for_grant,
    can_close_grant,
    can_list_funds,
    can_list_package_money,
    can_manage_fund,
    can_record_payment,
    can_reverse_entry,
    can_set_budget,
    can_split_package,
    can_view_receipt,
    can_view_sources,
    is_committee_member,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _xlsx(rows, *, title: str, filename: str) -> HttpResponse:
    response = HttpResponse(xlsx_bytes(rows, title=title), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _year(request) -> int:
    raw = parse_id(request.GET.get("year"))
    return raw if raw and 2000 <= raw <= 2100 else timezone.localdate().year


# --- F1/F2: sources and yearly budgets -------------------------------------------------------------


@login_required
def source_list_view(request):
    """Per source for a year: budget, committed, paid, available (F1, F2)."""
    if not can_view_sources(request.user):
        raise Http404
    year = _year(request)
    rows = selectors.source_year_rows(user=request.user, year=year)
    for row in rows:
        row.can_set = can_set_budget(request.user, row.source)
    return render(
        request,
        "funds/source_list.html",
        {
            "year": year,
            "years": selectors.budget_years(),
            "rows": rows,
            "totals": {
                "amount": rules.money_sum(r.amount for r in rows),
                "committed": rules.money_sum(r.committed for r in rows),
                "paid": rules.money_sum(r.paid for r in rows),
                "available": rules.money_sum(r.available for r in rows),
            },
            "form": BudgetForm(initial={"year": year}),
        },
    )


@login_required
def source_export_view(request):
    if not can_view_sources(request.user):
        raise Http404
    year = _year(request)
    rows = [
        [_("资金来源"), _("类型"), _("年度"), _("预算（元）"), _("已分配（元）"), _("已拨付（元）"), _("可用（元）")]
    ]
    for r in selectors.source_year_rows(user=request.user, year=year):
        rows.append([r.source.name, r.source.get_kind_display(), year, r.amount, r.committed, r.paid, r.available])
    return _xlsx(rows, title=_("资金来源%(y)d") % {"y": year}, filename=f"funding-sources-{year}.xlsx")


@login_required
def source_detail_view(request, pk: int):
    source = get_object_or_404(selectors.source_list(user=request.user), pk=pk)
    year = _year(request)
    splits = list(selectors.source_splits(user=request.user, source=source, year=year))
    return render(
        request,
        "funds/source_detail.html",
        {"source": source, "year": year, "splits": splits, "total": rules.money_sum(s.amount for s in splits)},
    )


@login_required
@require_POST
def budget_set_view(request, pk: int):
    source = get_object_or_404(selectors.source_list(user=request.user), pk=pk)
    require(can_set_budget(request.user, source))
    form = BudgetForm(request.POST)
    if form.is_valid():
        try:
            services.budget_set(actor=request.user, source=source, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
    if form.errors:
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            messages.error(request, f"{source} {label}：{' '.join(errors)}")
    else:
        messages.success(request, _("%(s)s %(y)d 年度预算已保存。") % {"s": source, "y": form.cleaned_data["year"]})
    year = form.cleaned_data.get("year") or timezone.localdate().year
    return redirect(f"{reverse('funds:source-list')}?year={year}")


# --- F2/F3: a package's money -----------------------------------------------------------------------------


def _package(request, pk: int):
    return get_object_or_404(selectors.package_money_list(user=request.user), pk=pk)


@login_required
def package_list_view(request):
    if not can_list_package_money(request.user):
        raise Http404
    packages = list(selectors.package_money_list(user=request.user).order_by("town__name", "-starts_on"))
    paid = selectors.package_paid_totals([p.pk for p in packages])
    for p in packages:
        p.paid = paid.get(p.pk, rules.ZERO)
    return render(request, "funds/package_list.html", {"packages": packages})


def _package_context(request, package, **forms):
    money = selectors.package_money(package)
    sources = list(selectors.source_list(user=request.user).filter(is_active=True))
    can_split = can_split_package(request.user, package)
    for year in money.years:
        initial = {f"source_{s.budget.source_id}": s.amount for s in year.splits}
        year.form = forms.get(f"split_{year.plan_year}") or (
            SplitForm(initial=initial, sources=sources, prefix=f"y{year.plan_year}") if can_split else None
        )
    return {
        "package": package,
        "money": money,
        "can_split": can_split,
        "can_pay": can_record_payment(request.user, package),
        "payment_form": forms.get("payment_form") or PaymentForm(),
        "payment_error_for": forms.get("payment_error_for"),
        "reverse_form": ReverseForm(),
    }


@login_required
def package_money_view(request, pk: int):
    """F2/F3: a package's years, their split across sources, each instalment's state (why held, what releases
    it) and every payment."""
    package = _package(request, pk)
    return render(request, "funds/package_money.html", _package_context(request, package))


@login_required
def package_export_view(request, pk: int):
    package = _package(request, pk)
    money = selectors.package_money(package)
    rows = [
        [_("服务项目包"), package.title],
        [_("合同金额（元）"), money.contract_value],
        [_("已拨付（元）"), money.paid],
        [],
    ]
    rows.append(
        [
            _("服务年度"),
            _("节点"),
            _("比例（%）"),
            _("应拨（元）"),
            _("已拨（元）"),
            _("计划日期"),
            _("状态"),
            _("说明"),
        ]
    )
    for year in money.years:
        for r in year.instalments:
            i = r.instalment
            rows.append(
                [
                    year.plan_year,
                    i.get_milestone_display(),
                    i.percent,
                    i.amount,
                    r.paid,
                    i.planned_on,
                    r.state.label,
                    " ".join(x for x in (r.state.reason, r.state.release) if x),
                ]
            )
    rows += [[], [_("拨付日期"), _("金额（元）"), _("凭证号"), _("服务年度"), _("节点"), _("录入人"), _("说明")]]
    for p in money.payments:
        rows.append(
            [
                p.paid_on,
                p.amount,
                p.voucher_number,
                p.instalment.plan_year,
                p.instalment.get_milestone_display(),
                str(p.recorded_by),
                p.note,
            ]
        )
    rows += [[], [_("服务年度"), _("预算年度"), _("资金来源"), _("金额（元）")]]
    for year in money.years:
        for s in year.splits:
            rows.append([year.plan_year, year.budget_year, s.budget.source.name, s.amount])
    return _xlsx(rows, title=_("项目包资金"), filename=f"package-{package.pk}-money.xlsx")


@login_required
@require_POST
def split_set_view(request, pk: int, plan_year: int):
    package = _package(request, pk)
    require(can_split_package(request.user, package))
    sources = list(selectors.source_list(user=request.user).filter(is_active=True))
    form = SplitForm(request.POST, sources=sources, prefix=f"y{plan_year}")
    if form.is_valid():
        try:
            services.package_year_split_set(
                actor=request.user, package=package, plan_year=plan_year, parts=form.parts()
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("第 %(y)d 服务年度的资金来源已保存。") % {"y": plan_year})
            return redirect("funds:package-money", pk=package.pk)
    context = _package_context(request, package, **{f"split_{plan_year}": form})
    return render(request, "funds/package_money.html", context, status=400)


@login_required
@require_POST
def schedule_generate_view(request, pk: int):
    package = _package(request, pk)
    require(can_split_package(request.user, package))
    created = services.schedule_generate(package=package)
    messages.success(request, _("已生成 %(n)d 个拨付节点。") % {"n": len(created)})
    return redirect("funds:package-money", pk=package.pk)


@login_required
@require_POST
def payment_record_view(request, pk: int):
    instalment = get_object_or_404(selectors.instalment_list(user=request.user), pk=pk)
    package = instalment.package
    require(can_record_payment(request.user, package))
    form = PaymentForm(request.POST)
    if form.is_valid():
        try:
            services.payment_record(actor=request.user, instalment=instalment, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("拨付已登记。"))
            return redirect("funds:package-money", pk=package.pk)
    context = _package_context(request, package, payment_form=form, payment_error_for=instalment.pk)
    return render(request, "funds/package_money.html", context, status=400)


@login_required
@require_POST
def payment_reverse_view(request, pk: int):
    payment = get_object_or_404(selectors.payment_list(user=request.user), pk=pk)
    require(can_record_payment(request.user, payment.package))
    form = ReverseForm(request.POST)
    if form.is_valid():
        try:
            services.payment_reverse(actor=request.user, payment=payment, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("已登记冲销记录。"))
    else:
        messages.error(request, _("请填写冲销原因。"))
    return redirect("funds:package-money", pk=payment.package_id)


# --- F4: community funds -------------------------------------------------------------------------------------


def _fund(request, pk: int):
    return get_object_or_404(selectors.fund_list(user=request.user), pk=pk)


@login_required
def fund_list_view(request):
    funds = list(selectors.fund_list(user=request.user))
    if not funds and not can_list_funds(request.user):
        raise Http404
    return render(request, "funds/fund_list.html", {"funds": funds})


def _fund_context(request, fund, **forms):
    pools = services.fund_pools(fund)
    ledger = list(selectors.ledger_list(user=request.user).filter(fund=fund))
    for entry in ledger:
        entry.can_reverse = can_reverse_entry(request.user, entry)
    return {
        "fund": fund,
        "balance": rules.money_sum(pools.values()),
        "pools": sorted(pools.items()),
        "ledger": ledger,
        "grants": list(selectors.grant_list(user=request.user).filter(fund=fund)),
        "can_manage": can_manage_fund(request.user, fund),
        "can_apply": can_apply_for_grant(request.user, fund),
        "is_committee": is_committee_member(request.user, fund),
        "committee_size": services.committee_size(fund),
        "donation_form": forms.get("donation_form") or DonationForm(),
        "reverse_form": ReverseForm(),
    }


@login_required
def fund_detail_view(request, pk: int):
    """F4: the balance (the ledger's sum) per purpose, the ledger, donations, grants and their votes."""
    fund = _fund(request, pk)
    return render(request, "funds/fund_detail.html", _fund_context(request, fund))


@login_required
def fund_export_view(request, pk: int):
    fund = _fund(request, pk)
    rows = [
        [
            _("日期"),
            _("类型"),
            _("金额（元）"),
            _("定向用途"),
            _("捐赠人"),
            _("微项目"),
            _("说明"),
            _("录入人"),
            _("录入时间"),
        ]
    ]
    for e in selectors.ledger_list(user=request.user).filter(fund=fund).order_by("occurred_on", "pk"):
        donor = (_("匿名") + f"（{e.donor_name}）" if e.donor_name else _("匿名")) if e.is_anonymous else e.donor_name
        rows.append(
            [
                e.occurred_on,
                e.get_kind_display(),
                e.amount,
                e.restricted_to,
                donor,
                e.grant.title if e.grant else "",
                e.note,
                str(e.recorded_by),
                timezone.localtime(e.recorded_at).strftime("%Y-%m-%d %H:%M"),
            ]
        )
    return _xlsx(rows, title=_("基金台账"), filename=f"fund-{fund.pk}-ledger.xlsx")


@login_required
@require_POST
def donation_record_view(request, pk: int):
    fund = _fund(request, pk)
    require(can_manage_fund(request.user, fund))
    form = DonationForm(request.POST)
    if form.is_valid():
        try:
            services.donation_record(actor=request.user, fund=fund, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("捐赠已登记。"))
            return redirect("funds:fund-detail", pk=fund.pk)
    return render(request, "funds/fund_detail.html", _fund_context(request, fund, donation_form=form), status=400)


@login_required
@require_POST
def entry_reverse_view(request, pk: int):
    entry = get_object_or_404(selectors.ledger_list(user=request.user), pk=pk)
    require(can_reverse_entry(request.user, entry))
    form = ReverseForm(request.POST)
    if form.is_valid():
        try:
            services.ledger_entry_reverse(actor=request.user, entry=entry, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("已登记冲销记录。"))
    else:
        messages.error(request, _("请填写冲销原因。"))
    return redirect("funds:fund-detail", pk=entry.fund_id)


def _communities(fund):
    qs = Community.objects.filter(town_id=fund.town_id)
    return qs.filter(pk=fund.community_id) if fund.community_id else qs


@login_required
def grant_apply_view(request, pk: int):
    # Funds are public (信息公开), so an agency or community organisation may apply to one it does not run.
    fund = get_object_or_404(selectors.public_fund_list(), pk=pk)
    require(can_apply_for_grant(request.user, fund))
    form = GrantApplyForm(request.POST or None, communities=_communities(fund))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            grant = services.grant_apply(
                actor=request.user,
                fund=fund,
                **{
                    k: data[k]
                    for k in (
                        "kind",
                        "title",
                        "applicant_kind",
                        "applicant_name",
                        "community",
                        "purpose",
                        "restricted_to",
                        "budget_lines",
                    )
                },
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("申请已提交，等待管委会表决。"))
            return redirect("funds:grant-detail", pk=grant.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "funds/grant_apply.html", {"fund": fund, "form": form}, status=status)


def _grant(request, pk: int) -> MicroGrant:
    return get_object_or_404(selectors.grant_list(user=request.user), pk=pk)


def _grant_context(request, grant, **forms):
    return {
        "grant": grant,
        "fund": grant.fund,
        "votes": list(grant.votes.select_related("voter")),
        "receipts": list(grant.receipts.all()),
        "committee_size": services.committee_size(grant.fund),
        "can_vote": is_committee_member(request.user, grant.fund)
        and grant.status == MicroGrant.Status.SUBMITTED
        and not grant.votes.filter(voter=request.user).exists(),
        "can_close": can_close_grant(request.user, grant),
        "vote_form": forms.get("vote_form") or VoteForm(),
        "close_form": forms.get("close_form") or GrantCloseForm(),
    }


@login_required
def grant_detail_view(request, pk: int):
    grant = _grant(request, pk)
    return render(request, "funds/grant_detail.html", _grant_context(request, grant))


@login_required
@require_POST
def grant_vote_view(request, pk: int):
    grant = _grant(request, pk)
    require(is_committee_member(request.user, grant.fund))
    form = VoteForm(request.POST)
    if form.is_valid():
        try:
            grant = services.grant_vote(actor=request.user, grant=grant, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("表决已记录。当前状态：%(s)s") % {"s": grant.get_status_display()})
            return redirect("funds:grant-detail", pk=grant.pk)
    grant = _grant(request, pk)
    return render(request, "funds/grant_detail.html", _grant_context(request, grant, vote_form=form), status=400)


@login_required
@require_POST
def grant_close_view(request, pk: int):
    grant = _grant(request, pk)
    require(can_close_grant(request.user, grant))
    form = GrantCloseForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.grant_close(
                actor=request.user,
                grant=grant,
                outcome=form.cleaned_data["outcome"],
                receipts=form.cleaned_data["receipts"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("项目已结项。"))
            return redirect("funds:grant-detail", pk=grant.pk)
    return render(request, "funds/grant_detail.html", _grant_context(request, grant, close_form=form), status=400)


@login_required
def receipt_download_view(request, pk: int, receipt_pk: int):
    grant = _grant(request, pk)
    require(can_view_receipt(request.user, grant))
    receipt = get_object_or_404(grant.receipts.all(), pk=receipt_pk)
    return private_file_response(receipt.file, filename=receipt.original_name, content_type=receipt.content_type)


# --- 信息公开: public pages, no login -------------------------------------------------------------------------


def public_fund_list_view(request):
    return render(request, "funds/public_list.html", {"funds": list(selectors.public_fund_list())})


def public_fund_view(request, pk: int):
    """F4 (信息公开): balance, donations received (anonymous donors as 匿名) and grants with their purpose and
    outcome, by year. Nothing personal beyond the donor's name where the donor agreed to show it."""
    fund = get_object_or_404(selectors.public_fund_list(), pk=pk)
    return render(
        request,
        "funds/public_fund.html",
        {
            "fund": fund,
            "balance": fund.balance or rules.ZERO,
            "years": selectors.fund_public_years(fund),
            "can_apply": request.user.is_authenticated and can_apply_for_grant(request.user, fund),
        },
    )


app_name = "funds"
urlpatterns = [
    path("sources/", source_list_view, name="source-list"),
    path("sources/export.xlsx", source_export_view, name="source-export"),
    path("sources/<int:pk>/", source_detail_view, name="source-detail"),
    path("sources/<int:pk>/budget/", budget_set_view, name="budget-set"),
    path("packages/", package_list_view, name="package-list"),
    path("packages/<int:pk>/", package_money_view, name="package-money"),
    path("packages/<int:pk>/export.xlsx", package_export_view, name="package-export"),
    path("packages/<int:pk>/split/<int:plan_year>/", split_set_view, name="split-set"),
    path("packages/<int:pk>/schedule/", schedule_generate_view, name="schedule-generate"),
    path("instalments/<int:pk>/pay/", payment_record_view, name="payment-record"),
    path("payments/<int:pk>/reverse/", payment_reverse_view, name="payment-reverse"),
    path("community/", fund_list_view, name="fund-list"),
    path("community/<int:pk>/", fund_detail_view, name="fund-detail"),
    path("community/<int:pk>/export.xlsx", fund_export_view, name="fund-export"),
    path("community/<int:pk>/donate/", donation_record_view, name="donation-record"),
    path("community/<int:pk>/apply/", grant_apply_view, name="grant-apply"),
    path("ledger/<int:pk>/reverse/", entry_reverse_view, name="entry-reverse"),
    path("grants/<int:pk>/", grant_detail_view, name="grant-detail"),
    path("grants/<int:pk>/vote/", grant_vote_view, name="grant-vote"),
    path("grants/<int:pk>/close/", grant_close_view, name="grant-close"),
    path("grants/<int:pk>/receipts/<int:receipt_pk>/", receipt_download_view, name="receipt-download"),
    path("public/", public_fund_list_view, name="public-list"),
    path("public/<int:pk>/", public_fund_view, name="public-fund"),
]
