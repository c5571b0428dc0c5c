"""The one permission layer (STYLE.md): who is asking, and what they may see and do.

`scope_for(user)` reads the user's active memberships once per request and answers every
"which rows" question; the `can_*` predicates answer "may this user do this" with a plain bool.
Selectors in every app filter rows with the scope; views, templates, the API and downloads ask the
predicates. Roles are the codes of `directory.models.Role`, never translated names.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q

from .models import Community, Organisation, Role, Town

# Roles that see every row of the platform.
CITY_WIDE_ROLES = frozenset({Role.BUREAU_ADMIN, Role.AUDITOR})


@dataclass(frozen=True)
class Scope:
    roles: frozenset[str] = frozenset()
    sees_all: bool = False
    district_ids: frozenset[int] = frozenset()
    town_ids: frozenset[int] = frozenset()
    community_ids: frozenset[int] = frozenset()
    # Towns of the communities a community officer serves (to read, e.g., the town's name).
    community_town_ids: frozenset[int] = frozenset()
    agency_ids: frozenset[int] = frozenset()
    evaluation_firm_ids: frozenset[int] = frozenset()
    organisation_ids: frozenset[int] = frozenset()
    by_role: dict[str, frozenset[int]] = field(default_factory=dict)

    def has(self, *roles: str) -> bool:
        return any(role in self.roles for role in roles)

    def orgs_for(self, *roles: str) -> frozenset[int]:
        """Organisations in which the user holds any of these roles."""
        ids: set[int] = set()
        for role in roles:
            ids |= self.by_role.get(role, frozenset())
        return frozenset(ids)

    def place_q(self, town_path: str, community_path: str | None = None) -> Q:
        """Rows tied to a place the user may see.

        `town_path` names the lookup from the row to its Town (e.g. "town" or "package__town");
        `community_path` the lookup to a Community if the row may belong to one. District officers see
        their district's towns, town officers their towns, community officers their communities (and
        town-level rows of their town only when `community_path` is None, i.e. the row has no community).
        """
        if self.sees_all:
            return Q()
        q = Q(pk__in=[])
        if self.district_ids:
            q |= Q(**{f"{town_path}__district_id__in": self.district_ids})
        if self.town_ids:
            q |= Q(**{f"{town_path}_id__in": self.town_ids})
        if self.community_ids:
            if community_path:
                q |= Q(**{f"{community_path}_id__in": self.community_ids})
            else:
                q |= Q(**{f"{town_path}_id__in": self.community_town_ids})
        return q


NO_SCOPE = Scope()


def scope_for(user) -> Scope:
    """The user's scope, computed from active memberships once and cached on the user object."""
    if user is None or not user.is_authenticated or not user.is_active:
        return NO_SCOPE
    cached = getattr(user, "_sw_scope", None)
    if cached is not None:
        return cached
    memberships = (
        user.memberships.filter(is_active=True, organisation__is_active=True)
        .select_related("organisation", "organisation__community")
        .order_by()
        .only(
            "role",
            "user_id",
            "organisation__id",
            "organisation__kind",
            "organisation__district_id",
            "organisation__town_id",
            "organisation__community_id",
            "organisation__community__town_id",
        )
    )
    roles: set[str] = set()
    by_role: dict[str, set[int]] = {}
    districts: set[int] = set()
    towns: set[int] = set()
    communities: set[int] = set()
    community_towns: set[int] = set()
    for m in memberships:
        org = m.organisation
        roles.add(m.role)
        by_role.setdefault(m.role, set()).add(org.id)
        if m.role == Role.DISTRICT_OFFICER and org.district_id:
            districts.add(org.district_id)
        elif m.role == Role.TOWN_OFFICER and org.town_id:
            towns.add(org.town_id)
        elif m.role == Role.COMMUNITY_OFFICER and org.community_id:
            communities.add(org.community_id)
            community_towns.add(org.community.town_id)
    sees_all = user.is_superuser or bool(roles & CITY_WIDE_ROLES)
    scope = Scope(
        roles=frozenset(roles | ({Role.BUREAU_ADMIN} if user.is_superuser else set())),
        sees_all=sees_all,
        district_ids=frozenset(districts),
        town_ids=frozenset(towns),
        community_ids=frozenset(communities),
        community_town_ids=frozenset(community_towns),
        agency_ids=frozenset(by_role.get(Role.AGENCY_MANAGER, set()) | by_role.get(Role.AGENCY_WORKER, set())),
        evaluation_firm_ids=frozenset(by_role.get(Role.EVALUATOR, set())),
        organisation_ids=frozenset(set().union(*by_role.values()) if by_role else set()),
        by_role={role: frozenset(ids) for role, ids in by_role.items()},
    )
    user._sw_scope = scope
    return scope


