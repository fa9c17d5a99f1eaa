"""Who may do what with needs, record by record (role-only answers are in `core.access`)."""

from core.access import focal_point_state_id, is_staff_member
from reviews.models import Review, State

from .models import Need


def _staff_or_focal_point_of(user, state_id: int) -> bool:
    own_state = focal_point_state_id(user)
    return is_staff_member(user) or (own_state is not None and own_state == state_id)


def can_maintain_need(user, need: Need) -> bool:
    """Confirm a need as still relevant, change its status with a comment."""
    return _staff_or_focal_point_of(user, need.review.state_id)


def can_maintain_state_needs(user, state: State) -> bool:
    """Whether `can_maintain_need` holds for every need of this State (country page buttons)."""
    return _staff_or_focal_point_of(user, state.pk)


def can_propose_need(user, review: Review) -> bool:
    return _staff_or_focal_point_of(user, review.state_id)


def can_propose_needs_at_all(user) -> bool:
    """Whether the user may propose needs for some review (staff, focal points)."""
    return is_staff_member(user) or focal_point_state_id(user) is not None


def can_record_need_actions(user, need: Need) -> bool:
    """Add, change and delete the follow-up actions of this need: staff and the focal point
    of the need's State."""
    return _staff_or_focal_point_of(user, need.review.state_id)


def can_record_actions_at_all(user) -> bool:
    """Whether the user records follow-up actions for some need (staff, focal points)."""
    return is_staff_member(user) or focal_point_state_id(user) is not None
