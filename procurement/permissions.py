"""Who may see and do what in procurement. Plain bools only; rows are scoped in selectors.py."""

from __future__ import annotations

from django.utils import timezone

from directory.models import Role
from directory.permissions import is_bureau_admin, scope_for

from .models import Agency, Bid, ServicePackage, Tender

# --- agencies, staff, qualification ------------------------------------------------------------


def is_agency_manager(user, agency: Agency) -> bool:
    return agency.organisation_id in scope_for(user).orgs_for(Role.AGENCY_MANAGER)


def is_agency_member(user, agency: Agency) -> bool:
    return agency.organisation_id in scope_for(user).agency_ids


def can_view_agency(user, agency: Agency) -> bool:
    """The city-wide roles and the agency's own people see its profile."""
    return scope_for(user).sees_all or is_agency_member(user, agency)


def can_edit_agency(user, agency: Agency) -> bool:
    """The agency manager keeps the profile and the roster; the bureau may correct them."""
    return is_bureau_admin(user) or is_agency_manager(user, agency)


def can_view_roster(user, agency: Agency) -> bool:
    """The roster (with masked resident IDs) is the manager's and the city-wide roles'."""
    return scope_for(user).sees_all or is_agency_manager(user, agency)


def can_apply_qualification(user, agency: Agency) -> bool:
    return is_agency_manager(user, agency)


def can_decide_qualification(user) -> bool:
    """Q6: the bureau approves or rejects."""
    return is_bureau_admin(user)


# --- tenders, bids, experts --------------------------------------------------------------------


def can_manage_tenders(user) -> bool:
    """The bureau creates, publishes, draws experts for, awards and cancels tenders."""
    return is_bureau_admin(user)


def can_view_tender(user, tender: Tender) -> bool:
    """Published tenders are public; drafts are the bureau's (and the auditor's)."""
    if tender.status != Tender.Status.DRAFT:
        return True
    return scope_for(user).sees_all


def deadline_passed(tender: Tender, now=None) -> bool:
    return (now or timezone.now()) >= tender.bid_deadline


def can_bid(user, tender: Tender, agency: Agency) -> bool:
    """An agency manager may submit or change its bid while the tender is published and open (T2)."""
    return is_agency_manager(user, agency) and tender.status == Tender.Status.PUBLISHED and not deadline_passed(tender)


def is_panel_expert(user, tender: Tender) -> bool:
    """A drawn expert who declared no conflict of interest."""
    expert = getattr(user, "expert", None) if user.is_authenticated else None
    if expert is None:
        return False
    return tender.panel.filter(expert=expert, declared_at__isnull=False, has_conflict=False).exists()


def can_read_bid(user, bid: Bid, now=None) -> bool:
    """T2 sealing: before the deadline only the bidder reads a bid — not the bureau, not experts.
    After it, the city-wide roles and the tender's declared experts read it too."""
    if is_agency_member(user, bid.agency):
        return True
    if not deadline_passed(bid.tender, now):
        return False
    return scope_for(user).sees_all or is_panel_expert(user, bid.tender)


def can_score_bids(user, tender: Tender) -> bool:
    """T4: experts of the panel who declared no conflict score during evaluation."""
    return tender.status == Tender.Status.EVALUATION and deadline_passed(tender) and is_panel_expert(user, tender)


def can_award(user, tender: Tender) -> bool:
    return is_bureau_admin(user) and tender.status == Tender.Status.EVALUATION


# --- packages -----------------------------------------------------------------------------------


def can_view_package(user, package: ServicePackage) -> bool:
    """City-wide roles, the package's agency, and officers of its town (and district, communities)."""
    scope = scope_for(user)
    return (
        scope.sees_all
        or package.agency.organisation_id in scope.agency_ids
        or package.town_id in scope.town_ids
        or package.town_id in scope.community_town_ids
        or package.town.district_id in scope.district_ids
    )


def can_create_package(user) -> bool:
    """Packages bought before the platform are entered by the bureau directly."""
    return is_bureau_admin(user)
