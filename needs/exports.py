"""The one exporter of needs: a list of columns, each reading some values of the need and
making its cell, written as CSV or XLSX by `core.tabular` (which neutralises spreadsheet
formulas in a way its reader undoes). The needs list, the country pages and the donors'
catalogue download their lists through it, each with its own columns.

The needs export (`NEED_COLUMNS`) is the import format (PRODUCT.md section 4), plus readable
labels: the columns `import_needs` reads come first under their import names; each code is
followed by a label column (`state_name`, `chapter_title`, ...) that the import ignores, so
an export imported again changes nothing. The code columns and their values are the same in
every language. The label columns are for people: their headers and values come in the
active language (English, `state_name` and so on, when none is active, as for
`manage.py export_needs`).
"""

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

from django.db.models import F, QuerySet
from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext, pgettext_lazy

from core.tabular import csv_response, xlsx_response
from translations.lookup import translate_reference
from translations.models import ReferenceKind

from .models import Need, Status

FORMATS = ("csv", "xlsx")
CHUNK_SIZE = 2000


class Cells:
    """What the cells of one export are made from besides the need's own values: the
    themes of the needs and the reference texts (State names, titles, taxonomy labels) in
    the active language, each looked up once per export rather than once per row."""

    def __init__(self, queryset: QuerySet):
        self.seen: dict[tuple, str] = {}
        self.themes: dict[int, list[tuple[str, str]]] = {}
        links = Need.themes.through.objects.filter(need_id__in=queryset.values("pk"))
        for need_id, code, label in links.order_by("theme__position", "theme__label").values_list(
            "need_id", "theme__code", "theme__label"
        ):
            self.themes.setdefault(need_id, []).append((code, label))

    def name(self, kind: str, code, english: str | None) -> str:
        """The reference row `kind`/`code` in the active language; "" for none."""
        if code is None or code == "":
            return ""
        key = (kind, code)
        if key not in self.seen:
            self.seen[key] = translate_reference(kind, code, english or "")
        return self.seen[key]

    def theme_names(self, row: dict) -> str:
        themes = self.themes.get(row["pk"], ())
        return "; ".join(self.name(ReferenceKind.THEME, code, label) for code, label in themes)


@dataclass(frozen=True)
class Column:
    """A column: its header, the values it reads (`values()` names), and its cell."""

    header: Promise | str
    fields: tuple[str, ...]
    cell: Callable[[dict, Cells], object]
    key: str = ""  # its name in code, when the header is translated

    @property
    def name(self) -> str:
        return self.key or str(self.header)


def value(header, field: str, **options) -> Column:
    """The value as it is stored (a code, a date, a text)."""
    return Column(header, (field,), lambda row, cells: row[field], **options)


def reference(header, kind: str, code: str, english: str, **options) -> Column:
    """The reference row that `code` names (a State, chapter, category...), in the active
    language; `english` is its text when it has no translation."""
    return Column(
        header,
        (code, english),
        lambda row, cells: cells.name(kind, row[code], row[english]),
        **options,
    )


def choice(header, field: str, choices: Callable[[], Iterable[tuple]], **options) -> Column:
    """The label of a choice (`choices()` is asked in the active language), else the value."""

    def cell(row: dict, cells: Cells):
        labels = cells.seen.get(("choices", field))
        if labels is None:
            labels = cells.seen[("choices", field)] = {k: str(v) for k, v in choices()}
        return labels.get(row[field], row[field])

    return Column(header, (field,), cell, **options)


def export_rows(queryset: QuerySet, columns: Sequence[Column] | None = None) -> Iterator[list]:
    """The rows of the needs in `queryset`, in two queries whatever their number."""
    columns = NEED_COLUMNS if columns is None else columns
    fields = list(dict.fromkeys(["pk", *(f for column in columns for f in column.fields)]))
    if "follows_ref" in fields and "follows_ref" not in queryset.query.annotations:
        # Callers that know the reader narrow it with Need.objects.with_follows_ref(user).
        queryset = queryset.annotate(follows_ref=F("follows__ref"))
    cells = Cells(queryset)
    for row in queryset.values(*fields).iterator(chunk_size=CHUNK_SIZE):
        yield [column.cell(row, cells) for column in columns]


def export_headers(columns: Sequence[Column] | None = None) -> list[str]:
    """The headers, in the active language (the needs export's code columns stay codes)."""
    return [str(column.header) for column in (NEED_COLUMNS if columns is None else columns)]


