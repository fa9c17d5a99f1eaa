"""Full recomputation of the dashboard next to the same figures in bare SQL (the floor).

The bare queries compute what `dashboard.selectors.compute_figures` computes for every
cycle and regional group, written by hand, one query per figure: the needs are counted per
review (and per chapter, article, category... for the breakdowns) in one pass, and those
few thousand rows are rolled up per cycle and regional group with GROUPING SETS, where
counting the distinct States behind each row is cheap. No ORM, no Python filing of rows:
about the least work the database can do for these numbers. Both run in one REPEATABLE
READ transaction each, as the recomputation does, and are checked to agree (totals,
coverage and States with needs per cycle and region).
"""

import statistics
import time

from django.db import connection, transaction

from dashboard.models import ALL_REGIONS, FigureSet
from dashboard.services import recompute_figures

RUNS = 3

_ACTIVE_INTEREST = "i.withdrawn_at IS NULL AND n.acceptance = 'accepted'"
_INTEREST = """
    count(*) FILTER (WHERE i.kind = 'interest') AS interests,
    count(*) FILTER (WHERE i.kind = 'commitment') AS commitments,
    count(DISTINCT i.need_id) AS needs_with_interest,
    count(DISTINCT i.need_id) FILTER (WHERE i.kind = 'commitment') AS needs_with_commitment
"""
_COVERAGE = {
    "unmet": "count(*) FILTER (WHERE n.coverage = 'unmet')",
    "partly_covered": "count(*) FILTER (WHERE n.coverage = 'partly_covered')",
    "covered": "count(*) FILTER (WHERE n.coverage = 'covered')",
}
_STATUSES = {
    f"status_{status}": f"count(*) FILTER (WHERE n.status = '{status}')"
    for status in ("unmet", "in_progress", "partially_met", "met", "obsolete")
}


def _needs_by(keys: dict[str, str], counts: dict[str, str], join: str = "", where: str = "") -> str:
    """Accepted needs counted per review and `keys` in one pass (a hash aggregate), then
    rolled up per cycle, and per cycle and regional group, where the few rows left make
    counting distinct States cheap. Columns: overall?, cycle, region, keys, needs, States,
    then `counts`."""
    inner_keys = "".join(f", {expression} AS {name}" for name, expression in keys.items())
    inner_counts = "".join(f", {expression} AS {name}" for name, expression in counts.items())
    outer_keys = "".join(f", p.{name}" for name in keys)
    outer_counts = "".join(f", sum(p.{name}) AS {name}" for name in counts)
    key_list = "".join(f", p.{name}" for name in keys)
    inner_group = "".join(f", {expression}" for expression in keys.values())
    return f"""
        WITH per_review AS (
            SELECT n.review_id{inner_keys}, count(*) AS needs{inner_counts}
            FROM needs_need n {join}
            WHERE n.acceptance = 'accepted' {where}
            GROUP BY n.review_id{inner_group}
        )
        SELECT GROUPING(g.code) = 1 AS overall, r.cycle, g.code{outer_keys},
               sum(p.needs) AS needs, count(DISTINCT r.state_id) AS states{outer_counts}
        FROM per_review p
        JOIN reviews_review r ON r.id = p.review_id
        JOIN reviews_state s ON s.id = r.state_id
        LEFT JOIN reviews_regionalgroup g ON g.id = s.regional_group_id
        GROUP BY GROUPING SETS ((r.cycle{key_list}), (r.cycle, g.code{key_list}))
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
    "needs": _needs_by(
        {},
        {
            **_COVERAGE,
            **_STATUSES,
            "unmet_without_interest": (
                "count(*) FILTER (WHERE n.coverage = 'unmet' AND interested.need_id IS NULL)"
            ),
        },
        join="""LEFT JOIN (
            SELECT DISTINCT need_id FROM assistance_donorinterest WHERE withdrawn_at IS NULL
        ) interested ON interested.need_id = n.id""",
    ),
    "by_chapter": _needs_by({"chapter_id": "n.chapter_id"}, _COVERAGE),
    "by_article": _needs_by({"chapter_id": "n.chapter_id", "article_id": "n.article_id"}, {}),
    "by_category": _needs_by({"category_id": "n.category_id"}, {}),
    "by_subcategory": _needs_by(
        {"subcategory_id": "n.subcategory_id"}, {}, where="AND n.subcategory_id IS NOT NULL"
    ),
    # A need has a theme at most once, so its count per review is a count of distinct needs.
    "by_theme": _needs_by(
        {"theme_id": "t.theme_id"}, {}, join="JOIN needs_need_themes t ON t.need_id = n.id"
    ),
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
