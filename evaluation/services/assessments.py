"""Two-way assessment (A1): the bureau opens a half-year round per package; the town office and every served
community's committee score the agency, the agency scores the town office; each rater saves drafts and
submits once; the bureau closes the round (or it closes itself after `closes_on`) and both sides see results."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from delivery.models import PlanItem
from directory.models import Community, Organisation
from directory.validators import EARLIEST_YEAR, LATEST_YEAR, plausible_date_problem
from procurement.models import ServicePackage

from ..models import AssessmentIndicatorSet, AssessmentRound, AssessmentScore, AssessmentSheet, Direction
from ..permissions import is_rater
from ..scoring import PERIOD_RE, period_bounds, period_of
from ._common import ScoreEntry, clean_entries, require_bureau, score_field, write_scores
from .rubrics import indicator_set_default, indicator_set_mark_in_use

ROUND_DAYS = 30  # default time raters have to fill their sheets


def served_communities(package: ServicePackage) -> list[Community]:
    """The communities a package serves: those its plan places items in, or — while it has no plan with
    community items — every community of its town."""
    planned = (
        PlanItem.objects.filter(plan__package=package, community__isnull=False)
        .values_list("community_id", flat=True)
        .distinct()
    )
    qs = Community.objects.filter(town_id=package.town_id)
    ids = set(planned)
    if ids:
        qs = qs.filter(id__in=ids)
    return list(qs.order_by("code"))


def _raters(package: ServicePackage) -> list[tuple[Organisation, str]]:
    offices = list(
        Organisation.objects.filter(kind=Organisation.Kind.TOWN_OFFICE, town_id=package.town_id, is_active=True)
    )
    if not offices:
        raise ValidationError(
            {"package": _("街镇“%(town)s”还没有办事处组织，无法开展双向考核。") % {"town": package.town.name}}
        )
    committees = list(
        Organisation.objects.filter(
            kind=Organisation.Kind.COMMUNITY_COMMITTEE,
            community__in=served_communities(package),
            is_active=True,
        ).order_by("community__code")
    )
    raters = [(o, Direction.OF_AGENCY) for o in offices + committees]
    raters.append((package.agency.organisation, Direction.OF_TOWN_OFFICE))
    return raters


@transaction.atomic
def assessment_round_open(
    *,
    actor,
    package: ServicePackage,
    period: str,
    opens_on: datetime.date | None = None,
    closes_on: datetime.date | None = None,
    agency_indicator_set: AssessmentIndicatorSet | None = None,
    town_office_indicator_set: AssessmentIndicatorSet | None = None,
) -> AssessmentRound:
    """Open a half-year round (A1) with a sheet for the town office, each served community's committee (both
    scoring the agency) and the agency (scoring the town office). The indicator sets default to the current
    default sets; the bureau may pick other versions per round."""
    require_bureau(actor, _("只有民政局管理员可以发起双向考核。"))
    package = (
        ServicePackage.objects.select_for_update(of=("self",))
        .select_related("town", "agency__organisation")
        .get(pk=package.pk)
    )
    period = (period or "").strip().upper()
    if package.status != ServicePackage.Status.ACTIVE:
        raise ValidationError({"package": _("只有执行中的项目包才开展双向考核。")})
    if not PERIOD_RE.match(period):
        raise ValidationError({"period": _("考核期格式应为“2025H1”（上半年）或“2025H2”（下半年）。")})
    if not EARLIEST_YEAR <= int(period[:4]) <= LATEST_YEAR:
        raise ValidationError(
            {"period": _("考核期年份应在 %(a)d 年至 %(b)d 年之间。") % {"a": EARLIEST_YEAR, "b": LATEST_YEAR}}
        )
    first, last = period_bounds(period)
    if last < package.starts_on or first > package.ends_on:
        raise ValidationError(
            {
                "period": _("考核期 %(p)s 不在项目包服务期（%(s)s 至 %(e)s）内。")
                % {"p": period, "s": package.starts_on, "e": package.ends_on}
            }
        )
    if AssessmentRound.objects.filter(package=package, period=period).exists():
        raise ValidationError({"period": _("该项目包 %(p)s 的双向考核已经发起。") % {"p": period}})
    for field, day in (("opens_on", opens_on), ("closes_on", closes_on)):
        problem = plausible_date_problem(day)
        if problem:
            raise ValidationError({field: problem})
    opens_on = opens_on or timezone.localdate()
    closes_on = closes_on or opens_on + datetime.timedelta(days=ROUND_DAYS)
    if closes_on < opens_on:
        raise ValidationError({"closes_on": _("截止日期不能早于开始日期。")})
    agency_indicator_set = agency_indicator_set or indicator_set_default(Direction.OF_AGENCY)
    town_office_indicator_set = town_office_indicator_set or indicator_set_default(Direction.OF_TOWN_OFFICE)
    if agency_indicator_set.direction != Direction.OF_AGENCY:
        raise ValidationError({"agency_indicator_set": _("请选择考核社工机构的指标集。")})
    if town_office_indicator_set.direction != Direction.OF_TOWN_OFFICE:
        raise ValidationError({"town_office_indicator_set": _("请选择考核街镇的指标集。")})
    raters = _raters(package)
    round_ = AssessmentRound(
        package=package,
        period=period,
        opens_on=opens_on,
        closes_on=closes_on,
        agency_indicator_set=agency_indicator_set,
        town_office_indicator_set=town_office_indicator_set,
        opened_by=actor,
    )
    round_.full_clean()
    round_.save()
    AssessmentSheet.objects.bulk_create(
        [AssessmentSheet(round=round_, rater_organisation=org, direction=direction) for org, direction in raters]
    )
    indicator_set_mark_in_use(agency_indicator_set)
    indicator_set_mark_in_use(town_office_indicator_set)
    return round_


@transaction.atomic
def assessment_round_close(*, actor, round_: AssessmentRound) -> AssessmentRound:
    """Close a round: both sides now see every submitted sheet; drafts left unsubmitted do not count."""
    require_bureau(actor, _("只有民政局管理员可以结束双向考核。"))
    round_ = AssessmentRound.objects.select_for_update().get(pk=round_.pk)
    if round_.status == AssessmentRound.Status.CLOSED:
        raise ValidationError(_("该轮双向考核已经结束。"))
    round_.status = AssessmentRound.Status.CLOSED
    round_.closed_by = actor
    round_.closed_at = timezone.now()
    round_.save(update_fields=["status", "closed_by", "closed_at"])
    return round_


def _locked_sheet(actor, sheet: AssessmentSheet) -> tuple[AssessmentSheet, dict]:
    sheet = (
        AssessmentSheet.objects.select_for_update(of=("self",))
        .select_related("round", "rater_organisation")
        .get(pk=sheet.pk)
    )
    if not is_rater(actor, sheet):
        raise PermissionDenied(_("只有评价方本单位的负责人可以填写这张考核表。"))
    if sheet.status == AssessmentSheet.Status.SUBMITTED:
        raise ValidationError(_("考核表已提交，不能再修改。"))
    if sheet.round.is_closed:
        raise ValidationError(_("本轮双向考核已结束，不能再填写。"))
    indicator_set = sheet.round.indicator_set_for(sheet.direction)
    indicators = {i.pk: i for i in indicator_set.indicators.all()}
    return sheet, indicators


@transaction.atomic
def assessment_sheet_save(*, actor, sheet: AssessmentSheet, scores: Mapping[int, ScoreEntry]) -> AssessmentSheet:
    """Save a draft (A1): scores 0..max in steps of 0.5; incomplete sheets are fine until submission."""
    sheet, indicators = _locked_sheet(actor, sheet)
    write_scores(sheet, AssessmentScore, indicators, clean_entries(indicators, scores))
    sheet.save(update_fields=["updated_at"])
    return sheet


@transaction.atomic
def assessment_sheet_submit(
    *, actor, sheet: AssessmentSheet, scores: Mapping[int, ScoreEntry] | None = None
) -> AssessmentSheet:
    """Submit a sheet once (A1): every indicator scored; afterwards the sheet is locked."""
    sheet, indicators = _locked_sheet(actor, sheet)
    if scores:
        write_scores(sheet, AssessmentScore, indicators, clean_entries(indicators, scores))
    rows = {row.indicator_id: row for row in AssessmentScore.objects.filter(sheet=sheet)}
    missing = {
        score_field(pk): [_("请为“%(name)s”打分。") % {"name": ind.name_zh}]
        for pk, ind in indicators.items()
        if rows.get(pk) is None or rows[pk].score is None
    }
    if missing:
        raise ValidationError(missing)
    sheet.total = sum((rows[pk].score for pk in indicators), Decimal("0"))
    sheet.max_total = sum((ind.max_score for ind in indicators.values()), Decimal("0"))
    sheet.status = AssessmentSheet.Status.SUBMITTED
    sheet.submitted_by = actor
    sheet.submitted_at = timezone.now()
    sheet.full_clean(exclude=["round", "rater_organisation"])
    sheet.save()
    return sheet


def assessment_rounds_open_due(*, actor=None, on: datetime.date | None = None) -> tuple[list, list[str]]:
    """The half-year schedule (A1): open the current half-year's round for every active package that has
    none yet. Returns the rounds opened and a line per package skipped (e.g. a town without an office).
    Safe to run twice; each package is opened in its own transaction so one problem does not stop the rest."""
    on = on or timezone.localdate()
    period = period_of(on)
    opened: list[AssessmentRound] = []
    skipped: list[str] = []
    packages = (
        ServicePackage.objects.filter(status=ServicePackage.Status.ACTIVE, starts_on__lte=on, ends_on__gte=on)
        .exclude(assessment_rounds__period=period)
        .select_related("town", "agency__organisation")
        .order_by("pk")
    )
    for package in packages:
        try:
            opened.append(assessment_round_open(actor=actor, package=package, period=period, opens_on=on))
        except ValidationError as exc:
            skipped.append(f"{package}: {' '.join(exc.messages)}")
    return opened, skipped
