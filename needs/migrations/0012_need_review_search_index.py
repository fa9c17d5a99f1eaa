"""The search words indexed together with the review (issue 16, a search as fast at 100 times
today's volume): lists are read review by review (core.paging), and a search within a
review intersected the review's needs with every need that has the word, 150,725 of them
for "training" at scale 100 (21 ms, growing with the data). A GIN index on (review, search
words) skips through the word's needs to the review's few (0.2 ms).

GIN indexes a plain column through the btree_gin extension, shipped with PostgreSQL and
trusted: the database's owner may create it. Going back leaves the extension in place, as
other objects may use it. The index replaces the one on the search words alone (0005): a
search without a review uses its second column as well."""

from django.db import migrations

from core.migration_operations import on_postgresql

INDEX = "need_review_search"
WORDS_INDEX = "needs_need_search_vector_gin"

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS btree_gin",
    f"CREATE INDEX IF NOT EXISTS {INDEX} ON needs_need USING gin (review_id, search_vector)",
    f"DROP INDEX IF EXISTS {WORDS_INDEX}",
]
BACKWARD = [
    f"CREATE INDEX IF NOT EXISTS {WORDS_INDEX} ON needs_need USING gin (search_vector)",
    f"DROP INDEX IF EXISTS {INDEX}",
]


class Migration(migrations.Migration):
    dependencies = [("needs", "0011_import_triggers_and_indexes")]

    operations = [
        on_postgresql(FORWARD, BACKWARD),
    ]
