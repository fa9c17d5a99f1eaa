"""Import (and export, in the same format) of assistance activities from CSV or XLSX.

Columns (header row first; names are case-insensitive; order free):

- `ref` (required): the activity's stable reference; a row whose ref exists updates it.
- `title` (required), `description`.
- `type` (required): legal_advice, legislative_drafting, training, mentoring,
  institution_building, knowledge_tool, assessment, regional_platform, other.
- `level` (required): global, regional, national.
- `provider` (required): name or short name of a provider recorded in the tracker.
- `beneficiary_states`: ISO 3166 alpha-3 codes separated by `;` (`EUU`: European Union).
- `start_date`, `end_date`: ISO dates (YYYY-MM-DD).
- `status`: planned (default), ongoing, completed.
- `delivery_mode`: in_person (default), remote, hybrid.
- `budget`: a number such as 125000.50; `currency`: its three-letter code (default USD).
- `funding`: `donor:amount:currency:year` entries separated by `;` (donor by name or
  short name), e.g. `Norway:50000:NOK:2024;EU:20000:EUR:2025`.
- `needs`: `need-ref:full` or `need-ref:partial` entries separated by `;` (a ref alone
  means partial).

A column left out of the file leaves that part of existing activities as it is; a column
present with an empty cell clears it (no beneficiaries, no funding, no linked needs).

The file is imported whole or not at all. A dry run does everything a real import does
inside a transaction and rolls it back, so it reports exactly the problems the import would
meet, each as `row N: column: problem` (N as the spreadsheet shows it: the header is row 1).
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.db.models.functions import Upper
from django.utils.translation import gettext as _

from core.tabular import TableError, read_table
from needs.models import Need
from reviews.models import State

from . import services
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

REQUIRED_COLUMNS = ("ref", "title", "type", "level", "provider")
COLUMNS = (
    "ref",
    "title",
    "description",
    "type",
    "level",
    "provider",
    "beneficiary_states",
    "start_date",
    "end_date",
    "status",
    "delivery_mode",
    "budget",
    "currency",
    "funding",
    "needs",
)

# The codes a column takes, as the import page lists them (and the reader accepts them).
CODE_VALUES = {
    "type": ActivityType.values,
    "level": Level.values,
    "status": ActivityStatus.values,
    "delivery_mode": DeliveryMode.values,
}

# Which model field each column's problems are reported from, and back.
FIELD_TO_COLUMN = {
    "activity_type": "type",
    "budget_currency": "currency",
    "beneficiary_states": "beneficiary_states",
}


@dataclass
class ImportReport:
    rows: int = 0
    created: int = 0
    updated: int = 0
    problems: list[str] = field(default_factory=list)
    file_error: str = ""
    dry_run: bool = True

    @property
    def ok(self) -> bool:
        return not self.problems and not self.file_error


class _Rejected(Exception):
    """Raised inside the transaction to roll the whole file back."""


def _by_name(objects: Iterable) -> dict[str, object]:
    index = {}
    for obj in objects:
        for key in (obj.name, obj.short_name):
            if key:
                index.setdefault(key.strip().lower(), obj)
    return index


class _RowReader:
    """Turns one row's text into service arguments, collecting `row N: column: problem`."""

    def __init__(self, headers, providers, donors, states, needs):
        self.headers = set(headers)
        self.providers = providers
        self.donors = donors
        self.states = states
        self.needs = needs
        self.problems: list[str] = []

    def problem(self, number: int, column: str, text: str) -> None:
        self.problems.append(_row_problem(number, column, text))

    def choice(self, number, row, column, choices, default=None):
        value = row.get(column, "").strip().lower()
        if not value:
            if default is None:
                self.problem(number, column, _("required"))
            return default
        if value not in choices:
            self.problem(
                number,
                column,
                _("'%(value)s' is not one of %(choices)s")
                % {"value": value, "choices": ", ".join(choices)},
            )
            return default
        return value

    def date(self, number, row, column):
        text = row.get(column, "").strip()
        if not text:
            return None
        try:
            return datetime.date.fromisoformat(text)
        except ValueError:
            self.problem(
                number, column, _("'%(text)s' is not a date (YYYY-MM-DD)") % {"text": text}
            )
            return None

    def decimal(self, number, column, text):
        try:
            value = Decimal(text.replace(",", "").strip())
        except InvalidOperation:
            self.problem(number, column, _("'%(text)s' is not a number") % {"text": text})
            return None
        if not value.is_finite():
            self.problem(number, column, _("'%(text)s' is not a number") % {"text": text})
            return None
        return value

    def read(self, number: int, row: dict[str, str]) -> dict | None:
        before = len(self.problems)
        values: dict = {}
        for column in ("ref", "title"):
            values[column] = row.get(column, "").strip()
            if not values[column]:
                self.problem(number, column, _("required"))
        values["activity_type"] = self.choice(number, row, "type", ActivityType.values)
        values["level"] = self.choice(number, row, "level", Level.values)
        provider_name = row.get("provider", "").strip()
        values["provider"] = self.providers.get(provider_name.lower())
        if not provider_name:
            self.problem(number, "provider", _("required"))
        elif values["provider"] is None:
            self.problem(
                number,
                "provider",
                _("no provider named '%(name)s'") % {"name": provider_name},
            )
        if "description" in self.headers:
            values["description"] = row.get("description", "")
        if "status" in self.headers:
            values["status"] = self.choice(
                number, row, "status", ActivityStatus.values, ActivityStatus.PLANNED
            )
        if "delivery_mode" in self.headers:
            values["delivery_mode"] = self.choice(
                number, row, "delivery_mode", DeliveryMode.values, DeliveryMode.IN_PERSON
            )
        for column in ("start_date", "end_date"):
            if column in self.headers:
                values[column] = self.date(number, row, column)
        if "budget" in self.headers:
            text = row.get("budget", "").strip()
            values["budget"] = self.decimal(number, "budget", text) if text else None
        if "currency" in self.headers:
            values["budget_currency"] = row.get("currency", "").strip().upper() or "USD"
        if "beneficiary_states" in self.headers:
            values["beneficiary_states"] = self.state_list(number, row)
        if "funding" in self.headers:
            values["funding"] = self.funding_list(number, row)
        if "needs" in self.headers:
            values["needs"] = self.need_list(number, row)
        return values if len(self.problems) == before else None

    def state_list(self, number, row):
        states = []
        for code in _split(row.get("beneficiary_states", "")):
            state = self.states.get(code.upper())
            if state is None:
                self.problem(
                    number,
                    "beneficiary_states",
                    _("unknown State code '%(code)s'") % {"code": code},
                )
            else:
                states.append(state)
        return states

    def funding_list(self, number, row):
        entries = []
        for entry in _split(row.get("funding", "")):
            parts = entry.rsplit(":", 3)
            if len(parts) != 4:
                self.problem(
                    number,
                    "funding",
                    _("'%(entry)s' is not donor:amount:currency:year") % {"entry": entry},
                )
                continue
            name, amount_text, currency, year_text = (part.strip() for part in parts)
            donor = self.donors.get(name.lower())
            if donor is None:
                self.problem(number, "funding", _("no donor named '%(name)s'") % {"name": name})
            amount = self.decimal(number, "funding", amount_text)
            if amount is not None and amount <= 0:
                self.problem(
                    number,
                    "funding",
                    _("amount '%(amount)s' must be more than 0") % {"amount": amount_text},
                )
                amount = None
            currency_ok = len(currency) == 3 and currency.isalpha()
            if not currency_ok:
                self.problem(
                    number,
                    "funding",
                    _("'%(currency)s' is not a three-letter currency") % {"currency": currency},
                )
            year_ok = year_text.isdigit() and 1990 <= int(year_text) <= 2100
            if not year_ok:
                self.problem(
                    number,
                    "funding",
                    _("'%(year)s' is not a year (1990-2100)") % {"year": year_text},
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

    def need_list(self, number, row):
        links = {}
        for entry in _split(row.get("needs", "")):
            ref, _sep, extent = entry.partition(":")
            ref, extent = ref.strip(), (extent.strip().lower() or Extent.PARTIAL)
            need = self.needs.get(ref.upper())
            if need is None:
                self.problem(number, "needs", _("no need with reference '%(ref)s'") % {"ref": ref})
            elif extent not in Extent.values:
                self.problem(
                    number, "needs", _("'%(extent)s' is not full or partial") % {"extent": extent}
                )
            else:
                links[need] = extent
        return links


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.split(";") if part.strip()]


