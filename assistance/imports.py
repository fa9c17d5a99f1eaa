"""Import (and export, in the same format) of assistance activities from CSV or XLSX.

The columns are `FILE_COLUMNS` below, documented there as the upload page shows them
(header row first; names are case-insensitive; order free). A row whose `ref` exists
updates that activity; any other row creates one. A column left out of the file leaves that
part of existing activities as it is; a column present with an empty cell clears it (no
beneficiaries, no funding, no linked needs).

The file is imported whole or not at all. A dry run does everything a real import does
inside a transaction and rolls it back, so it reports exactly the problems the import would
meet, each as `row N: column: problem` (N as the spreadsheet shows it: the header is row 1).
Registered with the import pipeline (`core.imports`) in `apps.py`.
"""

from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.functions import Upper
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.access import can_manage_assistance
from core.imports.reader import (
    ImportResult,
    Progress,
    RowReader,
    read_import_table,
    refusal_problems,
)
from core.imports.registry import DATES, Column, Doc, Importer
from needs.models import Need
from reviews.imports import STATES
from reviews.models import State

from . import services
from .fields import ACTIVITY_FIELDS
from .models import (
    Activity,
    ActivityStatus,
    ActivityType,
    DeliveryMode,
    Donor,
    Extent,
    Level,
    Provider,
)

TEXT = gettext_lazy("Text.")
BUDGET = Doc(
    gettext_lazy(
        "A number (e.g. %(example)s) and its three-letter currency (default %(default)s)."
    ),
    {"example": "125000.50", "default": "USD"},
)
# The columns of the activity's own fields, by field; the file calls two of them otherwise.
FIELD_COLUMNS = {
    "ref": Column("ref", gettext_lazy("The activity's stable reference."), required=True),
    "title": Column("title", TEXT, required=True),
    "description": Column("description", TEXT),
    "activity_type": Column("type", codes=ActivityType.values, required=True),
    "level": Column("level", codes=Level.values, required=True),
    "provider": Column(
        "provider",
        Doc(
            gettext_lazy(
                'Name or short name of a <a href="%(providers_url)s">provider</a> already recorded.'
            ),
            {"providers_url": reverse_lazy("assistance:provider_list")},
        ),
        required=True,
    ),
    "beneficiary_states": Column("beneficiary_states", STATES),
    "start_date": Column("start_date", DATES),
    "end_date": Column("end_date", DATES),
    "status": Column("status", codes=ActivityStatus.values, default=ActivityStatus.PLANNED),
    "delivery_mode": Column(
        "delivery_mode", codes=DeliveryMode.values, default=DeliveryMode.IN_PERSON
    ),
    "budget": Column("budget", BUDGET),
    "budget_currency": Column("currency", BUDGET),
}
FILE_COLUMNS = (
    *(FIELD_COLUMNS[name] for name in ACTIVITY_FIELDS),
    Column(
        "funding",
        Doc(
            gettext_lazy(
                "<code>%(entry)s</code> separated by <code>%(separator)s</code>, e.g. "
                '<code>%(example)s</code>. Donors must be <a href="%(donors_url)s">recorded</a>.'
            ),
            {
                "entry": "donor:amount:currency:year",
                "separator": ";",
                "example": "Norway:50000:NOK:2024;EU:20000:EUR:2025",
                "donors_url": reverse_lazy("assistance:donor_list"),
            },
        ),
    ),
    Column(
        "needs",
        Doc(
            gettext_lazy(
                "<code>%(full)s</code> or <code>%(partial)s</code> separated by "
                "<code>%(separator)s</code> (a reference alone counts as "
                "<code>%(default)s</code>)."
            ),
            {
                "full": "need-ref:full",
                "partial": "need-ref:partial",
                "separator": ";",
                "default": "partial",
            },
        ),
    ),
)
COLUMNS = tuple(column.name for column in FILE_COLUMNS)
REQUIRED_COLUMNS = tuple(column.name for column in FILE_COLUMNS if column.required)
# Rows between two reports of progress.
PROGRESS_EVERY = 10

# Which column reports the problems of each of the services' fields.
FIELD_TO_COLUMN = {
    **{name: column.name for name, column in FIELD_COLUMNS.items()},
    "funding": "funding",
    "needs": "needs",
}


class _Rejected(Exception):
    """Raised inside the transaction to roll the whole file back."""


def _by_name(objects: Iterable) -> dict[str, object]:
    index = {}
    for obj in objects:
        for key in (obj.name, obj.short_name):
            if key:
                index.setdefault(key.strip().lower(), obj)
    return index


class _Reference:
    """Providers, donors, States and the needs the file names, each read with one query."""

    def __init__(self, table):
        need_refs = {
            entry.partition(":")[0].strip().upper()
            for _number, row in table.rows
            for entry in _split(row.get("needs", ""))
        }
        self.headers = set(table.headers)
        self.providers = _by_name(Provider.objects.all())
        self.donors = _by_name(Donor.objects.all())
        self.states = {state.iso3: state for state in State.objects.all()}
        self.needs = {
            need.ref.upper(): need
            for need in Need.objects.annotate(ref_upper=Upper("ref")).filter(
                ref_upper__in=need_refs
            )
        }


