"""Forms of the evaluation pages: they parse input; the services validate and write."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput, IdsChoiceField
from directory.models import Organisation
from procurement.models import ServicePackage

from .models import AssessmentIndicatorSet, Direction, Evaluation, Rubric
from .scoring import needs_comment
from .services import ScoreEntry, comment_field, score_field


class PackageChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: ServicePackage) -> str:
        return f"{obj.town.name} · {obj.title}（{obj.agency}）"


class RoundOpenForm(forms.Form):
    package = PackageChoiceField(label=_("服务项目包"), queryset=ServicePackage.objects.none())
    period = forms.CharField(label=_("考核期"), max_length=6, help_text=_("如 2025H1（上半年）或 2025H2（下半年）"))
    opens_on = forms.DateField(label=_("开始日期"), widget=DateInput(), required=False)
    closes_on = forms.DateField(
        label=_("截止日期"), widget=DateInput(), required=False, help_text=_("留空则为开始后 30 天。")
    )
    agency_indicator_set = forms.ModelChoiceField(
        label=_("考核社工机构的指标集"),
        queryset=AssessmentIndicatorSet.objects.filter(direction=Direction.OF_AGENCY),
        required=False,
        empty_label=_("默认指标集"),
    )
    town_office_indicator_set = forms.ModelChoiceField(
        label=_("考核街镇的指标集"),
        queryset=AssessmentIndicatorSet.objects.filter(direction=Direction.OF_TOWN_OFFICE),
        required=False,
        empty_label=_("默认指标集"),
    )

    def __init__(self, *args, packages=None, **kwargs):
        super().__init__(*args, **kwargs)
        if packages is not None:
            self.fields["package"].queryset = packages


class EvaluatorChoiceField(IdsChoiceField):
    def __init__(self, *args, firms: dict[int, list[str]] | None = None, **kwargs):
        self.firms = firms or {}
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj) -> str:
        firms = "、".join(self.firms.get(obj.pk, []))
        return f"{obj}（{firms}）" if firms else str(obj)


class EvaluationAssignForm(forms.Form):
    package = PackageChoiceField(label=_("服务项目包"), queryset=ServicePackage.objects.none())
    stage = forms.ChoiceField(label=_("评估阶段"), choices=Evaluation.Stage.choices)
    firm = forms.ModelChoiceField(
        label=_("第三方评估机构"),
        queryset=Organisation.objects.filter(kind=Organisation.Kind.EVALUATION_FIRM, is_active=True).order_by("name"),
    )
    evaluators = EvaluatorChoiceField(
        label=_("评估员"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("至少选择该机构的 2 名评估员（A2）。"),
    )
    due_on = forms.DateField(
        label=_("完成期限"),
        widget=DateInput(),
        required=False,
        help_text=_("留空则中期评估为项目第 12 个月，结项评估为项目结束日，抽查评估为派出后三个月。"),
    )
    rubric = forms.ModelChoiceField(
        label=_("评估指标体系"), queryset=Rubric.objects.all(), required=False, empty_label=_("默认指标体系")
    )

    def __init__(self, *args, packages=None, evaluators=None, firms=None, **kwargs):
        super().__init__(*args, **kwargs)
        if packages is not None:
            self.fields["package"].queryset = packages
        self.fields["evaluators"].queryset = evaluators
        self.fields["evaluators"].firms = firms or {}


class EvaluatorsAddForm(forms.Form):
    evaluators = EvaluatorChoiceField(label=_("增派评估员"), queryset=None, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, evaluators=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["evaluators"].queryset = evaluators


class DeclarationForm(forms.Form):
    has_conflict = forms.TypedChoiceField(
        label=_("利益冲突声明"),
        choices=[
            ("no", _("本人与被评估机构不存在利益冲突（近三年无任职、顾问、亲属或经济往来等关系）")),
            ("yes", _("本人存在利益冲突，申请回避")),
        ],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("说明"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class ScoreSheetForm(forms.Form):
    """One score and one comment field per indicator (`score_<id>`, `comment_<id>`), grouped by the caller.
    Works for the rubric's indicators (A3) and for two-way assessment indicators (A1)."""

    def __init__(self, *args, indicators=(), initial_scores=None, disabled=False, comments_required=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicators = list(indicators)
        self.comments_required = comments_required
        initial_scores = initial_scores or {}
        for ind in self.indicators:
            row = initial_scores.get(ind.pk)
            # Range and step are the service's to check (A3), so the page and the API say the same thing;
            # the browser gets them as hints.
            attrs = {"step": "0.5", "min": "0", "max": str(ind.max_score), "inputmode": "decimal"}
            self.fields[score_field(ind.pk)] = forms.DecimalField(
                label=ind.name_zh,
                required=False,
                initial=row.score if row else None,
                disabled=disabled,
                widget=forms.NumberInput(attrs=attrs),
            )
            self.fields[comment_field(ind.pk)] = forms.CharField(
                label=_("评语"),
                required=False,
                initial=row.comment if row else "",
                disabled=disabled,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def rows(self):
        """(indicator, score field, comment field, needs a comment now) for the template."""
        for ind in self.indicators:
            score = self[score_field(ind.pk)]
            value = score.value()
            try:
                flagged = value not in (None, "") and needs_comment(Decimal(str(value)), ind.max_score)
            except ArithmeticError:
                flagged = False
            flagged = flagged and self.comments_required
            yield ind, score, self[comment_field(ind.pk)], flagged

    def entries(self) -> dict[int, ScoreEntry]:
        return {
            ind.pk: ScoreEntry(
                score=self.cleaned_data.get(score_field(ind.pk)),
                comment=self.cleaned_data.get(comment_field(ind.pk)) or "",
            )
            for ind in self.indicators
        }


class SpotCheckDrawForm(forms.Form):
    """K10: the year's draw — the year, the share (at least the configured minimum) and an optional seed."""

    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    share = forms.IntegerField(label=_("抽查比例（%）"), min_value=1, max_value=100)
    seed = forms.CharField(
        label=_("随机种子"),
        max_length=64,
        required=False,
        help_text=_("留空则由系统随机生成并记录；同一种子和同样的数据得到同样的抽查结果。"),
    )
