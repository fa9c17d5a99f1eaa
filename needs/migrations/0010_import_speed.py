"""The needs' history keeps the indexes it is read by (need, entry, date, user) and drops
those simple_history put on its copies of `ref` and of the other foreign keys: nothing
reads history by them, and each one cost every entry written (an import of 100,000 needs
writes 100,000 entries). See `HISTORY_UNINDEXED` in needs/models.py."""

import django.db.models.deletion
import needs.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('needs', '0009_scale_indexes'),
        ('reviews', '0002_verbose_names'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name='historicalneed',
            name='article',
            field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, help_text='Empty for a need about the chapter in general.', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='reviews.article', verbose_name='article'),
        ),
        migrations.AlterField(
            model_name='historicalneed',
            name='category',
            field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='needs.category', verbose_name='category'),
        ),
        migrations.AlterField(
            model_name='historicalneed',
            name='chapter',
            field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='reviews.chapter', verbose_name='chapter'),
        ),
        migrations.AlterField(
            model_name='historicalneed',
            name='last_confirmed_by',
            field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='last confirmed by'),
        ),
        migrations.AlterField(
            model_name='historicalneed',
            name='proposed_by',
            field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='proposed by'),
        ),
        migrations.AlterField(
            model_name='historicalneed',
            name='ref',
            field=models.CharField(default=needs.models.new_need_ref, help_text='Stable reference.', max_length=40, verbose_name='ref'),
        ),
        migrations.AlterField(
            model_name='historicalneed',
            name='review',
            field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='reviews.review', verbose_name='review'),
        ),
        migrations.AlterField(
            model_name='historicalneed',
            name='subcategory',
            field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='needs.subcategory', verbose_name='subcategory'),
        ),
        migrations.AlterField(
            model_name='historicalneed',
            name='updated_by',
            field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='updated by'),
        ),
    ]
