"""Full recomputation of the dashboard next to the same figures in bare SQL (the floor).

The bare queries compute what `dashboard.selectors.compute_figures` computes for every
cycle and regional group, written by hand: one GROUP BY per figure, with GROUPING SETS so
that each figure's overall and per-region rows come from one pass over the needs. No ORM,
no Python filing of rows: the least work the database can do for these numbers. Both run
in one REPEATABLE READ transaction each, as the recomputation does; both are checked to
agree (totals, coverage and States with needs per cycle and region).
"""

import statistics
import time

from django.db import connection, transaction

from dashboard.models import ALL_REGIONS, FigureSet
from dashboard.services import recompute_figures

RUNS = 3

_COUNTED_NEEDS = """
    FROM needs_need n
    JOIN reviews_review r ON r.id = n.review_id
    JOIN reviews_state s ON s.id = r.state_id
    LEFT JOIN reviews_regionalgroup g ON g.id = s.regional_group_id
"""
_ACCEPTED = "n.acceptance = 'accepted'"
_ACTIVE_INTEREST = "i.withdrawn_at IS NULL AND n.acceptance = 'accepted'"
_COVERAGE = """
    count(*) FILTER (WHERE n.coverage = 'unmet') AS unmet,
    count(*) FILTER (WHERE n.coverage = 'partly_covered') AS partly_covered,
    count(*) FILTER (WHERE n.coverage = 'covered') AS covered
"""
_INTEREST = """
    count(*) FILTER (WHERE i.kind = 'interest') AS interests,
    count(*) FILTER (WHERE i.kind = 'commitment') AS commitments,
    count(DISTINCT i.need_id) AS needs_with_interest,
    count(DISTINCT i.need_id) FILTER (WHERE i.kind = 'commitment') AS needs_with_commitment
"""

BARE_SQL = {
    "parties": """
        SELECT g.code, count(*) FROM reviews_state s
        LEFT JOIN reviews_regionalgroup g ON g.id = s.regional_group_id
        WHERE s.is_party GROUP BY GROUPING SETS ((), (g.code))
    """,
    "reviews": """
        SELECT r.cycle, g.code, count(*),
               count(*) FILTER (WHERE r.executive_summary_completed IS NOT NULL)
        FROM reviews_review r JOIN reviews_state s ON s.id = r.state_id
        LEFT JOIN reviews_regionalgroup g ON g.id = s.regional_group_id
        GROUP BY GROUPING SETS ((r.cycle), (r.cycle, g.code))
    """,
    "needs": f"""
        SELECT GROUPING(g.code) = 1 AS overall, r.cycle, g.code,
               count(*) AS needs, count(DISTINCT r.state_id) AS states,
               {_COVERAGE},
               count(*) FILTER (WHERE n.status = 'unmet') AS status_unmet,
               count(*) FILTER (WHERE n.status = 'in_progress') AS status_in_progress,
               count(*) FILTER (WHERE n.status = 'partially_met') AS status_partially_met,
               count(*) FILTER (WHERE n.status = 'met') AS status_met,
               count(*) FILTER (WHERE n.status = 'obsolete') AS status_obsolete,
               count(*) FILTER (
                   WHERE n.coverage = 'unmet' AND NOT EXISTS (
                       SELECT 1 FROM assistance_donorinterest i
                       WHERE i.need_id = n.id AND i.withdrawn_at IS NULL)
               ) AS unmet_without_interest
        {_COUNTED_NEEDS} WHERE {_ACCEPTED}
        GROUP BY GROUPING SETS ((r.cycle), (r.cycle, g.code))
    """,
    "by_chapter": f"""
        SELECT r.cycle, g.code, n.chapter_id, count(*), count(DISTINCT r.state_id), {_COVERAGE}
        {_COUNTED_NEEDS} WHERE {_ACCEPTED}
        GROUP BY GROUPING SETS ((r.cycle, n.chapter_id), (r.cycle, g.code, n.chapter_id))
    """,
    "by_article": f"""
        SELECT r.cycle, g.code, n.chapter_id, n.article_id, count(*), count(DISTINCT r.state_id)
        {_COUNTED_NEEDS} WHERE {_ACCEPTED}
        GROUP BY GROUPING SETS (
            (r.cycle, n.chapter_id, n.article_id), (r.cycle, g.code, n.chapter_id, n.article_id))
    """,
    "by_category": f"""
        SELECT r.cycle, g.code, n.category_id, count(*), count(DISTINCT r.state_id)
        {_COUNTED_NEEDS} WHERE {_ACCEPTED}
        GROUP BY GROUPING SETS ((r.cycle, n.category_id), (r.cycle, g.code, n.category_id))
    """,
    "by_subcategory": f"""
        SELECT r.cycle, g.code, n.subcategory_id, count(*), count(DISTINCT r.state_id)
        {_COUNTED_NEEDS} WHERE {_ACCEPTED} AND n.subcategory_id IS NOT NULL
        GROUP BY GROUPING SETS (
            (r.cycle, n.subcategory_id), (r.cycle, g.code, n.subcategory_id))
    """,
    "by_theme": f"""
        SELECT r.cycle, g.code, t.theme_id, count(DISTINCT n.id), count(DISTINCT r.state_id)
        {_COUNTED_NEEDS} JOIN needs_need_themes t ON t.need_id = n.id WHERE {_ACCEPTED}
        GROUP BY GROUPING SETS ((r.cycle, t.theme_id), (r.cycle, g.code, t.theme_id))
    """,
    "interest": f"""
        SELECT r.cycle, g.code, {_INTEREST}, count(DISTINCT i.donor_id) AS donors
        FROM assistance_donorinterest i JOIN needs_need n ON n.id = i.need_id
        JOIN reviews_review r ON r.id = n.review_id JOIN reviews_state s ON s.id = r.state_id
        LEFT JOIN reviews_regionalgroup g ON g.id = s.regional_group_id
        WHERE {_ACTIVE_INTEREST}
        GROUP BY GROUPING SETS ((r.cycle), (r.cycle, g.code))
    """,
    "interest_by_chapter": f"""
        SELECT r.cycle, g.code, n.chapter_id, {_INTEREST}
        FROM assistance_donorinterest i JOIN needs_need n ON n.id = i.need_id
        JOIN reviews_review r ON r.id = n.review_id JOIN reviews_state s ON s.id = r.state_id
        LEFT JOIN reviews_regionalgroup g ON g.id = s.regional_group_id
        WHERE {_ACTIVE_INTEREST}
        GROUP BY GROUPING SETS ((r.cycle, n.chapter_id), (r.cycle, g.code, n.chapter_id))
    """,
    "interest_by_donor": f"""
        SELECT r.cycle, g.code, i.donor_id,
               count(*) FILTER (WHERE i.kind = 'interest'),
               count(*) FILTER (WHERE i.kind = 'commitment'), count(DISTINCT i.need_id)
        FROM assistance_donorinterest i JOIN needs_need n ON n.id = i.need_id
        JOIN reviews_review r ON r.id = n.review_id JOIN reviews_state s ON s.id = r.state_id
        LEFT JOIN reviews_regionalgroup g ON g.id = s.regional_group_id
        WHERE {_ACTIVE_INTEREST}
        GROUP BY GROUPING SETS ((r.cycle, i.donor_id), (r.cycle, g.code, i.donor_id))
    """,
}


