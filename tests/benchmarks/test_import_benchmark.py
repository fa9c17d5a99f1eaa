"""The import benchmark's file is a valid import of new needs in today's format, its COPY floor
reads the same file (a column added to the format broke both once), and its checked floor
copies back every row the import stored."""

import io

import pytest
from django.core.management import call_command

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
    assert Need.objects.count() == needs_before  # both ran in a transaction rolled back
