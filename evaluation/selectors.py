"""Reads of evaluation rows, already scoped to the asking user (see permissions.py for the rules)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

import django_filters
from django.core.validators import RegexValidator
from django.db.models import Count, Exists, Max, Min, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from core.forms import MAX_ID
from delivery.models import FocusIssue, ReportAttachment, ServiceReport
from delivery.progress import PackageProgress, package_progress_report
from directory.models import Membership, Organisation, Role, Town, User
from directory.permissions import scope_for
from procurement.models import ServicePackage
from procurement.selectors import package_list

from .models import (
    AssessmentRound,
    AssessmentScore,
    AssessmentSheet,
    Direction,
    Evaluation,
    EvaluationAssignment,
    IndicatorScore,
    ScoreSheet,
    SpotCheckDraw,
    SpotCheckPick,
)
from .permissions import RATER_ROLES
from .scoring import add_months, mean, period_bounds, spread

# --- two-way assessment (A1) ---------------------------------------------------------------------


def _closed_q(prefix: str = "", on: datetime.date | None = None) -> Q:
    on = on or timezone.localdate()
    return Q(**{f"{prefix}status": AssessmentRound.Status.CLOSED}) | Q(**{f"{prefix}closes_on__lt": on})


def assessment_round_list(*, user) -> QuerySet[AssessmentRound]:
    """Rounds of the packages the user may see (the sheets inside are scoped by `assessment_sheet_list`)."""
    qs = AssessmentRound.objects.select_related(
        "package__town__district", "package__agency__organisation", "agency_indicator_set", "town_office_indicator_set"
    )
    if scope_for(user).sees_all:
        return qs
    return qs.filter(package__in=package_list(user=user).values("pk"))


def _id_filter(field_name: str, label) -> django_filters.NumberFilter:
    return django_filters.NumberFilter(field_name=field_name, min_value=1, max_value=MAX_ID, label=label)


PERIOD_FORMAT = RegexValidator(r"^20\d\dH[12]$", _("考核期的格式为 2025H1 或 2025H2。"))


class AssessmentRoundFilter(django_filters.FilterSet):
    """The two-way round list's filters: package, place, half year, status and dates (A1)."""

    package = _id_filter("package_id", _("服务项目包"))
    town = _id_filter("package__town_id", _("街道（镇）"))
    district = _id_filter("package__town__district_id", _("区（县级市）"))
    agency = _id_filter("package__agency_id", _("社工机构"))
    period = django_filters.CharFilter(
        max_length=6, validators=[PERIOD_FORMAT], label=_("考核期"), help_text=_("如 2025H1（上半年）")
    )
    status = django_filters.ChoiceFilter(choices=AssessmentRound.Status.choices, label=_("状态"))
    closes_after = django_filters.DateFilter(
        field_name="closes_on", lookup_expr="gte", label=_("截止日期起"), help_text=_("如 2025-07-01")
    )
    closes_before = django_filters.DateFilter(field_name="closes_on", lookup_expr="lte", label=_("截止日期止"))

    class Meta:
        model = AssessmentRound
        fields = ["package", "town", "district", "agency", "period", "status", "closes_after", "closes_before"]


class AssessmentSheetFilter(django_filters.FilterSet):
    """The two-way sheet list's filters: round, package, place, half year, direction and status (A1)."""

    round = _id_filter("round_id", _("轮次"))
    package = _id_filter("round__package_id", _("服务项目包"))
    town = _id_filter("round__package__town_id", _("街道（镇）"))
    district = _id_filter("round__package__town__district_id", _("区（县级市）"))
    period = django_filters.CharFilter(
        field_name="round__period",
        max_length=6,
        validators=[PERIOD_FORMAT],
        label=_("考核期"),
        help_text=_("如 2025H1（上半年）"),
    )
    direction = django_filters.ChoiceFilter(choices=Direction.choices, label=_("考核方向"))
    status = django_filters.ChoiceFilter(choices=AssessmentSheet.Status.choices, label=_("状态"))

    class Meta:
        model = AssessmentSheet
        fields = ["round", "package", "town", "district", "period", "direction", "status"]


def assessment_sheet_list(*, user) -> QuerySet[AssessmentSheet]:
    """A1 visibility: a rater's organisation sees its own sheets; the other side sees a sheet once its round
    is closed; the bureau and the auditor see every sheet."""
    scope = scope_for(user)
    qs = AssessmentSheet.objects.select_related(
        "round__package__town__district",
        "round__package__agency__organisation",
        "round__agency_indicator_set",
        "round__town_office_indicator_set",
        "rater_organisation",
        "submitted_by",
    )
    if scope.sees_all:
        return qs
    own = Q(rater_organisation_id__in=scope.organisation_ids)
    after_close = _closed_q("round__") & Q(round__package__in=package_list(user=user).values("pk"))
    return qs.filter(own | after_close)


