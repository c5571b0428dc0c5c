"""K10 — the year's spot-check draw. The bureau (or the yearly beat task, as the system) draws once per year;
the drawn packages are then assigned like any evaluation (`evaluation_assign` with stage spot check)."""

from __future__ import annotations

import datetime
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import SpotCheckDraw, SpotCheckPick
from ..spot_checks import k10_candidates, k10_draw
from .common import person, require_bureau

MAX_SEED_LENGTH = 64


def spot_check_min_share() -> int:
    return settings.COMPLIANCE_SPOT_CHECK_SHARE


@transaction.atomic
def spot_check_draw(
    *, actor, year: int, share: int | None = None, seed: str | None = None, today: datetime.date | None = None
) -> SpotCheckDraw:
    """K10: draw the year's spot checks — at least `COMPLIANCE_SPOT_CHECK_SHARE` % of the packages in service
    that have run more than a year, per district, priority to those past two years never drawn — from `seed`
    (a fresh random one when not given), which is recorded. One draw per year: a second is refused."""
    require_bureau(actor, _("只有民政局管理员可以进行年度抽查。"))
    today = today or timezone.localdate()
    minimum = spot_check_min_share()
    if share is None:
        share = minimum
    if isinstance(year, bool) or not isinstance(year, int) or year not in (today.year, today.year + 1):
        raise ValidationError({"year": _("只能为今年（%(y)d年）或明年抽查。") % {"y": today.year}})
    if isinstance(share, bool) or not isinstance(share, int) or not minimum <= share <= 100:
        raise ValidationError({"share": _("抽查比例须在 %(min)d%% 至 100%% 之间。") % {"min": minimum}})
    seed = (seed or "").strip() or secrets.token_hex(8)
    if len(seed) > MAX_SEED_LENGTH:
        raise ValidationError({"seed": _("随机种子最多 %(n)d 个字符。") % {"n": MAX_SEED_LENGTH}})
    if SpotCheckDraw.objects.filter(year=year).exists():
        raise ValidationError({"year": _("%(y)d年度的抽查已经抽取，每年只抽一次。") % {"y": year}}, code="exists")
    candidates = k10_candidates(today)
    drawn = k10_draw(candidates, share=share, seed=seed, on=today)
    draw = SpotCheckDraw(
        year=year, drawn_on=today, seed=seed, share=share, eligible_count=len(candidates), drawn_by=person(actor)
    )
    draw.full_clean(validate_unique=False)
    try:
        # Two bureau admins (or the beat task and a person) drawing at once: the year's unique key keeps one.
        with transaction.atomic():
            draw.save()
    except IntegrityError as exc:
        raise ValidationError(
            {"year": _("%(y)d年度的抽查已经抽取，每年只抽一次。") % {"y": year}}, code="exists"
        ) from exc
    SpotCheckPick.objects.bulk_create(
        SpotCheckPick(draw=draw, package_id=d.package_id, district_id=d.district_id, priority=d.priority) for d in drawn
    )
    return draw
