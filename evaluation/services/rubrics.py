"""Indicator sets (A1) and rubrics (A3) as versioned data: shipped defaults, edits, new versions.

An indicator set or rubric in use (`in_use_since`, set when a round opens or an evaluation is assigned with it)
is never changed in place: an edit lands in a new version derived from it, which takes over as the default
if the old one was.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.versioning import create_version, mark_in_use

from .. import defaults
from ..models import (
    AssessmentIndicator,
    AssessmentIndicatorSet,
    Direction,
    Rubric,
    RubricDimension,
    RubricIndicator,
)
from ..scoring import weights_problems
from ._common import require_bureau

# --- two-way indicator sets (A1) -----------------------------------------------------------------


def _indicator_rows(indicators: Iterable) -> list[dict]:
    rows = []
    for n, spec in enumerate(indicators, start=1):
        if isinstance(spec, tuple):
            code, name_zh, name_en, description, max_score = spec
            spec = {"code": code, "name_zh": name_zh, "name_en": name_en, "description": description}
            spec["max_score"] = max_score
        rows.append({"order": n, **spec})
    return rows


def _write_set_indicators(indicator_set: AssessmentIndicatorSet, indicators: Iterable) -> None:
    rows = _indicator_rows(indicators)
    if not rows:
        raise ValidationError({"indicators": _("指标集至少需要一个指标。")})
    indicator_set.indicators.all().delete()
    for row in rows:
        indicator = AssessmentIndicator(indicator_set=indicator_set, **row)
        indicator.full_clean(exclude=["indicator_set"])
        indicator.save()


@transaction.atomic
def indicator_set_create(
    *, actor, code: str, direction: str, name_zh: str, name_en: str = "", indicators: Iterable, is_default=False
) -> AssessmentIndicatorSet:
    """A new indicator set (version 1, or the next version of an existing code)."""
    require_bureau(actor)
    indicator_set = create_version(
        AssessmentIndicatorSet(code=code, direction=direction, name_zh=name_zh, name_en=name_en)
    )
    _write_set_indicators(indicator_set, indicators)
    if is_default:
        indicator_set_make_default(actor=actor, indicator_set=indicator_set)
    return indicator_set


@transaction.atomic
def indicator_set_make_default(*, actor, indicator_set: AssessmentIndicatorSet) -> AssessmentIndicatorSet:
    """The set new rounds use unless the bureau picks another."""
    require_bureau(actor)
    AssessmentIndicatorSet.objects.filter(direction=indicator_set.direction, is_default=True).exclude(
        pk=indicator_set.pk
    ).update(is_default=False)
    indicator_set.is_default = True
    indicator_set.save(update_fields=["is_default"])
    return indicator_set


@transaction.atomic
def indicator_set_revise(*, actor, indicator_set: AssessmentIndicatorSet) -> AssessmentIndicatorSet:
    """Copy a set into its next version, which can be edited; it becomes the default if the original was."""
    require_bureau(actor)
    # Two admins revising the same set wait for each other, so only the first revision takes over as the
    # default (the second sees the original no longer is).
    indicator_set = AssessmentIndicatorSet.objects.select_for_update().get(pk=indicator_set.pk)
    revision = create_version(
        AssessmentIndicatorSet(
            code=indicator_set.code,
            direction=indicator_set.direction,
            name_zh=indicator_set.name_zh,
            name_en=indicator_set.name_en,
            derived_from=indicator_set,
        )
    )
    for indicator in indicator_set.indicators.all():
        indicator.pk = None
        indicator.indicator_set = revision
        indicator.save()
    if indicator_set.is_default:
        indicator_set_make_default(actor=actor, indicator_set=revision)
    return revision


@transaction.atomic
def indicator_set_update(
    *,
    actor,
    indicator_set: AssessmentIndicatorSet,
    name_zh: str | None = None,
    name_en: str | None = None,
    indicators: Iterable | None = None,
) -> AssessmentIndicatorSet:
    """Change a set's names or replace its indicators. A set in use is left as it is: the change lands in a
    new version, which is returned."""
    require_bureau(actor)
    indicator_set = AssessmentIndicatorSet.objects.select_for_update().get(pk=indicator_set.pk)
    if indicator_set.is_in_use:
        indicator_set = indicator_set_revise(actor=actor, indicator_set=indicator_set)
    if name_zh is not None:
        indicator_set.name_zh = name_zh
    if name_en is not None:
        indicator_set.name_en = name_en
    indicator_set.full_clean()
    indicator_set.save()
    if indicators is not None:
        _write_set_indicators(indicator_set, indicators)
    return indicator_set


def indicator_set_mark_in_use(indicator_set: AssessmentIndicatorSet) -> None:
    """A round opened with the set: freeze it (idempotent, core.versioning.mark_in_use)."""
    mark_in_use(indicator_set)


def indicator_sets_load_shipped() -> list[AssessmentIndicatorSet]:
    """The shipped sets (safe to run twice: a code already present is left alone)."""
    loaded = []
    for spec, direction in (
        (defaults.AGENCY_SET, Direction.OF_AGENCY),
        (defaults.TOWN_OFFICE_SET, Direction.OF_TOWN_OFFICE),
    ):
        existing = AssessmentIndicatorSet.objects.filter(code=spec["code"]).order_by("-version").first()
        if existing is None:
            has_default = AssessmentIndicatorSet.objects.filter(direction=direction, is_default=True).exists()
            existing = indicator_set_create(
                actor=None,
                code=spec["code"],
                direction=direction,
                name_zh=spec["name_zh"],
                name_en=spec["name_en"],
                indicators=spec["indicators"],
                is_default=not has_default,
            )
        loaded.append(existing)
    return loaded


def indicator_set_default(direction: str) -> AssessmentIndicatorSet:
    """The default set of a direction, loading the shipped ones on first use."""
    found = AssessmentIndicatorSet.objects.filter(direction=direction, is_default=True).first()
    if found is None:
        indicator_sets_load_shipped()
        found = AssessmentIndicatorSet.objects.filter(direction=direction, is_default=True).first()
    if found is None:
        found = AssessmentIndicatorSet.objects.filter(direction=direction).order_by("-created_at").first()
    return found


# --- rubrics (A3) --------------------------------------------------------------------------------


def rubric_weights_check(weights: Iterable[Decimal]) -> None:
    """A3: the dimensions' weights sum to 100. Raises a ValidationError a user can act on."""
    problems = weights_problems(weights)
    if problems:
        raise ValidationError({"weight": problems})


