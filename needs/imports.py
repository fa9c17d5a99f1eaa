"""Import of needs from CSV or XLSX, in the format of PRODUCT.md section 4.

Every row is checked first and every problem collected as `row N: column: problem`; only a
file without problems is written, all of it in one transaction. A row whose `ref` matches an
existing need updates that need (and a row that changes nothing writes nothing); any other
row creates a need, keeping its `ref` or receiving a new one.

A row without `ref` that repeats a need of the same review (same chapter and article, same
category, same description ignoring case) — an existing need or an earlier row of the file —
is a probable duplicate. Probable duplicates are always reported, in the check as in the
import; they reject the file unless the person chose to import them anyway
(`allow_duplicates`). The way out for a row that is really the same need is to give it that
need's `ref`, which makes it an update.

Speed (100,000 rows; BENCHMARKS.md, "Import speed"): reference codes, reviews and the needs
named by `ref` are read with a few queries up front, the probable duplicates with one. A
row written the common way is checked by dictionary lookups (`_QuickCheck`); any other row
goes through `_check_row`, which explains each cell, so messages and row numbers do not
depend on the fast path. On PostgreSQL new needs go by COPY into a temporary table, then
one INSERT ... SELECT writes the needs and one more their history and themes; updates go
by COPY and one UPDATE. The checks are those of `needs.services` (the same
`validate_need_placement`, the same choices), and every need written gets a history entry
with the importing user, as the services record it.
"""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Case, Value, When
from django.db.models.functions import Lower
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.access import can_manage_needs
from core.bulk import BATCH_SIZE, insert_rows, stage_columns, update_objects
from core.changes import data_changed
from core.imports.reader import ImportResult, Problem, Progress, RowReader, read_import_table
from core.imports.registry import DATES, LIST, Column, Doc, Importer
from reviews.imports import CYCLES, STATE
from reviews.models import Article, Chapter, Review, State

from .fields import IMPORT_FIELDS, MANY_TO_MANY_FIELDS
from .models import (
    SOURCE_EXCERPT_MAX_LENGTH,
    SOURCE_PARAGRAPH_MAX_LENGTH,
    Acceptance,
    Category,
    Need,
    Priority,
    Status,
    Subcategory,
    Theme,
    new_need_refs,
)
from .services import validate_need_placement
from .suggestions import suggest_placements

# Columns whose problems the placement suggested by similar needs may solve, and how many
# rows of a file get such a hint (one query each).
PLACEMENT_COLUMNS = frozenset({"chapter", "article", "category", "subcategory"})
HINTED_ROWS = 20
PRIORITIES = tuple(Priority.values)
STATUSES = tuple(Status.values)
# Without the required columns a row cannot say what it is about; the others may be left out
# of a file, and a column left out leaves that field of an updated need as it is.
FIELD_COLUMNS = {
    "chapter": Column(
        "chapter",
        Doc(_("The chapter's roman numeral, e.g. %(example)s."), {"example": "II"}),
        required=True,
    ),
    "article": Column(
        "article",
        _("The article's number; empty for a need about the chapter in general."),
        required=True,
    ),
    "category": Column(
        "category",
        codes=lambda: Category.objects.order_by("position").values_list("code", flat=True),
        required=True,
    ),
    "subcategory": Column(
        "subcategory",
        codes=lambda: Subcategory.objects.order_by("position").values_list("code", flat=True),
    ),
    "themes": Column(
        "themes",
        LIST,
        codes=lambda: Theme.objects.order_by("position").values_list("code", flat=True),
    ),
    "description": Column("description", _("Text."), required=True),
    "priority": Column("priority", codes=PRIORITIES),
    "status": Column("status", codes=STATUSES, default=Status.UNMET),
    "identified_on": Column("identified_on", DATES),
    "source_paragraph": Column(
        "source_paragraph",
        Doc(
            _(
                "Where the executive summary or country report identifies the need, "
                "e.g. %(example)s."
            ),
            {"example": "para 42"},
        ),
    ),
    "source_excerpt": Column(
        "source_excerpt",
        Doc(
            _("The sentence of the review that identifies the need, at most %(count)s characters."),
            {"count": "2,000"},
        ),
    ),
    "follows": Column(
        "follows",
        _(
            "The ref of the need of the same State, from an earlier cycle, that this need "
            "carries on: a need already recorded or on another row of the file. Empty for none."
        ),
    ),
}
FILE_COLUMNS = (
    Column("ref", _("The need's stable reference; empty for a new need.")),
    Column("state", STATE, required=True),
    Column("cycle", codes=CYCLES, required=True),
    *(FIELD_COLUMNS[name] for name in IMPORT_FIELDS),
)
NEED_COLUMNS = tuple(column.name for column in FILE_COLUMNS)
REQUIRED_COLUMNS = tuple(column.name for column in FILE_COLUMNS if column.required)
REF_MAX_LENGTH = Need._meta.get_field("ref").max_length
PROGRESS_EVERY = 1000
# Fields a row sets, by the column that carries them (the themes are set apart).
COLUMN_FIELDS = {
    name: Need._meta.get_field(name).attname
    for name in IMPORT_FIELDS
    if name not in MANY_TO_MANY_FIELDS
}

