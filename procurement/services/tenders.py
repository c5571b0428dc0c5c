"""Tenders (T1–T6): the tender lifecycle, sealed bids, the expert draw and the conflict declaration, scoring,
and the award that creates the contract and the service package.

Decisions worth knowing:
- A price above the ceiling is refused at submission (the bidder can fix it at once); it is also a T5
  disqualification reason should it ever slip through. Team problems (Q2–Q4) are only warnings at submission
  — the roster may still change before the deadline — and disqualify at evaluation (T5).
- Resubmitting a bid before the deadline replaces it, and its submission time becomes the time of the last
  change: the T4 tie-break "earlier submission" compares the bids as finally submitted.
- Bidding closes by the bureau's click, by Celery beat (`tenders_close_due`, every 10 minutes) or lazily:
  whoever next touches a tender whose deadline has passed (a page, the API, a service) closes it through
  `tender_close_if_due`; closing runs the T5 checks once and stores their reasons on each bid (bid opening),
  so the ranking reads them with a constant number of queries.
"""

from __future__ import annotations

import datetime
import logging
import random
import secrets
from collections import defaultdict
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog.services import edition_mark_in_use
from core.uploads import sniff_upload
from directory.models import Membership, Town
from procurement.models import (
    Agency,
    Bid,
    BidScore,
    Certificate,
    Contract,
    Expert,
    ExpertDraw,
    Round,
    StaffMember,
    Tender,
    TenderExpert,
)
from procurement.permissions import can_manage_tenders, can_score_bids, is_agency_manager
from procurement.selectors import tender_ranking
from procurement.tendering import (
    SCORE_FIELDS,
    WEIGHT_FIELDS,
    deadline_passed,
    t1_terms_problems,
    t4_weighted_total,
    t5_disqualification_reasons,
    t5_price_problem,
)

from ..rules import Thresholds, qualification_check, staff_with_certificates
from .packages import (
    DEFAULT_STAFF_COST_SHARE,
    PackageTerms,
    _lock_town_and_agency,
    _package_create,
    package_problems,
    period_end,
)

EDITABLE_FIELDS = (
    "round",
    "town",
    "title",
    "description",
    "annual_ceiling",
    "period_years",
    "service_starts_on",
    "bid_deadline",
    "expert_count",
    *WEIGHT_FIELDS,
)

S = Tender.Status
# T2: draft → published → evaluation → awarded → contracted, or unsuccessful (流标) / cancelled.
TRANSITIONS: dict[str, set[str]] = {
    S.DRAFT: {S.PUBLISHED, S.CANCELLED},
    S.PUBLISHED: {S.EVALUATION, S.CANCELLED},
    S.EVALUATION: {S.AWARDED, S.UNSUCCESSFUL, S.CANCELLED},
    S.AWARDED: {S.CONTRACTED},
}

logger = logging.getLogger(__name__)


def _require_bureau(actor) -> None:
    if not can_manage_tenders(actor):
        raise PermissionDenied(_("只有民政局管理员可以管理招标项目。"))


def _lock(tender: Tender) -> Tender:
    return Tender.objects.select_for_update(of=("self",)).select_related("round", "town", "edition").get(pk=tender.pk)


def _move(tender: Tender, to: str) -> None:
    if to not in TRANSITIONS.get(tender.status, set()):
        raise ValidationError(
            _("招标项目当前状态为“%(now)s”，不能变更为“%(to)s”。") % {"now": S(tender.status).label, "to": S(to).label}
        )
    tender.status = to


def _validate_terms(tender: Tender) -> None:
    """T1's terms (`tendering.t1_terms_problems`), then the model's own validation."""
    errors = t1_terms_problems(tender)
    if errors:
        raise ValidationError(errors)
    tender.full_clean()


# --- lifecycle (T1, T2) --------------------------------------------------------------------------