class _ActivityRowReader(RowReader):
    """The shared row reader, with the activity import's own wording of two problems (what
    its users and their scripts have read so far) and its list cells."""

    def missing(self, column: str) -> None:
        self.problem(column, _("required"))

    def not_one_of(self, column: str, value: str, allowed: Iterable) -> None:
        self.problem(
            column,
            _("'%(value)s' is not one of %(choices)s")
            % {"value": value, "choices": ", ".join(allowed)},
        )

    def decimal(self, column: str, text: str) -> Decimal | None:
        try:
            value = Decimal(text.replace(",", "").strip())
        except InvalidOperation:
            value = None
        if value is None or not value.is_finite():
            self.problem(column, _("'%(text)s' is not a number") % {"text": text})
            return None
        return value

    def states(self, reference: _Reference) -> list[State]:
        states = []
        for code in _split(self.row.get("beneficiary_states", "")):
            state = reference.states.get(code.upper())
            if state is None:
                self.problem(
                    "beneficiary_states", _("unknown State code '%(code)s'") % {"code": code}
                )
            else:
                states.append(state)
        return states

    def funding(self, reference: _Reference) -> list[dict]:
        entries = []
        for entry in _split(self.row.get("funding", "")):
            parts = entry.rsplit(":", 3)
            if len(parts) != 4:
                self.problem(
                    "funding",
                    _("'%(entry)s' is not donor:amount:currency:year") % {"entry": entry},
                )
                continue
            name, amount_text, currency, year_text = (part.strip() for part in parts)
            donor = reference.donors.get(name.lower())
            if donor is None:
                self.problem("funding", _("no donor named '%(name)s'") % {"name": name})
            amount = self.decimal("funding", amount_text)
            if amount is not None and amount <= 0:
                self.problem(
                    "funding",
                    _("amount '%(amount)s' must be more than 0") % {"amount": amount_text},
                )
                amount = None
            currency_ok = len(currency) == 3 and currency.isalpha()
            if not currency_ok:
                self.problem(
                    "funding",
                    _("'%(currency)s' is not a three-letter currency") % {"currency": currency},
                )
            year_ok = year_text.isdigit() and 1990 <= int(year_text) <= 2100
            if not year_ok:
                self.problem(
                    "funding", _("'%(year)s' is not a year (1990-2100)") % {"year": year_text}
                )
            if donor is not None and amount is not None and currency_ok and year_ok:
                entries.append(
                    {
                        "donor": donor,
                        "amount": amount,
                        "currency": currency.upper(),
                        "year": int(year_text),
                    }
                )
        return entries

    def need_links(self, reference: _Reference) -> dict[Need, str]:
        links = {}
        for entry in _split(self.row.get("needs", "")):
            ref, _sep, extent = entry.partition(":")
            ref, extent = ref.strip(), (extent.strip().lower() or Extent.PARTIAL)
            need = reference.needs.get(ref.upper())
            if need is None:
                self.problem("needs", _("no need with reference '%(ref)s'") % {"ref": ref})
            elif extent not in Extent.values:
                self.problem("needs", _("'%(extent)s' is not full or partial") % {"extent": extent})
            else:
                links[need] = extent
        return links


def _check_row(reader: _ActivityRowReader, reference: _Reference) -> dict | None:
    """The row as service arguments, or None when it has problems."""
    present = reference.headers
    values: dict = {
        "ref": reader.text("ref", required=True),
        "title": reader.text("title", required=True),
        "activity_type": reader.choice("type", ActivityType.values, required=True),
        "level": reader.choice("level", Level.values, required=True),
    }
    provider_name = reader.text("provider", required=True)
    values["provider"] = reference.providers.get(provider_name.lower())
    if provider_name and values["provider"] is None:
        reader.problem("provider", _("no provider named '%(name)s'") % {"name": provider_name})
    if "description" in present:
        values["description"] = reader.text("description")
    if "status" in present:
        values["status"] = reader.choice("status", ActivityStatus.values) or ActivityStatus.PLANNED
    if "delivery_mode" in present:
        values["delivery_mode"] = (
            reader.choice("delivery_mode", DeliveryMode.values) or DeliveryMode.IN_PERSON
        )
    for column in ("start_date", "end_date"):
        if column in present:
            values[column] = reader.date(column)
    if "budget" in present:
        text = reader.text("budget")
        values["budget"] = reader.decimal("budget", text) if text else None
    if "currency" in present:
        values["budget_currency"] = reader.text("currency").upper() or "USD"
    if "beneficiary_states" in present:
        values["beneficiary_states"] = reader.states(reference)
    if "funding" in present:
        values["funding"] = reader.funding(reference)
    if "needs" in present:
        values["needs"] = reader.need_links(reference)
    return values if reader.ok else None


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.split(";") if part.strip()]


