"""Who may see and do what: the role facts, the base of every model's visibility rule, and
the yes/no answers that depend on the role alone.

- Staff (secretariat, administrators) see and change everything.
- A focal point sees published data and everything of their own State, and maintains their
  State's needs (confirm, status, comment, propose), never review outcomes.
- Donors and the public see data of reviews whose executive summary is published.
- Donor interest is visible to everyone signed in, never to the public.

Each model with a rule declares it once, next to the model, as `visibility_filter()` on its
QuerySet (a `VisibleQuerySet`): `Need.objects.visible_to(user)` applies it, and
`Need.objects.visibility_key(user)` names the rows it gives, derived from the same filter,
so that what is cached for one audience is never served to another. Rules about one record
(may this focal point change this need?) are in each app's `rules.py`.

Nothing here imports a model: the role facts read the user's own fields.
"""

import hashlib
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _


# --- Role facts ---------------------------------------------------------------------------
def signed_in(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def is_staff_member(user) -> bool:
    return signed_in(user) and user.is_staff_member


def focal_point_state_id(user) -> int | None:
    """The State whose focal point the user is, or None."""
    return user.state_id if signed_in(user) and user.is_focal_point else None


def donor_id(user) -> int | None:
    """The donor organisation the user acts for, or None."""
    return user.donor_id if signed_in(user) and user.is_donor else None


def is_administrator(user) -> bool:
    return signed_in(user) and user.is_administrator


@dataclass(frozen=True)
class Audience:
    """What a visibility rule may look at: the role facts of one user, nothing else, and
    who they are, for records that belong to one person (a saved search)."""

    signed_in: bool
    staff: bool
    state_id: int | None
    donor_id: int | None
    user_id: int | None

    @classmethod
    def of(cls, user) -> "Audience":
        return cls(
            user_id=user.pk if signed_in(user) else None,
            signed_in=signed_in(user),
            staff=is_staff_member(user),
            state_id=focal_point_state_id(user),
            donor_id=donor_id(user),
        )


# --- Visibility on querysets --------------------------------------------------------------
NOTHING = Q(pk__in=[])


class VisibleQuerySet(QuerySet):
    """A queryset that knows which of its rows each user may read.

    Subclasses override `visibility_filter`; the default rule is that everyone sees every row
    (assistance delivered is public information).
    """

    def visibility_filter(self, audience: Audience) -> Q | None:
        """The rows `audience` may read, as a filter; None for every row."""
        return None

    def visible_to(self, user) -> "VisibleQuerySet":
        """These rows, narrowed to those `user` may read."""
        condition = self.visibility_filter(Audience.of(user))
        return self.all() if condition is None else self.filter(condition)

    def visibility_key(self, user) -> str:
        """A name for the rows `visible_to(user)` gives: users with the same key see the same
        rows, by construction (the key is the rule's filter itself, hashed)."""
        condition = self.visibility_filter(Audience.of(user))
        rule = "every row" if condition is None else repr(condition.deconstruct())
        return hashlib.sha256(f"{self.model._meta.label}|{rule}".encode()).hexdigest()[:32]


def through(relation: str, condition: Q | None) -> Q | None:
    """A rule about a related model, seen from a model that points to it by `relation`:
    `through("need", Q(acceptance="accepted"))` is `Q(need__acceptance="accepted")`."""
    if condition is None:
        return None
    return Q.create(
        [
            through(relation, child)
            if isinstance(child, Q)
            else (f"{relation}__{child[0]}", child[1])
            for child in condition.children
        ],
        connector=condition.connector,
        negated=condition.negated,
    )


# --- What the role alone decides ----------------------------------------------------------
def can_see_personal_data(user) -> bool:
    """Names and e-mails of focal points and of who did what: signed-in users only."""
    return signed_in(user)


def can_see_donor_interest(user) -> bool:
    """Donor interest, and the dashboard's figures about it: signed-in users only."""
    return signed_in(user)


def can_save_searches(user) -> bool:
    """Keep a filtered list under a name, with an optional e-mail alert: anyone signed in
    (which lists each may save is the alerts app's rule)."""
    return signed_in(user)


def can_manage_reviews(user) -> bool:
    return is_staff_member(user)


def can_manage_needs(user) -> bool:
    """Create, edit, delete and import any need, accept or decline proposals."""
    return is_staff_member(user)


def can_manage_assistance(user) -> bool:
    return is_staff_member(user)


def can_take_snapshots(user) -> bool:
    """Freeze the dashboard's figures under a label, or delete such a snapshot."""
    return is_staff_member(user)


def can_lift_lockouts(user) -> bool:
    """See who is locked out of signing in, and let them in again before the cool-off ends."""
    return is_staff_member(user)


def can_manage_api_tokens(user) -> bool:
    """Issue and revoke other people's API tokens: a token acts as its user, so only
    administrators hand them out (anyone signed in manages their own at /api/v1/me/token/)."""
    return is_administrator(user)


def can_manage_reference_data(user) -> bool:
    return is_administrator(user)


def can_use_back_office(user) -> bool:
    """Django's admin site, which lets in accounts flagged `is_staff`."""
    return signed_in(user) and user.is_active and user.is_staff


def role_label(user) -> str:
    if not signed_in(user):
        return _("Public")
    if user.is_superuser and not user.role:
        return _("Administrator")
    return user.get_role_display() or _("No role")
