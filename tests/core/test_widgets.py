"""The form renderer writes <input> and <textarea> widgets in Python (issue 14): what the user's browser gets
must be exactly what Django's widget templates make."""

import datetime
from decimal import Decimal

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe

from core.widgets import FastWidgetRenderer


class Everything(forms.Form):
    text = forms.CharField(widget=forms.TextInput(attrs={"placeholder": 'say "hi" <b>&', "data-x": True}))
    number = forms.DecimalField(widget=forms.NumberInput(attrs={"step": "0.5", "min": 0, "max": Decimal("10")}))
    integer = forms.IntegerField(required=False, widget=forms.NumberInput(attrs={"step": 1, "hidden": False}))
    email = forms.EmailField(required=False)
    url = forms.URLField(required=False, assume_scheme="https")
    password = forms.CharField(required=False, widget=forms.PasswordInput(render_value=True))
    hidden = forms.CharField(required=False, widget=forms.HiddenInput)
    date = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    when = forms.DateTimeField(required=False)
    tick = forms.BooleanField(required=False)
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2, "form": "other"}))
    disabled_note = forms.CharField(required=False, disabled=True, widget=forms.Textarea)
    choice = forms.ChoiceField(choices=[("a", "A <1>"), ("b", "B")], required=False)


INITIAL = {
    "text": "<script>alert('x')</script> & 中文",
    "number": Decimal("7.50"),
    "integer": 0,
    "email": "a@example.org",
    "password": 'p"w',
    "hidden": mark_safe("<b>safe</b>"),
    "date": datetime.date(2026, 3, 1),
    "when": datetime.datetime(2026, 3, 1, 8, 30),
    "tick": True,
    "note": "line one\nline <two> & three",
    "disabled_note": "",
    "choice": "b",
}


def _html(form) -> list[str]:
    return [str(bound) for bound in form]


@pytest.mark.parametrize(
    "kwargs",
    [
        {"initial": INITIAL},
        {"initial": {}},
        {"data": {"text": "", "number": "abc", "integer": "", "note": "  typed\n", "tick": "on", "choice": "zz"}},
        {"data": {}, "auto_id": False},
    ],
    ids=["initial", "empty", "bound with errors", "bound, no ids"],
)
def test_fast_renderer_writes_exactly_what_djangos_widget_templates_write(kwargs):
    fast = _html(Everything(renderer=FastWidgetRenderer(), **kwargs))
    stock = _html(Everything(renderer=DjangoTemplates(), **kwargs))
    assert fast == stock


def test_the_platform_uses_the_fast_renderer_for_its_forms():
    assert isinstance(Everything().renderer, FastWidgetRenderer)


def test_inputs_and_textareas_skip_the_template_engine(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("rendered through the template engine")

    monkeypatch.setattr(DjangoTemplates, "render", refuse)
    form = Everything(renderer=FastWidgetRenderer(), initial=INITIAL)
    assert str(form["number"]).startswith('<input type="number" name="number" value="7.50"')
    assert str(form["note"]).startswith('<textarea name="note"')
