"""The charts carry no style of their own: static/css/charts.css draws them, with the classes
core.charts keeps and the font sizes pygal lays them out for."""

import re
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.utils import translation

from core.charts import SERIES_CLASS, STYLE, STYLED_CLASSES, bar_chart, line_chart

STYLESHEET = (settings.BASE_DIR / "static" / "css" / "charts.css").read_text()
# The page's own wrapper of a chart and its bar patterns' definitions (templates), not
# classes of the SVG.
PAGE_CLASSES = {"chart", "chart-patterns"}
PATTERNS = (settings.BASE_DIR / "templates" / "core" / "_chart_patterns.html").read_text()


class Elements(HTMLParser):
    """Each element's tag and attributes, as a browser reads the page."""

    def __init__(self, html: str):
        super().__init__()
        self.elements: list[tuple[str, dict]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))


def declarations(selector: str) -> str:
    """The declarations of every rule of charts.css that names this selector."""
    css = re.sub(r"/\*.*?\*/", "", STYLESHEET, flags=re.S)
    found = [
        body
        for selectors, body in re.findall(r"([^{}]+)\{([^}]*)\}", css)
        if selector in (s.strip() for s in selectors.split(","))
    ]
    assert found, f"no rule for {selector} in charts.css"
    return ";".join(found)


def charts() -> list[str]:
    return [
        str(
            bar_chart(
                title="Needs by chapter",
                labels=["Chapter II", "Chapter V"],
                series={"Needs": [12, 7], "States": [5, 3]},
            )
        ),
        str(bar_chart(title="Nothing", labels=[], series={})),
        str(
            line_chart(
                title="Over time",
                x_labels=["2024", "2025", "Now"],
                series={f"Chapter {n}": [n, n + 1, n + 2] for n in range(6)},
            )
        ),
    ]


@pytest.mark.parametrize("svg", charts())
def test_a_chart_has_no_style_script_or_id_of_its_own(svg):
    elements = Elements(svg).elements

    assert [tag for tag, _ in elements if tag in ("style", "script", "desc", "defs")] == []
    assert [(tag, attrs) for tag, attrs in elements if "style" in attrs] == []
    assert [(tag, attrs) for tag, attrs in elements if "id" in attrs] == []
    assert "<!--" not in svg


@pytest.mark.parametrize("svg", charts())
def test_a_chart_keeps_only_the_classes_the_stylesheet_draws_with(svg):
    used = {c for _, attrs in Elements(svg).elements for c in attrs.get("class", "").split()}

    assert used - STYLED_CLASSES == {c for c in used if SERIES_CLASS.fullmatch(c)}
    assert "pygal-chart" in used


def test_the_stylesheet_draws_with_the_classes_the_charts_keep():
    css = re.sub(r"/\*.*?\*/", "", STYLESHEET, flags=re.S)
    selectors = set(re.findall(r"\.([a-z][\w-]*)", css))
    series = {c for c in selectors if SERIES_CLASS.fullmatch(c)}

    assert selectors - series - PAGE_CLASSES == STYLED_CLASSES


@pytest.mark.parametrize(
    ("selector", "size"),
    [
        (".pygal-chart .title", STYLE.title_font_size),
        (".pygal-chart .legends text", STYLE.legend_font_size),
        (".pygal-chart .axis text", STYLE.label_font_size),
        (".pygal-chart .text-overlay text", STYLE.value_font_size),
    ],
)
def test_the_stylesheet_writes_in_the_sizes_pygal_lays_out_for(selector, size):
    assert f"font-size: {size}px" in declarations(selector)


def test_each_line_of_a_line_chart_has_its_own_dash_pattern():
    svg = charts()[2]
    patterns = {
        re.search(r"stroke-dasharray:\s*([^;]+)", declarations(f".pygal-chart.line-chart {s}"))[1]
        for s in (".series.serie-1", ".series.serie-2", ".series.serie-3", ".series.serie-4")
    }

    assert len(patterns) == 4  # the first line (serie-0) solid, the next four dashed
    legend_keys = {
        re.search(
            r"stroke-dasharray:\s*([^;]+)",
            declarations(f".pygal-chart.line-chart .legends rect.color-{index}"),
        )[1]
        for index in (1, 2, 3, 4)
    }
    assert legend_keys == patterns  # each legend key dashed as its line
    assert 'class="pygal-chart line-chart"' in svg
    assert all(f'class="series serie-{index} ' in svg for index in range(6))


@translation.override("en")
def test_the_values_stay_written_on_the_bars():
    # In English whatever ran before: a test client's request leaves its language active.
    svg = str(bar_chart(title="T", labels=["a", "b"], series={"Needs": [Decimal("12.5"), 3]}))

    assert re.findall(r"<text[^>]*>([^<]*)</text>", svg).count("12.5") == 1
    assert "<title>T</title>" in svg
    assert 'role="img" aria-label="T"' in svg


def test_coordinates_are_written_in_whole_units():
    for svg in charts():
        for _, attrs in Elements(svg).elements:
            for name in ("x", "y", "width", "height", "cx", "cy", "d", "transform"):
                assert not re.search(r"\d\.\d|\de-?\d", attrs.get(name, "")), (name, attrs)


@pytest.mark.parametrize("index", [1, 2, 3, 4, 5])
def test_each_bar_series_after_the_first_has_its_own_fill_pattern(index):
    """Bars are told apart by more than colour: the second to sixth series are striped,
    dotted, cross-hatched..., in the bars and in the legend's keys."""
    for selector in (
        f".pygal-chart:not(.line-chart) .series.serie-{index} rect",
        f".pygal-chart:not(.line-chart) .legends rect.color-{index}",
    ):
        assert f"fill: url(#chart-pattern-{index})" in declarations(selector)
    assert f'<pattern id="chart-pattern-{index}"' in PATTERNS
    svg = charts()[0]
    assert 'class="series serie-1 color-1"' in svg
    assert 'class="color-1"' in svg  # the legend's key
