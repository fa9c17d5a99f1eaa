"""Which lists a person may save (role-only answers are in `core.access`)."""

from core.access import can_manage_needs, can_save_searches

from .models import SearchedView


def can_open_view(user, view: str) -> bool:
    """The needs list is for staff; the catalogue is open to everyone."""
    return can_manage_needs(user) if view == SearchedView.NEEDS else True


def can_save_search(user, view: str) -> bool:
    """A signed-in person saves the lists they may open."""
    return can_save_searches(user) and can_open_view(user, view)
