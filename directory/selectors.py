"""Reads of places, organisations and memberships, scoped to the asking user."""

import django_filters
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from .models import ApiToken, Community, Membership, Organisation, Town, User
from .permissions import scope_for


def town_list(*, user) -> QuerySet[Town]:
    """Towns the user may see, with their district and community count."""
    scope = scope_for(user)
    qs = Town.objects.select_related("district", "district__city").annotate(community_count=Count("communities"))
    if scope.sees_all:
        return qs
    return qs.filter(Q(district_id__in=scope.district_ids) | Q(id__in=scope.town_ids | scope.community_town_ids))


def community_list(*, user) -> QuerySet[Community]:
    """Communities the user may see."""
    scope = scope_for(user)
    qs = Community.objects.select_related("town", "town__district")
    if scope.sees_all:
        return qs
    return qs.filter(
        Q(id__in=scope.community_ids) | Q(town_id__in=scope.town_ids) | Q(town__district_id__in=scope.district_ids)
    )


def organisation_list(*, user) -> QuerySet[Organisation]:
    """The user's own organisations, plus the town offices and committees of places they see from above."""
    scope = scope_for(user)
    qs = Organisation.objects.select_related("district", "town", "community")
    if scope.sees_all:
        return qs
    q = Q(id__in=scope.organisation_ids)
    if scope.district_ids:
        q |= Q(town__district_id__in=scope.district_ids) | Q(community__town__district_id__in=scope.district_ids)
    if scope.town_ids:
        q |= Q(town_id__in=scope.town_ids) | Q(community__town_id__in=scope.town_ids)
    return qs.filter(q)


def membership_list_for_user(*, user: User) -> QuerySet[Membership]:
    """The user's own active memberships (for the home page and the role badge)."""
    return (
        Membership.objects.filter(user=user, is_active=True, organisation__is_active=True)
        .select_related("organisation", "organisation__town", "organisation__community", "organisation__district")
        .order_by("role")
    )


def users_without_membership() -> QuerySet[User]:
    return User.objects.filter(is_active=True, is_superuser=False, memberships__isnull=True)


def login_attempt_list(*, user, username: str = ""):
    """Every recorded login, newest first: successes (django-axes' AccessLog) and failures (AccessFailureLog)
    as rows of username, address, browser, time and outcome ("success", "failure", "locked_out"). Nothing for
    a user who may not read them; passwords are never recorded."""
    from axes.models import AccessFailureLog, AccessLog
    from django.db.models import Case, CharField, Value, When

    from .permissions import can_view_login_attempts

    fields = ("username", "ip_address", "user_agent", "attempt_time", "outcome")
    successes = AccessLog.objects.annotate(outcome=Value("success", output_field=CharField()))
    failures = AccessFailureLog.objects.annotate(
        outcome=Case(
            When(locked_out=True, then=Value("locked_out")),
            default=Value("failure"),
            output_field=CharField(),
        )
    )
    if not can_view_login_attempts(user):
        successes, failures = successes.none(), failures.none()
    if username:
        successes, failures = successes.filter(username=username), failures.filter(username=username)
    return (
        successes.order_by()
        .values(*fields)
        .union(failures.order_by().values(*fields), all=True)
        .order_by("-attempt_time")
    )


class ApiTokenFilter(django_filters.FilterSet):
    """The token list's filters: scope, active or revoked, when created, and (the bureau, with `all=true`)
    whose."""

    scope = django_filters.ChoiceFilter(choices=ApiToken.Scope.choices, label=_("权限范围"))
    active = django_filters.BooleanFilter(
        field_name="revoked_at", lookup_expr="isnull", label=_("有效"), help_text=_("true：未撤销；false：已撤销")
    )
    created_after = django_filters.DateFilter(
        field_name="created_at", lookup_expr="date__gte", label=_("创建日期起"), help_text=_("如 2025-01-01")
    )
    created_before = django_filters.DateFilter(field_name="created_at", lookup_expr="date__lte", label=_("创建日期止"))
    user = django_filters.CharFilter(
        field_name="user__username", max_length=150, label=_("用户名"), help_text=_("民政局与 all=true 同用")
    )

    class Meta:
        model = ApiToken
        fields = ["scope", "active", "created_after", "created_before", "user"]


def api_token_list(*, user, everyone: bool = False):
    """The user's own API tokens, newest first; with `everyone`, the bureau gets every user's."""
    from .permissions import is_bureau_admin

    tokens = ApiToken.objects.select_related("user", "revoked_by")
    if everyone and is_bureau_admin(user):
        return tokens
    return tokens.filter(user_id=user.pk) if user.is_authenticated else tokens.none()
