from django.db import migrations


def load(apps, schema_editor):
    from translations.reference_data import load_translations

    load_translations(apps.get_model("translations", "ReferenceTranslation"))


class Migration(migrations.Migration):
    dependencies = [("translations", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
