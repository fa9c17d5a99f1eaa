from django.core.exceptions import ValidationError


class ConcurrentEditError(ValidationError):
    """Someone saved the record after the editor opened it; their save is refused.

    `changes` maps each field changed since to (value the editor saw, current value), and
    `current` is the record as it is now.
    """

    def __init__(self, current, changes: dict[str, tuple[object, object]]):
        self.current = current
        self.changes = changes
        fields = ", ".join(sorted(changes)) or "no field you can see"
        super().__init__(
            f"Someone else saved this record after you opened it (changed: {fields}). "
            "Your changes were not saved; review the current values and try again.",
            code="concurrent_edit",
        )
