"""Server-rendered SVG charts (pygal): no JavaScript, no CDN, readable without colour.

Every bar carries its value as text and every line series its own dash pattern, so a chart
reads the same in greyscale; each chart sits next to a table of the same figures.
"""

import re

import pygal
from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from pygal.style import Style

_SCRIPT = re.compile(r"<script\b.*?</script>", re.DOTALL)
_DASHES = [None, "8,4", "2,4", "12,4,2,4", "1,2"]

STYLE = Style(
    background="white",
    plot_background="white",
    foreground="#212529",
    foreground_strong="#212529",
    foreground_subtle="#6c757d",
    colors=("#0d6efd", "#fd7e14", "#198754", "#6f42c1", "#dc3545", "#20c997"),
    font_family="system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', sans-serif",
    label_font_size=13,
    major_label_font_size=13,
    value_font_size=12,
    value_label_font_size=12,
    title_font_size=16,
    legend_font_size=13,
)


def _number(value) -> str:
    """A value written on a bar, as the active language writes numbers (12.5, 12,5)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return number_format(value)


def _render(chart, title: str) -> SafeString:
    svg = chart.render(is_unicode=True)
    # pygal adds an inline configuration script for its optional tooltips; we do not load
    # its JavaScript, and a Content Security Policy would block the script anyway.
    svg = _SCRIPT.sub("", svg)
    svg = svg.replace("<svg ", f'<svg role="img" aria-label="{escape(title)}" ', 1)
    return mark_safe(svg)


def _config(title: str, height: int, **extra) -> dict:
    return {
        "title": str(title),
        "style": STYLE,
        "js": [],
        "disable_xml_declaration": True,
        "height": height,
        "width": 900,
        "print_values": True,
        "show_y_guides": True,
        "truncate_label": -1,
        "margin": 12,
        # Shown by pygal instead of a chart without values.
        "no_data_text": _("No data"),
        **extra,
    }


def bar_chart(
    *,
    title: str,
    labels: list[str],
    series: dict[str, list[float | int]],
    horizontal: bool = True,
    value_formatter=None,
) -> SafeString:
    """Bars with their values written on them; one series per key of `series`."""
    rows = max(len(labels), 1)
    height = (
        max(220, 60 + rows * (26 if horizontal else 0) * max(len(series), 1)) if horizontal else 420
    )
    chart_class = pygal.HorizontalBar if horizontal else pygal.Bar
    chart = chart_class(
        **_config(
            title,
            height,
            show_legend=len(series) > 1,
            legend_at_bottom=True,
            x_label_rotation=0 if horizontal else 30,
            value_formatter=value_formatter or _number,
        )
    )
    # Labels may be lazy translations (model choices); pygal serialises them as JSON.
    chart.x_labels = [str(label) for label in labels]
    for name, values in series.items():
        chart.add(str(name), values)
    return _render(chart, str(title))


def line_chart(
    *, title: str, x_labels: list[str], series: dict[str, list[float | int]]
) -> SafeString:
    """Lines over time; each series has its own dash pattern and values at its points."""
    chart = pygal.Line(
        **_config(
            title,
            420,
            show_legend=True,
            legend_at_bottom=True,
            x_label_rotation=30,
            dots_size=4,
            value_formatter=_number,
        )
    )
    chart.x_labels = [str(label) for label in x_labels]
    for index, (name, values) in enumerate(series.items()):
        dash = _DASHES[index % len(_DASHES)]
        chart.add(
            str(name),
            values,
            stroke_style={"width": 3, "dasharray": dash} if dash else {"width": 3},
        )
    return _render(chart, title)