def import_activities(
    data: bytes, filename: str, *, dry_run: bool, user=None, progress: Progress | None = None
) -> ImportResult:
    """Check (dry run) or import a whole file; see the module docstring for the format."""
    table = read_import_table(data, filename, REQUIRED_COLUMNS, known=COLUMNS)
    if isinstance(table, str):
        return ImportResult(file_error=table)
    result = ImportResult(rows=len(table.rows))
    # A check's work is the writes it rolls back; an import checks the rows first (the first
    # half of its progress), then writes them.
    parsed = _check(table, result, progress=None if dry_run else progress)
    if result.rejected:
        return result
    try:
        with transaction.atomic():
            _write(parsed, result, user, progress, stage="checking" if dry_run else "saving")
            if result.rejected or dry_run:
                raise _Rejected
    except _Rejected:
        return result
    result.written = True
    return result


def _check(table, result: ImportResult, *, progress) -> list[tuple[int, dict]]:
    reference = _Reference(table)
    parsed = []
    seen_refs: dict[str, int] = {}
    total = len(table.rows)
    for index, (number, row) in enumerate(table.rows, start=1):
        if progress is not None and (index % PROGRESS_EVERY == 0 or index == total):
            progress("checking", index, total)
        reader = _ActivityRowReader(number, row, result.problems)
        values = _check_row(reader, reference)
        ref = row.get("ref", "").strip()
        if ref:
            earlier = seen_refs.setdefault(ref.lower(), number)
            if earlier != number:
                reader.problem(
                    "ref", _("'%(ref)s' is also in row %(row)s") % {"ref": ref, "row": earlier}
                )
                values = None
        if values is not None:
            parsed.append((number, values))
    return parsed


def _write(parsed, result: ImportResult, user, progress, *, stage: str) -> None:
    existing = {
        activity.ref.lower(): activity
        for activity in Activity.objects.filter(
            ref__in=[values["ref"] for _number, values in parsed]
        )
    }
    touched_needs: set[int] = set()
    total = len(parsed)
    for index, (number, values) in enumerate(parsed, start=1):
        states = values.pop("beneficiary_states", None)
        funding = values.pop("funding", None)
        links = values.pop("needs", None)
        try:
            with transaction.atomic():
                activity = existing.get(values["ref"].lower())
                if activity is None:
                    activity = services.activity_create(
                        **values, beneficiary_states=states or (), user=user
                    )
                    result.created += 1
                else:
                    activity = services.activity_update(
                        activity=activity, beneficiary_states=states, user=user, **values
                    )
                    result.updated += 1
                if funding is not None:
                    services.activity_set_funding(
                        activity=activity, contributions=funding, user=user
                    )
                if links is not None:
                    touched_needs |= services.activity_set_needs(
                        activity=activity, links=links, user=user, recompute=False
                    )
        except ValidationError as error:
            result.problems += refusal_problems(error, number, FIELD_TO_COLUMN)
        if progress is not None and (index % PROGRESS_EVERY == 0 or index == total):
            progress(stage, index, total)
    services.recompute_coverage(touched_needs)


def activity_rows(activities: Iterable[Activity]) -> Iterable[list]:
    """Rows in the import format, for the export (round trip)."""
    for activity in activities:
        yield [
            activity.ref,
            activity.title,
            activity.description,
            activity.activity_type,
            activity.level,
            activity.provider.name,
            ";".join(sorted(state.iso3 for state in activity.beneficiary_states.all())),
            activity.start_date,
            activity.end_date,
            activity.status,
            activity.delivery_mode,
            activity.budget,
            activity.budget_currency,
            ";".join(
                f"{c.donor.name}:{c.amount}:{c.currency}:{c.year}" for c in activity.funding.all()
            ),
            ";".join(f"{link.need.ref}:{link.extent}" for link in activity.visible_links),
        ]


IMPORTER = Importer(
    kind="activities",
    label=gettext_lazy("Activities"),
    columns=FILE_COLUMNS,
    may_import=can_manage_assistance,
    run=import_activities,
    results_url="assistance:activity_list",
    results_label=gettext_lazy("See the activities"),
    notes=(
        Doc(
            gettext_lazy(
                "The other columns are optional; a column left out leaves that part of "
                "existing activities unchanged, an empty cell clears it. The "
                '<a href="%(csv_url)s">CSV export</a> writes exactly this format.'
            ),
            {"csv_url": reverse_lazy("assistance:activity_csv")},
        ),
        Doc(
            gettext_lazy(
                "A row whose <code>%(ref)s</code> matches an existing activity updates it."
            ),
            {"ref": "ref"},
        ),
    ),
    # Each row goes through the services (about 30 ms a row here, where a row of needs takes
    # well under one): with the default setting, files of more than 40 rows go to the worker.
    row_weight=50,
)
