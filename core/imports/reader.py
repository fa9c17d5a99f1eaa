"""Reading an import file, the same way for every kind: the table, one reader per row that
notes each cell it cannot use as `row N: column: problem` (N as a spreadsheet shows it: the
header is row 1), and what the import did or, in a dry run, would do.
"""

import datetime
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext

from core.tabular import Table, TableError, read_table

TRUE_WORDS = {"true", "yes", "1"}
FALSE_WORDS = {"false", "no", "0", ""}

# progress(stage, done, total): called now and then while a long file is processed; stage is
# "checking" (reading the rows) or "saving" (writing them).
Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class Problem:
    row: int
    column: str  # empty for a problem of the row as a whole
    message: str

    def __str__(self) -> str:
        # The column is the name of a column of the file (a code, the same in every language).
        if not self.column:
            return gettext("row %(row)s: %(problem)s") % {"row": self.row, "problem": self.message}
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
    # {ref: version} of the records the rows would update (see ImportJob.seen_versions).
    seen_versions: dict[str, int] = field(default_factory=dict)
    # Advice shown next to the problems (e.g. the placement similar records suggest for a row
    # whose category or article is wrong); never a reason to reject the file.
    hints: list[str] = field(default_factory=list)
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


def refusal_problems(
    error: ValidationError, row: int, columns: Mapping[str, str], *, other: str = ""
) -> list[Problem]:
    """A service's refusal of a row as the row's problems: each message under the column
    that carries its field (`columns`: field -> column), the rest under `other` (empty: the
    row as a whole). The importers check what the services check; this keeps a rule added to
    a service reported as a row problem instead of an error page."""
    found = (
        error.message_dict if hasattr(error, "error_dict") else {NON_FIELD_ERRORS: error.messages}
    )
    return [
        Problem(row, columns.get(name, other), message)
        for name, messages in found.items()
        for message in messages
    ]


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

    def missing(self, column: str) -> None:
        self.problem(column, gettext("is required."))

    def not_one_of(self, column: str, value: str, allowed: Iterable) -> None:
        self.problem(
            column,
            gettext("%(value)s is not one of %(allowed)s.")
            % {"value": repr(value), "allowed": ", ".join(str(option) for option in allowed)},
        )

    def text(self, column: str, *, required: bool = False) -> str:
        value = self.row.get(column, "").strip()
        if required and not value:
            self.missing(column)
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
        self.not_one_of(column, value, allowed)
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


def read_import_table(
    data: bytes, filename: str, required: Iterable[str], *, known: Iterable[str] | None = None
) -> Table | str:
    """The table, or the reason why the file as a whole cannot be used: a required column
    missing, a column outside `known` (when given), no data rows."""
    try:
        table = read_table(data, filename, expected=required)
    except TableError as error:
        return str(error)
    if known is not None:
        known = tuple(known)
        unknown = sorted(set(table.headers) - set(known))
        if unknown:
            return gettext("Unknown columns: %(unknown)s. Known: %(known)s.") % {
                "unknown": ", ".join(unknown),
                "known": ", ".join(known),
            }
    if not table.rows:
        return gettext("The file has a header row but no data rows.")
    return table
