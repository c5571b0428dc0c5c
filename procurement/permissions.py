"""Who may see and do what in procurement. Plain bools only; rows are scoped in selectors.py."""

from __future__ import annotations

from directory.models import Role
from directory.permissions import is_bureau_admin, scope_for
from procurement.models import Agency, Bid, ServicePackage, Tender, TenderExpert
from procurement.tendering import accepts_bids, deadline_passed, is_sealed, t2_bids_opened

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


def can_create_agency_profile(user, organisation) -> bool:
    """An agency organisation without a profile: its manager (or the bureau) sets the profile up."""
    return is_bureau_admin(user) or organisation.id in scope_for(user).orgs_for(Role.AGENCY_MANAGER)


def can_view_qualification_file(user, application) -> bool:
    """Q6 documents and roster snapshots: the applicant agency's manager and the city-wide roles."""
    return scope_for(user).sees_all or is_agency_manager(user, application.agency)


# --- tenders, bids, experts --------------------------------------------------------------------


def can_manage_tenders(user) -> bool:
    """The bureau creates, publishes, draws experts for, awards and cancels tenders."""
    return is_bureau_admin(user)


def can_view_tender(user, tender: Tender) -> bool:
    """Published tenders are public; drafts are the bureau's (and the auditor's)."""
    if tender.status != Tender.Status.DRAFT:
        return True
    return scope_for(user).sees_all


def can_bid(user, tender: Tender, agency: Agency) -> bool:
    """An agency manager may submit or change its bid while the tender is published and open (T2)."""
    return is_agency_manager(user, agency) and accepts_bids(tender)


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
    if is_sealed(bid.tender, now):
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


def is_package_district_officer(user, package: ServicePackage) -> bool:
    """A district officer of the district the package's town belongs to."""
    return package.town.district_id in scope_for(user).district_ids


def can_cosign_package(user, package: ServicePackage) -> bool:
    """The district's officer co-signs (会签) an active package of one of its towns, once."""
    return (
        package.status == ServicePackage.Status.ACTIVE
        and package.cosigned_at is None
        and is_package_district_officer(user, package)
    )


def can_create_package(user) -> bool:
    """Packages bought before the platform are entered by the bureau directly."""
    return is_bureau_admin(user)


# --- tenders: pages and panels (T2, T3) ---------------------------------------------------------


def can_edit_tender(user, tender: Tender) -> bool:
    """Only a draft is edited; after publishing the terms are fixed (T1)."""
    return is_bureau_admin(user) and tender.status == Tender.Status.DRAFT


def can_see_bid_count(user, tender: Tender, now=None) -> bool:
    """T2: even how many bids a tender has is sealed. Before the deadline only the city-wide roles see the
    count (the bureau's desk); after it everyone who sees the tender, as on the public notice — except for a
    cancelled tender, whose bids may never have been opened."""
    if scope_for(user).sees_all:
        return True
    return t2_bids_opened(tender, now)


def can_list_bids(user, tender: Tender) -> bool:
    """Who may ask for a tender's bids at all (the rows are then sealed by `bid_list`): the city-wide roles,
    agency people (their own bid) and the tender's declared experts."""
    scope = scope_for(user)
    return scope.sees_all or bool(scope.agency_ids) or is_panel_expert(user, tender)


def can_view_panel(user, member: TenderExpert) -> bool:
    """T3: an expert sees a tender they were drawn for, and only after the deadline."""
    return user.is_authenticated and member.expert.user_id == user.pk and deadline_passed(member.tender)


def can_declare_conflict(user, member: TenderExpert) -> bool:
    """A drawn expert declares (no) conflict of interest once, during evaluation, before seeing bids."""
    return (
        can_view_panel(user, member)
        and member.declared_at is None
        and member.tender.status in (Tender.Status.PUBLISHED, Tender.Status.EVALUATION)
    )
