from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class ConcurrentEditError(ValidationError):
    """Someone saved the record after the editor opened it; their save is refused.

    `changes` maps each field changed since to (value the editor saw, current value), and
    `current` is the record as it is now.
    """

    def __init__(self, current, changes: dict[str, tuple[object, object]]):
        self.current = current
        self.changes = changes
        fields = ", ".join(sorted(changes)) or _("no field you can see")
        super().__init__(
            _(
                "Someone else saved this record after you opened it (changed: %(fields)s). "
                "Your changes were not saved; review the current values and try again."
            )
            % {"fields": fields},
            code="concurrent_edit",
        )