ThemeLink = Need.themes.through
HistoricalNeed = Need.history.model
HistoricalThemeLink = HistoricalNeed.themes.model


@dataclass
class _Row:
    number: int
    ref: str
    review: Review
    values: dict  # {field attname: value} for the columns the file has
    theme_ids: frozenset[int] | None  # None when the file has no themes column
    follows_ref: str = ""  # the ref in the `follows` cell, resolved by _link_follows
    existing: Need | None = None
    changed_fields: list[str] = field(default_factory=list)
    themes_changed: bool = False
    # The ref of a need this file creates, which this row follows: its id is known once
    # the file's new needs are inserted.
    follows_new: str = ""


class _Reference:
    """Codes of the file resolved with one query per kind of thing."""

    def __init__(self):
        self.state_codes = set(State.objects.values_list("iso3", flat=True))
        self.reviews = {
            (review.state.iso3, review.cycle): review
            for review in Review.objects.select_related("state")
        }
        self.chapters = {chapter.roman: chapter for chapter in Chapter.objects.all()}
        self.articles = {article.number: article for article in Article.objects.all()}
        self.categories = {category.code: category for category in Category.objects.all()}
        self.subcategories = {sub.code: sub for sub in Subcategory.objects.all()}
        self.themes = {theme.code: theme for theme in Theme.objects.all()}


class _QuickCheck:
    """The checks of `_check_row` for the common row, at a few dictionary lookups a row.

    `row()` accepts only a row that `_check_row` would accept with the same values, and
    returns None for anything else (a blank or unknown code, a misplaced article, a value
    written unusually), which `_check_row` then checks and explains cell by cell: the
    messages and row numbers are those of `_check_row` whatever the file.
    """

    def __init__(self, reference: _Reference, present: set[str], kept: set[str]):
        # Plain values (a model's `.pk` costs a call) in dictionaries keyed by the cell.
        self.reviews = {
            (iso3, str(cycle)): (review, review.id, review.cycle)
            for (iso3, cycle), review in reference.reviews.items()
        }
        self.chapters = {
            roman: (chapter.id, chapter.reviewed_in_cycle)
            for roman, chapter in reference.chapters.items()
        }
        self.articles = {
            number: (article.id, article.chapter_id)
            for number, article in reference.articles.items()
        }
        self.categories = {code: category.id for code, category in reference.categories.items()}
        self.subcategories = {
            code: (sub.id, sub.category_id) for code, sub in reference.subcategories.items()
        }
        self.themes = {code: theme.id for code, theme in reference.themes.items()}
        self.priorities = {str(option).lower(): option for option in reversed(PRIORITIES)}
        self.statuses = {str(option).lower(): option for option in reversed(STATUSES)}
        self.has_themes = "themes" in present
        self.kept = None if kept == set(COLUMN_FIELDS.values()) else kept
        self.theme_sets: dict[str, frozenset[int] | None] = {}
        self.dates: dict[str, datetime.date | None] = {}

    def row(self, number: int, raw: dict[str, str]) -> _Row | None:
        get = raw.get
        ref = get("ref", "").strip()
        if len(ref) > REF_MAX_LENGTH:
            return None
        review = self.reviews.get((get("state", "").strip().upper(), get("cycle", "").strip()))
        chapter = self.chapters.get(get("chapter", "").strip().upper())
        category_id = self.categories.get(get("category", "").strip().lower())
        description = get("description", "").strip()
        if review is None or chapter is None or category_id is None or not description:
            return None
        review, _review_id, cycle = review
        chapter_id, chapter_cycle = chapter
        if chapter_cycle != cycle:
            return None
        text = get("article", "").strip()
        article_id = None
        if text:
            if not (text.isascii() and text.isdigit()):
                return None
            article_id, article_chapter_id = self.articles.get(int(text), (None, None))
            if article_id is None or article_chapter_id != chapter_id:
                return None
        text = get("subcategory", "").strip()
        subcategory_id = None
        if text:
            subcategory_id, subcategory_category_id = self.subcategories.get(
                text.lower(), (None, None)
            )
            if subcategory_id is None or subcategory_category_id != category_id:
                return None
        theme_ids = self._theme_ids(get("themes", "").strip())
        if theme_ids is None:
            return None
        text = get("priority", "").strip()
        priority = self.priorities.get(text.lower()) if text else ""
        text = get("status", "").strip()
        status = self.statuses.get(text.lower()) if text else None
        if priority is None or (text and status is None):
            return None
        text = get("identified_on", "").strip()
        identified_on = self._date(text) if text else None
        if text and identified_on is None:
            return None
        # A row that follows another need is checked (and linked) by _check_row.
        if get("follows", "").strip():
            return None
        source_paragraph = get("source_paragraph", "").strip()
        source_excerpt = get("source_excerpt", "").strip()
        if (
            len(source_paragraph) > SOURCE_PARAGRAPH_MAX_LENGTH
            or len(source_excerpt) > SOURCE_EXCERPT_MAX_LENGTH
        ):
            return None
        values = {
            "chapter_id": chapter_id,
            "article_id": article_id,
            "category_id": category_id,
            "subcategory_id": subcategory_id,
            "description": description,
            "priority": priority,
            "status": status,
            "identified_on": identified_on,
            "source_paragraph": source_paragraph,
            "source_excerpt": source_excerpt,
            "follows_id": None,
        }
        if self.kept is not None:
            values = {name: value for name, value in values.items() if name in self.kept}
        return _Row(
            number=number,
            ref=ref,
            review=review,
            values=values,
            theme_ids=theme_ids if self.has_themes else None,
        )

    def _theme_ids(self, text: str) -> frozenset[int] | None:
        """The themes of a cell, None if one of its codes is unknown (read once per text)."""
        if text not in self.theme_sets:
            codes = [code.strip() for code in text.split(";") if code.strip()]
            themes = [self.themes.get(code.lower()) for code in codes]
            self.theme_sets[text] = None if None in themes else frozenset(themes)
        return self.theme_sets[text]

    def _date(self, text: str) -> datetime.date | None:
        if text not in self.dates:
            try:
                self.dates[text] = datetime.date.fromisoformat(text)
            except ValueError:
                self.dates[text] = None
        return self.dates[text]


