"""Who may see and do what in delivery (plans, venues, reports, focus issues). Plain bools only; rows are scoped
in selectors.py."""

from __future__ import annotations

from directory.models import Role
from directory.permissions import is_bureau_admin, scope_for
from procurement.models import ServicePackage
from procurement.permissions import can_view_package
from procurement.selectors import served_town_ids

from .workflow import P7, plan_is_open

# --- service plans and venues (P3–P8) ----------------------------------------------------------


def is_package_agency_staff(user, package: ServicePackage) -> bool:
    """The package's agency: its manager and its workers."""
    return package.agency.organisation_id in scope_for(user).agency_ids


def is_package_agency_manager(user, package: ServicePackage) -> bool:
    return package.agency.organisation_id in scope_for(user).orgs_for(Role.AGENCY_MANAGER)


def is_package_town_officer(user, package: ServicePackage) -> bool:
    return package.town_id in scope_for(user).town_ids


def _plan_open(plan) -> bool:
    # Drafts (a new plan or an amendment after approval) and returned plans are changed; the package must run.
    return plan_is_open(plan.status) and plan.package.status == ServicePackage.Status.ACTIVE


def can_edit_plan(user, plan) -> bool:
    """P7: the agency (manager or worker) drafts the plan while it is a draft or returned."""
    return _plan_open(plan) and is_package_agency_staff(user, plan.package)


def can_submit_plan(user, plan) -> bool:
    """The agency manager submits the plan (or its amendment) to the town."""
    return _plan_open(plan) and is_package_agency_manager(user, plan.package)


def can_amend_plan(user, plan) -> bool:
    """P7: after approval the agency manager reopens the plan for an amendment, with a reason."""
    return (
        P7.allows(plan.status, plan.Status.DRAFT)
        and plan.package.status == ServicePackage.Status.ACTIVE
        and is_package_agency_manager(user, plan.package)
    )


def can_review_plan_as_town(user, plan) -> bool:
    """P7: an officer of the package's town forwards a submitted plan to the bureau or returns it."""
    return P7.allows(plan.status, plan.Status.TOWN_REVIEWED) and is_package_town_officer(user, plan.package)


def can_comment_on_plan(user, plan) -> bool:
    """Plan-wide comments: the town's officers and the bureau, until the plan is approved."""
    return plan.status != plan.Status.APPROVED and (
        is_bureau_admin(user) or is_package_town_officer(user, plan.package)
    )


def can_comment_on_plan_item(user, item) -> bool:
    """P7: the town's officers comment on any item; a community officer only on items placed in their own
    community (not on town-level items, not on other communities'), until the plan is approved."""
    plan = item.plan
    if plan.status == plan.Status.APPROVED:
        return False
    if is_package_town_officer(user, plan.package):
        return True
    return item.community_id is not None and item.community_id in scope_for(user).community_ids


def can_approve_plan(user, plan) -> bool:
    """P7: the bureau approves (or returns) a plan the town has forwarded."""
    return P7.allows(plan.status, plan.Status.APPROVED) and is_bureau_admin(user)


def can_decide_filed_item(user, item) -> bool:
    """P3: the bureau approves or rejects a pending filed (备案) item."""
    return item.is_filed and item.filed_status == item.FiledStatus.PENDING and is_bureau_admin(user)


def can_export_plan(user, package: ServicePackage) -> bool:
    """The plan's xlsx: the city-wide roles, the town's (and its district's) officers and the agency."""
    scope = scope_for(user)
    return (
        scope.sees_all
        or package.town_id in scope.town_ids
        or package.town.district_id in scope.district_ids
        or is_package_agency_staff(user, package)
    )


def can_manage_venue(user, package: ServicePackage) -> bool:
    """P8: who records venues of a package at all: the bureau, the town's officers, officers of its
    communities (their own community's venues, see `can_manage_venue_at`) and the agency manager."""
    scope = scope_for(user)
    return (
        is_bureau_admin(user)
        or is_package_town_officer(user, package)
        or package.town_id in scope.community_town_ids
        or is_package_agency_manager(user, package)
    )


def can_manage_venue_at(user, package: ServicePackage, community) -> bool:
    """P8 by place: a town-level venue (community None) or any of the town's communities for the bureau, the
    town's officers and the agency manager; a community officer only their own community."""
    if community is not None and community.town_id != package.town_id:
        return False
    if is_bureau_admin(user) or is_package_town_officer(user, package) or is_package_agency_manager(user, package):
        return True
    return community is not None and community.id in scope_for(user).community_ids


# --- service reports (S1–S3) and focus issues (S5) ---------------------------------------------


def can_file_report(user, package: ServicePackage) -> bool:
    """S1: the package's agency (manager or worker) drafts, submits and corrects its monthly reports."""
    return is_package_agency_staff(user, package)


def can_view_report(user, report) -> bool:
    """A report and its attachments are seen by whoever sees its package (the agency, the town's and its
    district's officers, its communities' officers, the city-wide roles) — never by other agencies or towns."""
    return can_view_package(user, report.package)


def can_confirm_report(user, report) -> bool:
    """S3: an officer of the package's town confirms or returns its reports."""
    return is_package_town_officer(user, report.package)


def can_export_reports(user, package: ServicePackage) -> bool:
    """The reports' xlsx: the town's (and its district's) officers, the city-wide roles and the agency."""
    return can_export_plan(user, package)


def _agency_serves_town(user, town_id: int) -> bool:
    # Acting in a town needs an active package there (procurement.selectors.served_town_ids).
    return (
        bool(scope_for(user).agency_ids)
        and served_town_ids(user=user, active_only=True).filter(town_id=town_id).exists()
    )


def can_report_focus_issue(user, community) -> bool:
    """S5: the community's own officers, and the agency (manager or worker) whose active package covers the
    community's town, register focus issues."""
    return community.id in scope_for(user).community_ids or _agency_serves_town(user, community.town_id)


def can_move_focus_issue(user, issue) -> bool:
    """S5: the community's officers, the town's officers and the agency serving the town move an issue
    through its states."""
    scope = scope_for(user)
    community = issue.community
    if community.id in scope.community_ids or community.town_id in scope.town_ids:
        return True
    if issue.package_id and issue.package.agency.organisation_id in scope.agency_ids:
        return True
    return _agency_serves_town(user, community.town_id)


def can_view_town_focus_issues(user, town) -> bool:
    """The town page of focus issues and their counts: the town's officers, its district's, the city-wide roles."""
    scope = scope_for(user)
    return scope.sees_all or town.id in scope.town_ids or town.district_id in scope.district_ids


# --- recycled evidence (K9) ----------------------------------------------------------------------


def can_compare_evidence(user, report, other_report) -> bool:
    """K9: two attachments are shown side by side only to whoever may see both reports (the bureau, the
    auditor, the town(s) and district(s) concerned, an agency whose packages both are)."""
    return can_view_report(user, report) and can_view_report(user, other_report)
