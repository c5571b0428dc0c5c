"""The form renderer (settings.FORM_RENDERER): Django's, with the plain widgets written out in Python.

Django renders every widget through the template engine — `input.html` includes `attrs.html`, each a template
walk of a dozen nodes. The report form has ~130 widgets (five per plan line), the score sheet two per indicator,
and the profile (issue 14, docs/PERFORMANCE.md "Slow pages, second pass") showed up to 40 % of those pages' time in
that walk. `FastWidgetRenderer` builds the same HTML for `<input>` widgets (text, number, email, hidden, date,
checkbox, …) and `<textarea>` directly, byte for byte what Django's templates make (tests/core/test_widgets.py
compares them); every other template goes through the template engine as before (and these ones too, should the
engine ever load another file than Django's own for them).
"""

from __future__ import annotations

import html
from pathlib import Path

import django.forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import SafeString

_STOCK_DIR = str(Path(django.forms.__file__).parent / "templates")

# The widget templates that are nothing but `{% include "django/forms/widgets/input.html" %}` in Django.
_INPUT_TEMPLATES = frozenset(
    f"django/forms/widgets/{name}.html"
    for name in (
        "input",
        "text",
        "number",
        "email",
        "url",
        "password",
        "hidden",
        "date",
        "datetime",
        "time",
        "checkbox",
        "search",
        "tel",
        "color",
    )
)
_TEXTAREA = "django/forms/widgets/textarea.html"


def conditional_escape(value) -> str:
    """django.utils.html.conditional_escape without its lazy-string wrapper (the same text, a third of the time)."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


_text = conditional_escape  # `{{ value|stringformat:'s' }}` under autoescape: safe text as it is, the rest escaped


def _attrs(attrs: dict) -> str:
    """django/forms/widgets/attrs.html."""
    out = []
    for name, value in attrs.items():
        if value is False:
            continue
        out.append(" " + conditional_escape(name))
        if value is not True:
            out.append('="' + _text(value) + '"')
    return "".join(out)


def render_input(widget: dict) -> str:
    value = widget["value"]
    html = '<input type="' + conditional_escape(widget["type"]) + '" name="' + conditional_escape(widget["name"]) + '"'
    if value is not None:
        html += ' value="' + _text(value) + '"'
    return html + _attrs(widget["attrs"]) + ">"


def render_textarea(widget: dict) -> str:
    value = widget["value"]
    body = conditional_escape(value) if value else ""
    return (
        '<textarea name="'
        + conditional_escape(widget["name"])
        + '"'
        + _attrs(widget["attrs"])
        + ">\n"
        + body
        + "</textarea>"
    )


class FastWidgetRenderer(DjangoTemplates):
    """Django's default renderer; `<input>` and `<textarea>` widgets without the template engine."""

    def __init__(self):
        super().__init__()
        self._stock: dict[str, bool] = {}

    def _is_stock(self, template_name: str) -> bool:
        """The template this engine would load is Django's own (no app overrides it)."""
        stock = self._stock.get(template_name)
        if stock is None:
            origin = self.get_template(template_name).origin.name
            stock = self._stock[template_name] = str(origin).startswith(_STOCK_DIR)
        return stock

    def render(self, template_name, context, request=None):
        widget = context.get("widget") if isinstance(context, dict) else None
        if widget is not None and template_name in _INPUT_TEMPLATES and self._is_stock(template_name):
            if self._is_stock("django/forms/widgets/input.html") and self._is_stock("django/forms/widgets/attrs.html"):
                return SafeString(render_input(widget).strip())
        elif widget is not None and template_name == _TEXTAREA and self._is_stock(template_name):
            if self._is_stock("django/forms/widgets/attrs.html"):
                return SafeString(render_textarea(widget).strip())
        return super().render(template_name, context, request=request)