def _duplicate_key(review_id, chapter_id, article_id, category_id, description: str) -> tuple:
    return (review_id, chapter_id, article_id, category_id, description.strip().lower())


def _check_row(reader: RowReader, reference: _Reference, present: set[str], kept) -> _Row | None:
    ref = reader.text("ref")
    if len(ref) > REF_MAX_LENGTH:
        reader.problem(
            "ref",
            gettext("a reference has at most %(count)s characters.") % {"count": REF_MAX_LENGTH},
        )

    iso3 = reader.text("state", required=True).upper()
    cycle = reader.choice("cycle", CYCLES, required=True)
    review = None
    if iso3 and iso3 not in reference.state_codes:
        reader.problem(
            "state",
            gettext("%(code)s is not a known ISO 3166 alpha-3 code.") % {"code": repr(iso3)},
        )
    elif iso3 and cycle is not None:
        review = reference.reviews.get((iso3, cycle))
        if review is None:
            reader.problem(
                "state",
                gettext(
                    "there is no review of %(state)s in cycle %(cycle)s; import or create it first."
                )
                % {"state": iso3, "cycle": cycle},
            )

    roman = reader.text("chapter", required=True).upper()
    chapter = reference.chapters.get(roman)
    if roman and chapter is None:
        reader.problem(
            "chapter",
            gettext("%(code)s is not a chapter of the Convention (I to VIII).")
            % {"code": repr(roman)},
        )
    article_number = reader.integer("article")
    article = reference.articles.get(article_number) if article_number is not None else None
    if article_number is not None and article is None:
        reader.problem(
            "article",
            gettext("the Convention has no article %(number)s.") % {"number": article_number},
        )

    category_code = reader.text("category", required=True).lower()
    category = reference.categories.get(category_code)
    if category_code and category is None:
        reader.problem(
            "category", gettext("%(code)s is not a category code.") % {"code": repr(category_code)}
        )
    subcategory_code = reader.text("subcategory").lower()
    subcategory = reference.subcategories.get(subcategory_code)
    if subcategory_code and subcategory is None:
        reader.problem(
            "subcategory",
            gettext("%(code)s is not a subcategory code.") % {"code": repr(subcategory_code)},
        )

    theme_ids = set()
    for code in reader.codes("themes"):
        theme = reference.themes.get(code.lower())
        if theme is None:
            reader.problem(
                "themes", gettext("%(code)s is not a theme code.") % {"code": repr(code)}
            )
        else:
            theme_ids.add(theme.pk)

    description = reader.text("description", required=True)
    priority = reader.choice("priority", PRIORITIES) or ""
    status = reader.choice("status", STATUSES)
    identified_on = reader.date("identified_on")
    source_paragraph = reader.text("source_paragraph")
    if len(source_paragraph) > SOURCE_PARAGRAPH_MAX_LENGTH:
        reader.problem(
            "source_paragraph",
            gettext("at most %(count)s characters, e.g. “para 42”.")
            % {"count": SOURCE_PARAGRAPH_MAX_LENGTH},
        )
    source_excerpt = reader.text("source_excerpt")
    if len(source_excerpt) > SOURCE_EXCERPT_MAX_LENGTH:
        reader.problem(
            "source_excerpt",
            gettext(
                "a source excerpt has at most %(limit)s characters (this one has %(count)s): "
                "quote the sentence that identifies the need."
            )
            % {"limit": SOURCE_EXCERPT_MAX_LENGTH, "count": len(source_excerpt)},
        )
    follows_ref = reader.text("follows")
    if follows_ref and follows_ref == ref:
        reader.problem("follows", gettext("a need cannot follow itself."))

    if review is not None and chapter is not None:
        try:
            validate_need_placement(
                review=review,
                chapter=chapter,
                article=article,
                category=category,
                subcategory=subcategory,
            )
        except ValidationError as error:
            for column, messages in error.message_dict.items():
                for message in messages:
                    reader.problem(column, message)
    if not reader.ok:
        return None

    values = {
        "chapter_id": chapter.pk,
        "article_id": article.pk if article else None,
        "category_id": category.pk,
        "subcategory_id": subcategory.pk if subcategory else None,
        "description": description,
        "priority": priority,
        "status": status,
        "identified_on": identified_on,
        "source_paragraph": source_paragraph,
        "source_excerpt": source_excerpt,
        "follows_id": None,  # resolved by _link_follows
    }
    values = {name: value for name, value in values.items() if name in kept}
    return _Row(
        number=reader.number,
        ref=ref,
        review=review,
        values=values,
        theme_ids=frozenset(theme_ids) if "themes" in present else None,
        follows_ref=follows_ref,
    )