def assessment_sheets_to_fill(*, user) -> QuerySet[AssessmentSheet]:
    """Draft sheets of open rounds that the user rates for (A1)."""
    scope = scope_for(user)
    rater = Q(pk__in=[])
    for kind, role in RATER_ROLES.items():
        orgs = scope.orgs_for(role)
        if orgs:
            rater |= Q(rater_organisation__kind=kind, rater_organisation_id__in=orgs)
    today = timezone.localdate()
    return (
        AssessmentSheet.objects.filter(rater, status=AssessmentSheet.Status.DRAFT)
        .filter(round__status=AssessmentRound.Status.OPEN, round__closes_on__gte=today)
        .select_related("round__package__town", "rater_organisation")
        .order_by("round__closes_on", "pk")
    )


def sheet_scores(sheet: AssessmentSheet) -> dict[int, AssessmentScore]:
    return {s.indicator_id: s for s in sheet.scores.all()}


@dataclass
class RoundResult:
    """A round's results as one viewer may see them. `of_agency` is the round's two-way score used in A4: the
    mean of the percentages of the submitted sheets scoring the agency (town office and committees alike)."""

    round: AssessmentRound
    sheets: list[AssessmentSheet]
    by_town_office: Decimal | None = None
    by_communities: Decimal | None = None
    of_agency: Decimal | None = None
    of_town_office: Decimal | None = None
    submitted: int = 0
    expected: int = 0

    @property
    def complete(self) -> bool:
        return self.expected > 0 and self.submitted == self.expected


def round_result(round_: AssessmentRound, sheets: list[AssessmentSheet], expected: int | None = None) -> RoundResult:
    done = [s for s in sheets if s.status == AssessmentSheet.Status.SUBMITTED]

    def pct(predicate) -> Decimal | None:
        return mean(s.percent for s in done if predicate(s))

    office = Organisation.Kind.TOWN_OFFICE
    committee = Organisation.Kind.COMMUNITY_COMMITTEE
    return RoundResult(
        round=round_,
        sheets=sheets,
        by_town_office=pct(lambda s: s.direction == Direction.OF_AGENCY and s.rater_organisation.kind == office),
        by_communities=pct(lambda s: s.direction == Direction.OF_AGENCY and s.rater_organisation.kind == committee),
        of_agency=pct(lambda s: s.direction == Direction.OF_AGENCY),
        of_town_office=pct(lambda s: s.direction == Direction.OF_TOWN_OFFICE),
        submitted=len(done),
        expected=len(sheets) if expected is None else expected,
    )


def _rounds(package: ServicePackage) -> list[AssessmentRound]:
    sheets = AssessmentSheet.objects.select_related("rater_organisation", "submitted_by").order_by(
        "direction", "rater_organisation__kind", "rater_organisation__name"
    )
    return list(
        AssessmentRound.objects.filter(package=package)
        .select_related("agency_indicator_set", "town_office_indicator_set")
        .prefetch_related(Prefetch("sheets", queryset=sheets))
        .order_by("period")
    )


def assessment_history(*, user, package: ServicePackage) -> list[RoundResult]:
    """Every round of a package the user sees, oldest first, with the sheets the user may see (A1). Results
    are computed from those sheets only, so nobody learns the other side's scores before the round closes."""
    scope = scope_for(user)
    results = []
    for round_ in _rounds(package):
        all_sheets = list(round_.sheets.all())
        if scope.sees_all or round_.is_closed:
            visible = all_sheets
        else:
            visible = [s for s in all_sheets if s.rater_organisation_id in scope.organisation_ids]
        result = round_result(round_, visible, expected=len(all_sheets))
        results.append(result)
    return results


def assessment_closed_results(package: ServicePackage) -> list[RoundResult]:
    """The package's closed rounds with all their sheets: the results both sides, the evaluators and the A4
    computation read."""
    return [round_result(r, list(r.sheets.all())) for r in _rounds(package) if r.is_closed]


