"""Reads for the dashboard: the SQL aggregates behind every figure, and the stored figures.

`compute_figures()` asks the database for every figure of both cycles with a fixed number of
GROUP BY queries (about thirty, whatever the number of needs); Python only files the grouped
rows into one document per (cycle, scope) and works out percentages. The page and the API
never call it: they read the documents that `services.recompute_figures` stored.
"""

from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import (
    Count,
    Exists,
    F,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.utils import translation

from assistance.models import DonorInterest, InterestKind
from core.models import DataVersion
from needs.models import (
    Acceptance,
    ActionStatus,
    Category,
    Coverage,
    Need,
    NeedAction,
    Status,
    Subcategory,
    Theme,
)
from reviews.models import CYCLE_CHOICES, Article, Chapter, RegionalGroup, Review, State

from .models import ALL_REGIONS, FigureSet, SnapshotFigureSet

CYCLES = tuple(value for value, _ in CYCLE_CHOICES)
LATEST_CYCLE = max(CYCLES)
COVERAGE_KEYS = tuple(Coverage.values)
FOLLOW_UP_KEYS = ("earlier_needs", "carried_over", "met", "dropped")


def counted_needs() -> QuerySet:
    """The needs every figure counts: whatever their status, leaving out only proposals that
    staff have not accepted (still waiting, or declined)."""
    return Need.objects.filter(Need.COUNTED)


def active_donor_interests() -> QuerySet:
    """Interest and commitments not withdrawn, in needs that the figures count."""
    return DonorInterest.objects.filter(
        withdrawn_at__isnull=True, need__acceptance=Acceptance.ACCEPTED
    )


def actions_in_plans() -> QuerySet:
    """Follow-up actions that put their need in a national action plan (not cancelled). The
    figures reach them from the counted needs, so they do not join the needs again."""
    return NeedAction.objects.filter(in_national_action_plan=True).exclude(
        status=ActionStatus.CANCELLED
    )


ACTION_PLAN_TOTALS = (
    "states_with_needs",
    "states_with_needs_in_plan",
    "needs_in_plan",
    "percent_of_states_with_needs",
)


def percent(part: int, whole: int) -> float:
    """`part` as a percentage of `whole`, one decimal, halves rounded up; 0.0 when whole is 0."""
    if not whole:
        return 0.0
    share = Decimal(part) * 100 / Decimal(whole)
    return float(share.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def empty_figures() -> dict:
    """A view's figures before anything is counted: every count 0, no rows."""
    return {
        "totals": dict.fromkeys(
            ("states_parties", "reviews", "executive_summaries", "states_with_needs", "needs"), 0
        ),
        "coverage": dict.fromkeys(COVERAGE_KEYS, 0),
        "by_status": [],
        "by_chapter": [],
        "by_article": [],
        "by_category": [],
        "by_subcategory": [],
        "by_region": [],
        "by_theme": [],
        # What became of the needs of the cycle before: carried over (a need of this cycle
        # follows it), met (status met, without a successor) or dropped (neither).
        "follow_up": {
            "totals": dict.fromkeys(FOLLOW_UP_KEYS, 0),
            "by_region": [],
        },
        "donor_interest": {
            "totals": dict.fromkeys(
                (
                    "interests",
                    "commitments",
                    "donors",
                    "needs_with_interest",
                    "needs_with_commitment",
                    "unmet_needs_without_interest",
                ),
                0,
            ),
            "by_chapter": [],
            "by_region": [],
            "by_donor": [],
        },
        # The States with at least one need in a national action plan, of those with needs.
        "action_plans": {
            "totals": {
                **dict.fromkeys(ACTION_PLAN_TOTALS, 0),
                "percent_of_states_with_needs": 0.0,
            },
            "by_region": [],
        },
    }


# --- Grouped queries ----------------------------------------------------------------------
def _grouped(
    queryset: QuerySet,
    *,
    cycle: str | None,
    region: str,
    keys: dict[str, F] | None = None,
    metrics: dict,
) -> Iterator[tuple[int | None, str, dict]]:
    """Yield (cycle, scope, row) for `metrics` grouped by cycle and `keys`: first over all
    regions, then per regional group (a State without one, the EU, only counts in `all`).

    Two GROUP BY queries whatever the data size; `cycle` and `region` are lookup paths from
    the queryset's model to the review's cycle and to the regional group's code.
    """
    keys = keys or {}
    for by_region in (False, True):
        group = dict(keys)
        if cycle is not None:
            group["group_cycle"] = F(cycle)
        rows = queryset
        if by_region:
            group["group_scope"] = F(region)
            rows = rows.filter(**{f"{region}__isnull": False})
        if group:
            rows = rows.values(**group).annotate(**metrics).order_by()
        else:
            rows = [rows.aggregate(**metrics)]
        for row in rows:
            row_cycle = row.pop("group_cycle", None)
            scope = row.pop("group_scope") if by_region else ALL_REGIONS
            yield row_cycle, scope, row


def _review_places() -> dict[int, tuple[int, int, str | None]]:
    """{review id: (cycle, State id, regional group code)} for every review, in one query."""
    return {
        pk: (cycle, state_id, region)
        for pk, cycle, state_id, region in Review.objects.values_list(
            "pk", "cycle", "state_id", "state__regional_group__code"
        )
    }


def _grouped_needs(
    needs: QuerySet,
    *,
    reviews: dict[int, tuple[int, int, str | None]],
    keys: dict[str, F] | None = None,
    metrics: dict,
) -> Iterator[tuple[int, str, dict]]:
    """`_grouped` for needs, each row with `states`: the distinct States behind it.

    One GROUP BY per review and `keys`, without DISTINCT (a hash aggregate); its rows, a few
    per review, are summed here per cycle over all regions and per regional group, and the
    distinct States come from their reviews. Counting distinct States in the database
    instead sorted every need twice per figure: at 100 times today's volume this is about
    four times faster. `metrics` must add up across reviews (counts).
    """
    keys = keys or {}
    totals: dict[tuple, dict] = {}
    states: dict[tuple, set[int]] = {}
    for row in needs.values("review_id", **keys).annotate(**metrics).order_by():
        cycle, state_id, region = reviews[row["review_id"]]
        key_values = tuple(row[name] for name in keys)
        for scope in (ALL_REGIONS, region) if region else (ALL_REGIONS,):
            group = (cycle, scope, key_values)
            if group not in totals:
                totals[group] = {name: row[name] for name in keys} | dict.fromkeys(metrics, 0)
                states[group] = set()
            for name in metrics:
                totals[group][name] += row[name]
            states[group].add(state_id)
    for group, total in totals.items():
        cycle, scope, _ = group
        yield cycle, scope, {**total, "states": len(states[group])}


def _coverage_counts(prefix: str = "") -> dict:
    return {key: Count("id", filter=Q(**{f"{prefix}coverage": key})) for key in COVERAGE_KEYS}


# --- The documents ------------------------------------------------------------------------
@dataclass
class _Reference:
    """Labels and row order of every figure, read once per computation (six queries)."""

    chapters: dict[str, dict]
    articles: list[dict]
    categories: dict[str, str]
    subcategories: dict[str, dict]
    themes: dict[str, str]
    regions: dict[str, str]

    @classmethod
    def load(cls) -> "_Reference":
        return cls(
            chapters={
                c["roman"]: c
                for c in Chapter.objects.order_by("number").values(
                    "roman", "title", "reviewed_in_cycle"
                )
            },
            articles=list(
                Article.objects.order_by("number").values(
                    "number", "title", chapter_roman=F("chapter__roman")
                )
            ),
            categories=dict(Category.objects.values_list("code", "label")),
            subcategories={
                s["code"]: s
                for s in Subcategory.objects.values(
                    "code", "label", category_code=F("category__code")
                )
            },
            themes=dict(Theme.objects.values_list("code", "label")),
            regions=dict(RegionalGroup.objects.order_by("name").values_list("code", "name")),
        )


@dataclass
class _Document:
    """One (cycle, scope) view under construction, with its rows indexed by key."""

    cycle: int
    scope: str
    reference: _Reference
    data: dict = field(default_factory=dict)
    index: dict = field(default_factory=dict)

    def __post_init__(self):
        ref = self.reference
        self.data = empty_figures()
        # The stored document keeps English labels whatever language the request that
        # triggered the recomputation used; pages translate them when shown.
        with translation.override("en"):
            for status in Status:
                self.row(
                    "by_status", status.value, status=status.value, label=str(status.label), needs=0
                )
        for roman, chapter in ref.chapters.items():
            if chapter["reviewed_in_cycle"] == self.cycle:
                self.chapter_rows(roman)
        for article in ref.articles:
            if ref.chapters[article["chapter_roman"]]["reviewed_in_cycle"] == self.cycle:
                self.article_row(article["chapter_roman"], article["number"])
        for code in ref.categories:
            self.category_row(code)
        for code in ref.subcategories:
            self.subcategory_row(code)
        for code in ref.themes:
            self.theme_row(code)

    def row(self, figure: str, key, **initial) -> dict:
        """The row of `figure` for `key`, appended with `initial` values the first time."""
        found = self.index.get((figure, key))
        if found is None:
            found = dict(initial)
            self._list(figure).append(found)
            self.index[(figure, key)] = found
        return found

    def _list(self, figure: str) -> list:
        if figure.startswith("donor_interest."):
            return self.data["donor_interest"][figure.split(".", 1)[1]]
        return self.data[figure]

    def chapter_rows(self, roman: str) -> tuple[dict, dict]:
        """The chapter's row in by_chapter and in donor_interest.by_chapter, and its
        'chapter in general' row in by_article."""
        title = self.reference.chapters.get(roman, {}).get("title", "")
        needs_row = self.row(
            "by_chapter",
            roman,
            chapter=roman,
            title=title,
            needs=0,
            states=0,
            **dict.fromkeys(COVERAGE_KEYS, 0),
        )
        interest_row = self.row(
            "donor_interest.by_chapter",
            roman,
            chapter=roman,
            title=title,
            interests=0,
            commitments=0,
            needs_with_interest=0,
            needs_with_commitment=0,
        )
        self.article_row(roman, None)
        return needs_row, interest_row

    def article_row(self, roman: str, number: int | None) -> dict:
        title = next(
            (a["title"] for a in self.reference.articles if a["number"] == number),
            f"Chapter {roman} in general",
        )
        return self.row(
            "by_article",
            (roman, number),
            article=number,
            chapter=roman,
            title=title,
            needs=0,
            states=0,
        )

    def category_row(self, code: str) -> dict:
        return self.row(
            "by_category",
            code,
            category=code,
            label=self.reference.categories.get(code, code),
            needs=0,
            percent=0.0,
            states=0,
        )

    def subcategory_row(self, code: str) -> dict:
        subcategory = self.reference.subcategories.get(code, {})
        return self.row(
            "by_subcategory",
            code,
            subcategory=code,
            category=subcategory.get("category_code", ""),
            category_label=self.reference.categories.get(subcategory.get("category_code"), ""),
            label=subcategory.get("label", code),
            needs=0,
            states=0,
        )

    def theme_row(self, code: str) -> dict:
        return self.row(
            "by_theme",
            code,
            theme=code,
            label=self.reference.themes.get(code, code),
            needs=0,
            states=0,
            percent_of_states=0.0,
        )

    def region_summary(self) -> tuple[dict, dict]:
        """This (regional) view's totals as a row of by_region and of donor_interest.by_region."""
        label = self.reference.regions.get(self.scope, self.scope)
        needs_row = {
            "region": self.scope,
            "label": label,
            **self.data["totals"],
            **self.data["coverage"],
        }
        interest_row = {"region": self.scope, "label": label}
        interest_row.update(
            (k, v) for k, v in self.data["donor_interest"]["totals"].items() if k != "donors"
        )
        return needs_row, interest_row

    def finish(self) -> None:
        """Percentages, and rows in the Convention's order (a chapter's general needs last)."""
        chapter_order = {roman: index for index, roman in enumerate(self.reference.chapters)}
        self.data["by_chapter"].sort(key=lambda row: chapter_order.get(row["chapter"], 99))
        self.data["donor_interest"]["by_chapter"].sort(
            key=lambda row: chapter_order.get(row["chapter"], 99)
        )
        self.data["by_article"].sort(
            key=lambda row: (
                chapter_order.get(row["chapter"], 99),
                row["article"] is None,
                row["article"] or 0,
            )
        )
        interest = self.data["donor_interest"]["totals"]
        interest["unmet_needs_without_interest"] = self.data["coverage"][Coverage.UNMET] - (
            interest.pop("unmet_needs_with_interest", 0)
        )
        totals = self.data["totals"]
        for row in self.data["by_category"]:
            row["percent"] = percent(row["needs"], totals["needs"])
        for row in self.data["by_theme"]:
            row["percent_of_states"] = percent(row["states"], totals["states_with_needs"])
        plans = self.data["action_plans"]["totals"]
        plans["states_with_needs"] = totals["states_with_needs"]
        plans["percent_of_states_with_needs"] = percent(
            plans["states_with_needs_in_plan"], totals["states_with_needs"]
        )


def compute_figures() -> dict[tuple[int, str], dict]:
    """Every figure of every (cycle, scope) view, from the database as it is now."""
    reference = _Reference.load()
    scopes = [ALL_REGIONS, *reference.regions]
    documents = {
        (cycle, scope): _Document(cycle, scope, reference) for cycle in CYCLES for scope in scopes
    }

    def each(rows):
        for cycle, scope, row in rows:
            for document_cycle in CYCLES if cycle is None else (cycle,):
                document = documents.get((document_cycle, scope))
                if document is not None:
                    yield document, row

    needs = counted_needs()
    reviews = _review_places()

    parties = State.objects.filter(is_party=True)
    for document, row in each(
        _grouped(
            parties, cycle=None, region="regional_group__code", metrics={"parties": Count("id")}
        )
    ):
        document.data["totals"]["states_parties"] = row["parties"]

    for document, row in each(
        _grouped(
            Review.objects.all(),
            cycle="cycle",
            region="state__regional_group__code",
            metrics={
                "reviews": Count("id"),
                "summaries": Count("id", filter=Q(executive_summary_completed__isnull=False)),
            },
        )
    ):
        document.data["totals"]["reviews"] = row["reviews"]
        document.data["totals"]["executive_summaries"] = row["summaries"]

    for document, row in each(
        _grouped_needs(
            needs,
            reviews=reviews,
            metrics={
                "needs": Count("id"),
                **_coverage_counts(),
                **{f"status_{s}": Count("id", filter=Q(status=s)) for s in Status.values},
            },
        )
    ):
        data = document.data
        data["totals"]["needs"] = row["needs"]
        data["totals"]["states_with_needs"] = row["states"]
        data["coverage"] = {key: row[key] for key in COVERAGE_KEYS}
        for status in Status.values:
            document.row("by_status", status)["needs"] = row[f"status_{status}"]

    for document, row in each(
        _grouped_needs(
            needs,
            reviews=reviews,
            keys={"chapter_roman": F("chapter__roman")},
            metrics={"needs": Count("id"), **_coverage_counts()},
        )
    ):
        chapter_row, _ = document.chapter_rows(row.pop("chapter_roman"))
        chapter_row.update(row)

    for document, row in each(
        _grouped_needs(
            needs,
            reviews=reviews,
            keys={"chapter_roman": F("chapter__roman"), "article_number": F("article__number")},
            metrics={"needs": Count("id")},
        )
    ):
        document.article_row(row.pop("chapter_roman"), row.pop("article_number")).update(row)

    for figure, path in (("category", "category__code"), ("subcategory", "subcategory__code")):
        for document, row in each(
            _grouped_needs(
                needs.filter(**{f"{path}__isnull": False}),
                reviews=reviews,
                keys={"code": F(path)},
                metrics={"needs": Count("id")},
            )
        ):
            getattr(document, f"{figure}_row")(row.pop("code")).update(row)

    for document, row in each(
        # A need has each theme once, so counting rows per review and theme counts needs.
        _grouped_needs(
            needs.filter(themes__isnull=False),
            reviews=reviews,
            keys={"code": F("themes__code")},
            metrics={"needs": Count("id")},
        )
    ):
        document.theme_row(row.pop("code")).update(row)

    # Follow-up: the needs of each cycle but the last, counted in the next cycle's views. The
    # needs carried over are those some counted need follows: read once and hashed by
    # PostgreSQL (`IN` a subquery that does not refer to the row), where an EXISTS per row
    # and count probed the index 600,000 times at 100 times today's volume (1.2 s of 3.5).
    # No NULL in it, so NOT IN means "not carried over".
    carried_over = Q(pk__in=counted_needs().filter(follows__isnull=False).values("follows_id"))
    for document, row in each(
        (cycle + 1, scope, row)
        for cycle, scope, row in _grouped_needs(
            needs.filter(review__cycle__lt=LATEST_CYCLE),
            reviews=reviews,
            metrics={
                "earlier_needs": Count("id"),
                "carried_over": Count("id", filter=carried_over),
                "met": Count("id", filter=~carried_over & Q(status=Status.MET)),
                "dropped": Count("id", filter=~carried_over & ~Q(status=Status.MET)),
            },
        )
    ):
        document.data["follow_up"]["totals"].update((key, row[key]) for key in FOLLOW_UP_KEYS)

    for document, row in each(
        # One GROUP BY over the needs an action puts in a plan (a semi-join), the States
        # from their reviews as for every other figure.
        _grouped_needs(
            needs.filter(Exists(actions_in_plans().filter(need=OuterRef("pk")))),
            reviews=reviews,
            metrics={"needs": Count("id")},
        )
    ):
        plans = document.data["action_plans"]["totals"]
        plans["states_with_needs_in_plan"] = row["states"]
        plans["needs_in_plan"] = row["needs"]

    interests = active_donor_interests()
    interest_region = "need__review__state__regional_group__code"
    interest_metrics = {
        "interests": Count("id", filter=Q(kind=InterestKind.INTEREST)),
        "commitments": Count("id", filter=Q(kind=InterestKind.COMMITMENT)),
        "needs_with_interest": Count("need", distinct=True),
        "needs_with_commitment": Count(
            "need", distinct=True, filter=Q(kind=InterestKind.COMMITMENT)
        ),
    }
    for document, row in each(
        _grouped(
            interests,
            cycle="need__review__cycle",
            region=interest_region,
            metrics={
                **interest_metrics,
                "donors": Count("donor", distinct=True),
                "unmet_needs": Count(
                    "need", distinct=True, filter=Q(need__coverage=Coverage.UNMET)
                ),
            },
        )
    ):
        totals = document.data["donor_interest"]["totals"]
        totals.update((key, value) for key, value in row.items() if key != "unmet_needs")
        # Unmet needs nobody has offered to meet: the unmet needs counted in `coverage`, less
        # those with interest. (A NOT EXISTS per need costs a subquery for every row.)
        totals["unmet_needs_with_interest"] = row["unmet_needs"]

    for document, row in each(
        _grouped(
            interests,
            cycle="need__review__cycle",
            region=interest_region,
            keys={"chapter_roman": F("need__chapter__roman")},
            metrics=interest_metrics,
        )
    ):
        _, interest_row = document.chapter_rows(row.pop("chapter_roman"))
        interest_row.update(row)

    for document, row in each(
        _grouped(
            interests,
            cycle="need__review__cycle",
            region=interest_region,
            keys={"donor_name": F("donor__name")},
            metrics={
                "interests": interest_metrics["interests"],
                "commitments": interest_metrics["commitments"],
                "needs": Count("need", distinct=True),
            },
        )
    ):
        name = row.pop("donor_name")
        document.row("donor_interest.by_donor", name, donor=name).update(row)

    for document in documents.values():
        document.finish()
    for cycle in CYCLES:
        overall = documents[(cycle, ALL_REGIONS)].data
        for region in reference.regions:
            regional = documents[(cycle, region)]
            needs_row, interest_row = regional.region_summary()
            regional.data["by_region"] = [needs_row]
            regional.data["donor_interest"]["by_region"] = [interest_row]
            overall["by_region"].append(dict(needs_row))
            overall["donor_interest"]["by_region"].append(dict(interest_row))
            follow_up_row = {
                "region": region,
                "label": needs_row["label"],
                **regional.data["follow_up"]["totals"],
            }
            regional.data["follow_up"]["by_region"] = [follow_up_row]
            overall["follow_up"]["by_region"].append(dict(follow_up_row))
            plans_row = {
                "region": region,
                "label": needs_row["label"],
                **regional.data["action_plans"]["totals"],
            }
            regional.data["action_plans"]["by_region"] = [plans_row]
            overall["action_plans"]["by_region"].append(dict(plans_row))
        for document in (documents[(cycle, scope)] for scope in scopes):
            by_donor = document.data["donor_interest"]["by_donor"]
            by_donor.sort(key=lambda row: (-row["needs"], row["donor"]))
    return {key: document.data for key, document in documents.items()}


# --- Stored figures -----------------------------------------------------------------------
def figure_set(*, cycle: int, scope: str) -> FigureSet | None:
    """The stored figures of one view, with the source version now current, in one query.

    `is_stale` is True when the data changed after the figures were computed.
    """
    current = DataVersion.objects.filter(pk=DataVersion.ROW_ID)
    found = (
        FigureSet.objects.filter(cycle=cycle, scope=scope)
        .annotate(
            current_version=Subquery(current.values("version")[:1]),
            source_changed_at=Subquery(current.values("changed_at")[:1]),
        )
        .first()
    )
    if found is not None:
        found.is_stale = (found.current_version or 0) > found.source_version
    return found


def figures_are_fresh(source_version: int) -> bool:
    """Every view is stored and was computed from `source_version` or later."""
    stored = FigureSet.objects.aggregate(views=Count("id"), oldest=Min("source_version"))
    expected_views = len(CYCLES) * (1 + RegionalGroup.objects.count())
    return stored["views"] == expected_views and stored["oldest"] >= source_version


def chapter_history(*, cycle: int, scope: str) -> list[dict]:
    """Needs and States by chapter in each snapshot of the view, oldest first (one query)."""
    return list(
        SnapshotFigureSet.objects.filter(cycle=cycle, scope=scope)
        .order_by("snapshot__taken_on", "snapshot__label")
        .values(
            label=F("snapshot__label"),
            taken_on=F("snapshot__taken_on"),
            by_chapter=F("figures__by_chapter"),
        )
    )
