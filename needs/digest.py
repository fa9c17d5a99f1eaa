"""The daily digest that asks each focal point to confirm their State's possibly stale needs
and reminds them of its overdue follow-up actions.

Sending is idempotent per day through the database: a `DigestDelivery` row (unique per user
and day) is written in the same transaction as the e-mail is sent (`core.mail.send_once`).
"""

import datetime
import logging
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import ngettext

from core.mail import SEND_ERRORS, absolute_url, send_once
from core.models import DigestDelivery, Role, User
from translations.lookup import localized

from .models import Acceptance, Need, NeedAction, Status, stale_q
from .selectors import overdue_actions_of_states

logger = logging.getLogger(__name__)

# An e-mail lists this many needs (and this many actions) at most; the country page has the rest.
MAX_NEEDS_LISTED = 50
MAX_ACTIONS_LISTED = 50
# Needs met or no longer relevant do not need a confirmation that they are still relevant.
SETTLED_STATUSES = (Status.MET, Status.OBSOLETE)


# The filters of a State's list of needs (countries:state_needs) that show what the digest
# asks to confirm: possibly stale and still open.
TO_CONFIRM_QUERY = urlencode(
    [("stale", "true"), *(("status", s) for s in Status.values if s not in SETTLED_STATUSES)]
)


@dataclass(frozen=True)
class DigestRun:
    sent: int
    already_sent: int
    nothing_to_confirm: int
    failed: int


def digest_recipients() -> QuerySet:
    """Active focal points with an e-mail address."""
    return (
        User.objects.filter(is_active=True, role=Role.FOCAL_POINT, state__isnull=False)
        .exclude(email="")
        .select_related("state")
        .order_by("pk")
    )


def needs_to_confirm(state_ids, today: datetime.date | None = None) -> QuerySet:
    """Accepted, still open needs of these States not confirmed for too long."""
    return (
        Need.objects.filter(review__state_id__in=state_ids, acceptance=Acceptance.ACCEPTED)
        .exclude(status__in=SETTLED_STATUSES)
        .filter(stale_q(today))
        .select_related("review", "chapter", "article")
        .order_by("review__state_id", "review__cycle", "chapter__number", "article__number", "id")
    )


def send_confirmation_digests(*, today: datetime.date | None = None) -> DigestRun:
    today = today or timezone.localdate()
    recipients = list(digest_recipients())
    already = set(
        DigestDelivery.objects.filter(sent_on=today, user__in=recipients).values_list(
            "user_id", flat=True
        )
    )
    pending = [user for user in recipients if user.pk not in already]
    needs_by_state: dict[int, list[Need]] = defaultdict(list)
    pending_states = {user.state_id for user in pending}
    for need in needs_to_confirm(pending_states, today):
        needs_by_state[need.review.state_id].append(need)
    actions_by_state: dict[int, list[NeedAction]] = defaultdict(list)
    for action in overdue_actions_of_states(pending_states, today):
        actions_by_state[action.need.review.state_id].append(action)

    sent = nothing = failed = 0
    already_sent = len(already)
    for user in pending:
        needs = needs_by_state.get(user.state_id, [])
        actions = actions_by_state.get(user.state_id, [])
        if not needs and not actions:
            nothing += 1
            continue
        try:
            delivered = _send_digest(user=user, needs=needs, actions=actions, today=today)
        except SEND_ERRORS:
            # Nothing was recorded for this person, so the next run tries again; the others
            # still get theirs.
            logger.exception("The confirmation digest to user %s could not be sent", user.pk)
            failed += 1
            continue
        if delivered:
            sent += 1
        else:
            already_sent += 1
    return DigestRun(
        sent=sent, already_sent=already_sent, nothing_to_confirm=nothing, failed=failed
    )


def _subject(needs: list[Need], actions: list[NeedAction], state_name: str) -> str:
    if needs:
        return ngettext(
            "%(count)s need of %(state)s to confirm",
            "%(count)s needs of %(state)s to confirm",
            len(needs),
        ) % {"count": len(needs), "state": state_name}
    return ngettext(
        "%(count)s overdue follow-up action of %(state)s",
        "%(count)s overdue follow-up actions of %(state)s",
        len(actions),
    ) % {"count": len(actions), "state": state_name}


def _send_digest(
    *, user: User, needs: list[Need], today: datetime.date, actions: list[NeedAction] = ()
) -> bool:
    """Send one focal point's digest unless a run already recorded it today."""

    def send():
        state_name = localized(user.state)
        context = {
            "user": user,
            "state": user.state,
            "state_name": state_name,
            "needs": needs[:MAX_NEEDS_LISTED],
            "more": max(len(needs) - MAX_NEEDS_LISTED, 0),
            "total": len(needs),
            "stale_after_days": settings.NEED_STALE_AFTER_DAYS,
            "state_url": absolute_url(
                reverse("countries:state_needs", args=[user.state.iso3]) + f"?{TO_CONFIRM_QUERY}"
            ),
            "actions": list(actions)[:MAX_ACTIONS_LISTED],
            "more_actions": max(len(actions) - MAX_ACTIONS_LISTED, 0),
            "action_total": len(actions),
            "actions_url": absolute_url(
                reverse("countries:state_actions", args=[user.state.iso3]) + "?overdue=true"
            ),
        }
        send_mail(
            subject=_subject(needs, actions, state_name),
            message=render_to_string("needs/focal_digest_email.txt", context),
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[user.email],
        )

    return send_once(
        recipient=user,
        record=lambda: DigestDelivery.objects.create(
            user=user, sent_on=today, need_count=len(needs)
        ),
        send=send,
    )
