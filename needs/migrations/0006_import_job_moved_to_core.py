"""ImportJob now belongs to `core` (see core 0005, which takes over its table and rows): it
leaves the migration state of `needs`, and the database is not touched."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("needs", "0005_need_search_vector"),
        ("core", "0006_import_job"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="ImportJob")],
            database_operations=[],
        ),
    ]