# Stands for the id of a need the file creates until it is inserted.
NEW_NEED = object()


def _link_follows(rows: list[_Row], result: ImportResult) -> list[_Row]:
    """Resolve each `follows` cell to a need recorded already or on another row of the
    file, of the same State and an earlier cycle; return the rows without problems."""
    wanted = {row.follows_ref for row in rows if row.follows_ref}
    if not wanted:
        return rows
    recorded = {
        ref: (pk, state_id, cycle, acceptance)
        for ref, pk, state_id, cycle, acceptance in Need.objects.filter(ref__in=wanted).values_list(
            "ref", "pk", "review__state_id", "review__cycle", "acceptance"
        )
    }
    in_file = {row.ref: row for row in rows if row.ref}
    kept = []
    for row in rows:
        target = row.follows_ref
        if not target:
            kept.append(row)
            continue
        if target in in_file:
            other = in_file[target].review
            state_id, cycle = other.state_id, other.cycle
            accepted = True  # an imported need is accepted (a proposal stays one)
            if target in recorded:
                accepted = recorded[target][3] == Acceptance.ACCEPTED
        elif target in recorded:
            _pk, state_id, cycle, acceptance = recorded[target]
            accepted = acceptance == Acceptance.ACCEPTED
        else:
            result.problems.append(
                Problem(
                    row.number,
                    "follows",
                    gettext("there is no need %(ref)s, recorded or on another row of the file.")
                    % {"ref": target},
                )
            )
            continue
        if state_id != row.review.state_id:
            problem = gettext(
                "need %(ref)s is a need of another State; a need follows a need of its own State."
            ) % {"ref": target}
        elif not accepted:
            problem = gettext(
                "need %(ref)s is a proposal staff have not accepted; a need follows an "
                "accepted need."
            ) % {"ref": target}
        elif cycle >= row.review.cycle:
            problem = gettext(
                "need %(ref)s was identified in cycle %(earlier)s; a need of cycle %(cycle)s can "
                "only follow a need of an earlier cycle."
            ) % {"ref": target, "earlier": cycle, "cycle": row.review.cycle}
        else:
            problem = None
        if problem:
            result.problems.append(Problem(row.number, "follows", problem))
            continue
        if target in recorded:
            row.values["follows_id"] = recorded[target][0]
        else:
            row.values["follows_id"] = NEW_NEED
            row.follows_new = target
        kept.append(row)
    return kept


def _compare(row: _Row, need: Need, current_theme_ids: frozenset[int]) -> None:
    # An empty status cell keeps the status: it may have been updated since the file was made.
    if row.values.get("status") is None:
        row.values.pop("status", None)
    row.changed_fields = [
        name
        for name, value in row.values.items()
        if value is NEW_NEED or getattr(need, name) != value
    ]
    row.themes_changed = row.theme_ids is not None and row.theme_ids != current_theme_ids


