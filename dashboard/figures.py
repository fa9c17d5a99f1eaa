"""How each stored figure is shown: title, table columns, chart, CSV download.

One description per figure serves the page (chart + table) and the figure's CSV, so the
download always has the columns the table shows. Nothing here queries the database: the
figures come from a stored document, the history from the snapshots read by the view.
"""

import datetime
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

from django.core.cache import cache
from django.utils.safestring import SafeString, mark_safe

from core.charts import bar_chart, line_chart

CHART_CACHE_SECONDS = 24 * 3600


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    numeric: bool = True
    percent: bool = False

    def value(self, row: dict):
        """The row's value in this column; percentages always with their one decimal."""
        value = row.get(self.key)
        return f"{value:.1f}" if self.percent and value is not None else value


@dataclass
class Figure:
    slug: str
    title: str
    note: str
    columns: list[Column]
    rows: list[dict]
    chart_kind: str = "bar"
    label: Callable[[dict], str] = str
    series: list[tuple[str, str]] = field(default_factory=list)
    signed_in_only: bool = False

    @property
    def table(self) -> list[list]:
        return [[column.value(row) for column in self.columns] for row in self.rows]

    @property
    def cells(self) -> list[list[tuple[object, bool]]]:
        """The table for the page: each value with whether it is a number (right-aligned)."""
        return [[(c.value(row), c.numeric) for c in self.columns] for row in self.rows]

    @property
    def headers(self) -> list[str]:
        return [column.header for column in self.columns]

    @cached_property
    def chart(self) -> SafeString | None:
        if self.chart_kind == "none":
            return None
        # Horizontal bars are drawn from the bottom up: reversed, they read top-down in the
        # order of the table next to them.
        rows = self.rows if self.chart_kind == "line" else self.rows[::-1]
        labels = [self.label(row) for row in rows]
        values = {name: [row.get(key) or 0 for row in rows] for key, name in self.series}
        # Drawing the page's charts takes about half a second; the same numbers always give
        # the same SVG, so it is kept under a digest of what is drawn.
        drawn = json.dumps([self.chart_kind, self.title, labels, values], default=str)
        key = "dashboard-chart:" + hashlib.sha256(drawn.encode()).hexdigest()
        svg = cache.get(key)
        if svg is None:
            if self.chart_kind == "line":
                svg = line_chart(title=self.title, x_labels=labels, series=values)
            else:
                svg = bar_chart(title=self.title, labels=labels, series=values)
            cache.set(key, str(svg), CHART_CACHE_SECONDS)
        return mark_safe(svg)


def _chapter(row: dict) -> str:
    return f"Chapter {row['chapter']}"


def _article(row: dict) -> str:
    return f"Article {row['article']}" if row["article"] is not None else "Chapter in general"


def _history_rows(
    history: list[dict], by_chapter: list[dict], computed_at: datetime.datetime | None
) -> list[dict]:
    points = [*history]
    if computed_at is not None:
        points.append(
            {"label": "Current figures", "taken_on": computed_at.date(), "by_chapter": by_chapter}
        )
    rows = []
    for point in points:
        row = {"point": point["label"], "taken_on": point["taken_on"].isoformat()}
        for chapter in point["by_chapter"] or []:
            row[f"{chapter['chapter']}_needs"] = chapter["needs"]
            row[f"{chapter['chapter']}_states"] = chapter["states"]
        rows.append(row)
    return rows


