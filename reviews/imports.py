"""Import of reviews from CSV or XLSX, in the format of PRODUCT.md section 4.

Every row is checked first and every problem collected as `row N: column: problem` (N as a
spreadsheet shows it: the header is row 1). Only a file without problems is written, in one
transaction, through `reviews.services`; a row for a State and cycle that already has a
review updates it, any other row creates one. Registered with the import pipeline
(`core.imports`) in `apps.py`.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.access import can_manage_reviews
from core.imports.reader import (
    ImportResult,
    Progress,
    RowReader,
    read_import_table,
    refusal_problems,
)
from core.imports.registry import DATES, FLAGS, Column, Doc, Importer
from core.tabular import Table
from translations.lookup import localized

from .fields import DATE_FIELDS, FLAG_FIELDS, IMPORT_FIELDS, LINK_FIELDS
from .milestones import milestone_problems
from .models import CYCLE_CHOICES, Review, State
from .services import review_create, review_update

CYCLES = tuple(value for value, _label in CYCLE_CHOICES)
URL_MAX_LENGTH = Review._meta.get_field("executive_summary_url").max_length
# Column documentation for the upload page (the importers of needs and activities use it too).
STATE = Doc(
    _("The State party's ISO 3166 alpha-3 code (<code>%(eu)s</code> for the European Union)."),
    {"eu": "EUU"},
)
STATES = Doc(
    _(
        "ISO 3166 alpha-3 codes separated by <code>%(separator)s</code>, e.g. "
        "<code>%(example)s</code> (<code>%(eu)s</code> for the European Union)."
    ),
    {"separator": ";", "example": "KEN;TZA", "eu": "EUU"},
)
DOCUMENT_LINK = Doc(
    _(
        "The link to the published document (http or https), e.g. "
        "<code>%(example)s</code>; only for a document marked published. Optional "
        "column: left out, the links stay as they are."
    ),
    {"example": "https://www.unodc.org/"},
)

# Every column but the links is required: a file that leaves one out would not say whether
# it is empty. The links are optional: files made before the links existed stay valid, and
# a file without the column leaves the links as they are.
FIELD_DOCS = {
    "review_year": Doc(_("The year drawn by lot, e.g. %(example)s."), {"example": "2017"}),
    "reviewing_states": STATES,
    **dict.fromkeys(DATE_FIELDS, DATES),
    **dict.fromkeys(LINK_FIELDS, DOCUMENT_LINK),
}
FILE_COLUMNS = (
    Column("state", STATE, required=True),
    Column("cycle", codes=CYCLES, required=True),
    *(
        Column(
            name,
            FIELD_DOCS.get(name, ""),
            codes=FLAGS if name in FLAG_FIELDS else (),
            required=name not in LINK_FIELDS,
        )
        for name in IMPORT_FIELDS
    ),
)
REVIEW_COLUMNS = tuple(column.name for column in FILE_COLUMNS)
REQUIRED_COLUMNS = tuple(column.name for column in FILE_COLUMNS if column.required)


@dataclass
class _PlannedReview:
    number: int
    existing: Review | None
    state: State
    cycle: int
    reviewing_states: list[State]
    values: dict


def _check_row(
    reader: RowReader, states: dict[str, State], reviews, seen: dict, present: set[str]
) -> _PlannedReview:
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
    values.update({column: reader.date(column) for column in DATE_FIELDS})
    values.update({column: reader.flag(column) for column in FLAG_FIELDS})
    existing = reviews.get((state.pk, cycle)) if state is not None else None
    for column in LINK_FIELDS:
        if column in present:
            url = reader.text(column)
            if len(url) > URL_MAX_LENGTH:
                reader.problem(
                    column,
                    gettext("a link has at most %(count)s characters.") % {"count": URL_MAX_LENGTH},
                )
            values[column] = url
    # A file without a link column keeps the review's link, which must still agree with the
    # publication flags the file sets.
    checked = {
        column: getattr(existing, column, "") for column in LINK_FIELDS if column not in values
    }
    for column, message in milestone_problems({**values, **checked}).items():
        reader.problem(column if column in values else "state", message)
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
    table = read_import_table(data, filename, REQUIRED_COLUMNS)
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
    present = set(table.headers)
    plans = []
    for index, (number, row) in enumerate(table.rows, start=1):
        if progress is not None and index % 100 == 0:
            progress("checking", index, len(table.rows))
        reader = RowReader(number, row, result.problems)
        plan = _check_row(reader, states, reviews, seen, present)
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
            result.problems += refusal_problems(
                error, plan.number, {name: name for name in REVIEW_COLUMNS}, other="state"
            )
    if result.problems:
        raise _Rejected


IMPORTER = Importer(
    kind="reviews",
    label=_("Reviews"),
    columns=FILE_COLUMNS,
    may_import=can_manage_reviews,
    run=import_reviews,
    results_url="reviews:review_list",
    results_label=_("See the reviews"),
    notes=(
        Doc(
            _(
                "A row for a State and cycle that already has a review updates that review; "
                "any other row creates one."
            )
        ),
    ),
)
