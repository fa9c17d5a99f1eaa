"""Property: after any sequence of changes, the stored figures equal a direct count.

Hypothesis draws sequences of need creations, edits, deletions, proposals and decisions,
status changes, links to assistance (coverage), donor interest and review milestones, all
through the services; then the figures are recomputed and every stored number is checked
against plain SQL written independently here. Each example runs in a savepoint that is
rolled back, so each starts from the same few reviews.
"""

import contextlib
import datetime
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistance import services as assistance_services
from assistance.models import DonorInterest
from dashboard.models import ALL_REGIONS, FigureSet
from dashboard.services import recompute_figures
from needs import services as need_services
from needs.models import Acceptance, Category, Need, Status, Subcategory, Theme
from reviews.models import Article, Chapter, RegionalGroup, Review, State
from reviews.services import review_update
from tests import factories

REVIEWS = [("KEN", 2), ("PER", 2), ("FRA", 2), ("EUU", 2), ("KEN", 1), ("CHN", 1)]
PLACEMENTS = {
    2: [("II", 5), ("II", 6), ("II", None), ("V", 52), ("V", None)],
    1: [("III", 15), ("III", None), ("IV", 44)],
}
CATEGORIES = ["capacity_building", "legislative_assistance", "institution_building", "other"]
THEMES = ["technology", "training", "risk_assessment"]

pick = st.integers(min_value=0, max_value=1000)
operation = st.one_of(
    st.tuples(
        st.just("create"),
        pick,  # review
        pick,  # placement
        pick,  # category
        st.booleans(),  # with a subcategory
        st.lists(st.sampled_from(THEMES), unique=True, max_size=3),
        st.sampled_from(Status.values),
        st.sampled_from([Acceptance.ACCEPTED, Acceptance.ACCEPTED, Acceptance.PROPOSED]),
    ),
    st.tuples(
        st.just("edit"),
        pick,
        pick,
        pick,
        st.booleans(),
        st.lists(st.sampled_from(THEMES), unique=True, max_size=3),
    ),
    st.tuples(st.just("delete"), pick),
    st.tuples(st.just("decide"), pick, st.booleans()),
    st.tuples(st.just("status"), pick, st.sampled_from(Status.values)),
    st.tuples(st.just("link"), pick, pick, st.sampled_from(["full", "partial", None])),
    st.tuples(st.just("interest"), pick, pick, st.sampled_from(["interest", "commitment"])),
    st.tuples(st.just("withdraw"), pick),
    st.tuples(st.just("summary"), pick, st.booleans()),
)


@pytest.fixture
def world(db, staff):
    reviews = [
        factories.ReviewFactory(state=factories.state(iso3), cycle=cycle) for iso3, cycle in REVIEWS
    ]
    provider = factories.ProviderFactory()
    return {
        "staff": staff,
        "reviews": reviews,
        "activities": [factories.ActivityFactory(provider=provider) for _ in range(2)],
        "donors": [factories.DonorFactory() for _ in range(2)],
        "chapters": {c.roman: c for c in Chapter.objects.all()},
        "articles": {a.number: a for a in Article.objects.all()},
        "categories": {c.code: c for c in Category.objects.all()},
        "subcategories": defaultdict(
            list, {c: list(Subcategory.objects.filter(category__code=c)) for c in CATEGORIES}
        ),
        "themes": {t.code: t for t in Theme.objects.all()},
    }


def _placement(world, review, index, category_index, with_subcategory, themes):
    roman, number = PLACEMENTS[review.cycle][index % len(PLACEMENTS[review.cycle])]
    category = CATEGORIES[category_index % len(CATEGORIES)]
    subcategories = world["subcategories"][category]
    return {
        "chapter": world["chapters"][roman],
        "article": world["articles"][number] if number else None,
        "category": world["categories"][category],
        "subcategory": subcategories[index % len(subcategories)]
        if with_subcategory and subcategories
        else None,
        "themes": [world["themes"][code] for code in themes],
    }


def _nth(queryset, index):
    rows = list(queryset.order_by("pk"))
    return rows[index % len(rows)] if rows else None


