"""What the apps' migrations share."""

from django.db import migrations


def on_postgresql(forward: list[str], backward: list[str]) -> migrations.RunPython:
    """SQL statements run on PostgreSQL only (triggers, GIN indexes, extensions), one after
    the other, and undone by `backward`. SQLite, the embedded default, has none of these:
    its search matches words with icontains, and the services check what the triggers
    check."""

    def run(statements):
        def apply(apps, schema_editor):
            if schema_editor.connection.vendor == "postgresql":
                for statement in statements:
                    schema_editor.execute(statement, params=None)

        return apply

    return migrations.RunPython(run(forward), run(backward), elidable=False)
