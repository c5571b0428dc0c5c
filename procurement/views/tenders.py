"""Pages of tendering (T1–T6): the bureau's tender desk, the agencies' bids, the experts' panels, and the
service packages an award (or the bureau, directly) creates."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, OuterRef, Prefetch, Q, Subquery, prefetch_related_objects
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.forms import add_service_errors, parse_id
from core.pagination import page_of
from core.uploads import private_file_response
from directory.models import Role
from directory.permissions import scope_for
from procurement.models import (
    Agency,
    BidScore,
    Certificate,
    ExpertDraw,
    Round,
    StaffAssignment,
    StaffMember,
    Tender,
)
from procurement.permissions import (
    can_award,
    can_bid,
    can_cosign_package,
    can_create_package,
    can_declare_conflict,
    can_edit_tender,
    can_manage_tenders,
    can_score_bids,
    can_see_bid_count,
    is_agency_manager,
)
from procurement.selectors import (
    agency_list,
    bid_for_panel_get,
    bid_get,
    bid_list,
    bid_mine_list,
    package_list,
    panel_bidder_list,
    panel_list,
    tender_filtered_list,
    tender_list,
    tender_open_list,
    tender_ranking,
)
from procurement.tendering import accepts_bids, is_sealed

from ..forms.tenders import (
    AwardForm,
    BidForm,
    ContractForm,
    DeclarationForm,
    PackageForm,
    ReasonForm,
    ScoreForm,
    TenderForm,
)
from ..past_performance import past_packages
from ..rules import Thresholds, qualification_check, staff_with_certificates, staffing_check
from ..services import packages as package_services
from ..services import tenders as services

CERTIFICATES = Prefetch("certificates", queryset=Certificate.objects.order_by("-expires_on"))


def _tender(request, pk: int) -> Tender:
    """The tender if the user may see it (drafts are the bureau's), closed for bidding if its deadline passed."""
    tender = get_object_or_404(tender_list(user=request.user), pk=pk)
    return services.tender_close_if_due(tender)


def _report(request, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


# --- the bureau's tender desk ---------------------------------------------------------------------


@login_required
def tender_list_view(request):
    """Every tender the user may see (drafts for the bureau), filtered by status and town."""
    tenders, filterset = tender_filtered_list(user=request.user, filters=request.GET)
    tenders = list(tenders)
    now = timezone.now()
    for tender in tenders:
        tender.show_bid_count = can_see_bid_count(request.user, tender, now)
    context = {
        "tenders": tenders,
        "filter": filterset,
        "now": now,
        "can_create": can_manage_tenders(request.user),
    }
    template = (
        "procurement/tenders/partials/_tender_table.html" if request.htmx else "procurement/tenders/tender_list.html"
    )
    return render(request, template, context)


def _tender_form_initial(round_: Round | None) -> dict:
    if round_ is None:
        return {"expert_count": 3}
    return {
        "round": round_,
        "annual_ceiling": round_.default_annual_ceiling,
        "period_years": round_.default_period_years,
        "weight_price": round_.weight_price,
        "weight_proposal": round_.weight_proposal,
        "weight_team": round_.weight_team,
        "weight_past": round_.weight_past,
        "expert_count": 3,
    }


@login_required
def tender_create(request):
    if not can_manage_tenders(request.user):
        raise PermissionDenied
    form = TenderForm(request.POST or None, initial=_tender_form_initial(Round.objects.filter(is_current=True).first()))
    if request.method == "POST" and form.is_valid():
        try:
            tender = services.tender_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("已创建招标项目草稿“%(t)s”。") % {"t": tender})
            return redirect(tender)
    return render(request, "procurement/tenders/tender_form.html", {"form": form, "tender": None})


@login_required
def tender_update(request, pk: int):
    tender = get_object_or_404(tender_list(user=request.user), pk=pk)
    if not can_edit_tender(request.user, tender):
        raise PermissionDenied
    initial = {name: getattr(tender, name) for name in services.EDITABLE_FIELDS}
    form = TenderForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.tender_update(actor=request.user, tender=tender, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("招标项目已保存。"))
            return redirect(tender)
    return render(request, "procurement/tenders/tender_form.html", {"form": form, "tender": tender})


@login_required
def tender_detail(request, pk: int):
    """The tender's terms for everyone who may see it; for the bureau the actions, the panel and — only
    after the deadline (T2 sealing) — the bids, each expert's scores, the ranking and disqualifications.
    Before the deadline the bureau sees the bid count only; an agency always sees its own bid."""
    tender = _tender(request, pk)
    user = request.user
    scope = scope_for(user)
    sealed = is_sealed(tender)
    manage = can_manage_tenders(user)
    ranking = [] if sealed or not scope.sees_all else tender_ranking(tender, user=user)
    own_bids = [] if scope.sees_all else list(bid_list(user=user, tender=tender))
    draw = ExpertDraw.objects.filter(tender=tender).first()
    panel = list(tender.panel.select_related("expert__user").order_by("id")) if scope.sees_all else []
    replaced = {r["replaced"] for r in draw.redraws} if draw else set()
    status = tender.status
    managed_agencies = list(agency_list(user=user).filter(organisation_id__in=scope.orgs_for(Role.AGENCY_MANAGER)))
    # Ranks mean something only once every valid bid has all its scores (T4): until then the page says what is
    # missing instead of numbering the bids, and offers no award.
    award_blockers = (
        services.scoring_problems(tender, ranking) if ranking and status == Tender.Status.EVALUATION else []
    )
    context = {
        "tender": tender,
        "now": timezone.now(),
        "sealed": sealed,
        "ranking": ranking,
        "ranks_final": bool(ranking) and not award_blockers and status != Tender.Status.PUBLISHED,
        "award_blockers": award_blockers,
        "own_bids": own_bids,
        "draw": draw,
        "panel": panel,
        "experts": [m.expert for m in panel],
        "replaceable": [m for m in panel if m.has_conflict and m.expert_id not in replaced],
        "contract": getattr(tender, "contract", None) if status in ("awarded", "contracted") else None,
        "package": getattr(tender, "package", None) if status in ("awarded", "contracted") else None,
        "can_manage": manage,
        "can_edit": can_edit_tender(user, tender),
        "can_publish": manage and status == Tender.Status.DRAFT,
        "can_close": manage and status == Tender.Status.PUBLISHED and not sealed,
        "can_draw": manage and status == Tender.Status.EVALUATION and draw is None,
        "can_award": can_award(user, tender) and draw is not None and not award_blockers,
        "can_cancel": manage and status in ("draft", "published", "evaluation"),
        "can_unsuccessful": manage and status == Tender.Status.EVALUATION,
        "can_contract": manage and status == Tender.Status.AWARDED,
        "can_bid": any(can_bid(user, tender, a) for a in managed_agencies),
        "reason_form": ReasonForm(),
        "contract_form": ContractForm(initial={"signed_on": timezone.localdate()}),
    }
    return render(request, "procurement/tenders/tender_detail.html", context)


def _tender_action(request, pk: int, action, success: str, **kwargs):
    tender = get_object_or_404(tender_list(user=request.user), pk=pk)
    if not can_manage_tenders(request.user):
        raise PermissionDenied
    try:
        action(actor=request.user, tender=tender, **kwargs)
    except ValidationError as exc:
        _report(request, exc)
    else:
        messages.success(request, success)
    return redirect(tender)


@login_required
@require_POST
def tender_publish(request, pk: int):
    return _tender_action(request, pk, services.tender_publish, _("招标公告已发布，开始接受投标。"))


@login_required
@require_POST
def tender_close(request, pk: int):
    return _tender_action(request, pk, services.tender_close_bidding, _("投标已结束，项目进入评审。"))


@login_required
@require_POST
def tender_draw(request, pk: int):
    return _tender_action(request, pk, services.experts_draw, _("已随机抽取评审专家，抽取记录已保存。"))


@login_required
@require_POST
def tender_cancel(request, pk: int):
    reason = request.POST.get("reason", "")
    return _tender_action(request, pk, services.tender_cancel, _("招标项目已取消。"), reason=reason)


@login_required
@require_POST
def tender_unsuccessful(request, pk: int):
    reason = request.POST.get("reason", "")
    return _tender_action(request, pk, services.tender_mark_unsuccessful, _("已作流标处理。"), reason=reason)


@login_required
@require_POST
def tender_contract(request, pk: int):
    tender = get_object_or_404(tender_list(user=request.user), pk=pk)
    if not can_manage_tenders(request.user):
        raise PermissionDenied  # before the form: a refusal, not a form message, for who may not act
    form = ContractForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写有效的合同签订日期。"))
        return redirect(tender)
    return _tender_action(
        request, pk, services.tender_mark_contracted, _("合同已签订。"), signed_on=form.cleaned_data["signed_on"]
    )


@login_required
@require_POST
def tender_redraw(request, pk: int, member_pk: int):
    tender = get_object_or_404(tender_list(user=request.user), pk=pk)
    if not can_manage_tenders(request.user):
        raise PermissionDenied
    member = get_object_or_404(tender.panel.all(), pk=member_pk)
    try:
        services.experts_redraw(actor=request.user, tender=tender, member=member)
    except ValidationError as exc:
        _report(request, exc)
    else:
        messages.success(request, _("已补抽一名评审专家，补抽记录已保存。"))
    return redirect(tender)


@login_required
def tender_award(request, pk: int):
    """T6: award the top-ranked bid (or another valid bid with a written reason)."""
    tender = _tender(request, pk)
    if not can_manage_tenders(request.user):
        raise PermissionDenied
    if not can_award(request.user, tender):
        messages.error(request, _("只有评审阶段的招标项目可以定标。"))
        return redirect(tender)
    ranking = tender_ranking(tender, user=request.user)
    valid_ids = [r.bid.pk for r in ranking if not r.disqualified]
    bids = bid_list(user=request.user, tender=tender).filter(pk__in=valid_ids)
    form = AwardForm(request.POST or None, bids=bids)
    if request.method == "POST" and form.is_valid():
        try:
            contract = services.tender_award(actor=request.user, tender=tender, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("已定标：%(agency)s，合同编号 %(number)s，已生成服务项目包。")
                % {"agency": contract.agency, "number": contract.number},
            )
            return redirect(tender)
    return render(
        request, "procurement/tenders/tender_award.html", {"tender": tender, "ranking": ranking, "form": form}
    )


# --- agencies: open tenders and bids ------------------------------------------------------------


def _managed_agencies(user):
    return agency_list(user=user).filter(organisation_id__in=scope_for(user).orgs_for(Role.AGENCY_MANAGER))


@login_required
def tender_open_list_view(request):
    """Tenders still taking bids, with the user's agencies' bids on them."""
    tenders = list(tender_open_list(user=request.user).order_by("bid_deadline"))
    mine = {b.tender_id: b for b in bid_mine_list(user=request.user).filter(tender__in=[t.pk for t in tenders])}
    rows = [(t, mine.get(t.pk)) for t in tenders]
    is_manager = scope_for(request.user).has(Role.AGENCY_MANAGER)
    return render(request, "procurement/tenders/tender_open_list.html", {"rows": rows, "is_manager": is_manager})


def _staff_for_bid(agency: Agency):
    today = timezone.localdate()
    return (
        StaffMember.objects.filter(agency=agency)
        .filter(Q(employed_until__isnull=True) | Q(employed_until__gte=today))
        .prefetch_related(CERTIFICATES)
        .order_by("-is_full_time", "name")
    )


def _team_check(tender: Tender, ids) -> object:
    team = list(staff_with_certificates(ids))
    return staffing_check(team, on=tender.service_starts_on, thresholds=Thresholds.of(tender))


def _own_staff_ids(agency: Agency, raw: list[str]) -> list[int]:
    """The ids among `raw` (as typed into a form) of the agency's own staff: a team check never reads another
    agency's roster, whatever ids are sent."""
    ids = [i for i in map(parse_id, raw) if i is not None]
    return list(StaffMember.objects.filter(agency=agency, pk__in=ids).values_list("pk", flat=True))


def _bid_agency(request) -> Agency:
    agencies = list(_managed_agencies(request.user))
    if not agencies:
        raise PermissionDenied
    wanted = request.POST.get("agency") or request.GET.get("agency")
    if wanted:
        for agency in agencies:
            if str(agency.pk) == wanted:
                return agency
        raise Http404
    return agencies[0]


@login_required
def bid_submit(request, pk: int):
    """An agency manager's bid on a published tender: submit, or change it until the deadline. Q1 is shown
    up front; the team's Q2–Q4 check updates live (htmx) and is a warning here, a T5 check at evaluation."""
    tender = _tender(request, pk)
    agency = _bid_agency(request)
    bid = bid_list(user=request.user, tender=tender).filter(agency=agency).first()
    staff = _staff_for_bid(agency)
    initial = {}
    if bid is not None:
        initial = {"price": bid.price, "proposal": bid.proposal, "team_ids": [m.pk for m in bid.team.all()]}
    form = BidForm(request.POST or None, request.FILES or None, initial=initial, staff=staff)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            bid = services.bid_submit(
                actor=request.user,
                tender=tender,
                agency=agency,
                price=data["price"],
                proposal=data["proposal"],
                proposal_file=data["proposal_file"] or None,
                team_ids=[m.pk for m in data["team_ids"]],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("投标已提交。截止前您可以修改，截止后投标将开启评审。"))
            for problem in _team_check(tender, [m.pk for m in data["team_ids"]]).problems:
                messages.warning(request, _("团队提示：%(p)s") % {"p": problem})
            return redirect(f"{reverse('procurement:bid-submit', args=[tender.pk])}?agency={agency.pk}")
    if form.is_bound:
        selected = _own_staff_ids(agency, request.POST.getlist("team_ids"))
    else:
        selected = initial.get("team_ids", [])
    context = {
        "tender": tender,
        "agency": agency,
        "agencies": list(_managed_agencies(request.user)),
        "bid": bid,
        "form": form,
        "open": can_bid(request.user, tender, agency),
        "qualification": qualification_check(agency, on=timezone.localdate()),
        "check": _team_check(tender, selected),
    }
    return render(request, "procurement/tenders/bid_form.html", context)


@login_required
def bid_team_check(request, pk: int):
    """htmx: the Q2–Q4 result for the team being picked."""
    tender = get_object_or_404(tender_list(user=request.user), pk=pk)
    agency = _bid_agency(request)
    if not is_agency_manager(request.user, agency):
        raise PermissionDenied
    ids = _own_staff_ids(agency, request.GET.getlist("team_ids"))
    return render(
        request, "procurement/tenders/partials/_team_check.html", {"check": _team_check(tender, ids), "tender": tender}
    )


@login_required
def bid_mine(request):
    bids = list(bid_mine_list(user=request.user))
    for bid in bids:
        bid.accepts_changes = accepts_bids(bid.tender)  # T2, decided once for the template
    return render(request, "procurement/tenders/bid_mine.html", {"bids": bids})


@login_required
def bid_proposal_download(request, pk: int):
    """The private proposal attachment, for whoever may read the bid (T2 sealing applies)."""
    bid = bid_get(user=request.user, pk=pk)
    if not bid.proposal_file:
        raise Http404
    return private_file_response(
        bid.proposal_file, filename=f"proposal-{bid.tender_id}-{bid.pk}.pdf", content_type="application/pdf"
    )


# --- experts: panels, declaration, scoring (T3, T4) ---------------------------------------------


@login_required
def panel_list_view(request):
    members = list(panel_list(user=request.user).annotate(bid_count=Count("tender__bids", distinct=True)))
    scored = dict(
        BidScore.objects.filter(expert__user=request.user)
        .values("bid__tender_id")
        .annotate(n=Count("id"))
        .values_list("bid__tender_id", "n")
    )
    rows = [(m, scored.get(m.tender_id, 0)) for m in members]
    return render(request, "procurement/tenders/panel_list.html", {"rows": rows})


def _panel_member(request, tender_pk: int):
    member = get_object_or_404(panel_list(user=request.user), tender_id=tender_pk)
    services.tender_close_if_due(member.tender)
    return member


@login_required
def panel_detail(request, tender_pk: int):
    """A drawn expert's desk for one tender: the declaration first; then the bids and their own sheets."""
    member = _panel_member(request, tender_pk)
    tender = member.tender
    rows = []
    if member.may_score:
        sheets = {s.bid_id: s for s in BidScore.objects.filter(expert=member.expert, bid__tender=tender)}
        rows = [(bid, sheets.get(bid.pk)) for bid in bid_list(user=request.user, tender=tender)]
    context = {
        "member": member,
        "tender": tender,
        "rows": rows,
        "can_declare": can_declare_conflict(request.user, member),
        "can_score": can_score_bids(request.user, tender),
        "bidders": (
            [bid.agency for bid in panel_bidder_list(user=request.user, tender=tender)]
            if can_declare_conflict(request.user, member)
            else []
        ),
        "form": DeclarationForm(),
    }
    return render(request, "procurement/tenders/panel_detail.html", context)


@login_required
@require_POST
def panel_declare(request, tender_pk: int):
    member = _panel_member(request, tender_pk)
    form = DeclarationForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择是否存在利益冲突。"))
    else:
        try:
            services.panel_declare(actor=request.user, tender=member.tender, **_declaration(form))
        except ValidationError as exc:
            _report(request, exc)
        else:
            if form.cleaned_data["has_conflict"]:
                messages.info(request, _("已登记回避，民政局将另行补抽专家。"))
            else:
                messages.success(request, _("已声明无利益冲突，可以开始评分。"))
    return redirect("procurement:panel-detail", tender_pk=member.tender_id)


def _declaration(form: DeclarationForm) -> dict:
    return {"has_conflict": form.cleaned_data["has_conflict"], "note": form.cleaned_data["note"]}


def _bid_for_scoring(request, pk: int):
    """A bid of a tender the user was drawn for (after its deadline) and the user's seat; anyone else gets
    404. Whether they may score yet (declared, no conflict) is asked next, so the page can say what to do."""
    bid = bid_for_panel_get(user=request.user, pk=pk)
    member = panel_list(user=request.user).get(tender_id=bid.tender_id)
    return bid, member


@login_required
def bid_score(request, pk: int):
    bid, member = _bid_for_scoring(request, pk)
    tender = services.tender_close_if_due(bid.tender)
    if not member.may_score:
        if member.declared_at is None:
            messages.error(request, _("请先声明与本项目无利益冲突，再进行评分。"))
        else:
            messages.error(request, _("您已声明回避本项目，不参与评分。"))
        return redirect("procurement:panel-detail", tender_pk=tender.pk)
    sheet = BidScore.objects.filter(bid=bid, expert=member.expert).first()
    form = ScoreForm(request.POST or None)
    if request.method == "POST" and sheet is not None:
        messages.error(request, _("您已对该投标提交评分，评分提交后不能修改。"))
    elif request.method == "POST" and form.is_valid():
        try:
            services.bid_score_submit(actor=request.user, bid=bid, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("评分已提交。"))
            return redirect("procurement:panel-detail", tender_pk=tender.pk)
    team = StaffMember.objects.prefetch_related(CERTIFICATES).order_by("-is_full_time", "name")
    prefetch_related_objects([bid], Prefetch("team", queryset=team))
    context = {
        "bid": bid,
        "tender": tender,
        "sheet": sheet,
        "form": form,
        "can_score": sheet is None and can_score_bids(request.user, tender) and not bid.disqualification_reasons,
        "past": past_packages([bid.agency_id], exclude_tender_id=tender.pk).get(bid.agency_id, []),
        "today": timezone.localdate(),
    }
    return render(request, "procurement/tenders/bid_score.html", context)


# --- service packages ---------------------------------------------------------------------------


PACKAGE_PAGE_SIZE = 50


@login_required
def package_list_view(request):
    # The page shows the town, district and agency: no join to the round or the edition (issue 14); a page of
    # at most PACKAGE_PAGE_SIZE packages, so it stays the same size as the city grows. The staff count is a
    # subquery per row shown, so the paginator's COUNT(*) groups nothing.
    staff = (
        StaffAssignment.objects.filter(package=OuterRef("pk"))
        .order_by()
        .values("package")
        .annotate(n=Count("pk"))
        .values("n")
    )
    packages = (
        package_list(user=request.user)
        .select_related(None)
        .select_related("town__district", "agency__organisation")
        .annotate(staff_count=Coalesce(Subquery(staff), 0))
    )
    page = page_of(request, packages.order_by("-starts_on", "town__name", "pk"), PACKAGE_PAGE_SIZE)
    return render(
        request,
        "procurement/tenders/package_list.html",
        {"packages": page, "page": page, "can_create": can_create_package(request.user)},
    )


@login_required
def package_detail(request, pk: int):
    """A package with its staffing panel: the Q2–Q4 result on today's date (or the start date before it
    begins, the end date after it ends), with Q5 warnings for certificates and the agency's qualification."""
    package = get_object_or_404(
        package_list(user=request.user).select_related("tender", "contract", "cosigned_by"), pk=pk
    )
    today = timezone.localdate()
    on = min(max(today, package.starts_on), package.ends_on)
    assignments = list(
        StaffAssignment.objects.filter(package=package)
        .select_related("staff")
        .prefetch_related(Prefetch("staff__certificates", queryset=Certificate.objects.order_by("-expires_on")))
        .order_by("-is_full_time", "staff__name")
    )
    thresholds = Thresholds.of(package.tender or package.round)
    check = staffing_check([a.staff for a in assignments], on=on, thresholds=thresholds, exclude_package_id=package.pk)
    qualification = qualification_check(package.agency, on=on)
    context = {
        "package": package,
        "assignments": assignments,
        "check": check,
        "qualification": qualification,
        "on": on,
        "can_cosign": can_cosign_package(request.user, package),
    }
    return render(request, "procurement/tenders/package_detail.html", context)


@login_required
@require_POST
def package_cosign(request, pk: int):
    """会签 by the district's officer: refused for anyone else (403 to those who may read the package, 404
    to those who may not), and a second time with a message."""
    package = get_object_or_404(package_list(user=request.user), pk=pk)
    try:
        package_services.package_cosign(actor=request.user, package=package, comment=request.POST.get("comment", ""))
    except ValidationError as exc:
        _report(request, exc)
    else:
        messages.success(request, _("已会签。"))
    return redirect(package)


@login_required
def package_create(request):
    """Enter a package bought before the platform (bureau only), with the same checks as an award."""
    if not can_create_package(request.user):
        raise PermissionDenied
    agency_id = parse_id(request.POST.get("agency") or request.GET.get("agency"))
    agency = Agency.objects.filter(pk=agency_id).first() if agency_id else None
    staff = _staff_for_bid(agency) if agency else StaffMember.objects.none()
    form = PackageForm(request.POST or None, staff=staff, initial={"agency": agency} if agency else None)
    if request.htmx and request.method == "GET":
        return render(request, "procurement/tenders/partials/_package_staff.html", {"form": form})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["staff_ids"] = [m.pk for m in data["staff_ids"]]
        try:
            package = package_services.package_create_direct(actor=request.user, **data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("已录入项目包“%(p)s”。") % {"p": package})
            return redirect(package)
    return render(request, "procurement/tenders/package_form.html", {"form": form})


urlpatterns = [
    path("tenders/", tender_list_view, name="tender-list"),
    path("tenders/open/", tender_open_list_view, name="tender-open-list"),
    path("tenders/new/", tender_create, name="tender-create"),
    path("tenders/<int:pk>/", tender_detail, name="tender-detail"),
    path("tenders/<int:pk>/edit/", tender_update, name="tender-update"),
    path("tenders/<int:pk>/publish/", tender_publish, name="tender-publish"),
    path("tenders/<int:pk>/close/", tender_close, name="tender-close"),
    path("tenders/<int:pk>/draw/", tender_draw, name="tender-draw"),
    path("tenders/<int:pk>/redraw/<int:member_pk>/", tender_redraw, name="tender-redraw"),
    path("tenders/<int:pk>/cancel/", tender_cancel, name="tender-cancel"),
    path("tenders/<int:pk>/unsuccessful/", tender_unsuccessful, name="tender-unsuccessful"),
    path("tenders/<int:pk>/award/", tender_award, name="tender-award"),
    path("tenders/<int:pk>/contract/", tender_contract, name="tender-contract"),
    path("tenders/<int:pk>/bid/", bid_submit, name="bid-submit"),
    path("tenders/<int:pk>/bid/team-check/", bid_team_check, name="bid-team-check"),
    path("bids/mine/", bid_mine, name="bid-mine"),
    path("bids/<int:pk>/proposal/", bid_proposal_download, name="bid-proposal"),
    path("bids/<int:pk>/score/", bid_score, name="bid-score"),
    path("panels/", panel_list_view, name="panel-list"),
    path("panels/<int:tender_pk>/", panel_detail, name="panel-detail"),
    path("panels/<int:tender_pk>/declare/", panel_declare, name="panel-declare"),
    path("packages/", package_list_view, name="package-list"),
    path("packages/new/", package_create, name="package-create"),
    path("packages/<int:pk>/", package_detail, name="package-detail"),
    path("packages/<int:pk>/cosign/", package_cosign, name="package-cosign"),
]
