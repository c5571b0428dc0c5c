"""The bureau's desk for evaluation data: rubrics (A3) and two-way indicator sets (A1) with their inlines, and a
read-only view of rounds and evaluations. A rubric or indicator set in use is never changed in place: the
"revise" action copies it into a new version that can be edited."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from core.admin import FrozenOnceInUseInlineMixin, FrozenOnceInUseMixin
from core.versioning import create_version
from directory.admin_site import ReadOnlyAdminMixin

from . import services
from .models import (
    AssessmentIndicator,
    AssessmentIndicatorSet,
    AssessmentRound,
    AssessmentScore,
    AssessmentSheet,
    Evaluation,
    EvaluationAssignment,
    IndicatorScore,
    Rubric,
    RubricDimension,
    RubricIndicator,
    ScoreSheet,
    SpotCheckDraw,
    SpotCheckPick,
)


class DimensionFormSet(forms.BaseInlineFormSet):
    """A3: the dimensions' weights sum to 100, checked by the same service the rest of the platform uses."""

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        weights = [
            form.cleaned_data["weight"]
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE") and form.cleaned_data.get("weight") is not None
        ]
        try:
            services.rubric_weights_check(weights)
        except ValidationError as exc:
            raise forms.ValidationError(exc.messages) from exc


class RubricDimensionInline(FrozenOnceInUseInlineMixin, admin.TabularInline):
    model = RubricDimension
    formset = DimensionFormSet
    extra = 0
    fields = ["order", "code", "name_zh", "name_en", "weight"]
    show_change_link = True


@admin.register(Rubric)
class RubricAdmin(FrozenOnceInUseMixin, SimpleHistoryAdmin):
    list_display = ["name_zh", "code", "version", "two_way_weight", "is_default", "in_use_since", "derived_from"]
    list_filter = ["is_default", "code"]
    search_fields = ["code", "name_zh", "name_en"]
    readonly_fields = ["version", "is_default", "in_use_since", "derived_from", "created_at"]
    fields = ["code", "version", "name_zh", "name_en", "description", "two_way_weight", *readonly_fields[1:]]
    inlines = [RubricDimensionInline]
    actions = ["revise", "make_default"]

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        obj._history_user = request.user
        create_version(obj)  # the next version of the code, even when another admin adds it at the same time

    @admin.action(description=_("复制为新版本（修改使用中的指标体系）"))
    def revise(self, request, queryset):
        for rubric in queryset:
            revision = services.rubric_revise(actor=request.user, rubric=rubric)
            self.message_user(request, _t("已创建新版本“%(r)s”，可以修改。") % {"r": revision}, messages.SUCCESS)

    @admin.action(description=_("设为默认指标体系"))
    def make_default(self, request, queryset):
        rubric = queryset.first()
        try:
            services.rubric_make_default(actor=request.user, rubric=rubric)
        except ValidationError as exc:
            self.message_user(request, " ".join(exc.messages), messages.ERROR)
        else:
            self.message_user(request, _t("“%(r)s”已设为默认指标体系。") % {"r": rubric}, messages.SUCCESS)


class RubricIndicatorInline(FrozenOnceInUseInlineMixin, admin.TabularInline):
    frozen_path = ("rubric",)
    model = RubricIndicator
    extra = 0
    fields = ["order", "code", "name_zh", "name_en", "description", "max_score"]


@admin.register(RubricDimension)
class RubricDimensionAdmin(FrozenOnceInUseMixin, SimpleHistoryAdmin):
    frozen_path = ("rubric",)
    list_display = ["name_zh", "code", "weight", "rubric"]
    list_filter = ["rubric"]
    list_select_related = ["rubric"]
    search_fields = ["name_zh", "name_en", "code"]
    inlines = [RubricIndicatorInline]
    readonly_fields = ["rubric", "weight"]
    fields = ["rubric", "order", "code", "name_zh", "name_en", "weight"]

    def has_add_permission(self, request):
        # Dimensions are added on the rubric page, where the weights are checked to sum to 100.
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AssessmentIndicatorInline(FrozenOnceInUseInlineMixin, admin.TabularInline):
    model = AssessmentIndicator
    extra = 0
    fields = ["order", "code", "name_zh", "name_en", "description", "max_score"]


@admin.register(AssessmentIndicatorSet)
class AssessmentIndicatorSetAdmin(FrozenOnceInUseMixin, SimpleHistoryAdmin):
    list_display = ["name_zh", "code", "version", "direction", "is_default", "in_use_since"]
    list_filter = ["direction", "is_default"]
    search_fields = ["code", "name_zh", "name_en"]
    readonly_fields = ["version", "is_default", "in_use_since", "derived_from", "created_at"]
    fields = ["code", "version", "direction", "name_zh", "name_en", *readonly_fields[1:]]
    inlines = [AssessmentIndicatorInline]
    actions = ["revise", "make_default"]

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        obj._history_user = request.user
        create_version(obj)  # the next version of the code, even when another admin adds it at the same time

    @admin.action(description=_("复制为新版本（修改使用中的指标集）"))
    def revise(self, request, queryset):
        for indicator_set in queryset:
            revision = services.indicator_set_revise(actor=request.user, indicator_set=indicator_set)
            self.message_user(request, _t("已创建新版本“%(r)s”，可以修改。") % {"r": revision}, messages.SUCCESS)

    @admin.action(description=_("设为该方向的默认指标集"))
    def make_default(self, request, queryset):
        indicator_set = queryset.first()
        services.indicator_set_make_default(actor=request.user, indicator_set=indicator_set)
        self.message_user(request, _t("“%(r)s”已设为默认指标集。") % {"r": indicator_set}, messages.SUCCESS)


class ReadOnlyAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    """Rounds and evaluations change only through their pages and services (they carry workflow rules)."""


@admin.register(AssessmentRound)
class AssessmentRoundAdmin(ReadOnlyAdmin):
    list_display = ["package", "period", "opens_on", "closes_on", "status"]
    list_filter = ["status", "period"]
    list_select_related = ["package"]
    search_fields = ["package__title", "package__town__name"]


class EvaluationAssignmentInline(admin.TabularInline):
    model = EvaluationAssignment
    extra = 0
    fields = ["evaluator", "declared_at", "has_conflict", "conflict_note", "removed_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Evaluation)
class EvaluationAdmin(ReadOnlyAdmin):
    list_display = ["package", "stage", "firm", "due_on", "status", "final_score", "grade", "finalised_at"]
    list_filter = ["status", "stage", "grade"]
    list_select_related = ["package", "firm"]
    search_fields = ["package__title", "package__town__name", "firm__name"]
    inlines = [EvaluationAssignmentInline]


# Read-only pages for the rows the evaluation services write, so the bureau can search everything in one place.


@admin.register(AssessmentSheet)
class AssessmentSheetAdmin(ReadOnlyAdmin):
    list_display = ["round", "rater_organisation", "direction", "status", "submitted_at"]
    list_filter = ["status", "direction"]
    search_fields = ["round__package__title", "rater_organisation__name"]
    list_select_related = ["round__package", "rater_organisation"]


@admin.register(AssessmentScore)
class AssessmentScoreAdmin(ReadOnlyAdmin):
    list_display = ["sheet", "indicator", "score"]
    search_fields = ["sheet__round__package__title", "indicator__name_zh", "comment"]
    list_select_related = ["sheet__round__package", "indicator"]


@admin.register(AssessmentIndicator)
class AssessmentIndicatorAdmin(ReadOnlyAdmin):
    list_display = ["code", "name_zh", "indicator_set", "max_score"]
    list_filter = ["indicator_set"]
    search_fields = ["code", "name_zh", "name_en"]
    list_select_related = ["indicator_set"]


@admin.register(RubricIndicator)
class RubricIndicatorAdmin(ReadOnlyAdmin):
    list_display = ["name_zh", "dimension", "max_score"]
    list_filter = ["dimension__rubric"]
    search_fields = ["name_zh", "name_en", "description"]
    list_select_related = ["dimension__rubric"]


@admin.register(EvaluationAssignment)
class EvaluationAssignmentAdmin(ReadOnlyAdmin):
    list_display = ["evaluation", "evaluator", "declared_at", "has_conflict", "removed_at"]
    list_filter = ["has_conflict"]
    search_fields = ["evaluation__package__title", "evaluator__username", "evaluator__full_name"]
    list_select_related = ["evaluation__package", "evaluator"]


@admin.register(ScoreSheet)
class ScoreSheetAdmin(ReadOnlyAdmin):
    list_display = ["assignment", "status", "total", "submitted_at"]
    list_filter = ["status"]
    search_fields = ["assignment__evaluation__package__title", "assignment__evaluator__username"]
    list_select_related = ["assignment__evaluation__package", "assignment__evaluator"]


@admin.register(IndicatorScore)
class IndicatorScoreAdmin(ReadOnlyAdmin):
    list_display = ["sheet", "indicator", "score"]
    search_fields = ["indicator__name_zh", "comment"]
    list_select_related = ["sheet__assignment__evaluation__package", "indicator"]


# K10: the years' spot-check draws, read-only (a draw is made once, on its page, and never edited).


class SpotCheckPickInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = SpotCheckPick
    fields = ["district", "package", "priority", "evaluation"]
    readonly_fields = fields
    extra = 0


@admin.register(SpotCheckDraw)
class SpotCheckDrawAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["year", "share", "eligible_count", "seed", "drawn_on", "drawn_by"]
    search_fields = ["seed"]
    list_select_related = ["drawn_by"]
    inlines = [SpotCheckPickInline]


@admin.register(SpotCheckPick)
class SpotCheckPickAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["draw", "district", "package", "priority", "evaluation"]
    list_filter = ["priority", "district"]
    search_fields = ["package__title", "package__town__name", "district__name"]
    list_select_related = ["draw", "district", "package", "evaluation__package"]
