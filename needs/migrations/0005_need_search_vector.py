"""A stored full-text document of each need's description, kept by a trigger, GIN-indexed.

The search used to match an expression index (assistance/0003) on
`to_tsvector('english', description)`; joined with the catalogue's other filters, PostgreSQL
recomputed that expression for every candidate row instead, which took seconds at 100 times
today's volume. A stored column is read, not recomputed. The trigger (PostgreSQL's own
`tsvector_update_trigger`) fills it on every insert and update, including the imports'
COPY, so no code path can forget it. SQLite keeps the column empty and searches with
icontains.
"""

import django.contrib.postgres.search
from django.db import migrations

from core.migration_operations import on_postgresql

TRIGGER = "needs_need_search_vector_update"
INDEX = "needs_need_search_vector_gin"
OLD_EXPRESSION_INDEX = "needs_need_description_fts"

FORWARD = [
    f"CREATE TRIGGER {TRIGGER} BEFORE INSERT OR UPDATE ON needs_need FOR EACH ROW "
    "EXECUTE FUNCTION tsvector_update_trigger(search_vector, 'pg_catalog.english', description)",
    # Fires the trigger once for every existing row.
    "UPDATE needs_need SET description = description",
    f"CREATE INDEX IF NOT EXISTS {INDEX} ON needs_need USING gin (search_vector)",
    f"DROP INDEX IF EXISTS {OLD_EXPRESSION_INDEX}",
]
BACKWARD = [
    f"CREATE INDEX IF NOT EXISTS {OLD_EXPRESSION_INDEX} ON needs_need "
    "USING gin (to_tsvector('english'::regconfig, COALESCE(description, '')))",
    f"DROP INDEX IF EXISTS {INDEX}",
    f"DROP TRIGGER IF EXISTS {TRIGGER} ON needs_need",
]


class Migration(migrations.Migration):
    dependencies = [
        ("needs", "0004_verbose_names_and_import_language"),
        ("assistance", "0003_need_description_search_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="need",
            name="search_vector",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        on_postgresql(FORWARD, BACKWARD),
    ]