@transaction.atomic
def tender_create(
    *,
    actor,
    round: Round,
    town: Town,
    title: str,
    service_starts_on: datetime.date,
    bid_deadline: datetime.datetime,
    description: str = "",
    annual_ceiling: Decimal | None = None,
    period_years: int | None = None,
    expert_count: int = 3,
    weight_price: int | None = None,
    weight_proposal: int | None = None,
    weight_team: int | None = None,
    weight_past: int | None = None,
) -> Tender:
    """A draft tender for one town's package (T1). What is not given comes from the round: the ceiling
    (1,000,000), the period (2 years), the T4 weights; the Q2/Q3 thresholds and the catalogue edition always do."""
    _require_bureau(actor)
    weights = {"weight_price": weight_price, "weight_proposal": weight_proposal}
    weights |= {"weight_team": weight_team, "weight_past": weight_past}
    tender = Tender(
        round=round,
        town=town,
        edition=round.edition,
        title=(title or "").strip(),
        description=description or "",
        annual_ceiling=annual_ceiling if annual_ceiling is not None else round.default_annual_ceiling,
        period_years=period_years if period_years is not None else round.default_period_years,
        service_starts_on=service_starts_on,
        min_full_time_staff=round.min_full_time_staff,
        min_certified_share=round.min_certified_share,
        expert_count=expert_count,
        bid_deadline=bid_deadline,
        status=S.DRAFT,
        created_by=actor,
        **{f: v if v is not None else getattr(round, f) for f, v in weights.items()},
    )
    _validate_terms(tender)
    tender.save()
    return tender


@transaction.atomic
def tender_update(*, actor, tender: Tender, **changes) -> Tender:
    """Change a draft's terms; a changed round brings its thresholds and edition along."""
    _require_bureau(actor)
    tender = _lock(tender)
    if tender.status != S.DRAFT:
        raise ValidationError(_("只有草稿状态的招标项目可以修改；已发布的招标条件不能更改。"))
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(_("不能修改这些字段：%(f)s。") % {"f": ", ".join(sorted(unknown))})
    for name, value in changes.items():
        setattr(tender, name, value)
    if "round" in changes:
        tender.edition = tender.round.edition
        tender.min_full_time_staff = tender.round.min_full_time_staff
        tender.min_certified_share = tender.round.min_certified_share
    tender.title = (tender.title or "").strip()
    _validate_terms(tender)
    tender.save()
    return tender


@transaction.atomic
def tender_publish(*, actor, tender: Tender) -> Tender:
    """Open the tender for bids (draft → published) and freeze its catalogue edition (C4)."""
    _require_bureau(actor)
    tender = _lock(tender)
    _move(tender, S.PUBLISHED)
    if tender.bid_deadline <= timezone.now():
        raise ValidationError({"bid_deadline": [_("投标截止时间已过，请先修改截止时间再发布。")]})
    _validate_terms(tender)
    tender.published_at = timezone.now()
    tender.save()
    edition_mark_in_use(edition=tender.edition)
    return tender


def _check_bids(tender: Tender) -> None:
    """T5 at bid opening: store each bid's disqualification reasons (empty when valid)."""
    now = timezone.now()
    certificates = Prefetch("certificates", queryset=Certificate.objects.order_by("-expires_on"))
    bids = (
        Bid.objects.filter(tender=tender)
        .select_related("agency__organisation")
        .prefetch_related(Prefetch("team", queryset=StaffMember.objects.prefetch_related(certificates)))
    )
    for bid in bids:
        bid.tender = tender
        bid.disqualification_reasons = t5_disqualification_reasons(bid)
        bid.checked_at = now
        bid.save(update_fields=["disqualification_reasons", "checked_at"])


def _close(tender: Tender) -> None:
    _move(tender, S.EVALUATION)
    tender.save()
    _check_bids(tender)


@transaction.atomic
def tender_close_bidding(*, actor, tender: Tender) -> Tender:
    """End bidding after the deadline (published → evaluation) and check every bid (T5)."""
    _require_bureau(actor)
    tender = _lock(tender)
    if tender.status == S.PUBLISHED and not deadline_passed(tender):
        raise ValidationError(
            _("投标截止时间 %(deadline)s 之前不能结束投标。")
            % {"deadline": timezone.localtime(tender.bid_deadline).strftime("%Y-%m-%d %H:%M")}
        )
    _close(tender)
    return tender


