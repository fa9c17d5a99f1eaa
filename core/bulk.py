"""Writing the tens of thousands of rows of a big import without the ORM's cost per row."""

import datetime
import io
import re

from django.db import connection
from django.db.models import Field, Lookup

BATCH_SIZE = 2000


@Field.register_lookup
class AnyOf(Lookup):
    """`field__any=values`: `field__in` for tens of thousands of values. On PostgreSQL the
    values go as one array parameter (`= ANY(%s)`): Django takes seconds to build, and
    PostgreSQL to parse, a placeholder per value."""

    lookup_name = "any"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        values = list(self.rhs)
        if not values:
            return "1 = 0", []
        if connection.vendor == "postgresql":
            return f"{lhs} = ANY(%s::{_array_type(values)})", [*lhs_params, _array(values)]
        return f"{lhs} IN ({', '.join(['%s'] * len(values))})", [*lhs_params, *values]


def _array_type(values: list) -> str:
    return "bigint[]" if all(isinstance(value, int) for value in values) else "text[]"


def _array(values: list) -> str:
    """An array as one literal: psycopg2 would send `ARRAY[...]`, an expression per element,
    which PostgreSQL takes seconds to parse for 100,000 elements."""
    if _array_type(values) == "bigint[]":
        return "{" + ",".join(map(str, values)) + "}"
    quoted = ('"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"' for value in values)
    return "{" + ",".join(quoted) + "}"


def insert_rows(model, rows: list[dict]) -> list[int]:
    """Insert rows ({attname: value}; each gets its primary key) and return the keys, in order.

    On PostgreSQL with COPY, keys drawn from the table's sequence first: a tenth of the
    time bulk_create takes for the tens of thousands of rows of a big import. Elsewhere
    (SQLite for a quick local look) with bulk_create.
    """
    if not rows:
        return []
    if connection.vendor != "postgresql":
        created = model.objects.bulk_create([model(**row) for row in rows], batch_size=BATCH_SIZE)
        return [obj.pk for obj in created]
    meta = model._meta
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [meta.db_table, meta.pk.column, len(rows)],
        )
        ids = [row[0] for row in cursor.fetchall()]
        for pk, row in zip(ids, rows, strict=True):
            row[meta.pk.attname] = pk
        _copy(cursor, meta.db_table, meta.concrete_fields, rows)
    return ids


def update_objects(model, objs: list, field_names: list[str]) -> None:
    """Save `field_names` of `objs`: on PostgreSQL by COPY into a temporary table and one
    UPDATE ... FROM (bulk_update's CASE expressions cost minutes for tens of thousands of
    rows); elsewhere with bulk_update."""
    if not objs:
        return
    if connection.vendor != "postgresql":
        model.objects.bulk_update(objs, field_names, batch_size=500)
        return
    meta = model._meta
    fields = [meta.pk, *(meta.get_field(name) for name in field_names)]
    quote = connection.ops.quote_name
    staging = quote(f"import_staging_{meta.db_table}")
    columns = ", ".join(quote(f.column) for f in fields)
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMPORARY TABLE {staging} ON COMMIT DROP AS "
            f"SELECT {columns} FROM {quote(meta.db_table)} WITH NO DATA"
        )
        _copy(
            cursor,
            staging,
            fields,
            [{f.attname: getattr(obj, f.attname) for f in fields} for obj in objs],
        )
        assignments = ", ".join(
            f"{quote(f.column)} = staging.{quote(f.column)}" for f in fields[1:]
        )
        pk = quote(meta.pk.column)
        cursor.execute(
            f"UPDATE {quote(meta.db_table)} AS target SET {assignments} "
            f"FROM {staging} AS staging WHERE target.{pk} = staging.{pk}"
        )
        cursor.execute(f"DROP TABLE {staging}")


def stage_columns(cursor, table: str, columns: dict[str, tuple[str, list]], *, extra: str = ""):
    """Create the temporary `table` (dropped at commit) and COPY `columns` into it:
    {column: (SQL type, its values, one per row)}, built column by column (a list
    comprehension per column, not a call per value). `extra`: more column definitions, e.g.
    an id drawn from a sequence. Types: bigint, integer, text, date, bigint[] (PostgreSQL)."""
    quote = connection.ops.quote_name
    definitions = [extra] if extra else []
    definitions += [f"{quote(name)} {sql_type}" for name, (sql_type, _values) in columns.items()]
    cursor.execute(
        f"CREATE TEMPORARY TABLE {quote(table)} ({', '.join(definitions)}) ON COMMIT DROP"
    )
    texts = [COPY_COLUMN[sql_type](values) for sql_type, values in columns.values()]
    buffer = io.StringIO()
    buffer.writelines(line + "\n" for line in map("\t".join, zip(*texts, strict=True)))
    buffer.seek(0)
    names = ", ".join(quote(name) for name in columns)
    with connection.wrap_database_errors:
        cursor.copy_expert(f"COPY {quote(table)} ({names}) FROM STDIN", buffer)


def _copy_numbers(values: list) -> list[str]:
    return ["\\N" if value is None else str(value) for value in values]


def _copy_texts(values: list) -> list[str]:
    escape = COPY_SPECIALS.search
    return [
        "\\N" if value is None else (value.translate(COPY_ESCAPES) if escape(value) else value)
        for value in values
    ]


def _copy_dates(values: list) -> list[str]:
    return ["\\N" if value is None else value.isoformat() for value in values]


def _copy_number_arrays(values: list) -> list[str]:
    return [
        "\\N" if value is None else "{" + ",".join(map(str, sorted(value))) + "}"
        for value in values
    ]


def _copy(cursor, table: str, fields, rows: list[dict]) -> None:
    """COPY `rows` ({attname: value}) into the `fields` of `table` (PostgreSQL)."""
    quote = connection.ops.quote_name
    names = [f.attname for f in fields]
    buffer = io.StringIO()
    for row in rows:
        buffer.write("\t".join([_copy_text(row.get(name)) for name in names]))
        buffer.write("\n")
    buffer.seek(0)
    columns = ", ".join(quote(f.column) for f in fields)
    # COPY goes to the driver directly: wrap its errors as Django's, like execute().
    with connection.wrap_database_errors:
        cursor.copy_expert(f"COPY {quote(table)} ({columns}) FROM STDIN", buffer)


COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
COPY_SPECIALS = re.compile(r"[\\\t\n\r]")
COPY_COLUMN = {
    "bigint": _copy_numbers,
    "integer": _copy_numbers,
    "text": _copy_texts,
    "date": _copy_dates,
    "bigint[]": _copy_number_arrays,
}


def _copy_text(value) -> str:
    """A value in COPY's text format."""
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, str):
        return value.translate(COPY_ESCAPES) if COPY_SPECIALS.search(value) else value
    if isinstance(value, datetime.date):  # dates and datetimes
        return value.isoformat()
    return str(value)
