"""Service plans (P3–P7) and venues (P8): the agency drafts catalogue items × place × annual targets and files
off-catalogue items; the town reviews (its communities comment on their own items); the bureau decides filed
items and approves. Every approval freezes a PlanVersion; changes after approval are amendments with a reason."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog.models import ServiceCategory, ServiceItem
from delivery.models import PlanComment, PlanItem, PlanVersion, ServicePlan, Venue
from delivery.permissions import (
    can_amend_plan,
    can_approve_plan,
    can_comment_on_plan,
    can_comment_on_plan_item,
    can_decide_filed_item,
    can_edit_plan,
    can_manage_venue_at,
    can_review_plan_as_town,
    can_submit_plan,
    is_package_agency_manager,
    is_package_agency_staff,
    is_package_town_officer,
)
from directory.models import Community
from directory.permissions import is_bureau_admin
from procurement.models import ServicePackage

from .. import notify
from ..coverage import coverage_check
from ..workflow import P7, check_move

MAX_ANNUAL_TARGET = 1_000_000
UNIT_LABELS = dict(ServiceItem.Unit.choices)
KIND_LABELS = dict(ServiceCategory.Kind.choices)


def plan_years(package: ServicePackage) -> int:
    """How many plan years the package runs: its period in whole years (T1 periods are 1–3 whole years)."""
    days = (package.ends_on - package.starts_on).days
    return max(1, round(days / 365.25))


def _errors(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationError(errors)


def _text(value) -> str:
    return (value or "").strip()


def _positive_int(number: int, field: str, errors: dict[str, list[str]], *, label: str) -> int | None:
    # The form or serializer parsed the number; the service checks its range.
    if isinstance(number, bool) or not isinstance(number, int):
        errors.setdefault(field, []).append(_("%(label)s须为正整数。") % {"label": label})
        return None
    if number < 1:
        errors.setdefault(field, []).append(_("%(label)s须大于0。") % {"label": label})
        return None
    if number > MAX_ANNUAL_TARGET:
        errors.setdefault(field, []).append(
            _("%(label)s不能超过 %(max)d。") % {"label": label, "max": MAX_ANNUAL_TARGET}
        )
        return None
    return number


def _lock(plan: ServicePlan) -> ServicePlan:
    """Re-read the plan under a row lock so two people can't move it through the workflow at once."""
    return (
        ServicePlan.objects.select_for_update(of=("self",))
        .select_related("package__town", "package__agency")
        .get(pk=plan.pk)
    )


def _open_for(actor, plan: ServicePlan) -> ServicePlan:
    """Item changes: the package's agency, while the plan is a draft (new or amendment) or returned. The plan
    is locked, so an item can't slip in while someone else submits it."""
    plan = _lock(plan)
    if not is_package_agency_staff(actor, plan.package):
        raise PermissionDenied(_("只有承接本项目包的社工机构可以编制服务计划。"))
    if not can_edit_plan(actor, plan):
        if plan.status == ServicePlan.Status.APPROVED:
            raise ValidationError(_("服务计划已批准；如需调整，请先发起计划变更并说明原因。"))
        if plan.package.status != ServicePackage.Status.ACTIVE:
            raise ValidationError(_("项目包已不在执行中，服务计划不能再修改。"))
        raise ValidationError(_("服务计划处于“%(status)s”状态，不能修改。") % {"status": plan.get_status_display()})
    return plan


def _check_place(
    *,
    plan: ServicePlan,
    community: Community | None,
    year: int,
    annual_target: int,
    errors: dict[str, list[str]],
    item: ServiceItem | None = None,
) -> tuple[int | None, int | None]:
    """P3: the place belongs to the package's town, the year lies in the package period, the target is
    positive, and the catalogue item's level allows the place."""
    package = plan.package
    if community is not None and community.town_id != package.town_id:
        errors.setdefault("community", []).append(
            _("社区（村）“%(community)s”不属于%(town)s。") % {"community": community.name, "town": package.town.name}
        )
    years = plan_years(package)
    year_number = _positive_int(year, "year", errors, label=_("服务年度"))
    if year_number is not None and year_number > years:
        errors.setdefault("year", []).append(
            _("服务年度须在第 1 至第 %(n)d 年之间（项目包 %(start)s 至 %(end)s）。")
            % {"n": years, "start": package.starts_on.isoformat(), "end": package.ends_on.isoformat()}
        )
        year_number = None
    target = _positive_int(annual_target, "annual_target", errors, label=_("年度目标"))
    if item is not None:
        if item.level == ServiceItem.Level.TOWN and community is not None:
            errors.setdefault("community", []).append(
                _("“%(item)s”是街镇层面的子项，只能放在街镇层面，不能放到社区（村）。") % {"item": item.name_zh}
            )
        if item.level == ServiceItem.Level.COMMUNITY and community is None:
            errors.setdefault("community", []).append(
                _("“%(item)s”是社区（村）层面的子项，请选择落地的社区（村）。") % {"item": item.name_zh}
            )
    return year_number, target


