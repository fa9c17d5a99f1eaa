"""Importing 100,000 needs with the application's import, next to a bare COPY of the same rows.

The file is made from the database's own reviews and reference data (deterministic, every
row valid and new), imported by `needs.imports.import_needs` as a staff member would (the
checks, duplicate detection, bulk writes and history), and then copied as it is into a
scratch table with PostgreSQL COPY: the floor of getting those rows into the database. Both
run inside a transaction that is rolled back, so the database stays as generated; before
the rollback, `SET CONSTRAINTS ALL IMMEDIATE` runs the foreign-key checks that PostgreSQL
defers to the commit, so the import's time is what a committed import costs. The ratio is
the import's rows/s over COPY's.

Bare COPY writes no index, runs no trigger and checks no key, so no import that keeps its
checks can come near it. Next to it stands the floor of a checked import: the rows the import
stored (needs, their themes, their history and its themes), dumped before the rollback and
copied back with COPY into the same tables, with their indexes, triggers and constraints,
keys checked before the time is taken. `floor_ratio` is the import's rows/s over that.

The least of that floor no check can do without: the needs alone copied into their table with
only what checks them (primary key, unique ref, check constraints, foreign keys), no index for
reading, no search column, no themes and no history. `checks_ratio` is its rows/s over bare
COPY's: when it is under the ratio aimed at, no import that keeps its checks reaches that aim.
"""

import csv
import io
import random
import time

from django.db import connection, transaction

from core.models import User
from demo.scale_data import STAFF_USERNAME
from needs.imports import NEED_COLUMNS, HistoricalNeed, HistoricalThemeLink, ThemeLink, import_needs
from needs.models import Category, Need, Priority, Status, Subcategory, Theme
from reviews.models import Article, Chapter, Review

ROWS = 100_000
SEED = 10_000
FILENAME = "benchmark-import.csv"


def import_file(rows: int = ROWS, seed: int = SEED) -> bytes:
    """A CSV file of `rows` new needs in the import format of PRODUCT.md section 4."""
    rng = random.Random(seed)
    reviews = list(
        Review.objects.filter(self_assessment_submitted__isnull=False)
        .select_related("state")
        .order_by("state__iso3", "cycle")
    )
    chapters = {
        cycle: list(Chapter.objects.filter(reviewed_in_cycle=cycle).order_by("number"))
        for cycle in (1, 2)
    }
    articles = {
        chapter.pk: [None, *Article.objects.filter(chapter=chapter).order_by("number")]
        for cycle_chapters in chapters.values()
        for chapter in cycle_chapters
    }
    categories = list(Category.objects.order_by("position"))
    subcategories = {
        category.pk: [None, *Subcategory.objects.filter(category=category).order_by("position")]
        for category in categories
    }
    themes = [theme.code for theme in Theme.objects.order_by("position")]
    buffer = io.StringIO()
    # By column name, so that a column the format gains is left empty rather than shifting
    # the others (restval).
    out = csv.DictWriter(buffer, NEED_COLUMNS, restval="", lineterminator="\n")
    out.writeheader()
    for number in range(1, rows + 1):
        review = rng.choice(reviews)
        chapter = rng.choice(chapters[review.cycle])
        article = rng.choice(articles[chapter.pk])
        category = rng.choice(categories)
        subcategory = rng.choice(subcategories[category.pk])
        out.writerow(
            {
                "state": review.state.iso3,
                "cycle": review.cycle,
                "chapter": chapter.roman,
                "article": article.number if article else "",
                "category": category.code,
                "subcategory": subcategory.code if subcategory else "",
                "themes": ";".join(rng.sample(themes, rng.randint(0, 2))),
                "description": f"Benchmark import row {number}: assistance with "
                f"{category.label.lower()} on chapter {chapter.roman}.",
                "priority": rng.choice([*Priority.values, ""]),
                "status": rng.choice([Status.UNMET, Status.IN_PROGRESS]),
                "identified_on": f"2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                "source_paragraph": f"para. {rng.randint(1, 120)}",
            }
        )
    return buffer.getvalue().encode()


def _copy_floor(data: bytes) -> float:
    columns = ", ".join(f"{name} text" for name in NEED_COLUMNS)
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TEMPORARY TABLE benchmark_import_scratch ({columns})")
        started = time.perf_counter()
        cursor.cursor.copy_expert(
            "COPY benchmark_import_scratch FROM STDIN WITH (FORMAT csv, HEADER true)",
            io.BytesIO(data),
        )
        return time.perf_counter() - started


