"""Reading uploaded spreadsheets (CSV, XLSX) and writing exports, shared by every app.

Rows keep the number a spreadsheet shows (header = row 1, first data row = row 2), so every
problem can be reported as `row N: column: problem`.

Exports neutralise spreadsheet formulas: a text cell starting with = + - @ (or a tab or
carriage return) is written with a leading apostrophe, and `read_table` removes exactly that
apostrophe again, so export then import is a round trip.
"""

import csv
import datetime
import io
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.http import HttpResponse, StreamingHttpResponse
from django.utils.functional import Promise
from django.utils.translation import gettext as _

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
MAX_COLUMNS = 200
MAX_CELL_CHARS = 20_000
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class TableError(ValueError):
    """The file as a whole cannot be read; the message says why, for the person uploading."""


@dataclass
class Table:
    headers: list[str]
    rows: list[tuple[int, dict[str, str]]]  # (spreadsheet row number, {column: text})


def neutralise(value: str) -> str:
    if value and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def unneutralise(value: str) -> str:
    if len(value) > 1 and value[0] == "'" and value[1:].startswith(FORMULA_PREFIXES):
        return value[1:]
    return value


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _table(
    raw_rows: Iterator[list], expected: Iterable[str] | None, *, texts: bool = False
) -> Table:
    """`texts`: every cell is a str already (CSV), so `_cell_text` is skipped."""
    try:
        header_row = next(raw_rows)
    except StopIteration:
        raise TableError(_("The file is empty: the first row must name the columns.")) from None
    if len(header_row) > MAX_COLUMNS:
        raise TableError(
            _("The file has %(count)s columns; at most %(maximum)s are read.")
            % {"count": len(header_row), "maximum": MAX_COLUMNS}
        )
    headers = [_cell_text(h).strip().lower() for h in header_row]
    while headers and headers[-1] == "":
        headers.pop()
    duplicated = sorted({h for h in headers if h and headers.count(h) > 1})
    if duplicated:
        raise TableError(
            _("Columns named more than once: %(columns)s.") % {"columns": ", ".join(duplicated)}
        )
    if expected is not None:
        missing = [column for column in expected if column not in headers]
        if missing:
            raise TableError(_("Missing columns: %(columns)s.") % {"columns": ", ".join(missing)})
    # The loop below runs once per row of files of 100,000 rows: no call per cell but strip().
    named = [(index, header) for index, header in enumerate(headers) if header]
    width = len(headers)
    padding = [""] * width
    rows = []
    for number, raw in enumerate(raw_rows, start=2):
        values = raw if texts else [_cell_text(v) for v in raw]
        if not "".join(values).strip():
            continue
        if len(values) < width:
            values = [*values, *padding[len(values) :]]
        row = {header: values[index].strip() for index, header in named}
        for header, text in row.items():
            if text[:1] == "'":
                row[header] = unneutralise(text)
        rows.append((number, row))
    return Table(headers=[h for h in headers if h], rows=rows)


def read_table(data: bytes, filename: str, expected: Iterable[str] | None = None) -> Table:
    """Read a CSV (UTF-8, with or without BOM) or XLSX file into numbered rows."""
    name = filename.lower()
    if name.endswith(".csv"):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise TableError(
                _(
                    "The file is not UTF-8 text (byte %(position)s cannot be read). "
                    "Save it as 'CSV UTF-8' and upload it again."
                )
                % {"position": error.start + 1}
            ) from None
        if "\x00" in text:
            raise TableError(_("The file contains NUL bytes; it is not a CSV text file."))
        csv.field_size_limit(MAX_CELL_CHARS * 4)
        try:
            return _table(
                iter(list(csv.reader(io.StringIO(text, newline="")))), expected, texts=True
            )
        except csv.Error as error:
            # The reason is the CSV reader's own (English) words.
            raise TableError(
                _("The CSV file cannot be read: %(reason)s.") % {"reason": error}
            ) from None
    if name.endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as error:
            raise TableError(
                _("The XLSX file cannot be read: %(reason)s.") % {"reason": error}
            ) from None
        try:
            sheet = workbook.worksheets[0]
            return _table(sheet.iter_rows(values_only=True), expected)
        finally:
            workbook.close()
    raise TableError(_("Upload a .csv or .xlsx file."))


class _Echo:
    def write(self, value):
        return value


def csv_response(
    filename: str, headers: list[str], rows: Iterable[Iterable]
) -> StreamingHttpResponse:
    """Stream a CSV download (UTF-8 with BOM so that spreadsheet programs read accents)."""
    writer = csv.writer(_Echo())

    def generate():
        yield "\ufeff" + writer.writerow(headers)
        for row in rows:
            yield writer.writerow([neutralise(_cell_text(v)) for v in row])

    response = StreamingHttpResponse(generate(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _xlsx_cell(value):
    if value is None:
        return ""
    if isinstance(value, Promise):  # a lazily translated label
        value = str(value)
    return neutralise(value) if isinstance(value, str) else value


def xlsx_bytes(
    headers: list[str], rows: Iterable[Iterable], sheet_title: str | None = None
) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_sheet_title(sheet_title))
    sheet.append([str(header) for header in headers])
    for row in rows:
        sheet.append([_xlsx_cell(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _sheet_title(title) -> str:
    """A worksheet name: at most 31 characters, none of the seven that Excel refuses."""
    text = str(title) if title else _("Data")
    return "".join(" " if char in "[]:*?/\\" else char for char in text)[:31].strip() or "Data"


def xlsx_response(
    filename: str, headers: list[str], rows: Iterable[Iterable], sheet_title: str | None = None
) -> HttpResponse:
    response = HttpResponse(xlsx_bytes(headers, rows, sheet_title), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
