"""Who may see and do what with money. Plain bools only; rows are scoped in selectors.py.

Package money follows the package's scope (procurement.permissions.can_view_package: city-wide roles, the
agency, the town's and district's officers). Funding sources and budgets: the city-wide roles and district
officers. A community fund: the city-wide roles, its manager(s) and committee (FundMember), the fund_manager
staff of its host organisation, and the officers of its place."""

from __future__ import annotations

from django.db.models import Q

from directory.models import Role
from directory.permissions import is_bureau_admin, scope_for
from procurement.permissions import can_view_package

from .models import CommunityFund, FundingSource, FundMember, LedgerEntry, MicroGrant


def fund_roles(user) -> dict[int, frozenset[str]]:
    """{fund id: {"manager", "committee"}} of the user's active fund memberships; read once per request."""
    if user is None or not user.is_authenticated or not user.is_active:
        return {}
    cached = getattr(user, "_sw_fund_roles", None)
    if cached is not None:
        return cached
    roles: dict[int, set[str]] = {}
    for fund_id, role in FundMember.objects.filter(user=user, is_active=True).values_list("fund_id", "role"):
        roles.setdefault(fund_id, set()).add(role)
    result = {k: frozenset(v) for k, v in roles.items()}
    user._sw_fund_roles = result
    return result


# --- funding sources, budgets, splits, payments (F1–F3) -------------------------------------------


def can_view_sources(user) -> bool:
    """The city-wide roles and district officers read sources and budgets (a district its own and the city's)."""
    scope = scope_for(user)
    return scope.sees_all or bool(scope.district_ids)


def can_view_source(user, source: FundingSource) -> bool:
    scope = scope_for(user)
    if scope.sees_all:
        return True
    return bool(scope.district_ids) and (source.district_id is None or source.district_id in scope.district_ids)


def can_set_budget(user, source: FundingSource) -> bool:
    """F1: the bureau sets every budget; a district officer sets its own district's budget."""
    if is_bureau_admin(user):
        return True
    return source.kind == FundingSource.Kind.DISTRICT_BUDGET and source.district_id in scope_for(user).district_ids


def can_manage_sources(user) -> bool:
    return is_bureau_admin(user)


def can_view_package_money(user, package) -> bool:
    """A package's money is seen by whoever sees the package, except community officers (a town's money is
    the town's)."""
    scope = scope_for(user)
    if scope.sees_all:
        return True
    if not can_view_package(user, package):
        return False
    return (
        package.agency.organisation_id in scope.agency_ids
        or package.town_id in scope.town_ids
        or package.town.district_id in scope.district_ids
    )


def can_list_package_money(user) -> bool:
    """Who has a list of package money at all: the city-wide roles, agencies, towns and districts."""
    scope = scope_for(user)
    return scope.sees_all or bool(scope.agency_ids or scope.town_ids or scope.district_ids)


def can_split_package(user, package) -> bool:
    """F2: the bureau splits a package year across sources."""
    return is_bureau_admin(user)


def can_record_payment(user, package) -> bool:
    """F3: only the bureau records (and reverses) payments."""
    return is_bureau_admin(user)


# --- community funds (F4) ------------------------------------------------------------------------------


def fund_scope_q(user, prefix: str = "") -> Q:
    """Funds (reached through `prefix`, e.g. "fund__") the user may read."""
    scope = scope_for(user)
    if scope.sees_all:
        return Q()
    q = Q(**{f"{prefix}pk__in": list(fund_roles(user))})
    hosts = scope.orgs_for(Role.FUND_MANAGER)
    if hosts:
        q |= Q(**{f"{prefix}host_id__in": hosts})
    if scope.district_ids:
        q |= Q(**{f"{prefix}town__district_id__in": scope.district_ids})
    if scope.town_ids:
        q |= Q(**{f"{prefix}town_id__in": scope.town_ids})
    if scope.community_ids:
        q |= Q(**{f"{prefix}community_id__in": scope.community_ids})
    return q


def can_list_funds(user) -> bool:
    """Who has a list of community funds at all: the city-wide roles, fund people and place officers."""
    scope = scope_for(user)
    return (
        scope.sees_all
        or bool(fund_roles(user))
        or scope.has(Role.FUND_MANAGER)
        or bool(scope.district_ids or scope.town_ids or scope.community_ids)
    )


def is_fund_manager(user, fund: CommunityFund) -> bool:
    """Its manager (FundMember) or fund_manager staff of its host organisation."""
    return "manager" in fund_roles(user).get(fund.pk, ()) or fund.host_id in scope_for(user).orgs_for(Role.FUND_MANAGER)


def is_committee_member(user, fund: CommunityFund) -> bool:
    return "committee" in fund_roles(user).get(fund.pk, ())


def can_view_fund(user, fund: CommunityFund) -> bool:
    scope = scope_for(user)
    return (
        scope.sees_all
        or fund.pk in fund_roles(user)
        or fund.host_id in scope.orgs_for(Role.FUND_MANAGER)
        or fund.town_id in scope.town_ids
        or fund.town.district_id in scope.district_ids
        or (fund.community_id is not None and fund.community_id in scope.community_ids)
    )


def can_manage_fund(user, fund: CommunityFund) -> bool:
    """Records donations and reversals, receives grant applications: the manager (and the bureau)."""
    return fund.is_active and (is_fund_manager(user, fund) or is_bureau_admin(user))


def can_apply_for_grant(user, fund: CommunityFund) -> bool:
    """A resident group (through the manager or a committee member), a community organisation (through its
    community officer) or an agency applies."""
    if not fund.is_active or not user.is_authenticated:
        return False
    scope = scope_for(user)
    return (
        can_manage_fund(user, fund)
        or is_committee_member(user, fund)
        or bool(scope.agency_ids)
        or (fund.town_id in scope.community_town_ids)
    )


def can_vote_on_grant(user, grant: MicroGrant) -> bool:
    """Committee members vote on a grant waiting for the vote, once."""
    return grant.status == MicroGrant.Status.SUBMITTED and is_committee_member(user, grant.fund)


def can_view_grant(user, grant: MicroGrant) -> bool:
    return grant.applied_by_id == getattr(user, "pk", None) or can_view_fund(user, grant.fund)


def can_close_grant(user, grant: MicroGrant) -> bool:
    """The grantee (who applied) or the fund's manager closes an approved grant with its outcome."""
    return grant.status == MicroGrant.Status.APPROVED and (
        grant.applied_by_id == getattr(user, "pk", None) or is_fund_manager(user, grant.fund)
    )


def can_view_receipt(user, grant: MicroGrant) -> bool:
    return can_view_grant(user, grant)


def can_reverse_entry(user, entry: LedgerEntry) -> bool:
    """A mistake is reversed by a new entry, by the manager or the bureau; a reversal is not reversed again."""
    return (
        entry.kind == LedgerEntry.Kind.DONATION
        and not hasattr_reversed(entry)
        and (is_fund_manager(user, entry.fund) or is_bureau_admin(user))
    )


def hasattr_reversed(entry: LedgerEntry) -> bool:
    try:
        entry.reversed_by  # noqa: B018
    except LedgerEntry.DoesNotExist:
        return False
    return True


def can_edit_ledger(user, entry=None) -> bool:
    """F4/F5: nobody edits or deletes a ledger entry or a payment, in any interface."""
    return False