def dashboard_figures(
    figures: dict,
    *,
    history: list[dict],
    computed_at: datetime.datetime | None,
    with_donor_interest: bool,
) -> list[Figure]:
    """Every figure of one stored view, in the order of the Secretariat's analyses."""
    chapters = [row["chapter"] for row in figures["by_chapter"]]
    coverage_columns = [
        Column("unmet", "Unmet"),
        Column("partly_covered", "Partly covered"),
        Column("covered", "Covered"),
    ]
    coverage_series = [
        ("unmet", "Unmet"),
        ("partly_covered", "Partly covered"),
        ("covered", "Covered"),
    ]
    result = [
        _key_figures(figures, with_donor_interest=with_donor_interest),
        Figure(
            slug="needs-by-chapter-over-time",
            title="Needs and States by chapter over time",
            note="From the snapshots taken so far, and the current figures.",
            columns=[
                Column("point", "Snapshot", numeric=False),
                Column("taken_on", "Date", numeric=False),
                *(
                    column
                    for roman in chapters
                    for column in (
                        Column(f"{roman}_needs", f"Chapter {roman}: needs"),
                        Column(f"{roman}_states", f"Chapter {roman}: States"),
                    )
                ),
            ],
            rows=_history_rows(history, figures["by_chapter"], computed_at),
            chart_kind="line",
            label=lambda row: f"{row['point']} ({row['taken_on']})",
            series=[
                (f"{roman}_{measure}", f"Chapter {roman}: {measure.replace('states', 'States')}")
                for roman in chapters
                for measure in ("needs", "states")
            ],
        ),
        Figure(
            slug="by-chapter",
            title="Needs and States by chapter",
            note="States: the distinct States that identified needs under the chapter.",
            columns=[
                Column("chapter", "Chapter", numeric=False),
                Column("title", "Title", numeric=False),
                Column("needs", "Needs"),
                Column("states", "States"),
            ],
            rows=figures["by_chapter"],
            label=_chapter,
            series=[("needs", "Needs"), ("states", "States")],
        ),
        Figure(
            slug="by-region",
            title="Regional breakdown: States parties, executive summaries, States with needs",
            note="The European Union, a party without a regional group, counts only in the "
            "figures for all regions.",
            columns=[
                Column("label", "Regional group", numeric=False),
                Column("states_parties", "States parties"),
                Column("reviews", "Reviews"),
                Column("executive_summaries", "Executive summaries completed"),
                Column("states_with_needs", "States with needs"),
                Column("needs", "Needs"),
            ],
            rows=figures["by_region"],
            label=lambda row: row["label"],
            series=[
                ("states_parties", "States parties"),
                ("executive_summaries", "Executive summaries completed"),
                ("states_with_needs", "States with needs"),
            ],
        ),
        Figure(
            slug="by-category",
            title="Needs by category, with their share of all needs",
            note="Percent: share of all needs counted for this cycle and region.",
            columns=[
                Column("label", "Category", numeric=False),
                Column("needs", "Needs"),
                Column("percent", "Percent of needs", percent=True),
                Column("states", "States"),
            ],
            rows=figures["by_category"],
            label=lambda row: f"{row['label']} ({row['percent']:.1f}%)",
            series=[("needs", "Needs")],
        ),
    ]
    for roman in chapters:
        result.append(
            Figure(
                slug=f"by-article-{roman}",
                title=f"Needs and States identifying them, by article (chapter {roman})",
                note="'Chapter in general': needs about the chapter rather than one article.",
                columns=[
                    Column("article", "Article"),
                    Column("title", "Title", numeric=False),
                    Column("needs", "Needs"),
                    Column("states", "States"),
                ],
                rows=[row for row in figures["by_article"] if row["chapter"] == roman],
                label=_article,
                series=[("needs", "Needs"), ("states", "States")],
            )
        )
    result += [
        Figure(
            slug="by-theme",
            title="Cross-cutting themes: needs, States, and share of States with needs",
            note="Share of States: of the States that identified needs in this cycle and region.",
            columns=[
                Column("label", "Theme", numeric=False),
                Column("needs", "Needs"),
                Column("states", "States"),
                Column("percent_of_states", "Percent of States with needs", percent=True),
            ],
            rows=figures["by_theme"],
            label=lambda row: f"{row['label']} ({row['percent_of_states']:.1f}% of States)",
            series=[("needs", "Needs"), ("states", "States")],
        ),
        Figure(
            slug="by-subcategory",
            title="Needs by subcategory",
            note="Only needs given a subcategory are counted here.",
            columns=[
                Column("category_label", "Category", numeric=False),
                Column("label", "Subcategory", numeric=False),
                Column("needs", "Needs"),
                Column("states", "States"),
            ],
            rows=figures["by_subcategory"],
            label=lambda row: row["label"],
            series=[("needs", "Needs"), ("states", "States")],
        ),
        Figure(
            slug="by-status",
            title="Needs by status",
            note="The status focal points and staff keep up to date.",
            columns=[Column("label", "Status", numeric=False), Column("needs", "Needs")],
            rows=figures["by_status"],
            label=lambda row: row["label"],
            series=[("needs", "Needs")],
        ),
        Figure(
            slug="coverage",
            title="Coverage of needs by assistance",
            note="Unmet: no activity linked; partly covered: activities address it partly; "
            "covered: an activity meets it fully.",
            columns=[Column("label", "Coverage", numeric=False), Column("needs", "Needs")],
            rows=[
                {"label": "Unmet", "needs": figures["coverage"]["unmet"]},
                {"label": "Partly covered", "needs": figures["coverage"]["partly_covered"]},
                {"label": "Covered", "needs": figures["coverage"]["covered"]},
            ],
            label=lambda row: row["label"],
            series=[("needs", "Needs")],
        ),
        Figure(
            slug="coverage-by-chapter",
            title="Coverage of needs by chapter",
            note="",
            columns=[Column("chapter", "Chapter", numeric=False), *coverage_columns],
            rows=figures["by_chapter"],
            label=_chapter,
            series=coverage_series,
        ),
        Figure(
            slug="coverage-by-region",
            title="Coverage of needs by regional group",
            note="",
            columns=[Column("label", "Regional group", numeric=False), *coverage_columns],
            rows=figures["by_region"],
            label=lambda row: row["label"],
            series=coverage_series,
        ),
    ]
    if with_donor_interest:
        interest = figures["donor_interest"]
        interest_columns = [
            Column("interests", "Interests"),
            Column("commitments", "Commitments"),
            Column("needs_with_interest", "Needs with interest or commitment"),
            Column("needs_with_commitment", "Needs with a commitment"),
        ]
        interest_series = [
            ("needs_with_interest", "Needs with interest or commitment"),
            ("needs_with_commitment", "Needs with a commitment"),
        ]
        result += [
            Figure(
                slug="donor-interest-by-chapter",
                title="Donors' interest and commitments by chapter",
                note="Interest and commitments not withdrawn.",
                columns=[Column("chapter", "Chapter", numeric=False), *interest_columns],
                rows=interest["by_chapter"],
                label=_chapter,
                series=interest_series,
                signed_in_only=True,
            ),
            Figure(
                slug="donor-interest-by-region",
                title="Donors' interest and commitments by regional group",
                note="Interest and commitments not withdrawn.",
                columns=[Column("label", "Regional group", numeric=False), *interest_columns],
                rows=interest["by_region"],
                label=lambda row: row["label"],
                series=interest_series,
                signed_in_only=True,
            ),
            Figure(
                slug="donor-interest-by-donor",
                title="Donors' interest and commitments by donor",
                note="Interest and commitments not withdrawn.",
                columns=[
                    Column("donor", "Donor", numeric=False),
                    Column("interests", "Interests"),
                    Column("commitments", "Commitments"),
                    Column("needs", "Needs"),
                ],
                rows=interest["by_donor"],
                label=lambda row: row["donor"],
                series=[("interests", "Interests"), ("commitments", "Commitments")],
                signed_in_only=True,
            ),
        ]
    return result


