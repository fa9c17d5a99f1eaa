"""GIN index for the full-text search of need descriptions (catalogue and need lists).

The expression is exactly what `needs.filters.NeedFilterSet.search` compiles to on PostgreSQL
(`SearchVector("description", config="english")`), so that the planner can use the index;
`tests/assistance/test_catalogue_search.py` checks that it does. SQLite has no such index:
its search falls back to `icontains`.
"""

from django.db import migrations

from core.migration_operations import on_postgresql

INDEX_NAME = "needs_need_description_fts"
CREATE = (
    f"CREATE INDEX IF NOT EXISTS {INDEX_NAME} ON needs_need "
    "USING gin (to_tsvector('english'::regconfig, COALESCE(description, '')))"
)
DROP = f"DROP INDEX IF EXISTS {INDEX_NAME}"


class Migration(migrations.Migration):
    dependencies = [
        ("assistance", "0002_initial"),
        ("needs", "0002_load_reference_data"),
    ]

    operations = [on_postgresql([CREATE], [DROP])]