def rubric_check(rubric: Rubric) -> None:
    """A rubric is usable when its weights sum to 100 and every dimension has indicators."""
    dimensions = list(rubric.dimensions.prefetch_related("indicators"))
    rubric_weights_check([d.weight for d in dimensions])
    empty = [d.name_zh for d in dimensions if not list(d.indicators.all())]
    if empty:
        raise ValidationError({"dimensions": _("维度“%(d)s”还没有评估指标。") % {"d": "、".join(empty)}})


def _write_dimensions(rubric: Rubric, dimensions: list[dict]) -> None:
    rubric_weights_check([Decimal(str(d["weight"])) for d in dimensions])
    rubric.dimensions.all().delete()
    for n, spec in enumerate(dimensions, start=1):
        spec = dict(spec)
        indicators = _indicator_rows(spec.pop("indicators", []))
        dimension = RubricDimension(rubric=rubric, order=spec.pop("order", n), **spec)
        dimension.full_clean(exclude=["rubric"])
        dimension.save()
        if not indicators:
            raise ValidationError({"dimensions": _("维度“%(d)s”还没有评估指标。") % {"d": dimension.name_zh}})
        for row in indicators:
            indicator = RubricIndicator(dimension=dimension, **row)
            indicator.full_clean(exclude=["dimension"])
            indicator.save()


@transaction.atomic
def rubric_create(
    *,
    actor,
    code: str,
    name_zh: str,
    dimensions: list[dict],
    name_en: str = "",
    description: str = "",
    two_way_weight: Decimal = Decimal("20"),
    is_default: bool = False,
) -> Rubric:
    """A new rubric: dimensions (weights summing to 100) with their indicators (A3)."""
    require_bureau(actor)
    rubric = create_version(
        Rubric(code=code, name_zh=name_zh, name_en=name_en, description=description, two_way_weight=two_way_weight)
    )
    _write_dimensions(rubric, dimensions)
    if is_default:
        rubric_make_default(actor=actor, rubric=rubric)
    return rubric


