"""Writes to places, organisations, users and memberships."""

from __future__ import annotations

import json
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.actors import SYSTEM

from .models import (
    ROLE_ORGANISATION_KINDS,
    ApiToken,
    City,
    Community,
    District,
    Membership,
    Organisation,
    Role,
    Town,
    User,
)
from .permissions import can_create_api_token, can_manage_directory, can_revoke_api_token

DATA_DIR = Path(__file__).resolve().parent / "data"


def _require_manager(actor) -> None:
    # The system itself (management commands, data loading) acts as SYSTEM; a missing actor is refused.
    if actor is SYSTEM:
        return
    if actor is None or not can_manage_directory(actor):
        raise PermissionDenied(_("只有民政局管理员可以维护名录。"))


@transaction.atomic
def organisation_create(*, actor, kind: str, name: str, **fields) -> Organisation:
    """Create an organisation; the USCC is checked (D3) and the place must fit the kind."""
    _require_manager(actor)
    organisation = Organisation(kind=kind, name=name, **fields)
    if organisation.uscc:
        organisation.uscc = organisation.uscc.strip().upper()
    organisation.full_clean()
    _check_organisation_place(organisation)
    organisation.save()
    return organisation


def _check_organisation_place(organisation: Organisation) -> None:
    if organisation.kind == Organisation.Kind.TOWN_OFFICE and not organisation.town_id:
        raise ValidationError({"town": _("街道办事处/镇政府必须属于一个街道（镇）。")})
    if organisation.kind == Organisation.Kind.COMMUNITY_COMMITTEE and not organisation.community_id:
        raise ValidationError({"community": _("居委会/村委会必须属于一个社区（村）。")})
    if organisation.community_id and organisation.town_id and organisation.community.town_id != organisation.town_id:
        raise ValidationError({"community": _("社区（村）不属于所选街道（镇）。")})


@transaction.atomic
def membership_create(*, actor, user: User, organisation: Organisation, role: str) -> Membership:
    """Give a user a role in an organisation (D2). The role must fit the organisation's kind."""
    _require_manager(actor)
    if role not in Role.values:
        raise ValidationError({"role": _("未知角色代码“%(r)s”。") % {"r": role}})
    if organisation.kind not in ROLE_ORGANISATION_KINDS[role]:
        raise ValidationError(
            {
                "role": _("角色“%(role)s”不能在“%(kind)s”类组织中担任。")
                % {"role": Role(role).label, "kind": organisation.get_kind_display()}
            }
        )
    if role == Role.DISTRICT_OFFICER and not organisation.district_id:
        raise ValidationError({"organisation": _("区民政干部应属于区（县级市）民政局。")})
    membership, _created = Membership.objects.get_or_create(
        user=user, organisation=organisation, role=role, defaults={"is_active": True}
    )
    if not membership.is_active:
        membership.is_active = True
        membership.save(update_fields=["is_active"])
    return membership


@transaction.atomic
def user_create(*, actor, username: str, password: str | None, full_name: str = "", **fields) -> User:
    _require_manager(actor)
    user = User(username=username, full_name=full_name, **fields)
    if user.resident_id:
        user.resident_id = user.resident_id.strip().upper()
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean()
    user.save()
    return user


@transaction.atomic
def places_load(*, path: Path | None = None) -> dict[str, int]:
    """Load the city → district → town → community tree from JSON (D1). Safe to run twice: rows are
    matched by their administrative code and updated."""
    data = json.loads((path or DATA_DIR / "suzhou.json").read_text(encoding="utf-8"))
    counts = {"districts": 0, "towns": 0, "communities": 0}
    city, _created = City.objects.update_or_create(
        code=data["code"], defaults={"name": data["name"], "name_en": data.get("name_en", "")}
    )
    for d in data["districts"]:
        district, _created = District.objects.update_or_create(
            code=d["code"],
            defaults={"city": city, "name": d["name"], "name_en": d.get("name_en", ""), "kind": d["kind"]},
        )
        counts["districts"] += 1
        for t in d.get("towns", []):
            town, _created = Town.objects.update_or_create(
                code=t["code"],
                defaults={
                    "district": district,
                    "name": t["name"],
                    "name_en": t.get("name_en", ""),
                    "kind": t["kind"],
                },
            )
            counts["towns"] += 1
            for c in t.get("communities", []):
                Community.objects.update_or_create(
                    code=c["code"],
                    defaults={
                        "town": town,
                        "name": c["name"],
                        "name_en": c.get("name_en", ""),
                        "kind": c["kind"],
                    },
                )
                counts["communities"] += 1
    return counts


def user_password_reset_send(*, actor, user: User, request) -> None:
    """The bureau sends a user an e-mail with a one-time link to set a new password (Django's reset token:
    valid PASSWORD_RESET_TIMEOUT, spent once the password changes). The user needs an e-mail address."""
    from django.contrib.auth.forms import PasswordResetForm
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    _require_manager(actor)
    if not user.is_active:
        raise ValidationError(_("用户“%(u)s”已停用，不能重设密码。") % {"u": user.username})
    if not user.email:
        raise ValidationError(_("用户“%(u)s”没有登记邮箱，请先填写邮箱再发送重设密码邮件。") % {"u": user.username})
    context = {
        "email": user.email,
        "domain": request.get_host(),
        "site_name": str(settings.SITE_NAME),
        "uid": urlsafe_base64_encode(force_bytes(user.pk)),
        "user": user,
        "token": default_token_generator.make_token(user),
        "protocol": "https" if request.is_secure() else "http",
    }
    PasswordResetForm().send_mail(
        "registration/password_reset_subject.txt",
        "registration/password_reset_email.html",
        context,
        None,
        user.email,
    )


# --- API tokens --------------------------------------------------------------------------------------

API_TOKEN_PREFIX = "sw_"


def api_token_hash(key: str) -> str:
    import hashlib

    return hashlib.sha256(key.encode("utf-8")).hexdigest()


@transaction.atomic
def api_token_create(*, actor, name: str, scope: str) -> tuple[ApiToken, str]:
    """A new API token for the actor itself; returns the token and its key, which is shown this once and
    stored only as a SHA-256 digest (the key is 256 random bits, so a fast hash is enough)."""
    import secrets

    if not can_create_api_token(actor):
        raise PermissionDenied(_("请先登录。"))
    key = API_TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user=actor, name=(name or "").strip(), scope=scope, prefix=key[:10], key_hash=api_token_hash(key))
    token.full_clean()
    token.save()
    return token, key


@transaction.atomic
def api_token_revoke(*, actor, token: ApiToken) -> ApiToken:
    """Revoke a token at once: its own user, or the bureau for anyone's. Revoking twice changes nothing."""
    if not can_revoke_api_token(actor, token):
        raise PermissionDenied(_("只能撤销自己的令牌。"))
    locked = ApiToken.objects.select_for_update().get(pk=token.pk)
    if locked.revoked_at is None:
        locked.revoked_at = timezone.now()
        locked.revoked_by = actor
        locked.save(update_fields=["revoked_at", "revoked_by"])
    return locked