def tender_close_if_due(tender: Tender) -> Tender:
    """Lazy closing: a published tender whose deadline has passed is closed for bidding even if nobody
    clicked. Safe to call on every read; does nothing otherwise."""
    if tender.status != S.PUBLISHED or not deadline_passed(tender):
        return tender
    with transaction.atomic():
        locked = _lock(tender)
        if locked.status == S.PUBLISHED and deadline_passed(locked):
            _close(locked)
    tender.refresh_from_db()
    return tender


def tenders_close_due() -> list[int]:
    """Close every published tender whose deadline has passed (the beat schedule's sweep); each in its own
    transaction, so one tender's failure leaves the others closed. Returns the ids closed now."""
    closed = []
    for tender in Tender.objects.filter(status=S.PUBLISHED, bid_deadline__lte=timezone.now()).order_by("pk"):
        try:
            if tender_close_if_due(tender).status == S.EVALUATION:
                closed.append(tender.pk)
        except Exception:  # one broken tender must not keep every later one open; the next run retries it
            logger.exception("closing tender %s past its deadline failed", tender.pk)
    return closed


@transaction.atomic
def tender_cancel(*, actor, tender: Tender, reason: str) -> Tender:
    """Cancel a tender before award, with a written reason shown on the tender page."""
    _require_bureau(actor)
    if not (reason or "").strip():
        raise ValidationError({"reason": [_("请填写取消原因。")]})
    tender = _lock(tender)
    _move(tender, S.CANCELLED)
    tender.status_reason = reason.strip()
    tender.save()
    return tender


@transaction.atomic
def tender_mark_unsuccessful(*, actor, tender: Tender, reason: str) -> Tender:
    """流标: after the deadline, e.g. when no valid bid remains, with a written reason."""
    _require_bureau(actor)
    if not (reason or "").strip():
        raise ValidationError({"reason": [_("请填写流标原因。")]})
    tender = _lock(tender)
    if tender.status == S.PUBLISHED and deadline_passed(tender):
        _close(tender)
    _move(tender, S.UNSUCCESSFUL)
    tender.status_reason = reason.strip()
    tender.save()
    return tender


# --- bids (T2, T5) -------------------------------------------------------------------------------


def _two_places(value: Decimal, field: str, errors: dict[str, list[str]]) -> Decimal | None:
    """A typed amount or score (the form or serializer parsed it) with at most two decimal places."""
    if not isinstance(value, Decimal):
        raise TypeError(f"{field} must be a Decimal parsed by the form or serializer, not {type(value).__name__}")
    if not value.is_finite() or value.as_tuple().exponent < -2:
        errors[field] = [_("最多保留两位小数。")]
        return None
    return value


