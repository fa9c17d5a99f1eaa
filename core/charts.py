"""Server-rendered SVG charts (pygal): no JavaScript, no CDN, readable without colour.

Every bar carries its value as text and every line series its own dash pattern, so a chart
reads the same in greyscale; each chart sits next to a table of the same figures.

The charts are drawn by one static stylesheet, static/css/charts.css (colours, fonts, dash
patterns), not by the <style> element pygal writes into each SVG: a page of fifteen charts
carried fifteen copies of it, and the Content Security Policy allows no inline style. What
pygal writes for its optional JavaScript tooltips goes too (see `_slim`).
"""

import re

import pygal
from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from lxml import etree
from pygal.style import Style

# The font sizes pygal lays a chart out for (room for labels and titles); static/css/charts.css
# draws the text in these sizes (tests/core/test_charts.py checks that the two agree).
STYLE = Style(
    label_font_size=13,
    major_label_font_size=13,
    value_font_size=12,
    value_label_font_size=12,
    title_font_size=16,
    legend_font_size=13,
)

# The classes static/css/charts.css draws with (tests/core/test_charts.py keeps the two in
# step). pygal marks nearly every element with classes for its JavaScript tooltips, which the
# pages do not load; the stylesheet tells most elements apart by where they are instead.
STYLED_CLASSES = frozenset(
    {
        "pygal-chart",
        "line-chart",
        "graph",
        "horizontal",
        "vertical",
        "title",
        "legends",
        "axis",
        "x",
        "y",
        "always_show",
        "guide",
        "major",
        "series",
        "text-overlay",
        "no_data",
    }
)
SERIES_CLASS = re.compile(r"(color|serie)-\d+")
# For pygal's JavaScript: its configuration and <style> (in <defs>), the tooltips' data.
_SCRIPT_ONLY = {"defs", "desc"}
_GEOMETRY = ("x", "y", "width", "height", "cx", "cy", "r", "d", "transform")
# A number with decimals; Python writes the tiny ones of pygal's arithmetic as 1.4e-14.
_DECIMAL = re.compile(r"-?\d+\.\d+(?:e-?\d+)?")


def _whole(match: re.Match) -> str:
    """A coordinate in whole units of the 900-unit-wide chart: half a unit off at most, less
    than a pixel as the pages show it. pygal writes up to 17 digits, a fifth of the
    dashboard's bytes."""
    rounded = f"{float(match[0]):.0f}"
    return "0" if rounded == "-0" else rounded


def _is_removed(element, root) -> bool:
    """Comments, what only pygal's JavaScript reads, the tooltip layer (the only element with
    a style="" attribute), guide <title>s (raw positions shown on hover) and the white
    background rectangles (the chart's own background is white)."""
    if element.tag is etree.Comment:
        return True
    name = etree.QName(element).localname
    classes = element.get("class", "").split()
    return (
        name in _SCRIPT_ONLY
        or (name == "title" and element.getparent() is not root)
        or "tooltip-overlay" in classes
        or "background" in classes
    )


def _slim(root):
    """The SVG as charts.css draws it, a sixth of what pygal writes: without pygal's
    <style>, what only its JavaScript reads and surplus digits. Ids go too (one chart's
    `activate-serie-0` repeats in every chart of a page), with the classes the stylesheet
    does not use and the groups left empty or without attributes. The chart's <title>, its
    labels and the values on its bars stay.
    """
    for element in list(root.iter()):
        if _is_removed(element, root):
            element.getparent().remove(element)
            continue
        classes = element.get("class", "").split()
        for attribute in ("id", "class"):
            element.attrib.pop(attribute, None)
        for attribute in ("rx", "ry"):
            if element.get(attribute) == "0":
                del element.attrib[attribute]
        if "value" in classes:
            # The values on the bars and points: charts.css anchors them (pygal writes an
            # anchor on each, "left" on a line chart's, which is no anchor at all).
            element.attrib.pop("text-anchor", None)
        kept = [c for c in classes if c in STYLED_CLASSES or SERIES_CLASS.fullmatch(c)]
        if kept:
            element.set("class", " ".join(kept))
        for attribute in _GEOMETRY:
            if attribute in element.attrib:
                element.set(attribute, _DECIMAL.sub(_whole, element.get(attribute)))
    # Innermost first, so that a group emptied by the removal of its children goes too.
    for group in reversed([e for e in root.iter() if etree.QName(e).localname == "g"]):
        parent = group.getparent()
        if len(group) == 0:
            parent.remove(group)
        elif not group.attrib:
            position = parent.index(group)
            parent[position : position + 1] = list(group)
    etree.cleanup_namespaces(root)
    return root


def _number(value) -> str:
    """A value written on a bar, as the active language writes numbers (12.5, 12,5)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return number_format(value)


def _render(chart, title: str) -> SafeString:
    chart.add_xml_filter(_slim)
    svg = chart.render(is_unicode=True)
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
    """Lines over time, values at their points; charts.css dashes each series its own way."""
    chart = pygal.Line(
        **_config(
            title,
            420,
            show_legend=True,
            legend_at_bottom=True,
            x_label_rotation=30,
            dots_size=4,
            classes=["pygal-chart", "line-chart"],
            value_formatter=_number,
        )
    )
    chart.x_labels = [str(label) for label in x_labels]
    for name, values in series.items():
        chart.add(str(name), values)
    return _render(chart, title)