def _rows_in(language: str | None, queryset: QuerySet, columns) -> Iterator[list]:
    """The rows in `language`, even when a streamed response reads them after the view."""
    with translation.override(language):
        yield from export_rows(queryset, columns)


def export_response(
    queryset: QuerySet,
    fmt: str,
    columns: Sequence[Column] | None = None,
    *,
    filename: str | None = None,
    sheet_title: str | None = None,
) -> HttpResponse | StreamingHttpResponse:
    """A download of the needs in `queryset` (already limited to what the user may see)."""
    columns = NEED_COLUMNS if columns is None else columns
    filename = filename or f"needs-{timezone.localtime():%Y%m%d-%H%M}.{fmt}"
    rows = _rows_in(translation.get_language(), queryset, columns)
    if fmt == "xlsx":
        return xlsx_response(
            filename, export_headers(columns), rows, sheet_title or gettext("Needs")
        )
    return csv_response(filename, export_headers(columns), rows)


def export_bytes(queryset: QuerySet, fmt: str) -> bytes:
    """The same file as the download, for `manage.py export_needs`."""
    response = export_response(queryset, fmt)
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


# --- The needs export: the import format, with labels ----------------------------------------
# Headers of the label columns, which the import ignores: in the reader's language.
LABEL_HEADERS = {
    "state_name": pgettext_lazy("needs export column", "state_name"),
    "chapter_title": pgettext_lazy("needs export column", "chapter_title"),
    "article_title": pgettext_lazy("needs export column", "article_title"),
    "category_label": pgettext_lazy("needs export column", "category_label"),
    "subcategory_label": pgettext_lazy("needs export column", "subcategory_label"),
    "theme_labels": pgettext_lazy("needs export column", "theme_labels"),
    "status_label": pgettext_lazy("needs export column", "status_label"),
}


def _labels(key: str, kind: str, code: str, english: str) -> Column:
    return reference(LABEL_HEADERS[key], kind, code, english, key=key)


def _article_title(row: dict, cells: Cells) -> str:
    if row["article__number"] is None:
        return gettext("Chapter in general")
    return cells.name(ReferenceKind.ARTICLE, row["article__number"], row["article__title"])


def _or_empty(field: str) -> Callable[[dict, Cells], object]:
    return lambda row, cells: "" if row[field] is None else row[field]


def _theme_codes(row: dict, cells: Cells) -> str:
    return ";".join(code for code, _label in cells.themes.get(row["pk"], ()))


NEED_COLUMNS = (
    value("ref", "ref"),
    value("state", "review__state__iso3"),
    _labels("state_name", ReferenceKind.STATE, "review__state__iso3", "review__state__name"),
    value("cycle", "review__cycle"),
    value("chapter", "chapter__roman"),
    _labels("chapter_title", ReferenceKind.CHAPTER, "chapter__roman", "chapter__title"),
    Column("article", ("article__number",), _or_empty("article__number")),
    Column(
        LABEL_HEADERS["article_title"],
        ("article__number", "article__title"),
        _article_title,
        key="article_title",
    ),
    value("category", "category__code"),
    _labels("category_label", ReferenceKind.CATEGORY, "category__code", "category__label"),
    Column("subcategory", ("subcategory__code",), _or_empty("subcategory__code")),
    _labels(
        "subcategory_label", ReferenceKind.SUBCATEGORY, "subcategory__code", "subcategory__label"
    ),
    Column("themes", (), _theme_codes),
    Column(
        LABEL_HEADERS["theme_labels"],
        (),
        lambda row, cells: cells.theme_names(row),
        key="theme_labels",
    ),
    value("description", "description"),
    value("priority", "priority"),
    value("status", "status"),
    choice(
        LABEL_HEADERS["status_label"],
        "status",
        lambda: Status.choices,
        key="status_label",
    ),
    value("identified_on", "identified_on"),
    value("last_confirmed_on", "last_confirmed_on"),
    value("coverage", "coverage"),
    value("acceptance", "acceptance"),
    value("source_paragraph", "source_paragraph"),
    value("source_excerpt", "source_excerpt"),
    # The reference of the earlier need this one follows (read as `follows_ref`, see
    # export_rows), as the import's `follows` column names it.
    Column("follows", ("follows_ref",), lambda row, cells: row["follows_ref"] or ""),
)
# The columns' names in the file (the label columns' headers in English).
EXPORT_COLUMNS = tuple(column.name for column in NEED_COLUMNS)
