"""Forms of the report and focus-issue pages: they parse input; the services validate and write."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.translation import gettext_lazy as _

from catalog.models import ServiceCategory
from core.forms import DateInput
from core.uploads import MAX_UPLOAD_BYTES
from delivery.models import FocusIssue, ReportLine, ServiceReport

from ..services.reports import COUNT_FIELDS, line_field_name


class ReportCreateForm(forms.Form):
    year = forms.IntegerField(label=_("年"), min_value=2000, max_value=2100)
    month = forms.IntegerField(label=_("月"), min_value=1, max_value=12)


@dataclass
class LineRow:
    line: ReportLine
    fields: list  # BoundFields: sessions, attendances, households, volunteer_hours
    narrative: object  # BoundField

    @property
    def errors(self) -> list[str]:
        return [e for f in [*self.fields, self.narrative] for e in f.errors]

    @property
    def community_key(self) -> str:
        """What the form's community filter matches: the community's id, or "town" for town-level items."""
        return str(self.line.plan_item.community_id or "town")

    @property
    def category_key(self) -> str:
        return self.line.plan_item.category_kind

    @property
    def finished(self) -> bool:
        """A line is filled in ("已填好") once this month has a figure above zero and the service description
        is written, as the form currently holds them (typed values count, saved or not); a line with an error
        never is, so that the error stays in sight."""
        if self.errors or not str(self.narrative.value() or "").strip():
            return False
        return any(_above_zero(f.value()) for f in self.fields)


def _above_zero(value) -> bool:
    try:
        return Decimal(str(value).strip()) > 0
    except (InvalidOperation, ValueError):
        return False


class ReportForm(forms.Form):
    """The monthly report: a summary and one row per plan item. Values stay strings here, so whatever the
    user typed is re-rendered as typed; `report_save_draft` checks them and names the cell that is wrong."""

    summary = forms.CharField(
        label=_("本月工作小结"), required=False, widget=forms.Textarea(attrs={"rows": 4}), max_length=20000
    )

    def __init__(self, *args, lines: list[ReportLine], **kwargs):
        initial = kwargs.pop("initial", {}) or {}
        super().__init__(*args, initial=initial, **kwargs)
        self.lines = lines
        for line in lines:
            pid = line.plan_item_id
            for field in COUNT_FIELDS:
                self.fields[line_field_name(pid, field)] = forms.CharField(
                    label=ReportLine._meta.get_field(field).verbose_name,
                    required=False,
                    initial=getattr(line, field),
                    widget=forms.NumberInput(attrs={"step": 1, "inputmode": "numeric"}),
                )
            self.fields[line_field_name(pid, "volunteer_hours")] = forms.CharField(
                label=ReportLine._meta.get_field("volunteer_hours").verbose_name,
                required=False,
                initial=line.volunteer_hours,
                widget=forms.NumberInput(attrs={"step": "0.1", "inputmode": "decimal"}),
            )
            self.fields[line_field_name(pid, "narrative")] = forms.CharField(
                label=ReportLine._meta.get_field("narrative").verbose_name,
                required=False,
                initial=line.narrative,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def rows(self) -> list[LineRow]:
        return [
            LineRow(
                line=line,
                fields=[self[line_field_name(line.plan_item_id, f)] for f in (*COUNT_FIELDS, "volunteer_hours")],
                narrative=self[line_field_name(line.plan_item_id, "narrative")],
            )
            for line in self.lines
        ]

    def line_filters(self) -> dict[str, list[tuple[str, str]]]:
        """The choices of the form's line filter: the communities and the categories its lines fall in."""
        communities: dict[str, str] = {}
        kinds: set[str] = set()
        for line in self.lines:
            item = line.plan_item
            key = str(item.community_id or "town")
            communities.setdefault(key, item.community.name if item.community_id else str(_("街镇层面")))
            kinds.add(item.category_kind)
        return {
            "communities": sorted(communities.items(), key=lambda kv: (kv[0] != "town", kv[1])),
            "categories": [(k, str(label)) for k, label in ServiceCategory.Kind.choices if k in kinds],
        }

    def lines_data(self) -> dict[int, dict[str, str]]:
        """The submitted lines as `report_save_draft` takes them; fields absent from the POST are left out."""
        data: dict[int, dict[str, str]] = {}
        for line in self.lines:
            values = {}
            for field in (*COUNT_FIELDS, "volunteer_hours", "narrative"):
                key = line_field_name(line.plan_item_id, field)
                if key in self.data:
                    values[field] = self.data.get(key, "")
            if values:
                data[line.plan_item_id] = values
        return data


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label=_("退回原因"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": _("请说明需要机构修改或补充的内容")}),
    )