def _plan(
    table,
    result: ImportResult,
    *,
    lock: bool,
    allow_duplicates: bool,
    progress,
    misplaced: list | None = None,
):
    """Check every row; return the rows to create and the rows to update. `misplaced`
    receives (row number, description, cycle) of rows with a placement problem."""
    reference = _Reference()
    present = set(table.headers)
    # The fields this file sets: those of the columns it has.
    kept = {field_name for column, field_name in COLUMN_FIELDS.items() if column in present}
    total = len(table.rows)
    quick = _QuickCheck(reference, present, kept)
    checked_rows: list[_Row] = []
    for index, (number, raw) in enumerate(table.rows, start=1):
        if progress is not None and index % PROGRESS_EVERY == 0:
            progress("checking", index, total)
        known_problems = len(result.problems)
        row = quick.row(number, raw) or _check_row(
            RowReader(number, raw, result.problems), reference, present, kept
        )
        if row is not None:
            checked_rows.append(row)
        elif misplaced is not None and len(misplaced) < HINTED_ROWS:
            columns = {problem.column for problem in result.problems[known_problems:]}
            description = (raw.get("description") or "").strip()
            if description and columns & PLACEMENT_COLUMNS:
                cycle = (raw.get("cycle") or "").strip()
                misplaced.append((number, description, int(cycle) if cycle in ("1", "2") else None))
    if "follows" in present:
        checked_rows = _link_follows(checked_rows, result)

    refs = [row.ref for row in checked_rows if row.ref]
    existing_query = Need.objects.filter(ref__any=refs).order_by()
    if lock:
        existing_query = existing_query.select_for_update()
    existing = {need.ref: need for need in existing_query}
    current_themes: dict[int, set[int]] = {need.pk: set() for need in existing.values()}
    for need_id, theme_id in ThemeLink.objects.filter(
        need__in=[need.pk for need in existing.values()]
    ).values_list("need_id", "theme_id"):
        current_themes[need_id].add(theme_id)

    first_row_of_ref: dict[str, int] = {}
    creations: list[_Row] = []
    updates: list[_Row] = []
    matched: list[_Row] = []
    for row in checked_rows:
        if row.ref:
            earlier = first_row_of_ref.setdefault(row.ref, row.number)
            if earlier != row.number:
                result.problems.append(
                    Problem(
                        row.number,
                        "ref",
                        gettext("%(ref)s is also on row %(row)s.")
                        % {"ref": row.ref, "row": earlier},
                    )
                )
                continue
        need = existing.get(row.ref) if row.ref else None
        if need is None:
            creations.append(row)
            continue
        if need.review_id != row.review.pk:
            result.problems.append(
                Problem(
                    row.number,
                    "state",
                    gettext(
                        "need %(ref)s belongs to another review; a need cannot move to "
                        "another review (leave out its ref to create a new need)."
                    )
                    % {"ref": need.ref},
                )
            )
            continue
        row.existing = need
        matched.append(row)
        _compare(row, need, frozenset(current_themes[need.pk]))
        if row.changed_fields or row.themes_changed:
            updates.append(row)
            result.seen_versions[need.ref] = need.version
        else:
            result.unchanged += 1

    _find_duplicates(creations, matched, existing, result)
    if not allow_duplicates:
        result.problems.extend(result.duplicates)
    result.created = len(creations)
    result.updated = len(updates)
    return creations, updates


def _find_duplicates(creations, matched, existing: dict[str, Need], result) -> None:
    """Rows without ref repeating a need of their review, in the database or earlier rows."""
    unreferenced = [row for row in creations if not row.ref]
    if not unreferenced:
        return
    # Needs named by a ref in the file are compared as the file leaves them, not as they are.
    named = {need.pk for need in existing.values()}
    # What each key repeats: ("need", its ref) or ("row", the row's number).
    known: dict[tuple, tuple[str, object]] = {}
    candidates = (
        Need.objects.filter(review__in={row.review.id for row in unreferenced})
        .annotate(lower_description=Lower("description"))
        .filter(lower_description__any={row.values["description"].lower() for row in unreferenced})
        .order_by()
        .values_list(
            "pk", "ref", "review_id", "chapter_id", "article_id", "category_id", "description"
        )
    )
    for pk, ref, review_id, chapter_id, article_id, category_id, description in candidates:
        if pk not in named:
            key = _duplicate_key(review_id, chapter_id, article_id, category_id, description)
            known[key] = ("need", ref)
    rows = sorted([*creations, *matched], key=lambda row: row.number) if matched else creations
    for row in rows:
        values = {**_values_of(row.existing), **row.values} if row.existing else row.values
        key = _duplicate_key(
            row.review.id,
            values["chapter_id"],
            values["article_id"],
            values["category_id"],
            values["description"],
        )
        if not row.ref and key in known:
            result.duplicates.append(Problem(row.number, "description", _duplicate_of(*known[key])))
        known.setdefault(key, ("row", row.number))


def _duplicate_of(kind: str, original) -> str:
    if kind == "need":
        return gettext(
            "probable duplicate of need %(ref)s (same review, article, category and "
            "description); give the row that need's ref to update it instead."
        ) % {"ref": original}
    return gettext(
        "probable duplicate of row %(row)s (same review, article, category and "
        "description); give the row that need's ref to update it instead."
    ) % {"row": original}


def _values_of(need: Need) -> dict:
    return {name: getattr(need, name) for name in COLUMN_FIELDS.values()}


class _Rejected(Exception):
    """Raised inside the import transaction to roll it back."""


def import_needs(
    *,
    data: bytes,
    filename: str,
    user,
    dry_run: bool,
    allow_duplicates: bool = False,
    seen_versions: dict[str, int] | None = None,
    progress: Progress | None = None,
) -> ImportResult:
    """Check every row; unless `dry_run`, write the whole file or, on any problem, nothing.

    `seen_versions` ({ref: version}, from the check the person confirmed) refuses rows whose
    need someone saved in between, so that nobody's edit is overwritten unseen.
    """
    table = read_import_table(data, filename, REQUIRED_COLUMNS)
    if isinstance(table, str):
        return ImportResult(file_error=table)
    result = ImportResult(rows=len(table.rows))
    if dry_run:
        misplaced: list[tuple[int, str, int | None]] = []
        _plan(
            table,
            result,
            lock=False,
            allow_duplicates=allow_duplicates,
            progress=progress,
            misplaced=misplaced,
        )
        result.hints = _placement_hints(misplaced, user)
        return result
    try:
        with transaction.atomic():
            creations, updates = _plan(
                table, result, lock=True, allow_duplicates=allow_duplicates, progress=progress
            )
            _refuse_changed_since_check(updates, seen_versions, result)
            if result.rejected:
                raise _Rejected
            _write(creations, updates, user=user, filename=filename, progress=progress)
    except _Rejected:
        return result
    result.written = True
    return result