@transaction.atomic
def bid_submit(
    *,
    actor,
    tender: Tender,
    agency: Agency,
    price: Decimal,
    proposal: str,
    proposal_file=None,
    team_ids: list[int],
) -> Bid:
    """Submit or replace the agency's one bid while the tender is published and before the deadline (T2).
    The agency must pass Q1 now; the team must be its own staff; the price must be within the ceiling.
    Team problems (Q2–Q4) are not refused here: the page shows them as warnings, and T5 disqualifies at
    evaluation."""
    tender = _lock(tender)
    if not is_agency_manager(actor, agency):
        raise PermissionDenied(_("只有本机构的负责人可以投标。"))
    now = timezone.now()
    if tender.status in (S.PUBLISHED, S.EVALUATION) and now >= tender.bid_deadline:
        raise ValidationError(
            _("投标已于 %(deadline)s 截止，不再接受投标或修改。")
            % {"deadline": timezone.localtime(tender.bid_deadline).strftime("%Y-%m-%d %H:%M")}
        )
    if tender.status != S.PUBLISHED:
        raise ValidationError(_("该招标项目不在投标期（当前状态：%(s)s）。") % {"s": tender.get_status_display()})
    qualification = qualification_check(agency, on=timezone.localdate(now))
    if not qualification.ok:
        raise ValidationError([_("机构不符合投标资格："), *qualification.problems])
    errors: dict[str, list[str]] = {}
    amount = _two_places(price, "price", errors)
    if amount is not None and amount <= 0:
        errors["price"] = [_("报价必须大于0。")]
    elif amount is not None and t5_price_problem(amount, tender.annual_ceiling):
        errors["price"] = [t5_price_problem(amount, tender.annual_ceiling)]
    if not (proposal or "").strip():
        errors["proposal"] = [_("请填写服务方案。")]
    ids = sorted(set(team_ids or []))
    if not ids:
        errors["team_ids"] = [_("请从本机构人员中选择拟派团队。")]
    elif StaffMember.objects.filter(id__in=ids, agency=agency).count() != len(ids):
        errors["team_ids"] = [_("拟派团队中有不属于 %(agency)s 的人员。") % {"agency": agency}]
    if proposal_file is not None:
        try:
            sniff_upload(proposal_file, allowed={"pdf"})
        except ValidationError as exc:
            errors["proposal_file"] = exc.messages
    if errors:
        raise ValidationError(errors)
    bid = Bid.objects.select_for_update().filter(tender=tender, agency=agency).first()
    old_file = None
    if bid is None:
        bid = Bid(tender=tender, agency=agency)
    bid.price = amount
    bid.proposal = proposal.strip()
    bid.submitted_by = actor
    bid.submitted_at = now
    if proposal_file is not None:
        old_file = bid.proposal_file.name if bid.proposal_file else None
        bid.proposal_file = proposal_file
    bid.full_clean(exclude=["team"])
    bid.save()
    bid.team.set(ids)
    if old_file:
        storage = bid.proposal_file.storage
        transaction.on_commit(lambda: storage.delete(old_file))
    return bid


# --- experts (T3) --------------------------------------------------------------------------------


def expert_pool(tender: Tender, skip: set[int]) -> tuple[list[int], list[dict]]:
    """Candidate expert ids (sorted) and the exclusions with their reasons: an expert affiliated with (or a
    member of) a bidder's organisation, one who declared a conflict for this tender, one already on the panel."""
    bidder_orgs = {
        b.agency.organisation_id: b.agency.organisation.name
        for b in Bid.objects.filter(tender=tender).select_related("agency__organisation")
    }
    member_of: dict[int, set[int]] = defaultdict(set)
    for user_id, org_id in Membership.objects.filter(organisation_id__in=bidder_orgs, is_active=True).values_list(
        "user_id", "organisation_id"
    ):
        member_of[user_id].add(org_id)
    conflicted = set(TenderExpert.objects.filter(tender=tender, has_conflict=True).values_list("expert_id", flat=True))
    pool = Expert.objects.filter(
        category=Expert.Category.PUBLIC_WELFARE, is_active=True, user__is_active=True
    ).select_related("user")
    candidates: list[int] = []
    exclusions: list[dict] = []
    for expert in pool.order_by("id"):
        linked = ({expert.affiliation_id} | member_of[expert.user_id]) & bidder_orgs.keys()
        reason = None
        if linked:
            reason = _("任职于投标机构“%(org)s”") % {"org": bidder_orgs[min(linked)]}
        elif expert.id in conflicted:
            reason = _("已声明与本项目存在利益冲突")
        elif expert.id in skip:
            reason = _("已在本项目评审专家组中")
        if reason:
            exclusions.append({"expert": expert.id, "name": str(expert), "reason": str(reason)})
        else:
            candidates.append(expert.id)
    return sorted(candidates), exclusions


def _ensure_closed_for_panel(tender: Tender) -> None:
    if tender.status == S.PUBLISHED and deadline_passed(tender):
        _close(tender)
    if tender.status != S.EVALUATION:
        if tender.status == S.PUBLISHED:
            raise ValidationError(_("投标截止后才能抽取专家：回避须以全部投标机构为准。"))
        raise ValidationError(_("招标项目当前状态为“%(s)s”，不能抽取专家。") % {"s": tender.get_status_display()})


