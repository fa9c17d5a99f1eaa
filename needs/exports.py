"""Export of needs in the import format (PRODUCT.md section 4), plus readable labels.

The columns `import_needs` reads come first under their import names; each code is followed
by a label column (`state_name`, `chapter_title`, ...) that the import ignores, so an export
imported again changes nothing. CSV and XLSX are written by `core.tabular`, which neutralises
spreadsheet formulas in a way its reader undoes.
"""

from collections.abc import Iterable, Iterator

from django.db.models import QuerySet
from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone

from core.tabular import csv_response, xlsx_response

from .models import Need

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
)
FORMATS = ("csv", "xlsx")
CHUNK_SIZE = 2000


def export_queryset(queryset: QuerySet) -> QuerySet:
    """Everything a row shows, in two queries per chunk of rows."""
    return queryset.select_related(
        "review__state", "chapter", "article", "category", "subcategory"
    ).prefetch_related("themes")


def export_rows(needs: Iterable[Need]) -> Iterator[list]:
    for need in needs:
        themes = list(need.themes.all())
        yield [
            need.ref,
            need.review.state.iso3,
            need.review.state.name,
            need.review.cycle,
            need.chapter.roman,
            need.chapter.title,
            need.article.number if need.article_id else "",
            need.article.title if need.article_id else "Chapter in general",
            need.category.code,
            need.category.label,
            need.subcategory.code if need.subcategory_id else "",
            need.subcategory.label if need.subcategory_id else "",
            ";".join(theme.code for theme in themes),
            "; ".join(theme.label for theme in themes),
            need.description,
            need.priority,
            need.status,
            need.get_status_display(),
            need.identified_on,
            need.last_confirmed_on,
            need.coverage,
            need.acceptance,
        ]


def export_filename(fmt: str) -> str:
    return f"needs-{timezone.localtime():%Y%m%d-%H%M}.{fmt}"


def export_response(queryset: QuerySet, fmt: str) -> HttpResponse | StreamingHttpResponse:
    """A download of the needs in `queryset` (already limited to what the user may see)."""
    needs = export_queryset(queryset).iterator(chunk_size=CHUNK_SIZE)
    filename = export_filename(fmt)
    if fmt == "xlsx":
        return xlsx_response(filename, list(EXPORT_COLUMNS), export_rows(needs), "Needs")
    return csv_response(filename, list(EXPORT_COLUMNS), export_rows(needs))


def export_bytes(queryset: QuerySet, fmt: str) -> bytes:
    """The same file as the download, for `manage.py export_needs`."""
    response = export_response(queryset, fmt)
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content