# Every table the import writes, in the order a checked copy of its rows can follow.
WRITTEN_MODELS = (Need, ThemeLink, HistoricalNeed, HistoricalThemeLink)


def _last_keys(cursor) -> dict:
    last = {}
    for model in WRITTEN_MODELS:
        meta = model._meta
        cursor.execute(f"SELECT COALESCE(MAX({meta.pk.column}), 0) FROM {meta.db_table}")
        last[model] = cursor.fetchone()[0]
    return last


def _dump_written(cursor, last_keys: dict) -> dict:
    """The rows the import wrote, table by table, in COPY's text format."""
    dumps = {}
    for model, last in last_keys.items():
        meta = model._meta
        buffer = io.BytesIO()
        cursor.cursor.copy_expert(
            f"COPY (SELECT * FROM {meta.db_table} WHERE {meta.pk.column} > {int(last)}) TO STDOUT",
            buffer,
        )
        dumps[model] = buffer.getvalue()
    return dumps


def _checked_copy_floor(dumps: dict) -> float:
    with connection.cursor() as cursor:
        started = time.perf_counter()
        for model, data in dumps.items():
            cursor.cursor.copy_expert(f"COPY {model._meta.db_table} FROM STDIN", io.BytesIO(data))
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        return time.perf_counter() - started


# The trigger that fills the needs' search column (needs/migrations/0011).
SEARCH_TRIGGER = "needs_need_search_vector_update"
# The indexes of a table that back none of its constraints: those that serve reading only.
READING_INDEXES = """
    SELECT index.relname FROM pg_index JOIN pg_class index ON index.oid = pg_index.indexrelid
    WHERE pg_index.indrelid = %s::regclass
      AND NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conindid = pg_index.indexrelid)
"""


def _checks_only_floor(need_rows: bytes) -> float:
    table = Need._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(READING_INDEXES, [table])
        for (index,) in cursor.fetchall():
            cursor.execute(f'DROP INDEX "{index}"')
        cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER {SEARCH_TRIGGER}")
        started = time.perf_counter()
        cursor.cursor.copy_expert(f"COPY {table} FROM STDIN", io.BytesIO(need_rows))
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        return time.perf_counter() - started


def run(rows: int = ROWS) -> dict:
    data = import_file(rows)
    staff = User.objects.get(username=STAFF_USERNAME)
    with transaction.atomic():
        with connection.cursor() as cursor:
            last_keys = _last_keys(cursor)
        started = time.perf_counter()
        result = import_needs(data=data, filename=FILENAME, user=staff, dry_run=False)
        checked = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        import_seconds = time.perf_counter() - started
        constraints_seconds = time.perf_counter() - checked
        with connection.cursor() as cursor:
            dumps = _dump_written(cursor, last_keys)
        transaction.set_rollback(True)
    with transaction.atomic():
        copy_seconds = _copy_floor(data)
        transaction.set_rollback(True)
    with transaction.atomic():
        floor_seconds = _checked_copy_floor(dumps)
        transaction.set_rollback(True)
    with transaction.atomic():
        checks_seconds = _checks_only_floor(dumps[Need])
        transaction.set_rollback(True)
    problems = [str(problem) for problem in [*result.problems, *result.duplicates][:5]]
    return {
        "rows": rows,
        "written": result.written,
        "created": result.created,
        "problems": ([result.file_error] if result.file_error else []) + problems,
        "import_s": import_seconds,
        "constraints_s": constraints_seconds,
        "import_rows_per_s": rows / import_seconds,
        "copy_s": copy_seconds,
        "copy_rows_per_s": rows / copy_seconds,
        "ratio": copy_seconds / import_seconds,
        "stored_rows": {model._meta.db_table: data.count(b"\n") for model, data in dumps.items()},
        "floor_s": floor_seconds,
        "floor_rows_per_s": rows / floor_seconds,
        "floor_ratio": floor_seconds / import_seconds,
        "checks_s": checks_seconds,
        "checks_rows_per_s": rows / checks_seconds,
        "checks_ratio": copy_seconds / checks_seconds,
    }
