"""Charts drawn on the server as SVG with pygal — the same markup inline in the dashboard (no script: pygal's
JavaScript is switched off, and the CSP allows none) and in the PDFs (WeasyPrint draws inline SVG). Each chart
takes numbers already computed by `reporting.figures`, so a page and a report can never disagree."""

from __future__ import annotations

import re
from decimal import Decimal

import pygal
from pygal.style import Style

FONT = '"Noto Sans CJK SC", "Noto Sans SC", "Microsoft YaHei", sans-serif'
COLOURS = ("#1565c0", "#2e7d32", "#ef6c00", "#6a1b9a", "#c62828", "#00838f")

STYLE = Style(
    background="white",
    plot_background="white",
    foreground="#222",
    foreground_strong="#111",
    foreground_subtle="#ccc",
    colors=COLOURS,
    font_family=FONT,
    label_font_family=FONT,
    major_label_font_family=FONT,
    value_font_family=FONT,
    value_label_font_family=FONT,
    tooltip_font_family=FONT,
    title_font_family=FONT,
    legend_font_family=FONT,
    no_data_font_family=FONT,
    title_font_size=16,
    legend_font_size=13,
    label_font_size=12,
    major_label_font_size=12,
    value_font_size=11,
)

_COMMON = {
    "style": STYLE,
    "js": [],  # no <script> in the SVG
    "disable_xml_declaration": True,
    "width": 720,
    "height": 340,
    "legend_at_bottom": True,
    "legend_at_bottom_columns": 3,
    "print_values": False,
    "no_data_text": "—",
    "truncate_label": -1,
    "truncate_legend": -1,
}


def _number(value) -> float | None:
    if value is None:
        return None
    return float(value) if isinstance(value, Decimal) else value


def _svg(chart) -> str:
    svg = chart.render(is_unicode=True)
    # pygal writes its config as an inline <script> even with js=[]: the CSP would refuse it and nothing needs
    # it (no interactivity). It also stamps the render date in a comment. Drop both.
    svg = re.sub(r"<script\b.*?</script>", "", svg, flags=re.DOTALL)
    # The legend's ids are for that script, and repeat in every chart of a page (duplicate ids in HTML and PDF).
    svg = re.sub(r'\s+id="activate-serie-\d+"', "", svg)
    return re.sub(r"<!--.*?-->", "", svg, flags=re.DOTALL)


def bar_chart(title: str, labels: list[str], series: list[tuple[str, list]], *, horizontal: bool = False) -> str:
    """Grouped bars: one group per label, one bar per series."""
    chart = (pygal.HorizontalBar if horizontal else pygal.Bar)(title=title, x_label_rotation=0, **_COMMON)
    chart.x_labels = [str(label) for label in labels]
    for name, values in series:
        chart.add(str(name), [_number(v) for v in values])
    return _svg(chart)


def stacked_bar_chart(title: str, labels: list[str], series: list[tuple[str, list]]) -> str:
    chart = pygal.StackedBar(title=title, x_label_rotation=30 if len(labels) > 6 else 0, **_COMMON)
    chart.x_labels = [str(label) for label in labels]
    for name, values in series:
        chart.add(str(name), [_number(v) for v in values])
    return _svg(chart)


def line_chart(title: str, labels: list, series: list[tuple[str, list]]) -> str:
    chart = pygal.Line(title=title, show_dots=True, dots_size=3, **_COMMON)
    chart.x_labels = [str(label) for label in labels]
    for name, values in series:
        chart.add(str(name), [_number(v) for v in values])
    return _svg(chart)


def pie_chart(title: str, slices: list[tuple[str, object]]) -> str:
    chart = pygal.Pie(title=title, inner_radius=0.45, **_COMMON)
    for name, value in slices:
        chart.add(str(name), _number(value))
    return _svg(chart)