@transaction.atomic
def experts_draw(*, actor, tender: Tender, seed: str | None = None) -> ExpertDraw:
    """T3: draw `tender.expert_count` experts at random from the 公益服务类 pool after the deadline,
    excluding experts affiliated with a bidder. `random.Random(seed).sample(candidates, k)` on the sorted
    candidate ids, so the recorded seed reproduces the draw."""
    _require_bureau(actor)
    tender = _lock(tender)
    _ensure_closed_for_panel(tender)
    if ExpertDraw.objects.filter(tender=tender).exists():
        raise ValidationError(_("本项目已抽取过评审专家；如有专家声明回避，请为其补抽。"))
    candidates, exclusions = expert_pool(tender, skip=set())
    k = tender.expert_count
    if len(candidates) < k:
        raise ValidationError(
            _("符合条件的公益服务类专家只有 %(n)d 人（另有 %(x)d 人回避），不足本项目所需的 %(k)d 人。")
            % {"n": len(candidates), "x": len(exclusions), "k": k}
        )
    seed = seed or secrets.token_hex(8)
    drawn = random.Random(seed).sample(candidates, k)
    draw = ExpertDraw.objects.create(
        tender=tender, seed=seed, candidates=candidates, exclusions=exclusions, drawn=drawn, drawn_by=actor
    )
    TenderExpert.objects.bulk_create(TenderExpert(tender=tender, expert_id=expert_id) for expert_id in drawn)
    return draw


@transaction.atomic
def experts_redraw(*, actor, tender: Tender, member: TenderExpert, seed: str | None = None) -> TenderExpert:
    """Replace a drawn expert who declared a conflict with one more random expert; recorded on the draw
    with its own seed, candidates and exclusions."""
    _require_bureau(actor)
    tender = _lock(tender)
    _ensure_closed_for_panel(tender)
    draw = ExpertDraw.objects.select_for_update().filter(tender=tender).first()
    if draw is None:
        raise ValidationError(_("本项目尚未抽取评审专家。"))
    member = TenderExpert.objects.select_related("expert__user").get(pk=member.pk)
    if member.tender_id != tender.pk or not member.has_conflict:
        raise ValidationError(_("只能为已声明利益冲突的专家补抽。"))
    if any(r.get("replaced") == member.expert_id for r in draw.redraws):
        raise ValidationError(_("已为 %(e)s 补抽过专家。") % {"e": member.expert})
    on_panel = set(TenderExpert.objects.filter(tender=tender).values_list("expert_id", flat=True))
    candidates, exclusions = expert_pool(tender, skip=on_panel)
    if not candidates:
        raise ValidationError(_("专家库中没有可补抽的公益服务类专家。"))
    seed = seed or secrets.token_hex(8)
    (picked,) = random.Random(seed).sample(candidates, 1)
    draw.redraws.append(
        {
            "replaced": member.expert_id,
            "seed": seed,
            "candidates": candidates,
            "exclusions": exclusions,
            "drawn": [picked],
            "by": actor.pk,
            "at": timezone.now().isoformat(),
        }
    )
    draw.save(update_fields=["redraws"])
    return TenderExpert.objects.create(tender=tender, expert_id=picked)


@transaction.atomic
def panel_declare(*, actor, tender: Tender, has_conflict: bool, note: str = "") -> TenderExpert:
    """A drawn expert declares, once, whether they have a conflict of interest. Without one they may read
    and score the bids; with one they leave the panel and the bureau is told (home page) to draw a
    replacement."""
    tender = _lock(tender)
    expert = getattr(actor, "expert", None)
    member = (
        TenderExpert.objects.select_for_update().filter(tender=tender, expert=expert).first()
        if expert is not None
        else None
    )
    if member is None:
        raise PermissionDenied(_("您不是本项目的评审专家。"))
    if not deadline_passed(tender):
        raise ValidationError(_("投标截止后才能进行利益冲突声明。"))
    if tender.status == S.PUBLISHED:
        _close(tender)
    if tender.status != S.EVALUATION:
        raise ValidationError(_("本项目已不在评审阶段。"))
    if member.declared_at is not None:
        raise ValidationError(_("您已提交过利益冲突声明，不能更改。"))
    note = (note or "").strip()
    if has_conflict and not note:
        raise ValidationError({"note": [_("请说明利益冲突的情况。")]})
    member.has_conflict = bool(has_conflict)
    member.conflict_note = note
    member.declared_at = timezone.now()
    member.save()
    return member