def stage_window_rounds(package: ServicePackage, stage: str, results: list[RoundResult]) -> list[RoundResult]:
    """The rounds an evaluation stage draws on: mid-term = rounds assessing a half-year that starts before month
    12 of the package; closing = every round of the package (the whole service period)."""
    if stage == Evaluation.Stage.MID_TERM:
        cutoff = add_months(package.starts_on, 12)
        return [r for r in results if period_bounds(r.round.period)[0] < cutoff]
    return results


def two_way_score(package: ServicePackage, stage: str) -> Decimal | None:
    """A4's two-way component: the mean over the closed rounds of the stage window of each round's mean
    percentage of the submitted sheets scoring the agency. None when no such sheet exists."""
    rounds = stage_window_rounds(package, stage, assessment_closed_results(package))
    return mean(r.of_agency for r in rounds if r.of_agency is not None)


# --- third-party evaluation (A2–A5) --------------------------------------------------------------


def _own_assignment(user) -> Exists:
    return Exists(
        EvaluationAssignment.objects.filter(evaluation=OuterRef("pk"), evaluator=user, removed_at__isnull=True)
    )


def evaluation_list(*, user) -> QuerySet[Evaluation]:
    """Evaluations the user may see: all for the bureau and the auditor; an evaluator the ones they hold an
    active assignment on (as an evaluator of the evaluation's firm); the agency and the place officers the
    finalised ones of packages they see (A5)."""
    scope = scope_for(user)
    qs = Evaluation.objects.select_related(
        "package__town__district", "package__agency__organisation", "firm", "rubric", "finalised_by"
    )
    if scope.sees_all:
        return qs
    if not user.is_authenticated:
        return qs.none()
    own = Q(firm_id__in=scope.orgs_for(Role.EVALUATOR)) & _own_assignment(user)
    finalised = Q(status=Evaluation.Status.FINALISED, package__in=package_list(user=user).values("pk"))
    return qs.filter(own | finalised)


def evaluation_result_list(*, user) -> QuerySet[Evaluation]:
    """A5: results exist for the user only once finalised."""
    return evaluation_list(user=user).filter(status=Evaluation.Status.FINALISED)


class EvaluationFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=Evaluation.Status.choices, label=_("状态"))
    stage = django_filters.ChoiceFilter(choices=Evaluation.Stage.choices, label=_("评估阶段"))
    town = django_filters.ModelChoiceFilter(
        field_name="package__town", queryset=Town.objects.order_by("code"), label=_("街道（镇）")
    )

    class Meta:
        model = Evaluation
        fields = ["status", "stage", "town"]


def evaluation_overview(*, user, filters=None) -> tuple[QuerySet[Evaluation], EvaluationFilter]:
    """The evaluation list with per-row counts (active evaluators, submitted sheets, conflicts) and the
    highest/lowest submitted totals, from which the page shows the spread (A4) in one query."""
    active = Q(assignments__removed_at__isnull=True)
    submitted = active & Q(assignments__sheet__status=ScoreSheet.Status.SUBMITTED)
    qs = (
        evaluation_list(user=user)
        .annotate(
            evaluator_count=Count("assignments", filter=active, distinct=True),
            submitted_count=Count("assignments", filter=submitted, distinct=True),
            conflict_count=Count("assignments", filter=Q(assignments__has_conflict=True), distinct=True),
            top_total=Max("assignments__sheet__total", filter=submitted),
            low_total=Min("assignments__sheet__total", filter=submitted),
        )
        .order_by("status", "due_on", "pk")
    )
    filterset = EvaluationFilter(filters or None, queryset=qs)
    return filterset.qs, filterset


def assignment_list(*, user) -> QuerySet[EvaluationAssignment]:
    """The user's own active assignments as an evaluator of the firm they were assigned for."""
    if not user.is_authenticated:
        return EvaluationAssignment.objects.none()
    return (
        EvaluationAssignment.objects.filter(
            evaluator=user,
            removed_at__isnull=True,
            evaluation__firm_id__in=scope_for(user).orgs_for(Role.EVALUATOR),
        )
        .select_related(
            "evaluation__package__town__district",
            "evaluation__package__agency__organisation",
            "evaluation__firm",
            "evaluation__rubric",
            "sheet",
        )
        .order_by("evaluation__due_on", "pk")
    )


def evaluation_assignments(evaluation: Evaluation) -> list[EvaluationAssignment]:
    """Every assignment of an evaluation (removed ones too), with the evaluator and the sheet."""
    return list(evaluation.assignments.select_related("evaluator", "sheet").order_by("assigned_at", "pk"))