def _duplicate(plan: ServicePlan, *, item=None, filed_name="", community, year, exclude_pk=None) -> bool:
    qs = PlanItem.objects.filter(plan=plan, community=community, year=year)
    qs = qs.filter(item=item) if item is not None else qs.filter(is_filed=True, filed_name=filed_name)
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    return qs.exists()


def place_name(plan: ServicePlan, community: Community | None) -> str:
    return community.name if community is not None else _("%(town)s（街镇层面）") % {"town": plan.package.town.name}


@transaction.atomic
def plan_get_or_create(*, actor, package: ServicePackage) -> ServicePlan:
    """The package's plan, created as an empty draft the first time its agency starts it."""
    if not is_package_agency_staff(actor, package):
        raise PermissionDenied(_("只有承接本项目包的社工机构可以编制服务计划。"))
    plan, _created = ServicePlan.objects.get_or_create(package=package)
    plan.package = package
    return plan


@transaction.atomic
def plan_item_add(
    *,
    actor,
    package: ServicePackage,
    item: ServiceItem,
    community: Community | None,
    year: int,
    annual_target: int,
    note: str = "",
) -> PlanItem:
    """P3: add a catalogue sub-item of the package's edition at a place (the town or one of its communities)
    for a plan year, with an annual target in the item's unit. The package's plan is created on first use
    (in the same transaction: a refused first item leaves no empty plan behind)."""
    plan = _open_for(actor, plan_get_or_create(actor=actor, package=package))
    errors: dict[str, list[str]] = {}
    if item.edition_id != plan.package.edition_id:
        errors.setdefault("item", []).append(
            _("子项“%(item)s”不属于本项目包使用的服务目录“%(edition)s”。")
            % {"item": f"{item.code} {item.name_zh}", "edition": plan.package.edition.name_zh}
        )
    year_number, target = _check_place(
        plan=plan, community=community, year=year, annual_target=annual_target, errors=errors, item=item
    )
    if not errors and _duplicate(plan, item=item, community=community, year=year_number):
        errors.setdefault("item", []).append(
            _("%(place)s第 %(year)d 年已有“%(item)s”，请修改该条目的目标。")
            % {"place": place_name(plan, community), "year": year_number, "item": item.name_zh}
        )
    _errors(errors)
    plan_item = PlanItem(
        plan=plan, item=item, community=community, year=year_number, annual_target=target, note=_text(note)
    )
    plan_item.full_clean()
    plan_item.save()
    return plan_item


@transaction.atomic
def plan_item_file(
    *,
    actor,
    package: ServicePackage,
    name: str,
    category_kind: str,
    unit: str,
    justification: str,
    community: Community | None,
    year: int,
    annual_target: int,
    note: str = "",
) -> PlanItem:
    """P3: an off-catalogue item is filed (备案) with a justification; it counts once the bureau approves it.
    The package's plan is created on first use."""
    plan = _open_for(actor, plan_get_or_create(actor=actor, package=package))
    errors: dict[str, list[str]] = {}
    name = _text(name)
    if not name:
        errors["name"] = [_("请填写备案项目名称。")]
    elif len(name) > 100:
        errors["name"] = [_("备案项目名称不能超过100个字。")]
    if category_kind not in KIND_LABELS:
        errors["category_kind"] = [_("请选择备案项目的服务类别。")]
    if unit not in UNIT_LABELS:
        errors["unit"] = [_("请选择备案项目的产出单位。")]
    if not _text(justification):
        errors["justification"] = [_("请说明为什么服务目录中没有合适的子项（备案理由）。")]
    year_number, target = _check_place(
        plan=plan, community=community, year=year, annual_target=annual_target, errors=errors
    )
    if not errors and _duplicate(plan, filed_name=name, community=community, year=year_number):
        errors["name"] = [
            _("%(place)s第 %(year)d 年已有备案项目“%(name)s”。")
            % {"place": place_name(plan, community), "year": year_number, "name": name}
        ]
    _errors(errors)
    plan_item = PlanItem(
        plan=plan,
        is_filed=True,
        filed_name=name,
        filed_category_kind=category_kind,
        filed_unit=unit,
        justification=_text(justification),
        filed_status=PlanItem.FiledStatus.PENDING,
        community=community,
        year=year_number,
        annual_target=target,
        note=_text(note),
    )
    plan_item.full_clean()
    plan_item.save()
    return plan_item