# --- scoring (T4) --------------------------------------------------------------------------------


@transaction.atomic
def bid_score_submit(
    *,
    actor,
    bid: Bid,
    price_score: Decimal,
    proposal_score: Decimal,
    team_score: Decimal,
    past_score: Decimal,
    comment: str = "",
) -> BidScore:
    """One expert's score sheet for one bid: four scores 0–100 (two decimals), total = Σ score × weight / 100
    with the tender's weights. Submitted once: a sheet is locked."""
    tender = _lock(bid.tender)
    bid = Bid.objects.get(pk=bid.pk)
    expert = getattr(actor, "expert", None)
    if not can_score_bids(actor, tender):
        if expert is not None and tender.panel.filter(expert=expert, declared_at__isnull=True).exists():
            raise PermissionDenied(_("请先声明与本项目无利益冲突，再进行评分。"))
        raise PermissionDenied(_("只有本项目声明无利益冲突的评审专家可以在评审阶段评分。"))
    if bid.tender_id != tender.pk:
        raise ValidationError(_("投标不属于本项目。"))
    if bid.disqualification_reasons:
        raise ValidationError(
            _("该投标已被判定无效，不参与评分：%(r)s") % {"r": "；".join(bid.disqualification_reasons)}
        )
    if BidScore.objects.filter(bid=bid, expert=expert).exists():
        raise ValidationError(_("您已对该投标提交评分，评分提交后不能修改。"))
    errors: dict[str, list[str]] = {}
    scores: dict[str, Decimal] = {}
    for name, value in zip(SCORE_FIELDS, (price_score, proposal_score, team_score, past_score), strict=True):
        number = _two_places(value, name, errors)
        if number is None:
            continue
        if not Decimal("0") <= number <= Decimal("100"):
            errors[name] = [_("分数应在0到100之间。")]
            continue
        scores[name] = number.quantize(Decimal("0.01"))
    if errors:
        raise ValidationError(errors)
    sheet = BidScore(
        bid=bid,
        expert=expert,
        total=t4_weighted_total(scores, tender.weights),
        comment=(comment or "").strip(),
        **scores,
    )
    sheet.full_clean()
    sheet.save()
    return sheet


# --- award and contract (T6) ---------------------------------------------------------------------


def scoring_problems(tender: Tender, ranking) -> list[str]:
    """What still stands between a tender in evaluation and its award: no panel drawn, experts who have not
    declared, no expert who may score, valid bids missing an expert's score. Empty when the ranking is final."""
    panel = list(tender.panel.select_related("expert__user"))
    if not panel:
        return [_("尚未抽取评审专家。")]
    problems = [_("专家 %(e)s 尚未进行利益冲突声明。") % {"e": m.expert} for m in panel if m.declared_at is None]
    scorers = [m for m in panel if m.may_score]
    if not scorers:
        problems.append(_("没有可以评分的评审专家，请先补抽。"))
    for row in ranking:
        if row.disqualified:
            continue
        scored = {s.expert_id for s in row.sheets}
        missing = [str(m.expert) for m in scorers if m.expert_id not in scored]
        if missing:
            problems.append(
                _("%(agency)s 的投标尚缺专家评分：%(names)s。")
                % {"agency": row.bid.agency, "names": "、".join(missing)}
            )
    return problems


def contract_number(tender: Tender, year: int) -> str:
    return f"SZSW-{year}-{tender.pk:04d}"