def _apply(world, step) -> None:
    kind, *args = step
    staff = world["staff"]
    if kind == "create":
        review_index, place, category, with_sub, themes, status, acceptance = args
        review = world["reviews"][review_index % len(world["reviews"])]
        need_services.need_create(
            review=review,
            description=f"Need {review_index}-{place}",
            status=status,
            acceptance=acceptance,
            user=staff,
            **_placement(world, review, place, category, with_sub, themes),
        )
        return
    if kind == "summary":
        review = world["reviews"][args[0] % len(world["reviews"])]
        completed = datetime.date(2019, 2, 1) if args[1] else None
        review_update(
            review=review,
            executive_summary_completed=completed,
            executive_summary_published=completed is not None,
            user=staff,
        )
        return
    if kind == "withdraw":
        interest = _nth(DonorInterest.objects.filter(withdrawn_at__isnull=True), args[0])
        if interest is not None:
            assistance_services.interest_withdraw(interest=interest, user=staff)
        return
    need = _nth(Need.objects.select_related("review"), args[0])
    if need is None:
        return
    if kind == "edit":
        place, category, with_sub, themes = args[1:]
        fields = _placement(world, need.review, place, category, with_sub, themes)
        need_services.need_update(need=need, user=staff, **fields)
    elif kind == "delete":
        need_services.need_delete(need=need, user=staff)
    elif kind == "decide":
        need_services.need_decide_proposal(need=need, accept=args[1], user=staff)
    elif kind == "status":
        need_services.need_set_status(need=need, status=args[1], comment="Checked", user=staff)
    elif kind == "link":
        activity = world["activities"][args[1] % 2]
        if args[2] is None:
            assistance_services.unlink_need(activity=activity, need=need, user=staff)
        else:
            assistance_services.link_need(activity=activity, need=need, extent=args[2], user=staff)
    elif kind == "interest":
        donor = world["donors"][args[1] % 2]
        assistance_services.interest_register(donor=donor, need=need, kind=args[2], user=staff)


