"""Export of needs in the import format (PRODUCT.md section 4), plus readable labels.

The columns `import_needs` reads come first under their import names; each code is followed
by a label column (`state_name`, `chapter_title`, ...) that the import ignores, so an export
imported again changes nothing. CSV and XLSX are written by `core.tabular`, which neutralises
spreadsheet formulas in a way its reader undoes.

The code columns and their values are the same in every language. The label columns are for
people: their headers and values come in the active language (English, `state_name` and so
on, when none is active, as for `manage.py export_needs`).
"""

from collections.abc import Iterator

from django.db.models import F, QuerySet
from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone, translation
from django.utils.translation import gettext, pgettext_lazy

from core.tabular import csv_response, xlsx_response
from translations.lookup import translate_reference
from translations.models import ReferenceKind

from .models import Need, Status

EXPORT_COLUMNS = (
    "ref",
    "state",
    "state_name",
    "cycle",
    "chapter",
    "chapter_title",
    "article",
    "article_title",
    "category",
    "category_label",
    "subcategory",
    "subcategory_label",
    "themes",
    "theme_labels",
    "description",
    "priority",
    "status",
    "status_label",
    "identified_on",
    "last_confirmed_on",
    "coverage",
    "acceptance",
    "source_paragraph",
    "source_excerpt",
    "follows",
)
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
FORMATS = ("csv", "xlsx")
CHUNK_SIZE = 2000


# Read as plain values (no model instances: an export may hold every need), in the order
# of EXPORT_COLUMNS except the themes, which come from one more query.
VALUE_FIELDS = (
    "pk",
    "ref",
    "review__state__iso3",
    "review__state__name",
    "review__cycle",
    "chapter__roman",
    "chapter__title",
    "article__number",
    "article__title",
    "category__code",
    "category__label",
    "subcategory__code",
    "subcategory__label",
    "description",
    "priority",
    "status",
    "identified_on",
    "last_confirmed_on",
    "coverage",
    "acceptance",
    "source_paragraph",
    "source_excerpt",
    "follows_ref",
)
STATUS_LABELS = dict(Status.choices)


def _themes_of(queryset: QuerySet) -> dict[int, list[tuple[str, str]]]:
    themes: dict[int, list[tuple[str, str]]] = {}
    links = Need.themes.through.objects.filter(need_id__in=queryset.values("pk"))
    for need_id, code, label in links.order_by("theme__position", "theme__label").values_list(
        "need_id", "theme__code", "theme__label"
    ):
        themes.setdefault(need_id, []).append((code, label))
    return themes


def export_headers() -> list[str]:
    """The code columns under their import names, the label columns in the active language."""
    return [str(LABEL_HEADERS.get(column, column)) for column in EXPORT_COLUMNS]


class _References:
    """Reference texts (State names, chapter and article titles, taxonomy labels) in the
    active language, each looked up once per export rather than once per row."""

    def __init__(self):
        self.seen: dict[tuple, str] = {}

    def __call__(self, kind: str, code, english: str) -> str:
        key = (kind, code)
        if key not in self.seen:
            self.seen[key] = translate_reference(kind, code, english)
        return self.seen[key]


def export_rows(queryset: QuerySet) -> Iterator[list]:
    """The rows of the needs in `queryset`, in two queries whatever their number."""
    themes = _themes_of(queryset)
    text = _References()
    chapter_in_general = gettext("Chapter in general")
    status_labels = {status: str(label) for status, label in STATUS_LABELS.items()}
    if "follows_ref" not in queryset.query.annotations:
        # Callers that know the reader narrow it with Need.objects.with_follows_ref(user).
        queryset = queryset.annotate(follows_ref=F("follows__ref"))
    values = queryset.values_list(*VALUE_FIELDS).iterator(chunk_size=CHUNK_SIZE)
    for (
        pk,
        ref,
        iso3,
        state_name,
        cycle,
        roman,
        chapter_title,
        article,
        article_title,
        category,
        category_label,
        subcategory,
        subcategory_label,
        description,
        priority,
        status,
        identified_on,
        last_confirmed_on,
        coverage,
        acceptance,
        source_paragraph,
        source_excerpt,
        follows_ref,
    ) in values:
        need_themes = themes.get(pk, [])
        yield [
            ref,
            iso3,
            text(ReferenceKind.STATE, iso3, state_name),
            cycle,
            roman,
            text(ReferenceKind.CHAPTER, roman, chapter_title),
            article if article is not None else "",
            text(ReferenceKind.ARTICLE, article, article_title)
            if article is not None
            else chapter_in_general,
            category,
            text(ReferenceKind.CATEGORY, category, category_label),
            subcategory or "",
            text(ReferenceKind.SUBCATEGORY, subcategory, subcategory_label) if subcategory else "",
            ";".join(code for code, _label in need_themes),
            "; ".join(text(ReferenceKind.THEME, code, label) for code, label in need_themes),
            description,
            priority,
            status,
            status_labels.get(status, status),
            identified_on,
            last_confirmed_on,
            coverage,
            acceptance,
            source_paragraph,
            source_excerpt,
            follows_ref or "",
        ]


def export_filename(fmt: str) -> str:
    return f"needs-{timezone.localtime():%Y%m%d-%H%M}.{fmt}"


def _rows_in(language: str | None, queryset: QuerySet) -> Iterator[list]:
    """The rows in `language`, even when a streamed response reads them after the view."""
    with translation.override(language):
        yield from export_rows(queryset)


def export_response(queryset: QuerySet, fmt: str) -> HttpResponse | StreamingHttpResponse:
    """A download of the needs in `queryset` (already limited to what the user may see)."""
    filename = export_filename(fmt)
    rows = _rows_in(translation.get_language(), queryset)
    if fmt == "xlsx":
        return xlsx_response(filename, export_headers(), rows, gettext("Needs"))
    return csv_response(filename, export_headers(), rows)


def export_bytes(queryset: QuerySet, fmt: str) -> bytes:
    """The same file as the download, for `manage.py export_needs`."""
    response = export_response(queryset, fmt)
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content
