"""The benchmark's throwaway databases: dropped at the end of a run, and one that cannot be
dropped is reported without losing the run's measurements (a run once ended in a traceback
after eight minutes, on a process its role may not terminate)."""

import psycopg2
import pytest
from django.db import connection

from benchmarks.__main__ import Databases

SUPERUSER = "postgres"


def server_url(user: str, password: str, database: str) -> str:
    settings = connection.settings_dict
    return f"postgresql://{user}:{password}@{settings['HOST']}:{settings['PORT']}/{database}"


def exists(cursor, name: str) -> bool:
    cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
    return cursor.fetchone() is not None


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the benchmark needs PostgreSQL")
def test_a_database_that_cannot_be_dropped_is_reported_and_the_others_are_dropped(capsys):
    settings = connection.settings_dict
    try:
        admin = psycopg2.connect(server_url(SUPERUSER, "", "postgres"))
    except psycopg2.OperationalError:
        pytest.skip("needs the server's superuser, as the test command's own server has")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = %s", [settings["USER"]])
        if cursor.fetchone()[0]:
            pytest.skip("needs a role that is not a superuser, as the benchmark's is")
    # Named after the test database, as the benchmark's are after DATABASE_URL's.
    databases = Databases(
        server_url(settings["USER"], settings["PASSWORD"], settings["NAME"]), [1, 100]
    )
    kept, held_open = databases.names[1], databases.names[100]
    databases.create(kept)
    databases.create(held_open)
    # A superuser's connection, which the benchmark's role may not terminate.
    holder = psycopg2.connect(server_url(SUPERUSER, "", held_open))
    try:
        databases.drop_all()
        with admin.cursor() as cursor:
            assert not exists(cursor, kept)
            assert exists(cursor, held_open)
    finally:
        holder.close()
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{held_open}"')
            cursor.execute(f'DROP DATABASE IF EXISTS "{kept}"')
        admin.close()
    assert f"Could not drop {held_open}" in capsys.readouterr().out