# --- The direct count, in plain SQL -------------------------------------------------------
def _sql(query: str, params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return cursor.fetchall()


NEEDS = f"""
    FROM {Need._meta.db_table} n
    JOIN {Review._meta.db_table} r ON r.id = n.review_id
    JOIN {State._meta.db_table} s ON s.id = r.state_id
    LEFT JOIN {RegionalGroup._meta.db_table} g ON g.id = s.regional_group_id
    WHERE n.acceptance = 'accepted' AND r.cycle = %s AND (%s = 'all' OR g.code = %s)
"""


def _percent(part, whole) -> float:
    if not whole:
        return 0.0
    return float((Decimal(part) * 100 / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def _direct_count(cycle: int, scope: str) -> dict:
    view = [cycle, scope, scope]
    [(needs, states)] = _sql(f"SELECT COUNT(*), COUNT(DISTINCT r.state_id) {NEEDS}", view)
    [(parties,)] = _sql(
        f"""SELECT COUNT(*) FROM {State._meta.db_table} s
            LEFT JOIN {RegionalGroup._meta.db_table} g ON g.id = s.regional_group_id
            WHERE s.is_party AND (%s = 'all' OR g.code = %s)""",
        [scope, scope],
    )
    [(reviews, summaries)] = _sql(
        f"""SELECT COUNT(*), COUNT(r.executive_summary_completed)
            FROM {Review._meta.db_table} r JOIN {State._meta.db_table} s ON s.id = r.state_id
            LEFT JOIN {RegionalGroup._meta.db_table} g ON g.id = s.regional_group_id
            WHERE r.cycle = %s AND (%s = 'all' OR g.code = %s)""",
        view,
    )

    def grouped(column: str, joins: str = "") -> dict:
        query = f"SELECT {column}, COUNT(DISTINCT n.id), COUNT(DISTINCT r.state_id) {NEEDS}"
        query = query.replace("WHERE", f"{joins} WHERE", 1) + f" GROUP BY {column}"
        return {key: (count, distinct_states) for key, count, distinct_states in _sql(query, view)}

    chapter_join = f"JOIN {Chapter._meta.db_table} c ON c.id = n.chapter_id"
    return {
        "totals": {
            "states_parties": parties,
            "reviews": reviews,
            "executive_summaries": summaries,
            "states_with_needs": states,
            "needs": needs,
        },
        "by_chapter": grouped("c.roman", chapter_join),
        "by_article": {
            (roman, number): counts
            for (roman, number), counts in (
                ((key.split(":")[0], int(key.split(":")[1]) if key.split(":")[1] else None), v)
                for key, v in grouped(
                    "c.roman || ':' || COALESCE(CAST(a.number AS VARCHAR), '')",
                    f"{chapter_join} LEFT JOIN {Article._meta.db_table} a ON a.id = n.article_id",
                ).items()
            )
        },
        "by_category": grouped(
            "k.code", f"JOIN {Category._meta.db_table} k ON k.id = n.category_id"
        ),
        "by_theme": grouped(
            "t.code",
            f"JOIN {Need.themes.through._meta.db_table} nt ON nt.need_id = n.id "
            f"JOIN {Theme._meta.db_table} t ON t.id = nt.theme_id",
        ),
        "coverage": {key: count for key, (count, _) in grouped("n.coverage").items()},
        "unmet_without_interest": _sql(
            f"""SELECT COUNT(*) {NEEDS} AND n.coverage = 'unmet' AND NOT EXISTS (
                SELECT 1 FROM {DonorInterest._meta.db_table} i
                WHERE i.need_id = n.id AND i.withdrawn_at IS NULL)""",
            view,
        )[0][0],
        "interest": _sql(
            f"""SELECT COUNT(*), COUNT(DISTINCT i.need_id), COUNT(DISTINCT i.donor_id)
                FROM {DonorInterest._meta.db_table} i WHERE i.withdrawn_at IS NULL
                AND i.need_id IN (SELECT n.id {NEEDS})""",
            view,
        )[0],
    }


def _non_zero(rows: list[dict], key) -> dict:
    return {key(row): (row["needs"], row["states"]) for row in rows if row["needs"]}


def _assert_stored_equals_direct_count() -> None:
    stored = {(f.cycle, f.scope): f.figures for f in FigureSet.objects.all()}
    scopes = [ALL_REGIONS, *RegionalGroup.objects.values_list("code", flat=True)]
    assert set(stored) == {(cycle, scope) for cycle in (1, 2) for scope in scopes}
    for (cycle, scope), figures in stored.items():
        direct = _direct_count(cycle, scope)
        assert figures["totals"] == direct["totals"], (cycle, scope)
        assert _non_zero(figures["by_chapter"], lambda r: r["chapter"]) == direct["by_chapter"]
        assert (
            _non_zero(figures["by_article"], lambda r: (r["chapter"], r["article"]))
            == direct["by_article"]
        )
        assert _non_zero(figures["by_category"], lambda r: r["category"]) == direct["by_category"]
        assert _non_zero(figures["by_theme"], lambda r: r["theme"]) == direct["by_theme"]
        assert {k: v for k, v in figures["coverage"].items() if v} == direct["coverage"]
        total = direct["totals"]["needs"]
        with_needs = direct["totals"]["states_with_needs"]
        for row in figures["by_category"]:
            assert row["percent"] == _percent(row["needs"], total)
        for row in figures["by_theme"]:
            assert row["percent_of_states"] == _percent(row["states"], with_needs)
        interest = figures["donor_interest"]["totals"]
        assert (
            interest["interests"] + interest["commitments"],
            interest["needs_with_interest"],
            interest["donors"],
        ) == direct["interest"]
        assert interest["unmet_needs_without_interest"] == direct["unmet_without_interest"]
        if scope == ALL_REGIONS:
            for row in figures["by_region"]:
                regional = _direct_count(cycle, row["region"])["totals"]
                assert {k: row[k] for k in regional} == regional


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=st.lists(operation, max_size=12))
def test_stored_figures_equal_a_direct_count_after_any_changes(world, steps):
    with transaction.atomic():
        for step in steps:
            # A refused change (deciding a need that is no proposal...) changes nothing.
            with contextlib.suppress(ValidationError):
                _apply(world, step)
        recompute_figures()
        _assert_stored_equals_direct_count()
        transaction.set_rollback(True)
