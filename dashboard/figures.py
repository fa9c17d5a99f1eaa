"""How each stored figure is shown: title, table columns, chart, CSV download.

One description per figure serves the page (chart + table) and the figure's CSV, so the
download always has the columns the table shows. Nothing here queries the database: the
figures come from a stored document, the history from the snapshots read by the view.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from operator import itemgetter

from django.core.cache import cache
from django.utils.formats import date_format, number_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from core.changes import cache_key
from core.charts import bar_chart, line_chart
from needs.models import Status
from translations.lookup import translate_reference
from translations.models import ReferenceKind

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
    # How a row is named on the chart; most rows carry a label of their own.
    label: Callable[[dict], str] = itemgetter("label")
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
        # the same SVG, so it is kept under a digest of what is drawn (and of the language,
        # which writes the numbers on the bars).
        key = cache_key(
            "dashboard-chart", get_language(), self.chart_kind, self.title, labels, values
        )
        svg = cache.get(key)
        if svg is None:
            if self.chart_kind == "line":
                svg = line_chart(title=self.title, x_labels=labels, series=values)
            else:
                svg = bar_chart(title=self.title, labels=labels, series=values)
            cache.set(key, str(svg), CHART_CACHE_SECONDS)
        return mark_safe(svg)


def _chapter(row: dict) -> str:
    return _("Chapter %(roman)s") % {"roman": row["chapter"]}


def _article(row: dict) -> str:
    if row["article"] is None:
        return _("Chapter in general")
    return _("Article %(number)s") % {"number": row["article"]}


def _with_share(percent_key: str) -> Callable[[dict], str]:
    """A row named by its label and its share, e.g. "Training (12.5%)"."""

    def label(row: dict) -> str:
        return _("%(label)s (%(percent)s%%)") % {
            "label": row["label"],
            "percent": number_format(row[percent_key], 1),
        }

    return label


def _history_rows(
    history: list[dict], by_chapter: list[dict], computed_at: datetime.datetime | None
) -> list[dict]:
    points = [*history]
    if computed_at is not None:
        points.append(
            {
                "label": _("Current figures"),
                "taken_on": computed_at.date(),
                "by_chapter": by_chapter,
            }
        )
    rows = []
    for point in points:
        # A date, written as the reader's language writes dates on the page and in ISO form
        # in the CSV (core.tabular).
        row = {"point": point["label"], "taken_on": point["taken_on"]}
        for chapter in point["by_chapter"] or []:
            row[f"{chapter['chapter']}_needs"] = chapter["needs"]
            row[f"{chapter['chapter']}_states"] = chapter["states"]
        rows.append(row)
    return rows


# Figure list -> (field naming the row's reference entry, its kind, field with the English text).
_REFERENCE_FIELDS = {
    "by_chapter": [("chapter", ReferenceKind.CHAPTER, "title")],
    "by_article": [("article", ReferenceKind.ARTICLE, "title")],
    "by_category": [("category", ReferenceKind.CATEGORY, "label")],
    "by_subcategory": [
        ("subcategory", ReferenceKind.SUBCATEGORY, "label"),
        ("category", ReferenceKind.CATEGORY, "category_label"),
    ],
    "by_theme": [("theme", ReferenceKind.THEME, "label")],
    "by_region": [("region", ReferenceKind.REGION, "label")],
}


# Figures whose document holds lists of rows of their own (by_region, ...).
_NESTED_FIGURES = ("follow_up", "action_plans", "donor_interest")


def _in_active_language(figures: dict) -> dict:
    """The stored figures with titles and labels of the reference data in the active
    language (the stored document keeps the English ones, with the codes)."""
    localized = dict(figures)
    for name, fields in _REFERENCE_FIELDS.items():
        if name not in figures:
            continue
        rows = []
        for row in figures[name]:
            row = dict(row)
            for code_field, kind, text_field in fields:
                if row.get(code_field) is not None and text_field in row:
                    row[text_field] = translate_reference(kind, row[code_field], row[text_field])
            if name == "by_article" and row.get("article") is None:
                row["title"] = _("Chapter %(roman)s in general") % {"roman": row["chapter"]}
            rows.append(row)
        localized[name] = rows
    if "by_status" in figures:
        # Status labels are the model's choices, translated like the rest of the interface.
        labels = {value: str(label) for value, label in Status.choices}
        localized["by_status"] = [
            {**row, "label": labels.get(row.get("status"), row["label"])}
            for row in figures["by_status"]
        ]
    for name in _NESTED_FIGURES:
        if name in figures:
            localized[name] = _in_active_language(figures[name])
    return localized


def dashboard_figures(
    figures: dict,
    *,
    history: list[dict],
    computed_at: datetime.datetime | None,
    with_donor_interest: bool,
) -> list[Figure]:
    """Every figure of one stored view, in the order of the Secretariat's analyses."""
    figures = _in_active_language(figures)
    chapters = [row["chapter"] for row in figures["by_chapter"]]
    coverage_columns = [
        Column("unmet", _("Unmet")),
        Column("partly_covered", _("Partly covered")),
        Column("covered", _("Covered")),
    ]
    coverage_series = [
        ("unmet", _("Unmet")),
        ("partly_covered", _("Partly covered")),
        ("covered", _("Covered")),
    ]
    result = [
        _key_figures(figures, with_donor_interest=with_donor_interest),
        Figure(
            slug="needs-by-chapter-over-time",
            title=_("Needs and States by chapter over time"),
            note=_("From the snapshots taken so far, and the current figures."),
            columns=[
                Column("point", _("Snapshot"), numeric=False),
                Column("taken_on", _("Date"), numeric=False),
                *(
                    column
                    for roman in chapters
                    for column in (
                        Column(f"{roman}_needs", _("Chapter %(roman)s: needs") % {"roman": roman}),
                        Column(
                            f"{roman}_states", _("Chapter %(roman)s: States") % {"roman": roman}
                        ),
                    )
                ),
            ],
            rows=_history_rows(history, figures["by_chapter"], computed_at),
            chart_kind="line",
            label=lambda row: (
                f"{row['point']} ({date_format(row['taken_on'], 'SHORT_DATE_FORMAT')})"
            ),
            series=[
                (f"{roman}_{measure}", label % {"roman": roman})
                for roman in chapters
                for measure, label in (
                    ("needs", _("Chapter %(roman)s: needs")),
                    ("states", _("Chapter %(roman)s: States")),
                )
            ],
        ),
        Figure(
            slug="by-chapter",
            title=_("Needs and States by chapter"),
            note=_("States: the distinct States that identified needs under the chapter."),
            columns=[
                Column("chapter", _("Chapter"), numeric=False),
                Column("title", _("Title"), numeric=False),
                Column("needs", _("Needs")),
                Column("states", _("States")),
            ],
            rows=figures["by_chapter"],
            label=_chapter,
            series=[("needs", _("Needs")), ("states", _("States"))],
        ),
        Figure(
            slug="by-region",
            title=_("Regional breakdown: States parties, executive summaries, States with needs"),
            note=_(
                "The European Union, a party without a regional group, counts only in the "
                "figures for all regions."
            ),
            columns=[
                Column("label", _("Regional group"), numeric=False),
                Column("states_parties", _("States parties")),
                Column("reviews", _("Reviews")),
                Column("executive_summaries", _("Executive summaries completed")),
                Column("states_with_needs", _("States with needs")),
                Column("needs", _("Needs")),
            ],
            rows=figures["by_region"],
            series=[
                ("states_parties", _("States parties")),
                ("executive_summaries", _("Executive summaries completed")),
                ("states_with_needs", _("States with needs")),
            ],
        ),
        Figure(
            slug="by-category",
            title=_("Needs by category, with their share of all needs"),
            note=_("Percent: share of all needs counted for this cycle and region."),
            columns=[
                Column("label", _("Category"), numeric=False),
                Column("needs", _("Needs")),
                Column("percent", _("Percent of needs"), percent=True),
                Column("states", _("States")),
            ],
            rows=figures["by_category"],
            label=_with_share("percent"),
            series=[("needs", _("Needs"))],
        ),
    ]
    for roman in chapters:
        result.append(
            Figure(
                slug=f"by-article-{roman}",
                title=_("Needs and States identifying them, by article (chapter %(roman)s)")
                % {"roman": roman},
                note=_("'Chapter in general': needs about the chapter rather than one article."),
                columns=[
                    Column("article", _("Article")),
                    Column("title", _("Title"), numeric=False),
                    Column("needs", _("Needs")),
                    Column("states", _("States")),
                ],
                rows=[row for row in figures["by_article"] if row["chapter"] == roman],
                label=_article,
                series=[("needs", _("Needs")), ("states", _("States"))],
            )
        )
    result += [
        Figure(
            slug="by-theme",
            title=_("Cross-cutting themes: needs, States, and share of States with needs"),
            note=_(
                "Share of States: of the States that identified needs in this cycle and region."
            ),
            columns=[
                Column("label", _("Theme"), numeric=False),
                Column("needs", _("Needs")),
                Column("states", _("States")),
                Column("percent_of_states", _("Percent of States with needs"), percent=True),
            ],
            rows=figures["by_theme"],
            label=lambda row: (
                _("%(label)s (%(percent)s%% of States)")
                % {"label": row["label"], "percent": number_format(row["percent_of_states"], 1)}
            ),
            series=[("needs", _("Needs")), ("states", _("States"))],
        ),
        Figure(
            slug="by-subcategory",
            title=_("Needs by subcategory"),
            note=_("Only needs given a subcategory are counted here."),
            columns=[
                Column("category_label", _("Category"), numeric=False),
                Column("label", _("Subcategory"), numeric=False),
                Column("needs", _("Needs")),
                Column("states", _("States")),
            ],
            rows=figures["by_subcategory"],
            series=[("needs", _("Needs")), ("states", _("States"))],
        ),
        Figure(
            slug="by-status",
            title=_("Needs by status"),
            note=_("The status focal points and staff keep up to date."),
            columns=[Column("label", _("Status"), numeric=False), Column("needs", _("Needs"))],
            rows=figures["by_status"],
            series=[("needs", _("Needs"))],
        ),
        Figure(
            slug="coverage",
            title=_("Coverage of needs by assistance"),
            note=_(
                "Unmet: no activity linked; partly covered: activities address it partly; "
                "covered: an activity meets it fully."
            ),
            columns=[Column("label", _("Coverage"), numeric=False), Column("needs", _("Needs"))],
            rows=[
                {"label": _("Unmet"), "needs": figures["coverage"]["unmet"]},
                {"label": _("Partly covered"), "needs": figures["coverage"]["partly_covered"]},
                {"label": _("Covered"), "needs": figures["coverage"]["covered"]},
            ],
            series=[("needs", _("Needs"))],
        ),
        Figure(
            slug="coverage-by-chapter",
            title=_("Coverage of needs by chapter"),
            note="",
            columns=[Column("chapter", _("Chapter"), numeric=False), *coverage_columns],
            rows=figures["by_chapter"],
            label=_chapter,
            series=coverage_series,
        ),
        Figure(
            slug="coverage-by-region",
            title=_("Coverage of needs by regional group"),
            note="",
            columns=[Column("label", _("Regional group"), numeric=False), *coverage_columns],
            rows=figures["by_region"],
            series=coverage_series,
        ),
    ]
    follow_up = _follow_up_figure(figures)
    if follow_up is not None:
        result.append(follow_up)
    if "action_plans" in figures:
        result.append(_action_plans(figures["action_plans"]))
    if with_donor_interest:
        interest = figures["donor_interest"]
        interest_columns = [
            Column("interests", _("Interests")),
            Column("commitments", _("Commitments")),
            Column("needs_with_interest", _("Needs with interest or commitment")),
            Column("needs_with_commitment", _("Needs with a commitment")),
        ]
        interest_series = [
            ("needs_with_interest", _("Needs with interest or commitment")),
            ("needs_with_commitment", _("Needs with a commitment")),
        ]
        result += [
            Figure(
                slug="donor-interest-by-chapter",
                title=_("Donors' interest and commitments by chapter"),
                note=_("Interest and commitments not withdrawn."),
                columns=[Column("chapter", _("Chapter"), numeric=False), *interest_columns],
                rows=interest["by_chapter"],
                label=_chapter,
                series=interest_series,
                signed_in_only=True,
            ),
            Figure(
                slug="donor-interest-by-region",
                title=_("Donors' interest and commitments by regional group"),
                note=_("Interest and commitments not withdrawn."),
                columns=[Column("label", _("Regional group"), numeric=False), *interest_columns],
                rows=interest["by_region"],
                series=interest_series,
                signed_in_only=True,
            ),
            Figure(
                slug="donor-interest-by-donor",
                title=_("Donors' interest and commitments by donor"),
                note=_("Interest and commitments not withdrawn."),
                columns=[
                    Column("donor", _("Donor"), numeric=False),
                    Column("interests", _("Interests")),
                    Column("commitments", _("Commitments")),
                    Column("needs", _("Needs")),
                ],
                rows=interest["by_donor"],
                label=lambda row: row["donor"],
                series=[("interests", _("Interests")), ("commitments", _("Commitments"))],
                signed_in_only=True,
            ),
        ]
    return result


