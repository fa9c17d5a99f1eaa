"""Export of follow-up actions: the columns `import` kind "actions" reads, first and under
their import names, then columns for readers (the State, the cycle, the status's label,
whether the action is overdue), which the import ignores. An export imported again changes
nothing."""

from collections.abc import Iterator

from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext, pgettext_lazy

from core.tabular import csv_response, xlsx_response

from .models import ActionStatus

IMPORT_COLUMNS = (
    "need_ref",
    "what",
    "responsible_institution",
    "due_date",
    "status",
    "in_action_plan",
)
# The State and cycle are codes, the same in every language; the others are for readers.
READER_COLUMNS = {
    "state": "state",
    "cycle": "cycle",
    "status_label": pgettext_lazy("actions export column", "status_label"),
    "overdue": pgettext_lazy("actions export column", "overdue"),
}
FORMATS = ("csv", "xlsx")


def export_headers() -> list[str]:
    return [*IMPORT_COLUMNS, *(str(header) for header in READER_COLUMNS.values())]


def export_rows(queryset: QuerySet) -> Iterator[list]:
    """One row per action of `queryset` (already limited to what the reader may see); the
    values are read with one query, in batches."""
    today = timezone.localdate()
    labels = {value: str(label) for value, label in ActionStatus.choices}
    yes, no = gettext("yes"), gettext("no")
    closed = {ActionStatus.DONE, ActionStatus.CANCELLED}
    rows = queryset.values_list(
        "need__ref",
        "what",
        "responsible_institution",
        "due_date",
        "status",
        "in_national_action_plan",
        "need__review__state__iso3",
        "need__review__cycle",
    )
    for ref, what, institution, due, status, in_plan, iso3, cycle in rows.iterator(2000):
        overdue = due is not None and due < today and status not in closed
        yield [
            ref,
            what,
            institution,
            due,
            status,
            "true" if in_plan else "false",
            iso3,
            cycle,
            labels.get(status, status),
            yes if overdue else no,
        ]


def _rows_in(language: str | None, queryset: QuerySet) -> Iterator[list]:
    with translation.override(language):
        yield from export_rows(queryset)


def action_export_response(queryset: QuerySet, fmt: str):
    filename = f"actions-{timezone.localtime():%Y%m%d-%H%M}.{fmt}"
    rows = _rows_in(translation.get_language(), queryset)
    if fmt == "xlsx":
        return xlsx_response(filename, export_headers(), rows, gettext("Follow-up actions"))
    return csv_response(filename, export_headers(), rows)