def has_role(user, *roles: str) -> bool:
    return scope_for(user).has(*roles)


def is_bureau_admin(user) -> bool:
    """Bureau administrators (and superusers) run the platform: catalogue, rounds, tenders, funds."""
    return has_role(user, Role.BUREAU_ADMIN)


def can_use_admin(user) -> bool:
    """The Django admin is the civil-affairs staff's desk: bureau administrators only."""
    return bool(user.is_authenticated and user.is_active and user.is_staff and is_bureau_admin(user))


def can_see_full_resident_id(user) -> bool:
    """D4: only a bureau administrator sees a resident ID unmasked."""
    return is_bureau_admin(user)


def can_view_town(user, town: Town) -> bool:
    """A town is visible to the city-wide roles, its district, its own officers and its communities' officers."""
    scope = scope_for(user)
    return (
        scope.sees_all
        or town.district_id in scope.district_ids
        or town.id in scope.town_ids
        or town.id in scope.community_town_ids
    )


def can_view_community(user, community: Community) -> bool:
    """A community is visible to whoever sees its town from above, and to its own officers."""
    scope = scope_for(user)
    return (
        scope.sees_all
        or community.id in scope.community_ids
        or community.town_id in scope.town_ids
        or community.town.district_id in scope.district_ids
    )


def can_view_organisation(user, organisation: Organisation) -> bool:
    """Members see their own organisation; place officers see the offices and committees under them."""
    scope = scope_for(user)
    if scope.sees_all or organisation.id in scope.organisation_ids:
        return True
    if organisation.community_id:
        return can_view_community(user, organisation.community)
    if organisation.town_id:
        return organisation.town_id in scope.town_ids or organisation.town.district_id in scope.district_ids
    return False


def can_manage_directory(user) -> bool:
    """Places, organisations and memberships are kept by the bureau."""
    return is_bureau_admin(user)


def can_view_login_attempts(user) -> bool:
    """Login attempts (successes and failures, never passwords) are read by the auditor and the bureau."""
    return has_role(user, Role.BUREAU_ADMIN, Role.AUDITOR)


def can_create_api_token(user) -> bool:
    """Any active user may give another system a token to act as itself (and no more)."""
    return bool(user.is_authenticated and user.is_active)


def can_revoke_api_token(user, token) -> bool:
    """A user revokes its own tokens; the bureau revokes anyone's."""
    return bool(user.is_authenticated and (token.user_id == user.pk or is_bureau_admin(user)))


def dashboard_area(user, on=None):
    """Whose figures a user's home page shows (core.dashboard): the city for the bureau and the auditor, its
    districts for a district officer, its towns for a town officer, its agencies' packages for an agency manager;
    None for the other roles (their home page is their to-do list). The first that applies wins."""
    from django.utils import timezone

    from core.dashboard import Area

    scope = scope_for(user)
    on = on or timezone.localdate()
    if scope.sees_all:
        return Area(kind="city", on=on, user=user)
    if scope.district_ids:
        return Area(kind="district", on=on, user=user, district_ids=scope.district_ids)
    if scope.town_ids:
        return Area(kind="town", on=on, user=user, town_ids=scope.town_ids)
    managed = scope.orgs_for(Role.AGENCY_MANAGER)
    if managed:
        return Area(kind="agency", on=on, user=user, agency_ids=managed)
    return None