def _placement_hints(misplaced: list[tuple[int, str, int | None]], user) -> list[str]:
    """For rows whose placement is missing or wrong: the placement of the recorded needs most
    like their description, in the file's codes (one query per row, at most HINTED_ROWS)."""
    hints = []
    for number, description, cycle in misplaced:
        suggestions = suggest_placements(user=user, description=description, cycle=cycle, limit=1)
        if not suggestions:
            continue
        best = suggestions[0]
        columns = [f"chapter {best.chapter}"]
        columns.append(f"article {best.article}" if best.article is not None else "article —")
        columns.append(f"category {best.category}")
        if best.subcategory:
            columns.append(f"subcategory {best.subcategory}")
        hints.append(
            gettext("row %(row)s: the most similar recorded needs suggest %(columns)s.")
            % {"row": number, "columns": ", ".join(columns)}
        )
    return hints


def _refuse_changed_since_check(updates, seen_versions, result) -> None:
    if seen_versions is None:
        return
    for row in updates:
        seen = seen_versions.get(row.ref)
        if seen is not None and seen != row.existing.version:
            result.problems.append(
                Problem(
                    row.number,
                    "ref",
                    gettext(
                        "need %(ref)s was saved by someone else after the file was checked; "
                        "check the file again to see the current values."
                    )
                    % {"ref": row.ref},
                )
            )


def _write(creations: list[_Row], updates: list[_Row], *, user, filename: str, progress) -> None:
    now = timezone.now()
    user_id = user.pk if user is not None else None
    total = len(creations) + len(updates)
    history = _History(user_id=user_id, now=now, reason=f"Imported from {filename}")

    if connection.vendor == "postgresql":
        _create_by_copy(creations, user_id=user_id, now=now, history=history)
        # Updated needs that follow a need the file creates: its id, now that it exists.
        wanted = {row.follows_new for row in updates if row.follows_new}
        new_ids = (
            dict(Need.objects.filter(ref__any=wanted).order_by().values_list("ref", "pk"))
            if wanted
            else {}
        )
    else:
        created_rows, created_ids, created_links = _create(creations, user_id=user_id, now=now)
        new_ids = {values["ref"]: pk for values, pk in zip(created_rows, created_ids, strict=True)}
        _link_new_needs(creations, created_rows, created_ids, new_ids)
        history.add(created_rows, created_ids, created_links, "+")
    if progress is not None:
        progress("saving", len(creations), total)
    for row in updates:
        if row.follows_new:
            row.values["follows_id"] = new_ids[row.follows_new]
    updated = _update(updates, user=user, now=now)
    history.add(
        [
            {f.attname: getattr(need, f.attname) for f in Need._meta.concrete_fields}
            for need in updated
        ],
        [need.pk for need in updated],
        _links_of([need.pk for need in updated]),
        "~",
    )
    history.save()
    if progress is not None:
        progress("saving", total, total)
    if total:
        data_changed(sender=Need)


def _defaults(*, user_id, now) -> dict:
    """The values of a new need's fields that the file does not give."""
    defaults = {f.attname: f.get_default() for f in Need._meta.concrete_fields if not f.primary_key}
    defaults.update(
        acceptance=Acceptance.ACCEPTED,
        status=Status.UNMET,
        updated_by_id=user_id,
        created_at=now,
        updated_at=now,
    )
    return defaults


# The fields of a new need that vary from row to row, staged with their PostgreSQL types.
STAGED_FIELDS = {
    "ref": "text",
    "review_id": "bigint",
    "chapter_id": "bigint",
    "article_id": "bigint",
    "category_id": "bigint",
    "subcategory_id": "bigint",
    "description": "text",
    "priority": "text",
    "status": "text",
    "identified_on": "date",
    "source_paragraph": "text",
    "source_excerpt": "text",
    "follows_id": "bigint",
}
STAGING_TABLE = "needs_import_staging"


