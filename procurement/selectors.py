"""Reads of procurement rows, already scoped to the asking user (see permissions.py for the rules)."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from directory.models import Role
from directory.permissions import scope_for

from .models import Agency, Bid, Certificate, QualificationApplication, ServicePackage, StaffMember, Tender


def agency_list(*, user) -> QuerySet[Agency]:
    """Agencies the user may see: all for city-wide roles, otherwise the user's own."""
    qs = Agency.objects.select_related("organisation")
    scope = scope_for(user)
    if scope.sees_all:
        return qs
    return qs.filter(organisation_id__in=scope.agency_ids)


def staff_list(*, user, agency: Agency | None = None) -> QuerySet[StaffMember]:
    """Roster rows the user may see: a manager sees its agency's, the city-wide roles everyone's."""
    scope = scope_for(user)
    qs = StaffMember.objects.select_related("agency__organisation").prefetch_related(
        Prefetch("certificates", queryset=Certificate.objects.order_by("-expires_on"))
    )
    if agency is not None:
        qs = qs.filter(agency=agency)
    if scope.sees_all:
        return qs
    return qs.filter(agency__organisation_id__in=scope.orgs_for(Role.AGENCY_MANAGER))


def qualification_list(*, user) -> QuerySet[QualificationApplication]:
    scope = scope_for(user)
    qs = QualificationApplication.objects.select_related("agency__organisation", "submitted_by", "decided_by")
    if scope.sees_all:
        return qs
    return qs.filter(agency__organisation_id__in=scope.orgs_for(Role.AGENCY_MANAGER))


def tender_list(*, user) -> QuerySet[Tender]:
    """Every tender but drafts is public; drafts are for the city-wide roles."""
    qs = Tender.objects.select_related("town__district", "round", "edition").annotate(bid_count=Count("bids"))
    if user is not None and scope_for(user).sees_all:
        return qs
    return qs.exclude(status=Tender.Status.DRAFT)


def tender_public_list() -> QuerySet[Tender]:
    return tender_list(user=None)


def bid_list(*, user, tender: Tender) -> QuerySet[Bid]:
    """T2 sealing in one place: before the deadline a user sees only their own agency's bid; after it,
    the city-wide roles and the tender's declared experts see all bids."""
    from .permissions import is_panel_expert

    scope = scope_for(user)
    qs = (
        Bid.objects.filter(tender=tender)
        .select_related("agency__organisation", "tender")
        .prefetch_related("team", "scores")
    )
    own = Q(agency__organisation_id__in=scope.agency_ids)
    if timezone.now() < tender.bid_deadline:
        return qs.filter(own)
    if scope.sees_all or is_panel_expert(user, tender):
        return qs
    return qs.filter(own)


def package_list(*, user) -> QuerySet[ServicePackage]:
    """Packages the user may see: city-wide roles all; agencies theirs; officers their places'."""
    scope = scope_for(user)
    qs = ServicePackage.objects.select_related("town__district", "agency__organisation", "round", "edition")
    if scope.sees_all:
        return qs
    return qs.filter(
        Q(agency__organisation_id__in=scope.agency_ids)
        | Q(town_id__in=scope.town_ids | scope.community_town_ids)
        | Q(town__district_id__in=scope.district_ids)
    )
