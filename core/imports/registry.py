"""The kinds of file the import pipeline takes. Each app registers its own in its `apps.py`
(`ready()`), so that core knows them without importing the apps above it."""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from .reader import ImportResult


@dataclass(frozen=True)
class Doc:
    """A piece of the upload page's documentation: `message` (translated lazily; it may hold
    markup, as the text of a {% blocktranslate %} may) with its `%(name)s` placeholders filled
    from `values`, escaped (lazy values such as `reverse_lazy` are resolved when shown)."""

    message: Promise | str
    values: Mapping[str, object] = field(default_factory=dict)

    def __html__(self) -> SafeString:
        values = {name: conditional_escape(value) for name, value in self.values.items()}
        return mark_safe(str(self.message) % values if values else str(self.message))

    __str__ = __html__


DATES = Doc(_("Dates as %(format)s."), {"format": "YYYY-MM-DD"})
FLAGS = ("true", "false")
# A cell that holds several codes, separated by `;`.
LIST = Doc(_("Codes separated by <code>%(separator)s</code>."), {"separator": ";"})


@dataclass(frozen=True)
class Column:
    name: str  # the column's name in the file: a code, the same in every language
    doc: Doc | Promise | str = ""
    required: bool = False
    # The values the column takes, listed on the upload page; a callable is asked each time
    # (codes kept in the database).
    codes: Iterable[str] | Callable[[], Iterable[str]] = ()
    default: str = ""

    def code_list(self) -> list[str]:
        return list(self.codes() if callable(self.codes) else self.codes)


@dataclass(frozen=True)
class Importer:
    """One kind of file: what it holds, who may import it, and the function that does it.

    `run(*, data, filename, user, dry_run, progress, **options)` checks (dry run) or imports
    the whole file and returns an ImportResult; `options` are the job's fields named in
    `options` ("allow_duplicates", "seen_versions").
    """

    kind: str  # stored in ImportJob.kind
    label: Promise | str
    columns: tuple[Column, ...]
    may_import: Callable[[object], bool]
    run: Callable[..., ImportResult]
    results_url: str  # URL name of the list that shows the imported records
    results_label: Promise | str
    notes: tuple[Doc, ...] = ()
    options: tuple[str, ...] = ()
    # With "allow_duplicates": what the importer counts as a probable duplicate.
    duplicates_rule: Promise | str = ""
    # What a row costs to check or import next to a row of needs (written in bulk): a file goes
    # to the worker when its rows times this exceed settings.IMPORT_IN_WORKER_ABOVE_ROWS.
    row_weight: int = 1

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(column.name for column in self.columns)

    @property
    def required_columns(self) -> tuple[str, ...]:
        return tuple(column.name for column in self.columns if column.required)

    def column_groups(self) -> list[list[Column]]:
        """The columns as the upload page lists them: neighbours documented by the same
        text share a line."""
        groups: list[list[Column]] = []
        for column in self.columns:
            if groups and column.doc and groups[-1][-1].doc is column.doc:
                groups[-1].append(column)
            else:
                groups.append([column])
        return groups


_importers: dict[str, Importer] = {}


def register(importer: Importer) -> None:
    """Add a kind (again: replace it; `ready()` may run more than once)."""
    # ImportJob.kind holds it.
    if not 0 < len(importer.kind) <= 10:
        raise ValueError(f"An import kind has 1 to 10 characters, not {importer.kind!r}.")
    _importers[importer.kind] = importer


def get(kind: str) -> Importer | None:
    return _importers.get(kind)


def importers() -> list[Importer]:
    """Every kind, in the order the apps registered them (the order of INSTALLED_APPS)."""
    return list(_importers.values())


def importers_for(user) -> list[Importer]:
    return [importer for importer in _importers.values() if importer.may_import(user)]


def may_import_any(user) -> bool:
    return bool(importers_for(user))
