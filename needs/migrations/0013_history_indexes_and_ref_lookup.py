"""Indexes where the reads are (issue 16):

- the history's copies of `follows`, and of the need and theme of each themes' link, lose
  their indexes: history is read by entry, and every index costs each entry an import
  writes;
- a need's reference typed in any case is found through an index on UPPER(ref) (the
  activities' need filter and a link's form read every need before, 335 ms at 100 times
  today's volume);
- PostgreSQL's LIKE index on `ref` (varchar_pattern_ops, which Django adds to every unique
  text column) goes, so that an import maintains as many indexes as before: only the
  demo's check for its own needs (`ref` starting with its prefix) matched it."""

import django.db.models.deletion
import django.db.models.functions.text
from django.conf import settings
from django.db import migrations, models

from core.migration_operations import on_postgresql

LIKE_INDEX = "needs_need_ref_62b6807a_like"


class Migration(migrations.Migration):

    dependencies = [
        ('needs', '0012_need_review_search_index'),
        ('reviews', '0003_review_documents'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name='historicalneed',
            name='follows',
            field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, help_text="The need of the State's earlier cycle that this need carries on.", null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='needs.need', verbose_name='follows'),
        ),
        migrations.AlterField(
            model_name='historicalneed_themes',
            name='need',
            field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='needs.need'),
        ),
        migrations.AlterField(
            model_name='historicalneed_themes',
            name='theme',
            field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='needs.theme'),
        ),
        migrations.AddIndex(
            model_name='need',
            index=models.Index(django.db.models.functions.text.Upper('ref'), name='need_ref_upper'),
        ),
        on_postgresql(
            [f"DROP INDEX IF EXISTS {LIKE_INDEX}"],
            [f"CREATE INDEX IF NOT EXISTS {LIKE_INDEX} ON needs_need (ref varchar_pattern_ops)"],
        ),
    ]