@transaction.atomic
def rubric_make_default(*, actor, rubric: Rubric) -> Rubric:
    """The rubric new evaluations use unless the bureau picks another; it must be usable."""
    require_bureau(actor)
    rubric_check(rubric)
    Rubric.objects.filter(is_default=True).exclude(pk=rubric.pk).update(is_default=False)
    rubric.is_default = True
    rubric.save(update_fields=["is_default"])
    return rubric


@transaction.atomic
def rubric_revise(*, actor, rubric: Rubric) -> Rubric:
    """Copy a rubric into its next version, which can be edited (A3: a rubric in use is never changed in
    place); the copy becomes the default if the original was."""
    require_bureau(actor)
    # As for indicator sets: concurrent revisions of one rubric queue here, and only the first takes the default.
    rubric = Rubric.objects.select_for_update().get(pk=rubric.pk)
    revision = create_version(
        Rubric(
            code=rubric.code,
            name_zh=rubric.name_zh,
            name_en=rubric.name_en,
            description=rubric.description,
            two_way_weight=rubric.two_way_weight,
            derived_from=rubric,
        )
    )
    for dimension in rubric.dimensions.prefetch_related("indicators"):
        indicators = list(dimension.indicators.all())
        dimension.pk = None
        dimension.rubric = revision
        dimension.save()
        for indicator in indicators:
            indicator.pk = None
            indicator.dimension = dimension
            indicator.save()
    if rubric.is_default:
        Rubric.objects.filter(pk=rubric.pk).update(is_default=False)
        revision.is_default = True
        revision.save(update_fields=["is_default"])
    return revision


@transaction.atomic
def rubric_update(
    *,
    actor,
    rubric: Rubric,
    name_zh: str | None = None,
    name_en: str | None = None,
    description: str | None = None,
    two_way_weight: Decimal | None = None,
    dimensions: list[dict] | None = None,
) -> Rubric:
    """Change a rubric's names, its A4 two-way weight or its dimensions and indicators. A rubric in use is
    left as it is: the change lands in a new version, which is returned (A3)."""
    require_bureau(actor)
    rubric = Rubric.objects.select_for_update().get(pk=rubric.pk)
    if rubric.is_in_use:
        rubric = rubric_revise(actor=actor, rubric=rubric)
    for name, value in (
        ("name_zh", name_zh),
        ("name_en", name_en),
        ("description", description),
        ("two_way_weight", two_way_weight),
    ):
        if value is not None:
            setattr(rubric, name, value)
    rubric.full_clean()
    rubric.save()
    if dimensions is not None:
        _write_dimensions(rubric, dimensions)
    return rubric


def rubric_mark_in_use(rubric: Rubric) -> None:
    """An evaluation was assigned with the rubric: freeze it (idempotent, core.versioning.mark_in_use)."""
    mark_in_use(rubric)


def rubric_load_shipped() -> Rubric:
    """The shipped A3 rubric (safe to run twice: an existing code is left alone)."""
    spec = defaults.RUBRIC
    existing = Rubric.objects.filter(code=spec["code"]).order_by("-version").first()
    if existing is not None:
        return existing
    dimensions = [{**d, "indicators": list(d["indicators"])} for d in spec["dimensions"]]
    return rubric_create(
        actor=None,
        code=spec["code"],
        name_zh=spec["name_zh"],
        name_en=spec["name_en"],
        two_way_weight=spec["two_way_weight"],
        dimensions=dimensions,
        is_default=not Rubric.objects.filter(is_default=True).exists(),
    )


def rubric_default() -> Rubric:
    """The default rubric, loading the shipped one on first use."""
    found = Rubric.objects.filter(is_default=True).first()
    if found is None:
        shipped = rubric_load_shipped()
        found = Rubric.objects.filter(is_default=True).first() or shipped
    return found
