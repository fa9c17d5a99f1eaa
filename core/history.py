"""Helpers over django-simple-history shared by the apps."""

from django.db import models

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