def _row_problem(number: int, column: str | None, text: str) -> str:
    """`row N: column: problem` (`row N: problem` for the row as a whole), in the active
    language; column names are the file's own and stay as they are."""
    if column is None:
        return _("row %(row)s: %(problem)s") % {"row": number, "problem": text}
    return _("row %(row)s: %(column)s: %(problem)s") % {
        "row": number,
        "column": column,
        "problem": text,
    }


def _problems_from(error: ValidationError, number: int) -> list[str]:
    if not hasattr(error, "error_dict"):
        return [_row_problem(number, None, message) for message in error.messages]
    problems = []
    for name, messages in error.message_dict.items():
        column = None if name == NON_FIELD_ERRORS else FIELD_TO_COLUMN.get(name, name)
        problems.extend(_row_problem(number, column, message) for message in messages)
    return problems


def import_activities(data: bytes, filename: str, *, dry_run: bool, user=None) -> ImportReport:
    """Check (dry run) or import a whole file; see the module docstring for the format."""
    report = ImportReport(dry_run=dry_run)
    try:
        table = read_table(data, filename, expected=REQUIRED_COLUMNS)
    except TableError as error:
        report.file_error = str(error)
        return report
    unknown = sorted(set(table.headers) - set(COLUMNS))
    if unknown:
        report.file_error = _("Unknown columns: %(unknown)s. Known: %(known)s.") % {
            "unknown": ", ".join(unknown),
            "known": ", ".join(COLUMNS),
        }
        return report
    report.rows = len(table.rows)
    if not table.rows:
        report.file_error = _("The file has no rows under the header.")
        return report

    need_refs = {
        entry.partition(":")[0].strip().upper()
        for _number, row in table.rows
        for entry in _split(row.get("needs", ""))
    }
    reader = _RowReader(
        table.headers,
        providers=_by_name(Provider.objects.all()),
        donors=_by_name(Donor.objects.all()),
        states={state.iso3: state for state in State.objects.all()},
        needs={
            need.ref.upper(): need
            for need in Need.objects.annotate(ref_upper=Upper("ref")).filter(
                ref_upper__in=need_refs
            )
        },
    )
    parsed = []
    seen_refs: dict[str, int] = {}
    for number, row in table.rows:
        values = reader.read(number, row)
        ref = row.get("ref", "").strip()
        if ref:
            if ref.lower() in seen_refs:
                reader.problem(
                    number,
                    "ref",
                    _("'%(ref)s' is also in row %(row)s")
                    % {"ref": ref, "row": seen_refs[ref.lower()]},
                )
                values = None
            seen_refs.setdefault(ref.lower(), number)
        if values is not None:
            parsed.append((number, values))
    report.problems = reader.problems
    if report.problems:
        return report

    try:
        with transaction.atomic():
            _write(parsed, report, user)
            if report.problems:
                raise _Rejected
            if dry_run:
                raise _Rejected
    except _Rejected:
        pass
    return report


def _write(parsed, report: ImportReport, user) -> None:
    existing = {
        activity.ref.lower(): activity
        for activity in Activity.objects.filter(
            ref__in=[values["ref"] for _number, values in parsed]
        )
    }
    touched_needs: set[int] = set()
    for number, values in parsed:
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
                    report.created += 1
                else:
                    activity = services.activity_update(
                        activity=activity, beneficiary_states=states, user=user, **values
                    )
                    report.updated += 1
                if funding is not None:
                    services.activity_set_funding(
                        activity=activity, contributions=funding, user=user
                    )
                if links is not None:
                    touched_needs |= services.activity_set_needs(
                        activity=activity, links=links, user=user, recompute=False
                    )
        except ValidationError as error:
            report.problems.extend(_problems_from(error, number))
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
