"""Import of reviews from CSV or XLSX, in the format of PRODUCT.md section 4.

Every row is checked first and every problem collected as `row N: column: problem` (N as a
spreadsheet shows it: the header is row 1). Only a file without problems is written, in one
transaction, through `reviews.services`; a row for a State and cycle that already has a
review updates it, any other row creates one.

`Problem`, `ImportResult` and `RowReader` are shared with the import of needs.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext

from core.tabular import Table, TableError, read_table
from translations.lookup import localized

from .milestones import milestone_problems
from .models import CYCLE_CHOICES, Review, State
from .services import review_create, review_update

REVIEW_COLUMNS = (
    "state",
    "cycle",
    "review_year",
    "reviewing_states",
    "self_assessment_submitted",
    "direct_dialogue",
    "executive_summary_completed",
    "country_report_completed",
    "executive_summary_published",
    "country_report_published",
)
DATE_COLUMNS = (
    "self_assessment_submitted",
    "direct_dialogue",
    "executive_summary_completed",
    "country_report_completed",
)
FLAG_COLUMNS = ("executive_summary_published", "country_report_published")
CYCLES = tuple(value for value, _label in CYCLE_CHOICES)
TRUE_WORDS = {"true", "yes", "1"}
FALSE_WORDS = {"false", "no", "0", ""}

# progress(stage, done, total): called now and then while a long file is processed.
Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class Problem:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        # The column is the name of a column of the file (a code, the same in every language).
        return gettext("row %(row)s: %(column)s: %(problem)s") % {
            "row": self.row,
            "column": self.column,
            "problem": self.message,
        }


@dataclass
class ImportResult:
    """What an import did, or in a dry run would do."""

    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    file_error: str = ""
    problems: list[Problem] = field(default_factory=list)
    # Probable duplicates: problems unless the person chose to import them anyway.
    duplicates: list[Problem] = field(default_factory=list)
    # {ref: version} of the needs the rows would update (see ImportJob.seen_versions).
    seen_versions: dict[str, int] = field(default_factory=dict)
    written: bool = False

    @property
    def rejected(self) -> bool:
        return bool(self.file_error or self.problems)

    def summary(self, *, dry_run: bool) -> str:
        if self.file_error:
            return "The file was rejected; nothing was imported."
        counts = (
            f"{self.created} to create, {self.updated} to update, {self.unchanged} unchanged"
            if dry_run or not self.written
            else f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged"
        )
        if self.rejected:
            return (
                f"{self.rows} rows checked: {len(self.problems)} problems, so nothing was "
                f"imported (without them: {counts})."
            )
        if dry_run:
            return f"{self.rows} rows checked, no problems: {counts}. Nothing was written."
        return f"{self.rows} rows imported: {counts}."

    def messages(self) -> list[str]:
        if self.file_error:
            return [self.file_error]
        return [str(problem) for problem in sorted(self.problems, key=_problem_order)]


def _problem_order(problem: Problem) -> tuple[int, str]:
    return (problem.row, problem.column)


class RowReader:
    """Reads the cells of one row, noting a problem for each cell that cannot be used."""

    def __init__(self, number: int, row: dict[str, str], problems: list[Problem]):
        self.number = number
        self.row = row
        self.problems = problems
        self.ok = True

    def problem(self, column: str, message: str) -> None:
        self.ok = False
        self.problems.append(Problem(self.number, column, message))

    def text(self, column: str, *, required: bool = False) -> str:
        value = self.row.get(column, "").strip()
        if required and not value:
            self.problem(column, gettext("is required."))
        return value

    def integer(self, column: str, *, required: bool = False) -> int | None:
        value = self.text(column, required=required)
        if not value:
            return None
        try:
            return int(value)
        except ValueError:
            self.problem(
                column, gettext("%(value)s is not a whole number.") % {"value": repr(value)}
            )
            return None

    def choice(self, column: str, allowed, *, required: bool = False):
        """An int or code from `allowed`, matched case-insensitively for codes."""
        value = self.text(column, required=required)
        if not value:
            return None
        for option in allowed:
            if str(option).lower() == value.lower():
                return option
        self.problem(
            column,
            gettext("%(value)s is not one of %(allowed)s.")
            % {"value": repr(value), "allowed": ", ".join(str(option) for option in allowed)},
        )
        return None

    def date(self, column: str) -> datetime.date | None:
        value = self.text(column)
        if not value:
            return None
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            self.problem(
                column,
                gettext("%(value)s is not a date written as YYYY-MM-DD.") % {"value": repr(value)},
            )
            return None

    def flag(self, column: str) -> bool:
        value = self.text(column).lower()
        if value in TRUE_WORDS:
            return True
        if value not in FALSE_WORDS:
            self.problem(
                column, gettext("%(value)s is neither true nor false.") % {"value": repr(value)}
            )
        return False

    def codes(self, column: str) -> list[str]:
        """Codes separated by `;`, without blanks, in the order given."""
        return [code.strip() for code in self.text(column).split(";") if code.strip()]


def read_import_table(data: bytes, filename: str, columns) -> Table | str:
    """The table, or the reason why the file as a whole cannot be used."""
    try:
        table = read_table(data, filename, expected=columns)
    except TableError as error:
        return str(error)
    if not table.rows:
        return gettext("The file has a header row but no data rows.")
    return table


@dataclass
class _PlannedReview:
    number: int
    existing: Review | None
    state: State
    cycle: int
    reviewing_states: list[State]
    values: dict


def _check_row(reader: RowReader, states: dict[str, State], reviews, seen: dict) -> _PlannedReview:
    iso3 = reader.text("state", required=True).upper()
    state = states.get(iso3) if iso3 else None
    if iso3 and state is None:
        reader.problem(
            "state",
            gettext("%(code)s is not a known ISO 3166 alpha-3 code.") % {"code": repr(iso3)},
        )
    elif state is not None and not state.is_party:
        reader.problem(
            "state",
            gettext("%(name)s is not a party to the Convention.") % {"name": localized(state)},
        )
    cycle = reader.choice("cycle", CYCLES, required=True)
    if state is not None and cycle is not None:
        earlier = seen.setdefault((state.pk, cycle), reader.number)
        if earlier != reader.number:
            reader.problem(
                "state",
                gettext("row %(row)s is already about %(code)s in cycle %(cycle)s; keep one row.")
                % {"row": earlier, "code": iso3, "cycle": cycle},
            )

    reviewing_states = []
    for code in reader.codes("reviewing_states"):
        reviewer = states.get(code.upper())
        if reviewer is None:
            reader.problem(
                "reviewing_states",
                gettext("%(code)s is not a known ISO 3166 alpha-3 code.") % {"code": repr(code)},
            )
        elif not reviewer.is_party:
            reader.problem(
                "reviewing_states",
                gettext("%(name)s is not a party to the Convention.")
                % {"name": localized(reviewer)},
            )
        elif reviewer in reviewing_states:
            reader.problem(
                "reviewing_states",
                gettext("%(code)s is listed twice.") % {"code": reviewer.iso3},
            )
        elif state is not None and reviewer.pk == state.pk:
            reader.problem("reviewing_states", gettext("a State cannot review itself."))
        else:
            reviewing_states.append(reviewer)
    if len(reviewing_states) > 2:
        reader.problem("reviewing_states", gettext("a review has two reviewing States, not more."))

    values = {"review_year": reader.integer("review_year")}
    values.update({column: reader.date(column) for column in DATE_COLUMNS})
    values.update({column: reader.flag(column) for column in FLAG_COLUMNS})
    for column, message in milestone_problems(values).items():
        reader.problem(column, message)
    existing = reviews.get((state.pk, cycle)) if state is not None else None
    return _PlannedReview(reader.number, existing, state, cycle, reviewing_states, values)


def _is_unchanged(plan: _PlannedReview) -> bool:
    review = plan.existing
    return all(getattr(review, name) == value for name, value in plan.values.items()) and {
        state.pk for state in review.reviewing_states.all()
    } == {state.pk for state in plan.reviewing_states}


class _Rejected(Exception):
    """Raised inside the import transaction to roll it back."""


def import_reviews(
    *, data: bytes, filename: str, user, dry_run: bool, progress: Progress | None = None
) -> ImportResult:
    """Check every row; unless `dry_run`, write the whole file or, on any problem, nothing."""
    table = read_import_table(data, filename, REVIEW_COLUMNS)
    if isinstance(table, str):
        return ImportResult(file_error=table)
    result = ImportResult(rows=len(table.rows))
    if dry_run:
        _plan(table, result, progress)
        return result
    try:
        with transaction.atomic():
            plans = _plan(table, result, progress, lock=True)
            if result.rejected:
                raise _Rejected
            _write(plans, user, result)
    except _Rejected:
        return result
    result.written = True
    return result


def _plan(table: Table, result: ImportResult, progress, lock: bool = False):
    states = {state.iso3: state for state in State.objects.all()}
    reviews_query = Review.objects.prefetch_related("reviewing_states").order_by()
    if lock:
        reviews_query = reviews_query.select_for_update()
    reviews = {(review.state_id, review.cycle): review for review in reviews_query}
    seen: dict = {}
    plans = []
    for index, (number, row) in enumerate(table.rows, start=1):
        if progress is not None and index % 100 == 0:
            progress("checking", index, len(table.rows))
        reader = RowReader(number, row, result.problems)
        plan = _check_row(reader, states, reviews, seen)
        if not reader.ok:
            continue
        if plan.existing is None:
            result.created += 1
        elif _is_unchanged(plan):
            result.unchanged += 1
            continue
        else:
            result.updated += 1
        plans.append(plan)
    return plans


def _write(plans: list[_PlannedReview], user, result: ImportResult) -> None:
    for plan in plans:
        try:
            if plan.existing is None:
                review_create(
                    state=plan.state,
                    cycle=plan.cycle,
                    reviewing_states=plan.reviewing_states,
                    user=user,
                    **plan.values,
                )
            else:
                review_update(
                    review=plan.existing,
                    seen_version=plan.existing.version,
                    reviewing_states=plan.reviewing_states,
                    user=user,
                    **plan.values,
                )
        except ValidationError as error:
            # The checks above mirror the services' rules; this keeps any rule they add
            # reported as a row problem instead of an error page.
            messages = error.message_dict if hasattr(error, "error_dict") else {"": error.messages}
            for column, texts in messages.items():
                column = column if column in REVIEW_COLUMNS else "state"
                result.problems.extend(Problem(plan.number, column, text) for text in texts)
    if result.problems:
        raise _Rejected
