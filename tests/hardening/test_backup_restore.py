"""Backup and restore with the documented command pair (scripts/backup.sh, scripts/restore.sh):
the demo data, dumped with the real pg_dump and restored into an empty PostgreSQL database,
has the same rows in every table and gives the same dashboard figures."""

import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg2
import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from demo.demo import DEMO_REF_PREFIX
from needs.models import Need

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(
    not settings.IS_POSTGRES, reason="backup.sh uses pg_dump on PostgreSQL; CI runs PostgreSQL"
)

PRINT_FIGURES = """
import json, django
django.setup()
from dashboard.selectors import compute_figures
figures = compute_figures()
print(json.dumps({f"{cycle}/{scope}": data for (cycle, scope), data in figures.items()},
                 sort_keys=True, default=str))
"""


def database_url(name: str) -> str:
    """The URL of database `name` on the test server, with the test run's credentials."""
    db = settings.DATABASES["default"]
    credentials = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    netloc = f"{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    return urlunsplit(("postgresql", netloc, f"/{name}", "", ""))


def admin_connection():
    db = settings.DATABASES["default"]
    parts = urlsplit(database_url("postgres"))
    conn = psycopg2.connect(
        dbname="postgres",
        user=db["USER"],
        password=db["PASSWORD"] or None,
        host=parts.hostname,
        port=parts.port,
    )
    conn.autocommit = True
    return conn


def run_script(script: str, *args: str, database: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": database_url(database)}
    return subprocess.run(
        [str(ROOT / "scripts" / script), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def row_counts(name: str) -> dict[str, int]:
    """Rows in every table of every installed model (history, through tables included)."""
    tables = sorted({model._meta.db_table for model in apps.get_models(include_auto_created=True)})
    with psycopg2.connect(database_url(name)) as conn, conn.cursor() as cursor:
        counts = {}
        for table in tables:
            cursor.execute(f'SELECT count(*) FROM "{table}"')
            counts[table] = cursor.fetchone()[0]
    conn.close()
    return counts


def dashboard_figures(name: str) -> dict:
    env = {**os.environ, "DATABASE_URL": database_url(name)}
    result = subprocess.run(
        [sys.executable, "-c", PRINT_FIGURES],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture
def empty_database():
    """A new, empty database on the same server, dropped after the test."""
    name = f"{connection.settings_dict['NAME']}_restore"
    admin = admin_connection()
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    try:
        yield name
    finally:
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


@pytest.fixture
def demo_data(transactional_db):
    """The demo data, committed, so that pg_dump (another connection) sees it."""
    call_command("load_demo", verbosity=0)
    assert Need.objects.filter(ref__startswith=DEMO_REF_PREFIX).count() > 1000
    # The figures now, not by the worker's recomputation that the load queued: that one
    # could land between the dump and the row count (it finds them fresh and does nothing).
    call_command("recompute_aggregates", verbosity=0)
    connection.close()  # pg_dump's snapshot must not wait for anything of ours
    return connection.settings_dict["NAME"]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_demo_data_comes_back_whole_from_a_backup(demo_data, empty_database, tmp_path):
    backup_file = tmp_path / "tracker.dump"

    backup = run_script("backup.sh", str(backup_file), database=demo_data)
    assert backup.returncode == 0, backup.stderr
    assert backup.stdout.strip() == str(backup_file)
    assert backup_file.stat().st_size > 100_000
    assert not list(tmp_path.glob(".partial-*"))

    restore = run_script("restore.sh", str(backup_file), database=empty_database)
    assert restore.returncode == 0, restore.stderr

    original_counts = row_counts(demo_data)
    assert original_counts["needs_need"] > 1000
    assert original_counts["needs_historicalneed"] >= original_counts["needs_need"]
    assert row_counts(empty_database) == original_counts
    original_figures = dashboard_figures(demo_data)
    assert original_figures["2/all"]["totals"]["needs"] > 0
    assert dashboard_figures(empty_database) == original_figures


def test_restore_refuses_a_database_that_is_not_empty(django_db_setup, empty_database, tmp_path):
    backup_file = tmp_path / "tracker.dump"
    test_database = connection.settings_dict["NAME"]
    assert run_script("backup.sh", str(backup_file), database=test_database).returncode == 0
    assert run_script("restore.sh", str(backup_file), database=empty_database).returncode == 0
    counts = row_counts(empty_database)

    again = run_script("restore.sh", str(backup_file), database=empty_database)

    assert again.returncode != 0
    assert "already has" in again.stderr and "--clean" in again.stderr
    assert row_counts(empty_database) == counts


def test_restore_refuses_a_file_that_is_not_a_backup(empty_database, tmp_path):
    not_a_backup = tmp_path / "notes.dump"
    not_a_backup.write_text("name,cycle\nKEN,2\n")

    result = run_script("restore.sh", str(not_a_backup), database=empty_database)

    assert result.returncode != 0
    assert "is not a PostgreSQL custom-format dump" in result.stderr
    with psycopg2.connect(database_url(empty_database)) as conn, conn.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
        assert cursor.fetchone()[0] == 0
    conn.close()