def evaluator_choices(*, firm: Organisation | None = None) -> QuerySet[User]:
    """Active evaluators (A2), of one firm or of every firm."""
    memberships = Membership.objects.filter(
        role=Role.EVALUATOR, is_active=True, organisation__is_active=True, organisation__kind="evaluation_firm"
    )
    if firm is not None:
        memberships = memberships.filter(organisation=firm)
    return User.objects.filter(is_active=True, pk__in=memberships.values("user_id")).order_by("full_name", "username")


def evaluator_firms(users: list[User]) -> dict[int, list[str]]:
    """user id → names of the evaluation firms they evaluate for (for labelling choices)."""
    firms: dict[int, list[str]] = {}
    for m in Membership.objects.filter(
        role=Role.EVALUATOR, is_active=True, user__in=users, organisation__kind="evaluation_firm"
    ).select_related("organisation"):
        firms.setdefault(m.user_id, []).append(m.organisation.name)
    return firms


def sheet_score_map(sheet: ScoreSheet) -> dict[int, IndicatorScore]:
    return {s.indicator_id: s for s in IndicatorScore.objects.filter(sheet=sheet)}


@dataclass
class Workspace:
    """Everything an evaluator needs in one place (A2)."""

    package: ServicePackage
    progress: PackageProgress
    reports: list[ServiceReport]
    focus_issues: list[FocusIssue]
    assessments: list[RoundResult]
    resolved_issues: int = 0
    attachments: dict[int, list[ReportAttachment]] = field(default_factory=dict)


def evaluation_workspace(evaluation: Evaluation, *, on: datetime.date | None = None) -> Workspace:
    """The package's facts, its plan items against their targets (S4), its confirmed reports and their
    attachments, its focus issues and its closed two-way assessment rounds; a constant number of queries."""
    package = evaluation.package
    on = on or timezone.localdate()
    reports = list(
        ServiceReport.objects.filter(package=package, status=ServiceReport.Status.CONFIRMED)
        .select_related("confirmed_by")
        .prefetch_related(Prefetch("attachments", queryset=ReportAttachment.objects.order_by("uploaded_at")))
        .order_by("-year", "-month")
    )
    issues = list(
        FocusIssue.objects.filter(Q(package=package) | Q(package__isnull=True, community__town_id=package.town_id))
        .select_related("community")
        .order_by("status", "-reported_at")
    )
    return Workspace(
        package=package,
        progress=package_progress_report(package, min(on, package.ends_on)),
        reports=reports,
        focus_issues=issues,
        assessments=assessment_closed_results(package),
        resolved_issues=sum(1 for i in issues if i.status == FocusIssue.Status.RESOLVED),
    )


def evaluation_live_numbers(assignments: list[EvaluationAssignment]) -> dict:
    """Before finalisation: the submitted totals' mean and spread, for the bureau's detail page."""
    totals = [a.sheet.total for a in assignments if a.is_active and a.sheet.is_submitted]
    return {"mean": mean(totals), "spread": spread(totals), "count": len(totals)}


def evaluation_report_context(evaluation: Evaluation) -> dict:
    """A5: what the finalised report shows — the HTML page and the R1 PDF both render from this (the caller has
    fetched the evaluation through `evaluation_result_list`). Dimension names in the active language."""
    assignments = [a for a in evaluation_assignments(evaluation) if a.is_active]
    english = (get_language() or "").startswith("en")
    dimensions = [
        {**d, "name": d["name_en"] if english and d.get("name_en") else d["name_zh"]}
        for d in evaluation.dimension_scores
    ]
    return {"evaluation": evaluation, "dimensions": dimensions, "evaluator_count": len(assignments)}


# --- spot checks (K10) -----------------------------------------------------------------------------


def spot_check_draw_list(*, user) -> QuerySet[SpotCheckDraw]:
    """The years' spot-check draws with their pick and assigned counts: the city-wide roles only (K10)."""
    if not scope_for(user).sees_all:
        return SpotCheckDraw.objects.none()
    return (
        SpotCheckDraw.objects.select_related("drawn_by")
        .annotate(
            picked=Count("picks", distinct=True),
            assigned=Count("picks", filter=Q(picks__evaluation__isnull=False), distinct=True),
        )
        .order_by("-year")
    )


def spot_check_picks(draw: SpotCheckDraw) -> list[SpotCheckPick]:
    """A draw's picks by district (priority ones first), with package, town, agency and evaluation; one query."""
    return list(
        draw.picks.select_related("district", "package__town", "package__agency__organisation", "evaluation").order_by(
            "district__code", "district_id", "-priority", "package__town__name", "package_id"
        )
    )
