"""The saved searches' e-mail alerts: the needs new or changed since the last one.

- Due: a daily alert once per calendar day (UTC), a weekly one when the last was seven or
  more days ago. Beat runs the task every quarter hour; each run takes a bounded batch of the
  due searches, oldest cursor first, so a backlog drains over the next runs.
- Window: `last_alerted_at` is the cursor; an alert lists the needs the search finds for its
  owner now (their `visible_to`, the view's base, the saved filters) that are new or changed
  between the previous run and this one (`alerts.selectors.changed_between`). Both ends lie
  SAVED_SEARCH_ALERTS_SETTLE_MINUTES back: a need's `updated_at` is set when it is saved, not
  when its transaction commits, so a change committed a little after a run would otherwise
  fall before the next window. Consecutive windows meet exactly.
- The cursor moves on every run that takes the search, also when nothing matched (no e-mail)
  and when the owner may no longer have it (inactive, no address, may no longer open the
  view): they get nothing, and no backlog for later.
- Once: the search's row is locked while it is handled (a concurrent run skips it) and the
  e-mail is sent with its `AlertDelivery` row, unique per search and day
  (`core.mail.send_once`); a failed send rolls back the cursor too, so the next run retries.
"""

import datetime
import logging
from collections import Counter
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext

from core.mail import SEND_ERRORS, absolute_url, send_once

from .models import AlertDelivery, AlertFrequency, SavedSearch, SearchedView
from .rules import can_open_view
from .selectors import alert_needs

logger = logging.getLogger(__name__)

# An e-mail lists this many needs at most; the link to the search shows them all.
MAX_NEEDS_LISTED = 20
UNSUBSCRIBE_SALT = "alerts.unsubscribe"

SENT, NOTHING_NEW, SKIPPED, TAKEN = "sent", "nothing_new", "skipped", "taken"


@dataclass(frozen=True)
class AlertRun:
    sent: int
    nothing_new: int
    skipped: int
    failed: int
    # Taken by an overlapping run (or no longer due) between the look-up and the lock.
    taken: int

    @property
    def handled(self) -> int:
        return self.sent + self.nothing_new + self.skipped + self.failed + self.taken


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def due_q(today: datetime.date) -> Q:
    """The saved searches whose alert is due on `today`: daily ones not alerted yet today,
    weekly ones last alerted seven or more days ago."""
    return Q(alert=AlertFrequency.DAILY, last_alerted_at__lt=_start_of(today)) | Q(
        alert=AlertFrequency.WEEKLY,
        last_alerted_at__lt=_start_of(today - datetime.timedelta(days=6)),
    )


def due_searches(today: datetime.date) -> QuerySet:
    return SavedSearch.objects.filter(due_q(today)).order_by("last_alerted_at", "pk")


def send_due_alerts(*, now: datetime.datetime | None = None, limit: int | None = None) -> AlertRun:
    """Send the alerts due now, at most `limit` (SAVED_SEARCH_ALERTS_BATCH) of them."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    limit = limit or settings.SAVED_SEARCH_ALERTS_BATCH
    outcomes: Counter = Counter()
    for pk in due_searches(today).values_list("pk", flat=True)[:limit]:
        try:
            outcomes[_alert(pk, now=now, today=today)] += 1
        except SEND_ERRORS:
            # Rolled back with its cursor: the next run tries again; the others still go.
            logger.exception("The alert of saved search %s could not be sent", pk)
            outcomes["failed"] += 1
    return AlertRun(
        sent=outcomes[SENT],
        nothing_new=outcomes[NOTHING_NEW],
        skipped=outcomes[SKIPPED],
        failed=outcomes["failed"],
        taken=outcomes[TAKEN],
    )


def _alert(pk: int, *, now: datetime.datetime, today: datetime.date) -> str:
    with transaction.atomic():
        search = (
            SavedSearch.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("owner")
            .filter(due_q(today), pk=pk)
            .first()
        )
        if search is None:
            return TAKEN
        since = search.last_alerted_at
        search.last_alerted_at = now
        search.save(update_fields=["last_alerted_at"])
        owner = search.owner
        if not (owner.is_active and owner.email and can_open_view(owner, search.view)):
            return SKIPPED
        settle = datetime.timedelta(minutes=settings.SAVED_SEARCH_ALERTS_SETTLE_MINUTES)
        needs = alert_needs(search, since=since - settle, until=now - settle)
        if needs is None:
            logger.warning("Saved search %s has filters that are no longer valid", pk)
            return SKIPPED
        total = needs.count()
        if not total:
            return NOTHING_NEW
        listed = list(needs[:MAX_NEEDS_LISTED])
        delivered = send_once(
            recipient=owner,
            record=lambda: AlertDelivery.objects.create(
                saved_search=search, sent_on=today, need_count=total
            ),
            send=lambda: alert_message(search, listed, total=total, since=since).send(),
        )
    return SENT if delivered else TAKEN


def alert_message(search: SavedSearch, needs: list, *, total: int, since) -> EmailMessage:
    """The alert, in the active language (`send_once` sets the owner's)."""
    owner = search.owner
    unsubscribe_url = absolute_url(reverse("alerts:unsubscribe", args=[unsubscribe_token(search)]))
    context = {
        "user": owner,
        "search": search,
        "weekly": search.alert == AlertFrequency.WEEKLY,
        "needs": [
            {"need": need, "url": absolute_url(need_path(search.view, need))} for need in needs
        ],
        "total": total,
        "more": max(total - len(needs), 0),
        "since": since,
        "search_url": absolute_url(search.get_absolute_url()),
        "unsubscribe_url": unsubscribe_url,
    }
    subject = ngettext(
        "%(count)s new or changed need: %(name)s",
        "%(count)s new or changed needs: %(name)s",
        total,
    ) % {"count": total, "name": search.name}
    return EmailMessage(
        subject=subject,
        body=render_to_string("alerts/alert_email.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[owner.email],
        # One-click unsubscribe (RFC 8058): mail programs offer it next to the sender.
        headers={
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )


def need_path(view: str, need) -> str:
    """Where the alert sends its reader for one need: its catalogue page, or for staff's
    needs list its place on the review page."""
    if view == SearchedView.CATALOGUE:
        return reverse("assistance:catalogue_need", args=[need.ref])
    return reverse("reviews:review_detail", args=[need.review_id]) + f"#need-{need.pk}"


def unsubscribe_token(search: SavedSearch) -> str:
    """The signed name of a saved search, for the link that turns its alert off without
    signing in."""
    return signing.dumps(search.pk, salt=UNSUBSCRIBE_SALT)


def search_for_unsubscribe(token: str) -> SavedSearch | None:
    """The saved search a link's token names; None for a token altered or of a deleted search."""
    try:
        pk = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(pk, int):
        return None
    return SavedSearch.objects.select_related("owner").filter(pk=pk).first()
