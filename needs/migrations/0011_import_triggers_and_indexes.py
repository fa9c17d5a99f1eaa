"""Less work per need written, without dropping a check (issue 16, import speed):

- the single-column indexes on `review` and `category` go: the composite indexes that
  start with them serve every query that used them, and each index costs every insert;
- the follow-up trigger (0007) runs only for a need that follows another (it returned at
  once for the others, after a function call per row);
- the search column (0005) is recomputed when the description is written, not on every
  update of a need (status, coverage, confirmation)."""

import django.db.models.deletion
from django.db import migrations, models

from core.migration_operations import on_postgresql

FOLLOWS_TRIGGER = "needs_need_follows_earlier_cycle"
FOLLOWS_FUNCTION = "needs_need_follows_earlier_cycle_check"
SEARCH_TRIGGER = "needs_need_search_vector_update"
SEARCH_FUNCTION = "tsvector_update_trigger(search_vector, 'pg_catalog.english', description)"

FORWARD = [
    f"DROP TRIGGER IF EXISTS {FOLLOWS_TRIGGER} ON needs_need",
    f"CREATE TRIGGER {FOLLOWS_TRIGGER} BEFORE INSERT OR UPDATE OF follows_id, review_id "
    f"ON needs_need FOR EACH ROW WHEN (NEW.follows_id IS NOT NULL) "
    f"EXECUTE FUNCTION {FOLLOWS_FUNCTION}()",
    f"DROP TRIGGER IF EXISTS {SEARCH_TRIGGER} ON needs_need",
    f"CREATE TRIGGER {SEARCH_TRIGGER} BEFORE INSERT OR UPDATE OF description ON needs_need "
    f"FOR EACH ROW EXECUTE FUNCTION {SEARCH_FUNCTION}",
]
BACKWARD = [
    f"DROP TRIGGER IF EXISTS {FOLLOWS_TRIGGER} ON needs_need",
    f"CREATE TRIGGER {FOLLOWS_TRIGGER} BEFORE INSERT OR UPDATE OF follows_id, review_id "
    f"ON needs_need FOR EACH ROW EXECUTE FUNCTION {FOLLOWS_FUNCTION}()",
    f"DROP TRIGGER IF EXISTS {SEARCH_TRIGGER} ON needs_need",
    f"CREATE TRIGGER {SEARCH_TRIGGER} BEFORE INSERT OR UPDATE ON needs_need "
    f"FOR EACH ROW EXECUTE FUNCTION {SEARCH_FUNCTION}",
]


class Migration(migrations.Migration):
    dependencies = [
        ("needs", "0010_import_speed"),
        ("reviews", "0003_review_documents"),
    ]

    operations = [
        migrations.AlterField(
            model_name="need",
            name="category",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="needs",
                to="needs.category",
                verbose_name="category",
            ),
        ),
        migrations.AlterField(
            model_name="need",
            name="review",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="needs",
                to="reviews.review",
                verbose_name="review",
            ),
        ),
        on_postgresql(FORWARD, BACKWARD),
    ]
