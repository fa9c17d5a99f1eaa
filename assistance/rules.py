"""Who may do what with donor interest (role-only answers are in `core.access`)."""

from core.access import donor_id, is_staff_member

from .models import DonorInterest


def can_register_interest(user) -> bool:
    """Donors register their organisation's interest in needs."""
    return donor_id(user) is not None


def can_withdraw_interest(user, interest: DonorInterest) -> bool:
    return is_staff_member(user) or (
        donor_id(user) is not None and interest.donor_id == donor_id(user)
    )


def can_see_who_registered_interest(user) -> bool:
    """The person behind a donor's interest: staff only (donors see each other's
    organisations, not their people)."""
    return is_staff_member(user)
