"""Helpers over django-simple-history shared by the apps."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import models
from django.http import Http404
from django.utils.formats import date_format, localize
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from translations.lookup import localized

from .exceptions import ConcurrentEditError


def attribute_history(instance: models.Model, user) -> None:
    """Record `user` as the author of the next history entry (outside requests too)."""
    if user is not None and getattr(user, "is_authenticated", False):
        instance._history_user = user


def changes_since(instance: models.Model, seen_version: int) -> dict[str, tuple[object, object]]:
    """Fields changed since the editor saw `seen_version`: {field: (then, now)}."""
    history = instance.history.all()
    seen = history.filter(version=seen_version).order_by("-history_date").first()
    latest = history.order_by("-history_date").first()
    if seen is None or latest is None or seen.pk == latest.pk:
        return {}
    delta = latest.diff_against(seen, excluded_fields=["version", "updated_at", "updated_by"])
    return {change.field: (change.old, change.new) for change in delta.changes}


def lock_for_edit(model: type[models.Model], pk: int, seen_version: int | None):
    """Lock the row and refuse the edit if it changed since `seen_version` was read."""
    current = model.objects.select_for_update().get(pk=pk)
    if seen_version is not None and current.version != seen_version:
        raise ConcurrentEditError(current, changes_since(current, seen_version))
    return current


# --- Showing history to people ------------------------------------------------------------
# Bookkeeping fields that change with every save and say nothing a reader needs.
HIDDEN_HISTORY_FIELDS = {"id", "version", "created_at", "updated_at", "updated_by"}
SAME_SAVE_SECONDS = 1
EMPTY = "—"


@dataclass
class FieldChange:
    label: str
    before: str
    after: str


# What each kind of entry is called on the history pages.
KIND_LABELS = {
    "created": gettext_lazy("Created"),
    "changed": gettext_lazy("Changed"),
    "deleted": gettext_lazy("Deleted"),
    "restored": gettext_lazy("Restored"),
}


@dataclass
class HistoryEntry:
    record: models.Model  # the historical record (history_id, history_type, ...)
    when: datetime.datetime
    who: object  # the user, or None for a change made outside a request
    kind: str  # created, changed, deleted or restored: a code, compared by the templates
    reason: str
    changes: list[FieldChange] = field(default_factory=list)

    @property
    def kind_label(self) -> str:
        """The kind for a reader, in the active language ("Created", "Deleted", ...)."""
        return str(KIND_LABELS.get(self.kind, self.kind))


def _reader_name(obj: models.Model) -> str:
    """A related record as the history shows it: as the model names itself for history
    (`history_name()`: articles, chapters, reviews), else its name in the active language."""
    history_name = getattr(obj, "history_name", None)
    return history_name() if history_name is not None else localized(obj)


class _Labels:
    """Readable values for one model's fields, resolving related ids with one query per model."""

    def __init__(self, model: type[models.Model]):
        self.model = model
        self.wanted: dict[type[models.Model], set] = defaultdict(set)
        self.names: dict[type[models.Model], dict] = {}

    def target(self, name: str):
        field_ = self.model._meta.get_field(name)
        return field_.related_model if (field_.many_to_one or field_.many_to_many) else None

    def want(self, name: str, value) -> None:
        related = self.target(name)
        if related is None or value in (None, ""):
            return
        self.wanted[related].update(value if isinstance(value, (set, frozenset, list)) else [value])

    def resolve(self) -> None:
        for related, ids in self.wanted.items():
            rows = related._base_manager.filter(pk__in=ids)
            if hasattr(related, "history_name_related"):
                rows = rows.select_related(*related.history_name_related)
            self.names[related] = {obj.pk: _reader_name(obj) for obj in rows}

    def label(self, name: str) -> str:
        return capfirst(str(self.model._meta.get_field(name).verbose_name))

    def show(self, name: str, value) -> str:
        field_ = self.model._meta.get_field(name)
        related = self.target(name)
        if related is not None:
            names = self.names.get(related, {})
            values = value if isinstance(value, (set, frozenset, list)) else [value]
            shown = sorted(
                names.get(pk, _("#%(id)s (deleted)") % {"id": pk})
                for pk in values
                if pk is not None
            )
            return ", ".join(shown) or EMPTY
        if value is None or value == "":
            return EMPTY
        if field_.choices:
            return str(dict(field_.flatchoices).get(value, value))
        if isinstance(value, bool):
            return _("yes") if value else _("no")
        if isinstance(value, datetime.datetime):
            return date_format(value, "DATETIME_FORMAT")
        if isinstance(value, datetime.date):
            # The short form: 2019-02-01 in English, 01/02/2019 in French.
            return date_format(value, "SHORT_DATE_FORMAT")
        if isinstance(value, float | Decimal):
            return localize(value)
        return str(value)


