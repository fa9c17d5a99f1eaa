"""ImportJob moved from `needs` to `core` (core 0006, needs 0006): a database that already
holds jobs keeps them, and the move can be undone."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db

BEFORE = [("core", "0005_data_version"), ("needs", "0005_need_search_vector")]


def migrate(targets=None):
    """Migrate the test database to `targets` (default: every app's last migration); returns
    the models as they are there."""
    executor = MigrationExecutor(connection)
    targets = targets or executor.loader.graph.leaf_nodes()
    # Rows written in this test transaction must be checked before a table is altered.
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("altering tables inside the test's transaction needs PostgreSQL")


def test_jobs_stored_before_the_move_are_kept(postgresql, staff):
    old = migrate(BEFORE).get_model("needs", "ImportJob")
    stored = old.objects.create(
        kind="needs",
        filename="old.csv",
        data=b"ref,description\n",
        size=16,
        status="checked",
        rows=3,
        seen_versions={"KEN-1": 2},
        created_by_id=staff.pk,
    )

    new = migrate().get_model("core", "ImportJob")

    job = new.objects.get(pk=stored.pk)
    assert (job.kind, job.filename, bytes(job.data), job.status, job.rows) == (
        "needs",
        "old.csv",
        b"ref,description\n",
        "checked",
        3,
    )
    assert (job.seen_versions, job.created_by_id) == ({"KEN-1": 2}, staff.pk)
    assert new._meta.db_table == "core_importjob"
    ContentType.objects.clear_cache()
    assert ContentType.objects.filter(model="importjob").get().app_label == "core"
    # A new kind needs no change to the database.
    new.objects.create(kind="activities", filename="a.csv", data=b"", created_by_id=staff.pk)


def test_the_move_can_be_undone(postgresql, staff):
    migrate()
    from core.models import ImportJob

    kept = ImportJob.objects.create(kind="needs", filename="n.csv", data=b"x", created_by=staff)

    old = migrate(BEFORE).get_model("needs", "ImportJob")

    assert old.objects.get(pk=kept.pk).filename == "n.csv"
    migrate()
    ContentType.objects.clear_cache()
