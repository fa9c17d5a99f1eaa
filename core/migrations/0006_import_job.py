"""ImportJob moves from `needs` to `core` (the import pipeline is the platform's now), with
its rows: the model is taken over as it stands in the database (`needs_importjob`), then its
table is renamed. The check on `kind` goes: the kinds are those the apps register
(`core.imports.registry`), checked when a job starts. `needs` 0006 drops its own copy of the
model from the migration state, without touching the table."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

STATUSES = ["checking", "checked", "rejected", "importing", "done", "failed"]


def move_content_type(apps, schema_editor, source="needs", target="core"):
    """The model's content type (and so its permissions) follows it."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label=target, model="importjob").exists():
        ContentType.objects.filter(app_label=source, model="importjob").update(app_label=target)


def move_content_type_back(apps, schema_editor):
    move_content_type(apps, schema_editor, source="core", target="needs")


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0005_data_version"),
        ("needs", "0005_need_search_vector"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ImportJob",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("kind", models.CharField(max_length=10)),
                        ("filename", models.CharField(max_length=255)),
                        ("data", models.BinaryField()),
                        ("size", models.PositiveIntegerField(default=0)),
                        (
                            "allow_duplicates",
                            models.BooleanField(
                                default=False,
                                help_text="Import rows reported as probable duplicates anyway.",
                            ),
                        ),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("checking", "Checking the file"),
                                    ("checked", "Checked: ready to import"),
                                    ("rejected", "Rejected: nothing imported"),
                                    ("importing", "Importing"),
                                    ("done", "Imported"),
                                    ("failed", "Failed: nothing imported"),
                                ],
                                default="checking",
                                max_length=10,
                            ),
                        ),
                        ("language", models.CharField(blank=True, max_length=10)),
                        ("in_worker", models.BooleanField(default=False)),
                        ("stage", models.CharField(blank=True, max_length=20)),
                        ("processed_rows", models.PositiveIntegerField(default=0)),
                        ("total_rows", models.PositiveIntegerField(default=0)),
                        ("rows", models.PositiveIntegerField(default=0)),
                        ("created_count", models.PositiveIntegerField(default=0)),
                        ("updated_count", models.PositiveIntegerField(default=0)),
                        ("unchanged_count", models.PositiveIntegerField(default=0)),
                        ("file_error", models.TextField(blank=True)),
                        ("problems", models.JSONField(blank=True, default=list)),
                        ("duplicates", models.JSONField(blank=True, default=list)),
                        ("seen_versions", models.JSONField(blank=True, default=dict)),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("started_at", models.DateTimeField(blank=True, null=True)),
                        ("finished_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "created_by",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "db_table": "needs_importjob",
                        "ordering": ["-created_at", "-id"],
                        "constraints": [
                            models.CheckConstraint(
                                condition=models.Q(("status__in", STATUSES)),
                                name="import_job_status_valid",
                            ),
                            models.CheckConstraint(
                                condition=models.Q(("kind__in", ["reviews", "needs"])),
                                name="import_job_kind_valid",
                            ),
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RemoveConstraint(model_name="importjob", name="import_job_kind_valid"),
        migrations.AlterModelTable(name="importjob", table=None),
        migrations.RunPython(move_content_type, move_content_type_back),
    ]
