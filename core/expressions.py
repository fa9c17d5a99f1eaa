"""Expressions the apps' querysets share."""

from django.db.models import BooleanField, Case, Q, Value, When


def flag(condition: Q) -> Case:
    """True where `condition` holds, else False, computed by the database (for an
    `annotate()` that lists, facets and exports read like a field)."""
    return Case(
        When(condition, then=Value(True)), default=Value(False), output_field=BooleanField()
    )