def run_bare_sql() -> dict[str, list[tuple]]:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        results = {}
        for name, sql in BARE_SQL.items():
            cursor.execute(sql)
            results[name] = cursor.fetchall()
        return results


def disagreements(bare: dict[str, list[tuple]]) -> list[str]:
    """Where the stored figures and the bare SQL differ (empty when they agree)."""
    problems = []
    for overall, cycle, code, needs, states, unmet, partly, covered, *_ in bare["needs"]:
        if not overall and code is None:
            continue  # States without a regional group (the EU) count in the overall rows only
        scope = ALL_REGIONS if overall else code
        stored = FigureSet.objects.filter(cycle=cycle, scope=scope).first()
        if stored is None:
            problems.append(f"no stored figures for cycle {cycle}, {scope}")
            continue
        expected = {
            "needs": needs,
            "states_with_needs": states,
            "unmet": unmet,
            "partly_covered": partly,
            "covered": covered,
        }
        found = {
            "needs": stored.figures["totals"]["needs"],
            "states_with_needs": stored.figures["totals"]["states_with_needs"],
            **{
                key: stored.figures["coverage"][key]
                for key in ("unmet", "partly_covered", "covered")
            },
        }
        if found != expected:
            problems.append(f"cycle {cycle}, {scope}: stored {found}, bare SQL {expected}")
    return problems


def _timed(function, runs: int) -> list[float]:
    seconds = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        seconds.append(time.perf_counter() - started)
    return seconds


def run(runs: int = RUNS) -> dict:
    recompute = _timed(recompute_figures, runs)
    bare = _timed(run_bare_sql, runs)
    return {
        "runs": runs,
        "recompute_s": statistics.median(recompute),
        "recompute_all_s": recompute,
        "bare_sql_s": statistics.median(bare),
        "bare_sql_all_s": bare,
        "bare_sql_queries": len(BARE_SQL),
        "disagreements": disagreements(run_bare_sql()),
    }
