"""The import benchmark's file is a valid import of new needs in today's format, its COPY floor
reads the same file (a column added to the format broke both once), and its checked floor
copies back every row the import stored, and the least of that floor copies the needs with
what checks them and nothing else."""

import io

import psycopg2
import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction

from benchmarks import imports
from needs.models import Need

pytestmark = pytest.mark.django_db


def test_the_benchmark_imports_every_row_and_copies_the_same_file():
    call_command("generate_scale_data", "--scale", "0.02", stdout=io.StringIO())
    needs_before = Need.objects.count()

    result = imports.run(rows=200)

    assert result["problems"] == []
    assert result["written"] and result["created"] == 200
    assert result["copy_s"] > 0 and result["ratio"] > 0
    stored = result["stored_rows"]
    assert stored[Need._meta.db_table] == 200
    assert stored[Need.history.model._meta.db_table] == 200  # one history entry a need
    assert result["floor_s"] > 0 and result["floor_ratio"] > 0
    assert result["checks_s"] > 0 and result["checks_ratio"] > 0
    assert Need.objects.count() == needs_before  # both ran in a transaction rolled back


def _copied_need(**changes: bytes) -> bytes:
    """A need of the database in COPY's text format, with new values for some columns."""
    with connection.cursor() as cursor:
        query = "SELECT * FROM needs_need ORDER BY id LIMIT 1"
        cursor.execute(query)
        columns = [column.name for column in cursor.description]
        buffer = io.BytesIO()
        cursor.cursor.copy_expert(f"COPY ({query}) TO STDOUT", buffer)
    values = buffer.getvalue().rstrip(b"\n").split(b"\t")
    for column, value in changes.items():
        values[columns.index(column)] = value
    return b"\t".join(values) + b"\n"


def test_the_least_floor_still_checks_the_needs_keys():
    call_command("generate_scale_data", "--scale", "0.02", stdout=io.StringIO())
    new = {"id": b"999999999", "ref": b"BENCH-CHECKS"}

    with transaction.atomic():
        assert imports._checks_only_floor(_copied_need(**new)) > 0
        transaction.set_rollback(True)
    # The foreign keys are checked by Django's cursor (SET CONSTRAINTS), the unique ref by
    # psycopg2's (COPY).
    with pytest.raises(IntegrityError, match="review_id"), transaction.atomic():
        imports._checks_only_floor(_copied_need(**new, review_id=b"999999999"))
    with pytest.raises(psycopg2.IntegrityError, match="needs_need_ref_key"), transaction.atomic():
        imports._checks_only_floor(_copied_need(id=b"999999999"))
