"""Writes shared by the apps' services (HackSoft styleguide's `model_update`, and its
counterpart for new rows)."""

from collections.abc import Callable, Iterable, Mapping

from django.db import models

from .changes import data_changed
from .history import attribute_history, lock_for_edit


def model_create(
    instance: models.Model,
    *,
    user=None,
    clean: Callable[[models.Model], None] | None = None,
    many: Mapping[str, Iterable] | None = None,
) -> models.Model:
    """Validate a new row with `clean(instance)` (default `full_clean()`), save it with
    `user` as the author of its history, then set its many-to-many fields from `many`."""
    (clean or _full_clean)(instance)
    attribute_history(instance, user)
    instance.save()
    for name, values in (many or {}).items():
        getattr(instance, name).set(values)
    return instance


def model_update(
    instance: models.Model,
    data: Mapping[str, object],
    fields: Iterable[str],
    *,
    user=None,
    clean: Callable[[models.Model], None] | None = None,
) -> tuple[models.Model, bool]:
    """Set the `fields` named in `data` that differ from the instance, validate, and save only
    them; many-to-many fields are set after the save. Returns (instance, whether it changed).

    `data` may name only `fields` (anything else is a programming error: TypeError). Nothing
    changed: nothing is saved. Otherwise the change is validated with `clean(instance)`
    (default `full_clean()`), counted in the instance's `version` and `updated_by` where the
    model has them (the edit-conflict check of `core.history.lock_for_edit`), attributed to
    `user` in the history, and saved with `save(update_fields=...)`.
    """
    fields = tuple(fields)
    unknown = set(data) - set(fields)
    if unknown:
        raise TypeError(f"Unknown {instance._meta.model_name} fields: {', '.join(sorted(unknown))}")
    model_fields = {field.name: field for field in instance._meta.get_fields()}
    update_fields: list[str] = []
    many: dict[str, list] = {}
    for name in fields:
        if name not in data:
            continue
        value = data[name]
        if model_fields[name].many_to_many:
            value = list(value)
            current = set(getattr(instance, name).values_list("pk", flat=True))
            if instance.pk is None or current != {item.pk for item in value}:
                many[name] = value
        elif getattr(instance, name) != value:
            setattr(instance, name, value)
            update_fields.append(model_fields[name].attname)
    if not update_fields and not many:
        return instance, False
    if "updated_by" in model_fields:
        instance.updated_by = user
        update_fields.append("updated_by")
    if "version" in model_fields:
        # The row is locked by lock_for_edit, so a plain increment cannot race.
        instance.version += 1
        update_fields.append("version")
    if "updated_at" in model_fields:
        update_fields.append("updated_at")  # auto_now: set by save()
    (clean or _full_clean)(instance)
    attribute_history(instance, user)
    instance.save(update_fields=update_fields)
    for name, value in many.items():
        getattr(instance, name).set(value)
    return instance, True


def model_edit(
    model: type[models.Model],
    pk: int,
    changes: Mapping[str, object],
    fields: Iterable[str],
    *,
    seen_version: int | None = None,
    user=None,
    clean: Callable[[models.Model], None] | None = None,
) -> models.Model:
    """The edit of a page, form or API call: lock the row (refused with ConcurrentEditError
    when it was saved since `seen_version`; None skips the check), `model_update` it, and
    move the data version on when something changed."""
    current = lock_for_edit(model, pk, seen_version)
    current, changed = model_update(current, changes, fields, user=user, clean=clean)
    if changed:
        data_changed(sender=model)
    return current


def _full_clean(instance: models.Model) -> None:
    instance.full_clean()