class AttachmentForm(forms.Form):
    """One upload: a file chosen from the device (`file`), or a photo taken there and then (`photo`: on a phone
    its input opens the camera; a desktop browser offers a file dialogue instead). Either is checked by content
    (core.uploads): JPG, PNG or PDF; a phone camera saves JPG."""

    photo = forms.FileField(
        label=_("拍照上传"),
        required=False,
        help_text=_("在手机上直接打开相机拍摄活动照片。"),
        widget=forms.FileInput(attrs={"accept": "image/*", "capture": "environment"}),
    )
    file = forms.FileField(
        label=_("附件"),
        required=False,
        help_text=_("照片或签到表：JPG、PNG 或 PDF，单个文件不超过 %(mb)d MB。")
        % {"mb": MAX_UPLOAD_BYTES // 1024 // 1024},
        widget=forms.ClearableFileInput(attrs={"accept": ".jpg,.jpeg,.png,.pdf,image/jpeg,image/png,application/pdf"}),
    )
    line = forms.TypedChoiceField(label=_("对应条目"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, report: ServiceReport, lines: list[ReportLine], html_form: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.report = report
        self.line_by_id = {line.pk: line for line in lines}
        self.fields["line"].choices = [("", _("整份报告"))] + [(line.pk, line_label(line)) for line in lines]
        if html_form:
            # The inputs belong to the report form (HTML `form` attribute), so the upload carries what was typed;
            # a `required` file input would then block saving the draft (and its autosave) without a file.
            self.use_required_attribute = False
            for field in self.fields.values():
                field.widget.attrs["form"] = html_form
            # The report form's line filter (site.js) offers only the lines it shows.
            self.fields["line"].widget.attrs["data-line-choice"] = "report-lines"

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not (cleaned.get("photo") or cleaned.get("file")):
            self.add_error("file", _("请选择要上传的文件，或用“拍照上传”拍一张照片。"))
        return cleaned

    def uploads(self) -> list[tuple[str, object]]:
        """The files chosen, as (field name, file): the photo first, then the file."""
        return [(name, self.cleaned_data[name]) for name in ("photo", "file") if self.cleaned_data.get(name)]


def line_label(line: ReportLine) -> str:
    """A report line as a choice: the item and its place, since one sub-item often lands in several communities."""
    item = line.plan_item
    place = item.community.name if item.community_id else _("街镇层面")
    return f"{item.display_name} · {place}"


class FocusIssueForm(forms.Form):
    community = forms.ModelChoiceField(label=_("社区（村）"), queryset=None)
    kind = forms.ChoiceField(label=_("问题类型"), choices=FocusIssue.Kind.choices)
    title = forms.CharField(label=_("标题"), max_length=200)
    description = forms.CharField(label=_("问题描述"), widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, communities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = communities
        self.fields["community"].label_from_instance = lambda c: f"{c.town.name} · {c.name}"


class FocusMoveForm(forms.Form):
    to_status = forms.ChoiceField(label=_("新状态"))
    note = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    resolution = forms.CharField(
        label=_("解决情况"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("标记为“已解决”时必填。"),
    )
    resolved_on = forms.DateField(
        label=_("解决日期"), required=False, widget=DateInput(), help_text=_("标记为“已解决”时必填。")
    )

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_status"].choices = choices