def _own_item(plan: ServicePlan, plan_item: PlanItem) -> None:
    if plan_item.plan_id != plan.pk:
        raise ValidationError(_("该条目不属于这份服务计划。"))


@transaction.atomic
def plan_item_update(
    *,
    actor,
    plan: ServicePlan,
    plan_item: PlanItem,
    community: Community | None,
    year: int,
    annual_target: int,
    note: str = "",
    justification: str | None = None,
) -> PlanItem:
    """Change an item's place, year, target or note (and a filed item's justification). A filed item that the
    bureau rejected goes back to pending when its justification changes (re-filing)."""
    plan = _open_for(actor, plan)
    _own_item(plan, plan_item)
    errors: dict[str, list[str]] = {}
    year_number, target = _check_place(
        plan=plan,
        community=community,
        year=year,
        annual_target=annual_target,
        errors=errors,
        item=None if plan_item.is_filed else plan_item.item,
    )
    if plan_item.is_filed and justification is not None and not _text(justification):
        errors["justification"] = [_("请说明为什么服务目录中没有合适的子项（备案理由）。")]
    if not errors and _duplicate(
        plan,
        item=None if plan_item.is_filed else plan_item.item,
        filed_name=plan_item.filed_name,
        community=community,
        year=year_number,
        exclude_pk=plan_item.pk,
    ):
        errors.setdefault("community", []).append(
            _("%(place)s第 %(year)d 年已有“%(item)s”。")
            % {"place": place_name(plan, community), "year": year_number, "item": plan_item.display_name}
        )
    _errors(errors)
    plan_item.community = community
    plan_item.year = year_number
    plan_item.annual_target = target
    plan_item.note = _text(note)
    if plan_item.is_filed and justification is not None and _text(justification) != plan_item.justification:
        plan_item.justification = _text(justification)
        if plan_item.filed_status == PlanItem.FiledStatus.REJECTED:
            plan_item.filed_status = PlanItem.FiledStatus.PENDING
    plan_item.full_clean()
    plan_item.save()
    return plan_item


@transaction.atomic
def plan_item_remove(*, actor, plan: ServicePlan, plan_item: PlanItem) -> None:
    """Remove an item from a draft or returned plan; an item that monthly reports already report on stays
    (its target can be changed instead)."""
    plan = _open_for(actor, plan)
    _own_item(plan, plan_item)
    if plan_item.report_lines.exists():
        raise ValidationError(
            _("“%(item)s”已有服务报告记录，不能删除；如需调整，请修改其年度目标。") % {"item": plan_item.display_name}
        )
    plan_item.delete()


@transaction.atomic
def plan_item_filed_decide(*, actor, plan_item: PlanItem, approve: bool, reason: str = "") -> PlanItem:
    """P3: the bureau approves or rejects a pending filed item; a rejection needs a reason. The decision and
    its reason are kept as a comment on the item, so the agency reads why."""
    plan_item = PlanItem.objects.select_for_update(of=("self",)).select_related("plan__package").get(pk=plan_item.pk)
    if not plan_item.is_filed:
        raise ValidationError(_("只有备案项目需要审批。"))
    if not can_decide_filed_item(actor, plan_item):
        if plan_item.filed_status != PlanItem.FiledStatus.PENDING:
            raise ValidationError(_("该备案项目已审批。"))
        raise PermissionDenied(_("只有民政局可以审批备案项目。"))
    reason = _text(reason)
    if not approve and not reason:
        raise ValidationError({"reason": [_("不予备案时请写明原因。")]})
    plan_item.filed_status = PlanItem.FiledStatus.APPROVED if approve else PlanItem.FiledStatus.REJECTED
    plan_item.full_clean()
    plan_item.save()
    verdict = _("备案审批：同意备案") if approve else _("备案审批：不予备案")
    PlanComment.objects.create(
        plan=plan_item.plan,
        plan_item=plan_item,
        community=plan_item.community,
        author=actor,
        text=f"{verdict}。{reason}" if reason else f"{verdict}。",
    )
    return plan_item