@transaction.atomic
def tender_award(
    *,
    actor,
    tender: Tender,
    bid: Bid | None = None,
    reason: str = "",
    staff_cost_share=DEFAULT_STAFF_COST_SHARE,
) -> Contract:
    """T6: award the top-ranked valid bid — or another valid bid with a written reason — once every panel
    expert has scored. Creates the contract (value = annual price × period) and the service package with
    the bid's team as its staff, after Q1–Q4 on the start date and P1/P2; the tender becomes awarded."""
    _require_bureau(actor)
    tender = _lock(tender)
    if tender.status == S.PUBLISHED and deadline_passed(tender):
        _close(tender)
    if tender.status != S.EVALUATION:
        raise ValidationError(_("招标项目当前状态为“%(s)s”，不能定标。") % {"s": tender.get_status_display()})
    ranking = tender_ranking(tender, user=actor)
    valid = [r for r in ranking if not r.disqualified]
    if not valid:
        raise ValidationError(_("没有有效投标，不能定标；请作流标处理。"))
    problems = scoring_problems(tender, ranking)
    if problems:
        raise ValidationError(problems)
    top = valid[0]
    chosen = top
    if bid is not None:
        chosen = next((r for r in ranking if r.bid.pk == bid.pk), None)
        if chosen is None:
            raise ValidationError({"bid": [_("该投标不属于本项目。")]})
        if chosen.disqualified:
            raise ValidationError({"bid": [_("该投标无效，不能中标：%(r)s") % {"r": "；".join(chosen.reasons)}]})
    reason = (reason or "").strip()
    if chosen is not top and not reason:
        raise ValidationError(
            {"reason": [_("未选择排名第一的投标（%(top)s），须书面说明理由。") % {"top": top.bid.agency}]}
        )
    try:
        share = Decimal(str(staff_cost_share))
    except (InvalidOperation, TypeError, ValueError):
        raise ValidationError({"staff_cost_share": [_("请输入有效的百分比。")]}) from None
    winner = chosen.bid
    starts_on = tender.service_starts_on
    terms = PackageTerms(
        town=tender.town,
        agency=winner.agency,
        round=tender.round,
        edition=tender.edition,
        title=tender.title,
        starts_on=starts_on,
        ends_on=period_end(starts_on, tender.period_years),
        annual_amount=winner.price,
        annual_ceiling=tender.annual_ceiling,
        staff_cost_share=share,
        staff=list(staff_with_certificates(m.pk for m in winner.team.all()).order_by("name")),
        thresholds=Thresholds.of(tender),
        tender=tender,
    )
    _lock_town_and_agency(terms)
    problems = package_problems(terms)
    if problems:
        if set(problems) == {"staff_cost_share"}:
            raise ValidationError(problems)
        raise ValidationError(
            [_("不能定标给 %(agency)s：") % {"agency": winner.agency}] + [m for ms in problems.values() for m in ms]
        )
    now = timezone.now()
    contract = Contract(
        tender=tender,
        bid=winner,
        agency=winner.agency,
        number=contract_number(tender, timezone.localdate(now).year),
        value=(winner.price * tender.period_years).quantize(Decimal("0.01")),
    )
    contract.full_clean()
    contract.save()
    _package_create(actor=actor, terms=terms, tender=tender, contract=contract)
    _move(tender, S.AWARDED)
    tender.awarded_at = now
    tender.award_reason = reason
    tender.save()
    return contract


@transaction.atomic
def tender_mark_contracted(*, actor, tender: Tender, signed_on: datetime.date) -> Contract:
    """The contract is signed (awarded → contracted) on a date between the award and today."""
    _require_bureau(actor)
    tender = _lock(tender)
    _move(tender, S.CONTRACTED)
    if signed_on is None:
        raise ValidationError({"signed_on": [_("请填写合同签订日期。")]})
    if signed_on > timezone.localdate():
        raise ValidationError({"signed_on": [_("签订日期不能晚于今天。")]})
    if tender.awarded_at and signed_on < timezone.localdate(tender.awarded_at):
        raise ValidationError({"signed_on": [_("签订日期不能早于定标日期。")]})
    contract = Contract.objects.select_for_update().get(tender=tender)
    contract.signed_on = signed_on
    contract.save()
    tender.save()
    return contract
