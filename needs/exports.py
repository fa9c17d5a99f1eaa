"""Export of needs in the import format (PRODUCT.md section 4), plus readable labels.

The columns `import_needs` reads come first under their import names; each code is followed
by a label column (`state_name`, `chapter_title`, ...) that the import ignores, so an export
imported again changes nothing. CSV and XLSX are written by `core.tabular`, which neutralises
spreadsheet formulas in a way its reader undoes.
"""

from collections.abc import Iterator

from django.db.models import QuerySet
from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone

from core.tabular import csv_response, xlsx_response

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
)
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


def export_rows(queryset: QuerySet) -> Iterator[list]:
    """The rows of the needs in `queryset`, in two queries whatever their number."""
    themes = _themes_of(queryset)
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
    ) in values:
        need_themes = themes.get(pk, [])
        yield [
            ref,
            iso3,
            state_name,
            cycle,
            roman,
            chapter_title,
            article if article is not None else "",
            article_title if article is not None else "Chapter in general",
            category,
            category_label,
            subcategory or "",
            subcategory_label or "",
            ";".join(code for code, _label in need_themes),
            "; ".join(label for _code, label in need_themes),
            description,
            priority,
            status,
            str(STATUS_LABELS.get(status, status)),
            identified_on,
            last_confirmed_on,
            coverage,
            acceptance,
        ]


def export_filename(fmt: str) -> str:
    return f"needs-{timezone.localtime():%Y%m%d-%H%M}.{fmt}"


def export_response(queryset: QuerySet, fmt: str) -> HttpResponse | StreamingHttpResponse:
    """A download of the needs in `queryset` (already limited to what the user may see)."""
    filename = export_filename(fmt)
    if fmt == "xlsx":
        return xlsx_response(filename, list(EXPORT_COLUMNS), export_rows(queryset), "Needs")
    return csv_response(filename, list(EXPORT_COLUMNS), export_rows(queryset))


def export_bytes(queryset: QuerySet, fmt: str) -> bytes:
    """The same file as the download, for `manage.py export_needs`."""
    response = export_response(queryset, fmt)
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content