def _create_by_copy(rows: list[_Row], *, user_id, now, history: "_History") -> None:
    """Insert the needs, their themes and their history entries (PostgreSQL).

    The rows' own values go by COPY into a temporary table, which draws the needs' ids from
    their sequence in file order; then one INSERT ... SELECT for each table: the needs (the
    fields every new need shares as parameters), their themes, one history entry per need
    copied from the need as stored, and the history's themes. The database still checks
    every constraint and its trigger keeps the search column.
    """
    if not rows:
        return
    defaults = _defaults(user_id=user_id, now=now)
    refs = [row.ref for row in rows]
    _fill_new_refs(refs)
    columns = {
        "ref": refs,
        "review_id": [row.review.id for row in rows],
        **{
            name: [row.values.get(name, defaults[name]) for row in rows]
            for name in STAGED_FIELDS
            if name not in ("ref", "review_id")
        },
    }
    columns["status"] = [status or Status.UNMET for status in columns["status"]]
    # A need that follows another new need of the file: its id is drawn when staged, so the
    # link is set in the staging table (below), before the needs and their history are written.
    columns["follows_id"] = [None if pk is NEW_NEED else pk for pk in columns["follows_id"]]
    follows_new = [row.follows_new or None for row in rows]
    staged = {name: (STAGED_FIELDS[name], values) for name, values in columns.items()}
    staged["theme_ids"] = ("bigint[]", [row.theme_ids or None for row in rows])
    staged["follows_ref"] = ("text", follows_new)

    quote = connection.ops.quote_name
    meta = Need._meta
    staging = quote(STAGING_TABLE)

    def select(fields) -> tuple[list[str], list[str], list]:
        """Columns, the expressions filling them from the staging table, their parameters."""
        columns, sources, params = [], [], []
        for f in fields:
            columns.append(quote(f.column))
            if f.attname == "id" or f.attname in STAGED_FIELDS:
                sources.append(f"s.{quote(f.attname)}")
            else:
                sources.append("%s")
                params.append(
                    meta.get_field(f.attname).get_db_prep_save(defaults[f.attname], connection)
                )
        return columns, sources, params

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [meta.db_table, meta.pk.column])
        sequence = cursor.fetchone()[0]
        stage_columns(
            cursor,
            STAGING_TABLE,
            staged,
            extra=f"id bigint NOT NULL DEFAULT nextval('{sequence}'::regclass)",
        )
        if any(follows_new):
            cursor.execute(
                f"UPDATE {staging} AS s SET follows_id = t.id FROM {staging} AS t "
                f"WHERE s.follows_ref IS NOT NULL AND t.ref = s.follows_ref"
            )
        # The needs (the trigger of needs/0005 fills their search column).
        columns, sources, params = select(
            f for f in meta.concrete_fields if f.attname != "search_vector"
        )
        cursor.execute(
            f"INSERT INTO {quote(meta.db_table)} ({', '.join(columns)}) "
            f"SELECT {', '.join(sources)} FROM {staging} AS s ORDER BY s.id",
            params,
        )
        # One history entry per need, with the same values, and the needs' themes with
        # their history: ids passed on by RETURNING, so no join reads the big tables.
        entries = HistoricalNeed._meta
        columns, sources, params = select(entries.get_field(name) for name in history.tracked)
        for name, value in {**history.extra, "history_type": "+"}.items():
            columns.append(quote(entries.get_field(name).column))
            sources.append("%s")
            params.append(value)
        links = ThemeLink._meta
        entry_links = HistoricalThemeLink._meta
        need, theme = links.get_field("need").column, links.get_field("theme").column
        entry_link_columns = [
            quote(entry_links.get_field(name).column) for name in ("id", "need", "theme", "history")
        ]
        cursor.execute(
            f"WITH entries AS (INSERT INTO {quote(entries.db_table)} ({', '.join(columns)}) "
            f"SELECT {', '.join(sources)} FROM {staging} AS s ORDER BY s.id "
            f"RETURNING {quote(entries.pk.column)} AS entry_id, id AS need_id), "
            f"links AS (INSERT INTO {quote(links.db_table)} ({quote(need)}, {quote(theme)}) "
            f"SELECT s.id, theme_id FROM {staging} AS s, unnest(s.theme_ids) AS theme_id "
            f"ORDER BY s.id, theme_id RETURNING id, {quote(need)}, {quote(theme)}) "
            f"INSERT INTO {quote(entry_links.db_table)} "
            f"({', '.join(entry_link_columns)}) "
            f"SELECT links.id, links.{quote(need)}, links.{quote(theme)}, entries.entry_id "
            f"FROM links JOIN entries ON entries.need_id = links.{quote(need)} ORDER BY links.id",
            params,
        )
        cursor.execute(f"DROP TABLE {staging}")


def _create(rows: list[_Row], *, user_id, now) -> tuple[list[dict], list[int], list[tuple]]:
    """Insert the needs and their themes; return their rows, ids and theme links."""
    if not rows:
        return [], [], []
    defaults = _defaults(user_id=user_id, now=now)
    need_rows = []
    for row in rows:
        values = {**defaults, **row.values, "review_id": row.review.pk, "ref": row.ref}
        values["status"] = values["status"] or Status.UNMET
        if values.get("follows_id") is NEW_NEED:
            values["follows_id"] = None
        need_rows.append(values)
    refs = [values["ref"] for values in need_rows]
    _fill_new_refs(refs)
    for values, ref in zip(need_rows, refs, strict=True):
        values["ref"] = ref
    need_ids = insert_rows(Need, need_rows)
    links = [
        (need_id, theme_id)
        for need_id, row in zip(need_ids, rows, strict=True)
        for theme_id in sorted(row.theme_ids or ())
    ]
    link_ids = insert_rows(
        ThemeLink, [{"need_id": need_id, "theme_id": theme_id} for need_id, theme_id in links]
    )
    return (
        need_rows,
        need_ids,
        [(link_id, *link) for link_id, link in zip(link_ids, links, strict=True)],
    )