@transaction.atomic
def plan_submit(*, actor, plan: ServicePlan) -> ServicePlan:
    """P7: the agency manager submits the plan (or its amendment) to the town. P4–P6 are enforced here: the
    refusal lists every coverage problem."""
    plan = _lock(plan)
    if not is_package_agency_manager(actor, plan.package):
        raise PermissionDenied(_("只有承接机构的负责人可以提交服务计划。"))
    if not can_submit_plan(actor, plan):
        raise ValidationError(_("服务计划处于“%(status)s”状态，不能提交。") % {"status": plan.get_status_display()})
    items = list(plan.items.select_related("item__category", "community"))
    problems = coverage_check(plan, items=items).problems
    if not any(i.counts for i in items):
        problems.insert(0, _("服务计划还没有任何计入的条目（待审批的备案项目不计入）。"))
    if problems:
        raise ValidationError(problems)
    check_move(P7, plan.status, ServicePlan.Status.SUBMITTED)
    plan.status = ServicePlan.Status.SUBMITTED
    plan.submitted_at = timezone.now()
    plan.returned_reason = ""
    plan.full_clean()
    plan.save()
    notify.plan_submitted(plan)
    return plan


@transaction.atomic
def plan_comment_add(*, actor, plan: ServicePlan, text: str, plan_item: PlanItem | None = None) -> PlanComment:
    """P7: the town's officers (and the bureau) comment on the plan or any item; a community officer comments
    only on items placed in their own community."""
    text = _text(text)
    if plan_item is not None:
        _own_item(plan, plan_item)
        plan_item.plan = plan
        allowed = can_comment_on_plan_item(actor, plan_item)
    else:
        allowed = can_comment_on_plan(actor, plan)
    if not allowed:
        if plan.status == ServicePlan.Status.APPROVED:
            raise ValidationError(_("服务计划已批准，不再接受意见。"))
        raise PermissionDenied(_("社区（村）干部只能对本社区（村）的条目提出意见。"))
    if not text:
        raise ValidationError({"text": [_("请填写意见内容。")]})
    comment = PlanComment(
        plan=plan,
        plan_item=plan_item,
        community=plan_item.community if plan_item is not None else None,
        author=actor,
        text=text,
    )
    comment.full_clean()
    comment.save()
    return comment


@transaction.atomic
def plan_town_review(*, actor, plan: ServicePlan, approve: bool, reason: str = "") -> ServicePlan:
    """P7: an officer of the package's town forwards the submitted plan to the bureau, or returns it to the
    agency with a reason."""
    plan = _lock(plan)
    if not is_package_town_officer(actor, plan.package):
        raise PermissionDenied(_("只有本街镇的干部可以审核服务计划。"))
    if not can_review_plan_as_town(actor, plan):
        raise ValidationError(
            _("服务计划处于“%(status)s”状态，不在街镇审核环节。") % {"status": plan.get_status_display()}
        )
    reason = _text(reason)
    if approve:
        check_move(P7, plan.status, ServicePlan.Status.TOWN_REVIEWED)
        plan.status = ServicePlan.Status.TOWN_REVIEWED
    else:
        if not reason:
            raise ValidationError({"reason": [_("退回时请写明原因，便于机构修改。")]})
        check_move(P7, plan.status, ServicePlan.Status.RETURNED)
        plan.status = ServicePlan.Status.RETURNED
        plan.returned_reason = reason
    plan.full_clean()
    plan.save()
    if approve and reason:
        PlanComment.objects.create(plan=plan, author=actor, text=reason)
    notify.plan_town_reviewed(plan)
    return plan