def _m2m_snapshots(history_model, history_ids) -> dict[str, dict[int, set]]:
    """{m2m field: {history_id: set of related ids}} for the given historical records."""
    snapshots = {}
    for m2m_field in history_model._history_m2m_fields:
        m2m_model = getattr(history_model, m2m_field.name).model
        target = m2m_field.m2m_reverse_field_name()
        per_record: dict[int, set] = defaultdict(set)
        for history_id, related_id in m2m_model.objects.filter(
            history_id__in=history_ids
        ).values_list("history_id", f"{target}_id"):
            per_record[history_id].add(related_id)
        snapshots[m2m_field.name] = per_record
    return snapshots


def history_entries(model: type[models.Model], records) -> list[HistoryEntry]:
    """What each historical record of one object changed, newest first, in a fixed number of
    queries (records with their users, one per many-to-many field, one per related model)."""
    records = sorted(records, key=lambda r: (r.history_date, r.history_id))
    history_model = model.history.model
    snapshots = _m2m_snapshots(history_model, [r.history_id for r in records])
    fields = [
        f
        for f in history_model.tracked_fields
        if f.editable and f.name not in HIDDEN_HISTORY_FIELDS
    ]
    labels = _Labels(model)

    def values(record) -> dict:
        found = {f.name: getattr(record, f.attname) for f in fields}
        for name, per_record in snapshots.items():
            found[name] = per_record.get(record.history_id, set())
        return found

    # One save can leave several records (the row, then each change of a many-to-many
    # field): records of one person within a second, without a deletion between, are shown
    # as one entry.
    groups: list[list] = []
    for record in records:
        last = groups[-1][-1] if groups else None
        if (
            last is not None
            and record.history_type == "~"
            and last.history_type != "-"
            and record.history_user_id == last.history_user_id
            and record.history_change_reason == last.history_change_reason
            and (record.history_date - last.history_date).total_seconds() < SAME_SAVE_SECONDS
        ):
            groups[-1].append(record)
        else:
            groups.append([record])

    kinds = {"+": "created", "~": "changed", "-": "deleted"}
    pending, previous = [], None
    for group in groups:
        first, current = group[0], values(group[-1])
        if first.history_type == "-":
            changed = {}
        elif previous is None:
            changed = {name: (None, value) for name, value in current.items() if value}
        else:
            changed = {
                name: (previous[name], value)
                for name, value in current.items()
                if previous[name] != value
            }
        for name, (before, after) in changed.items():
            labels.want(name, before)
            labels.want(name, after)
        # A creation after a deletion is a restoration (need_restore).
        kind = "restored" if first.history_type == "+" and previous is not None else None
        pending.append((first, group[-1], changed, kind))
        previous = current
    labels.resolve()
    entries = [
        HistoryEntry(
            record=last,
            when=last.history_date,
            who=first.history_user,
            kind=kind or kinds.get(first.history_type, first.history_type),
            reason=first.history_change_reason or "",
            changes=[
                FieldChange(labels.label(name), labels.show(name, b), labels.show(name, a))
                for name, (b, a) in changed.items()
            ],
        )
        for first, last, changed, kind in pending
    ]
    entries.reverse()
    return entries


def history_or_404(model, pk: int, *related: str, missing: str):
    """What a record's history page shows, or 404 saying `missing` when it has no history:
    (its history entries, the latest historical record, the record if it still exists).
    `related` are the relations the page shows, read with the entries."""
    records = list(model.history.filter(id=pk).select_related("history_user", *related))
    if not records:
        raise Http404(missing)
    latest = max(records, key=lambda record: (record.history_date, record.history_id))
    return history_entries(model, records), latest, model.objects.filter(pk=pk).first()


def describe_changes(
    model: type[models.Model], changes: dict[str, tuple[object, object]]
) -> list[FieldChange]:
    """ConcurrentEditError.changes in words: each field with the value then and now."""
    labels = _Labels(model)
    normalised = {}
    for name, (then, now) in changes.items():
        if name in HIDDEN_HISTORY_FIELDS:
            continue
        field_ = model._meta.get_field(name)
        if field_.many_to_many:
            # diff_against gives many-to-many values as rows of the through table.
            target = field_.m2m_reverse_field_name()
            then = {row[target] for row in then or []}
            now = {row[target] for row in now or []}
        normalised[name] = (then, now)
        labels.want(name, then)
        labels.want(name, now)
    labels.resolve()
    return [
        FieldChange(labels.label(name), labels.show(name, then), labels.show(name, now))
        for name, (then, now) in normalised.items()
    ]