def _key_figures(figures: dict, *, with_donor_interest: bool) -> Figure:
    totals = figures["totals"]
    rows = [
        ("States parties", totals["states_parties"]),
        ("Reviews (any stage)", totals["reviews"]),
        ("Executive summaries completed", totals["executive_summaries"]),
        ("States with needs", totals["states_with_needs"]),
        ("Needs", totals["needs"]),
    ]
    if with_donor_interest:
        interest = figures["donor_interest"]["totals"]
        rows += [
            ("Needs with donor interest or commitment", interest["needs_with_interest"]),
            ("Needs with a donor commitment", interest["needs_with_commitment"]),
            ("Unmet needs without any donor interest", interest["unmet_needs_without_interest"]),
            ("Donors with interest or commitments", interest["donors"]),
        ]
    return Figure(
        slug="key-figures",
        title="Key figures",
        note="Needs: every need identified in the cycle whatever its status, leaving out only "
        "proposals that staff have not accepted.",
        columns=[Column("what", "Figure", numeric=False), Column("value", "Value")],
        rows=[{"what": what, "value": value} for what, value in rows],
        chart_kind="none",
    )


# --- Snapshot downloads -------------------------------------------------------------------
# The fields that say which row of a figure a number belongs to, in the order they are joined.
ROW_KEYS = ("chapter", "article", "category", "subcategory", "region", "theme", "status", "donor")
LABEL_KEYS = ("label", "title")
SNAPSHOT_CSV_HEADERS = ["cycle", "region", "figure", "row", "label", "measure", "value"]


def _without_donor_interest(figures: dict, with_donor_interest: bool) -> dict:
    if with_donor_interest:
        return figures
    return {name: value for name, value in figures.items() if name != "donor_interest"}


def snapshot_document(snapshot, figure_sets, *, with_donor_interest: bool) -> dict:
    return {
        "label": snapshot.label,
        "taken_on": snapshot.taken_on.isoformat(),
        "computed_at": snapshot.computed_at.isoformat(),
        "views": [
            {
                "cycle": figure_set.cycle,
                "region": figure_set.region,
                "figures": _without_donor_interest(figure_set.figures, with_donor_interest),
            }
            for figure_set in figure_sets
        ],
    }


def _long_rows(cycle: int, region: str, name: str, value):
    if isinstance(value, dict) and all(isinstance(v, int | float) for v in value.values()):
        for measure, number in value.items():
            yield [cycle, region, name, "", "", measure, number]
    elif isinstance(value, dict):
        for part, inner in value.items():
            yield from _long_rows(cycle, region, f"{name}.{part}", inner)
    else:
        for row in value:
            key = "/".join(
                "general" if row[field] is None else str(row[field])
                for field in ROW_KEYS
                if field in row
            )
            label = next((row[field] for field in LABEL_KEYS if field in row), "")
            for measure, number in row.items():
                if measure not in ROW_KEYS and isinstance(number, int | float):
                    yield [cycle, region, name, key, label, measure, number]


def snapshot_rows(figure_sets, *, with_donor_interest: bool) -> tuple[list[str], list[list]]:
    """Every number of a snapshot, one per line: which view, figure and row, and what."""
    rows = []
    for figure_set in figure_sets:
        region = figure_set.region or "all"
        figures = _without_donor_interest(figure_set.figures, with_donor_interest)
        for name, value in figures.items():
            rows.extend(_long_rows(figure_set.cycle, region, name, value))
    return SNAPSHOT_CSV_HEADERS, rows
