from django.db import migrations


def create_status_row(apps, schema_editor):
    FigureStatus = apps.get_model("dashboard", "FigureStatus")
    # Version 1 against no stored figures: the dashboard is stale until the first
    # recomputation (the periodic run, `recompute_aggregates`, or the first change).
    FigureStatus.objects.get_or_create(pk=1, defaults={"source_version": 1})


class Migration(migrations.Migration):
    dependencies = [("dashboard", "0001_initial")]

    operations = [migrations.RunPython(create_status_row, migrations.RunPython.noop)]
