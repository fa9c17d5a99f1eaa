"""The tables an import of needs writes carry no index another index already serves (needs
0011, 0013, 0014): each one costs every row written, and reads by its columns use the wider
index."""

import pytest
from django.db import connection

from needs.imports import HistoricalNeed, HistoricalThemeLink, ThemeLink
from needs.models import Need

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's catalogue"),
]

IMPORTED_MODELS = (Need, ThemeLink, HistoricalNeed, HistoricalThemeLink)

# Pairs of B-tree indexes on one table where the first's columns, with the same operator
# classes, begin the second's: the first serves nothing the second does not.
COVERED_INDEXES = """
    SELECT covered.relname, wider.relname
    FROM pg_index a
    JOIN pg_index b ON b.indrelid = a.indrelid AND b.indexrelid <> a.indexrelid
    JOIN pg_class covered ON covered.oid = a.indexrelid
    JOIN pg_class wider ON wider.oid = b.indexrelid
    WHERE a.indrelid = %s::regclass
      AND covered.relam = (SELECT oid FROM pg_am WHERE amname = 'btree')
      AND wider.relam = covered.relam
      AND NOT a.indisunique
      AND a.indexprs IS NULL AND b.indexprs IS NULL
      AND a.indpred IS NULL AND b.indpred IS NULL
      AND (b.indkey::text || ' ') LIKE (a.indkey::text || ' %%')
      AND (b.indclass::text || ' ') LIKE (a.indclass::text || ' %%')
"""


@pytest.mark.parametrize("model", IMPORTED_MODELS, ids=lambda model: model._meta.db_table)
def test_no_index_is_served_by_another(model):
    with connection.cursor() as cursor:
        cursor.execute(COVERED_INDEXES, [model._meta.db_table])
        assert cursor.fetchall() == []


def test_a_needs_themes_are_read_through_the_unique_index(published_need):
    queryset = ThemeLink.objects.filter(need=published_need).values("theme")
    with connection.cursor() as cursor:
        # On a few rows reading the table is as cheap; with that ruled out, an index on the
        # need must answer, and the one left is the unique (need, theme).
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = queryset.explain()
    assert "need_id_theme_id" in plan, plan
