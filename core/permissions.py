"""Who may see and do what: the one place where roles become querysets and yes/no answers.

Every page, download and API endpoint takes its rows from the `visible_*` functions and asks
the `can_*` functions before a write, so no view can forget a rule.

- Staff (secretariat, administrators) see and change everything.
- A focal point sees published data and everything of their own State, and maintains their
  State's needs (confirm, status, comment, propose), never review outcomes.
- Donors and the public see data of reviews whose executive summary is published.
- Donor interest is visible to everyone signed in, never to the public.
"""

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from assistance.models import Activity, ActivityNeedLink, DonorInterest, FundingContribution
from needs.models import Acceptance, Need
from reviews.models import Review, State


def is_staff_member(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_staff_member)


def focal_point_state_id(user) -> int | None:
    if getattr(user, "is_authenticated", False) and user.is_focal_point:
        return user.state_id
    return None


def donor_id(user) -> int | None:
    if getattr(user, "is_authenticated", False) and user.is_donor:
        return user.donor_id
    return None


def _published_review_q(prefix: str = "") -> Q:
    return Q(**{f"{prefix}executive_summary_published": True})


def visible_reviews(user, queryset: QuerySet | None = None) -> QuerySet:
    queryset = Review.objects.all() if queryset is None else queryset
    if is_staff_member(user):
        return queryset
    own_state = focal_point_state_id(user)
    if own_state is not None:
        return queryset.filter(_published_review_q() | Q(state_id=own_state))
    return queryset.filter(_published_review_q())


def visible_needs(user, queryset: QuerySet | None = None) -> QuerySet:
    queryset = Need.objects.all() if queryset is None else queryset
    if is_staff_member(user):
        return queryset
    own_state = focal_point_state_id(user)
    if own_state is not None:
        return queryset.filter(
            (_published_review_q("review__") & Q(acceptance=Acceptance.ACCEPTED))
            | Q(review__state_id=own_state)
        )
    return queryset.filter(_published_review_q("review__"), acceptance=Acceptance.ACCEPTED)


def need_visibility_key(user) -> str:
    """Names the set of needs `visible_needs` gives this user: users with the same key see
    the same needs (for caching what is computed from them)."""
    if is_staff_member(user):
        return "all"
    own_state = focal_point_state_id(user)
    if own_state is not None:
        return f"published-and-state-{own_state}"
    return "published"


def visible_states(user, queryset: QuerySet | None = None) -> QuerySet:
    return State.objects.all() if queryset is None else queryset


def visible_activities(user, queryset: QuerySet | None = None) -> QuerySet:
    """Assistance delivered is public information."""
    return Activity.objects.all() if queryset is None else queryset


def visible_funding(user, queryset: QuerySet | None = None) -> QuerySet:
    return FundingContribution.objects.all() if queryset is None else queryset


def visible_need_links(user, queryset: QuerySet | None = None) -> QuerySet:
    queryset = ActivityNeedLink.objects.all() if queryset is None else queryset
    return queryset.filter(need__in=visible_needs(user))


def visible_donor_interests(user, queryset: QuerySet | None = None) -> QuerySet:
    queryset = DonorInterest.objects.all() if queryset is None else queryset
    if not getattr(user, "is_authenticated", False):
        return queryset.none()
    if is_staff_member(user):
        return queryset
    return queryset.filter(need__in=visible_needs(user))


def can_see_personal_data(user) -> bool:
    """Names and e-mails of focal points and of who did what: signed-in users only."""
    return bool(getattr(user, "is_authenticated", False))


def can_manage_reviews(user) -> bool:
    return is_staff_member(user)


def can_manage_needs(user) -> bool:
    """Create, edit, delete and import any need, accept or decline proposals."""
    return is_staff_member(user)


def can_maintain_need(user, need: Need) -> bool:
    """Confirm a need as still relevant, change its status with a comment."""
    if is_staff_member(user):
        return True
    own_state = focal_point_state_id(user)
    return own_state is not None and need.review.state_id == own_state


def can_maintain_state_needs(user, state: State) -> bool:
    """Whether `can_maintain_need` holds for every need of this State (country page buttons)."""
    own_state = focal_point_state_id(user)
    return is_staff_member(user) or (own_state is not None and state.pk == own_state)


def can_propose_need(user, review: Review) -> bool:
    own_state = focal_point_state_id(user)
    return is_staff_member(user) or (own_state is not None and review.state_id == own_state)


def can_propose_needs_at_all(user) -> bool:
    """Whether the user may propose needs for some review (staff, focal points)."""
    return is_staff_member(user) or focal_point_state_id(user) is not None


def can_manage_assistance(user) -> bool:
    return is_staff_member(user)


def can_register_interest(user) -> bool:
    return donor_id(user) is not None


def can_withdraw_interest(user, interest: DonorInterest) -> bool:
    return is_staff_member(user) or (
        donor_id(user) is not None and interest.donor_id == donor_id(user)
    )


def can_manage_api_tokens(user) -> bool:
    """Issue and revoke other people's API tokens: a token acts as its user, so only
    administrators hand them out (anyone signed in manages their own at /api/v1/me/token/)."""
    return bool(getattr(user, "is_authenticated", False) and user.is_administrator)


def can_manage_reference_data(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_administrator)


def can_see_donor_interest_figures(user) -> bool:
    """The dashboard's donor-interest figures follow donor interest: signed-in users only."""
    return bool(getattr(user, "is_authenticated", False))


def can_take_snapshots(user) -> bool:
    """Freeze the dashboard's figures under a label, or delete such a snapshot."""
    return is_staff_member(user)


def role_label(user) -> str:
    if not getattr(user, "is_authenticated", False):
        return _("Public")
    if user.is_superuser and not user.role:
        return _("Administrator")
    return user.get_role_display() or _("No role")


def can_lift_lockouts(user) -> bool:
    """See who is locked out of signing in, and let them in again before the cool-off ends."""
    return is_staff_member(user)
