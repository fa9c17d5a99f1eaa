"""Two indexes on the themes' links that no read uses go (issue 16):

- `needs_need_themes (need_id)`: the unique (need_id, theme_id) index that Django adds to
  every many-to-many table starts with the need, so it serves every read by need (a need's
  themes, the themes' prefetch, deleting a need);
- `needs_historicalneed_themes (id)`: the themes' history keeps the link's id but is read by
  entry (`history_id`) only.

Each cost every theme an import writes and its history entry: 0.15-0.25 s of an import of
100,000 needs (10 s) on an idle machine. Django names these indexes by its own rule, the same
for every database, and PostgreSQL only is tuned here, like the LIKE index of 0013."""

from django.db import migrations

from core.migration_operations import on_postgresql

INDEXES = {
    "needs_need_themes_need_id_603002cd": "needs_need_themes (need_id)",
    "needs_historicalneed_themes_id_3f0103a4": "needs_historicalneed_themes (id)",
}


class Migration(migrations.Migration):
    dependencies = [
        ("needs", "0013_history_indexes_and_ref_lookup"),
    ]

    operations = [
        on_postgresql(
            [f"DROP INDEX IF EXISTS {name}" for name in INDEXES],
            [f"CREATE INDEX IF NOT EXISTS {name} ON {target}" for name, target in INDEXES.items()],
        ),
    ]