def _link_new_needs(rows: list[_Row], need_rows: list[dict], need_ids: list[int], new_ids) -> None:
    """Set `follows` on new needs that follow another new need of the file (inserted
    without it, as its id was not known yet): one UPDATE for them all."""
    links = {}
    for row, values, pk in zip(rows, need_rows, need_ids, strict=True):
        if row.follows_new:
            values["follows_id"] = links[pk] = new_ids[row.follows_new]
    if not links:
        return
    pks = list(links)
    for start in range(0, len(pks), BATCH_SIZE):
        batch = pks[start : start + BATCH_SIZE]
        Need.objects.filter(pk__in=batch).update(
            follows_id=Case(*(When(pk=pk, then=Value(links[pk])) for pk in batch))
        )


def _links_of(need_ids: list[int]) -> list[tuple]:
    links = []
    for start in range(0, len(need_ids), BATCH_SIZE):
        links.extend(
            ThemeLink.objects.filter(need_id__in=need_ids[start : start + BATCH_SIZE])
            .order_by()
            .values_list("pk", "need_id", "theme_id")
        )
    return links


def _fill_new_refs(refs: list[str]) -> None:
    """Give each empty ref a new reference, used by no need and no other row of the file
    (collisions are rare but possible)."""
    pending = [index for index, ref in enumerate(refs) if not ref]
    seen = {ref for ref in refs if ref}
    while pending:
        for index, ref in zip(pending, new_need_refs(len(pending)), strict=True):
            refs[index] = ref
        wanted = {refs[index] for index in pending}
        taken = set(Need.objects.filter(ref__any=wanted).order_by().values_list("ref", flat=True))
        clashing = []
        for index in pending:
            if refs[index] in taken or refs[index] in seen:
                clashing.append(index)
            seen.add(refs[index])
        pending = clashing


def _update(rows: list[_Row], *, user, now: datetime.datetime) -> list[Need]:
    if not rows:
        return []
    needs = []
    fields = {"version", "updated_by", "updated_at"}
    for row in rows:
        need = row.existing
        for name in row.changed_fields:
            setattr(need, name, row.values[name])
            fields.add(name)
        need.version += 1
        need.updated_by = user
        need.updated_at = now
        needs.append(need)
    update_objects(Need, needs, sorted(fields))
    theme_rows = [row for row in rows if row.themes_changed]
    if theme_rows:
        ThemeLink.objects.filter(need__in=[row.existing.pk for row in theme_rows]).delete()
        insert_rows(
            ThemeLink,
            [
                {"need_id": row.existing.pk, "theme_id": theme_id}
                for row in theme_rows
                for theme_id in sorted(row.theme_ids)
            ],
        )
    return needs


class _History:
    """History entries of the needs written, with their themes, as the services record them
    (one entry per need, by the importing user, at the time of the import)."""

    def __init__(self, *, user_id, now, reason: str):
        reason_field = HistoricalNeed._meta.get_field("history_change_reason")
        self.extra = {
            "history_date": now,
            "history_user_id": user_id,
            "history_change_reason": reason[: reason_field.max_length],
        }
        self.tracked = [f.attname for f in HistoricalNeed.tracked_fields]
        self.rows: list[dict] = []
        self.links: list[tuple] = []

    def add(self, need_rows: list[dict], need_ids: list[int], links, kind: str) -> None:
        """`links`: the needs' theme links as (link id, need id, theme id)."""
        for need_id, values in zip(need_ids, need_rows, strict=True):
            entry = {name: values[name] for name in self.tracked if name != "id"}
            self.rows.append({**entry, **self.extra, "id": need_id, "history_type": kind})
        self.links.extend(links)

    def save(self) -> None:
        if not self.rows:
            return
        history_ids = insert_rows(HistoricalNeed, self.rows)
        entry_of_need = {
            row["id"]: history_id for row, history_id in zip(self.rows, history_ids, strict=True)
        }
        insert_rows(
            HistoricalThemeLink,
            [
                {
                    "id": link_id,
                    "need_id": need_id,
                    "theme_id": theme_id,
                    "history_id": entry_of_need[need_id],
                }
                for link_id, need_id, theme_id in self.links
            ],
        )


IMPORTER = Importer(
    kind="needs",
    label=_("Needs"),
    columns=FILE_COLUMNS,
    may_import=can_manage_needs,
    run=import_needs,
    results_url="needs:need_list",
    results_label=_("See the needs"),
    notes=(
        Doc(
            _(
                "A row whose <code>ref</code> matches an existing need updates it instead of "
                'creating another. An export from the <a href="%(need_list)s">needs list</a> is '
                "also a valid file."
            ),
            {"need_list": reverse_lazy("needs:need_list")},
        ),
    ),
    options=("allow_duplicates", "seen_versions"),
    duplicates_rule=_(
        "A row without ref that repeats a need of the same review (same article, "
        "category and description) is reported as a probable duplicate and, unless this is "
        "ticked, rejects the file."
    ),
)