def plan_snapshot(items) -> list[dict]:
    """The plan's content as JSON for a PlanVersion: every item with its place, year, target and filing."""
    rows = []
    for i in sorted(items, key=lambda i: (i.year, i.community_id or 0, i.pk)):
        rows.append(
            {
                "id": i.pk,
                "code": "" if i.is_filed else i.item.code,
                "name": i.display_name,
                "category_kind": i.category_kind,
                "unit": i.unit,
                "community_id": i.community_id,
                "community": i.community.name if i.community_id else "",
                "year": i.year,
                "annual_target": i.annual_target,
                "is_filed": i.is_filed,
                "filed_status": i.filed_status,
                "counts": i.counts,
            }
        )
    return rows


@transaction.atomic
def plan_approve(*, actor, plan: ServicePlan) -> ServicePlan:
    """P7: the bureau approves a plan the town forwarded. Filed items must be decided first and P4–P6 must
    still hold (a rejected filed item may have left a gap). Writes PlanVersion number `version + 1` with the
    amendment's reason."""
    plan = _lock(plan)
    if not is_bureau_admin(actor):
        raise PermissionDenied(_("只有民政局可以批准服务计划。"))
    if not can_approve_plan(actor, plan):
        raise ValidationError(
            _("服务计划处于“%(status)s”状态，须经街镇审核后才能批准。") % {"status": plan.get_status_display()}
        )
    items = list(plan.items.select_related("item__category", "community"))
    pending = [i.display_name for i in items if i.is_filed and i.filed_status == PlanItem.FiledStatus.PENDING]
    if pending:
        raise ValidationError(
            _("请先审批以下备案项目：%(names)s。") % {"names": "、".join(pending)},
        )
    result = coverage_check(plan, items=items)
    if not result.ok:
        raise ValidationError(result.problems)
    number = (plan.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    number = max(number, plan.version + 1)
    PlanVersion.objects.create(
        plan=plan,
        number=number,
        reason=plan.amendment_reason,
        snapshot=plan_snapshot(items),
        approved_by=actor,
    )
    plan.version = number
    check_move(P7, plan.status, ServicePlan.Status.APPROVED)
    plan.status = ServicePlan.Status.APPROVED
    plan.approved_at = timezone.now()
    plan.amendment_reason = ""
    plan.returned_reason = ""
    plan.full_clean()
    plan.save()
    return plan


@transaction.atomic
def plan_return(*, actor, plan: ServicePlan, reason: str) -> ServicePlan:
    """P7: the bureau returns a forwarded plan to the agency with a reason."""
    plan = _lock(plan)
    if not is_bureau_admin(actor):
        raise PermissionDenied(_("只有民政局可以退回服务计划。"))
    if not can_approve_plan(actor, plan):
        raise ValidationError(
            _("服务计划处于“%(status)s”状态，不在民政局审批环节。") % {"status": plan.get_status_display()}
        )
    reason = _text(reason)
    if not reason:
        raise ValidationError({"reason": [_("退回时请写明原因，便于机构修改。")]})
    check_move(P7, plan.status, ServicePlan.Status.RETURNED)
    plan.status = ServicePlan.Status.RETURNED
    plan.returned_reason = reason
    plan.full_clean()
    plan.save()
    return plan


@transaction.atomic
def plan_amend(*, actor, plan: ServicePlan, reason: str) -> ServicePlan:
    """P7: after approval the agency manager reopens the plan for an amendment with a required reason. The
    amendment goes through submit → town review → bureau approval again and becomes a new PlanVersion."""
    plan = _lock(plan)
    if not is_package_agency_manager(actor, plan.package):
        raise PermissionDenied(_("只有承接机构的负责人可以发起计划变更。"))
    if not can_amend_plan(actor, plan):
        raise ValidationError(_("只有已批准的服务计划可以发起变更。"))
    reason = _text(reason)
    if not reason:
        raise ValidationError({"reason": [_("请说明变更原因。")]})
    check_move(P7, plan.status, ServicePlan.Status.DRAFT)
    plan.status = ServicePlan.Status.DRAFT
    plan.amendment_reason = reason
    plan.returned_reason = ""
    plan.full_clean()
    plan.save()
    return plan


def version_diffs(versions: list[PlanVersion]) -> list[dict]:
    """For each version (newest first), what changed against the one before it: items added, removed, and
    whose target, place or year changed. Items are matched by their id, which an amendment keeps."""
    ordered = sorted(versions, key=lambda v: v.number)
    out = []
    previous: dict[int, dict] | None = None
    for version in ordered:
        current = {row["id"]: row for row in version.snapshot}
        if previous is None:
            diff = {"version": version, "first": True, "added": [], "removed": [], "changed": []}
        else:
            added = [current[k] for k in current if k not in previous]
            removed = [previous[k] for k in previous if k not in current]
            changed = []
            for k in current.keys() & previous.keys():
                old, new = previous[k], current[k]
                if (old["annual_target"], old["community_id"], old["year"]) != (
                    new["annual_target"],
                    new["community_id"],
                    new["year"],
                ):
                    changed.append({"old": old, "new": new})
            changed.sort(key=lambda c: c["new"]["id"])
            diff = {"version": version, "first": False, "added": added, "removed": removed, "changed": changed}
        out.append(diff)
        previous = current
    return list(reversed(out))


# --- venues (P8) ---------------------------------------------------------------------------------


def _venue_fields(
    *, package: ServicePackage, community, name, address, area_m2, equipment, errors: dict[str, list[str]]
) -> tuple[str, str, Decimal | None, str]:
    if community is not None and community.town_id != package.town_id:
        errors.setdefault("community", []).append(
            _("社区（村）“%(community)s”不属于%(town)s。") % {"community": community.name, "town": package.town.name}
        )
    name, address, equipment = _text(name), _text(address), _text(equipment)
    if not name:
        errors["name"] = [_("请填写场地名称。")]
    if not address:
        errors["address"] = [_("请填写场地地址。")]
    if not equipment:
        errors["equipment"] = [_("请填写场地的设施设备（没有可填“无”）。")]
    # The form parsed the area; the service checks it (a non-Decimal is refused like a bad entry).
    area = area_m2 if isinstance(area_m2, Decimal) else None
    if area is None or not area.is_finite():
        errors["area_m2"] = [_("请输入有效的面积（平方米）。")]
        area = None
    elif area <= 0:
        errors["area_m2"] = [_("面积必须大于0。")]
        area = None
    elif area.as_tuple().exponent < -1 or area >= Decimal("10000000"):
        errors["area_m2"] = [_("面积最多保留一位小数，且不超过7位整数。")]
        area = None
    return name, address, area, equipment


def _require_venue_place(actor, package: ServicePackage, community) -> None:
    if not can_manage_venue_at(actor, package, community):
        raise PermissionDenied(_("您只能登记本街镇或本社区（村）提供的场地。"))


@transaction.atomic
def venue_create(
    *,
    actor,
    package: ServicePackage,
    community: Community | None,
    name: str,
    address: str,
    area_m2: Decimal,
    equipment: str,
    is_free: bool = True,
) -> Venue:
    """P8: record a venue the town (community None) or one of its communities provides, with address,
    area and equipment."""
    _require_venue_place(actor, package, community)
    errors: dict[str, list[str]] = {}
    name, address, area, equipment = _venue_fields(
        package=package,
        community=community,
        name=name,
        address=address,
        area_m2=area_m2,
        equipment=equipment,
        errors=errors,
    )
    _errors(errors)
    venue = Venue(
        package=package,
        community=community,
        name=name,
        address=address,
        area_m2=area,
        equipment=equipment,
        is_free=bool(is_free),
    )
    venue.full_clean()
    venue.save()
    return venue


@transaction.atomic
def venue_update(
    *,
    actor,
    venue: Venue,
    community: Community | None,
    name: str,
    address: str,
    area_m2: Decimal,
    equipment: str,
    is_free: bool = True,
) -> Venue:
    """P8: correct a venue; the actor must be allowed both where it was and where it goes."""
    _require_venue_place(actor, venue.package, venue.community)
    _require_venue_place(actor, venue.package, community)
    errors: dict[str, list[str]] = {}
    name, address, area, equipment = _venue_fields(
        package=venue.package,
        community=community,
        name=name,
        address=address,
        area_m2=area_m2,
        equipment=equipment,
        errors=errors,
    )
    _errors(errors)
    venue.community = community
    venue.name, venue.address, venue.area_m2, venue.equipment = name, address, area, equipment
    venue.is_free = bool(is_free)
    venue.full_clean()
    venue.save()
    return venue


@transaction.atomic
def venue_delete(*, actor, venue: Venue) -> None:
    _require_venue_place(actor, venue.package, venue.community)
    venue.delete()