def _follow_up_figure(figures: dict) -> Figure | None:
    """What became of the earlier cycle's needs, by regional group (with the total of all
    groups first); None for a view without an earlier cycle, or figures stored before it."""
    follow_up = figures.get("follow_up")
    if not follow_up or not follow_up["totals"]["earlier_needs"]:
        return None
    totals = {"region": None, "label": _("All regional groups"), **follow_up["totals"]}
    rows = follow_up["by_region"]
    if len(rows) != 1:
        rows = [totals, *rows]
    return Figure(
        slug="follow-up",
        title=_("Follow-up of the earlier cycle's needs: carried over, met or dropped"),
        note=_(
            "Needs of the cycle before this one. Carried over: a need of this cycle follows "
            "it. Met: not carried over, and its status is met. Dropped: neither. The European "
            "Union counts only in the total."
        ),
        columns=[
            Column("label", _("Regional group"), numeric=False),
            Column("earlier_needs", _("Earlier needs")),
            Column("carried_over", _("Carried over")),
            Column("met", _("Met")),
            Column("dropped", _("Dropped")),
        ],
        rows=rows,
        series=[
            ("carried_over", _("Carried over")),
            ("met", _("Met")),
            ("dropped", _("Dropped")),
        ],
    )


def _action_plans(plans: dict) -> Figure:
    """The share of States with at least one need in a national action plan: overall, then
    by regional group (the overall row alone when the view is one region's)."""
    rows = [{"label": _("All States of this view"), **plans["totals"]}]
    if len(plans["by_region"]) > 1:
        rows += plans["by_region"]
    return Figure(
        slug="action-plans",
        title=_("States with needs in a national action plan"),
        note=_(
            "States with at least one need that a follow-up action (not cancelled) puts in a "
            "national action plan, as a share of the States with needs."
        ),
        columns=[
            Column("label", _("Regional group"), numeric=False),
            Column("states_with_needs", _("States with needs")),
            Column("states_with_needs_in_plan", _("States with a need in an action plan")),
            Column("needs_in_plan", _("Needs in an action plan")),
            Column(
                "percent_of_states_with_needs",
                _("Percent of States with needs"),
                percent=True,
            ),
        ],
        rows=rows,
        label=_with_share("percent_of_states_with_needs"),
        series=[
            ("states_with_needs", _("States with needs")),
            ("states_with_needs_in_plan", _("States with a need in an action plan")),
        ],
    )


def _key_figures(figures: dict, *, with_donor_interest: bool) -> Figure:
    totals = figures["totals"]
    rows = [
        (_("States parties"), totals["states_parties"]),
        (_("Reviews (any stage)"), totals["reviews"]),
        (_("Executive summaries completed"), totals["executive_summaries"]),
        (_("States with needs"), totals["states_with_needs"]),
        (_("Needs"), totals["needs"]),
    ]
    if with_donor_interest:
        interest = figures["donor_interest"]["totals"]
        rows += [
            (_("Needs with donor interest or commitment"), interest["needs_with_interest"]),
            (_("Needs with a donor commitment"), interest["needs_with_commitment"]),
            (_("Unmet needs without any donor interest"), interest["unmet_needs_without_interest"]),
            (_("Donors with interest or commitments"), interest["donors"]),
        ]
    return Figure(
        slug="key-figures",
        title=_("Key figures"),
        note=_(
            "Needs: every need identified in the cycle whatever its status, leaving out only "
            "proposals that staff have not accepted."
        ),
        columns=[Column("what", _("Figure"), numeric=False), Column("value", _("Value"))],
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
