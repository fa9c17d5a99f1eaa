"""Sign-in lockouts kept by django-axes, and lifting one (the staff page and the admin)."""

import logging

from axes.models import AccessAttempt
from axes.utils import reset
from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

logger = logging.getLogger(__name__)


def active_lockouts() -> QuerySet[AccessAttempt]:
    """Account and address combinations refused right now, the latest attempt first."""
    return AccessAttempt.objects.filter(
        failures_since_start__gte=settings.AXES_FAILURE_LIMIT,
        attempt_time__gte=timezone.now() - settings.AXES_COOLOFF_TIME,
    ).order_by("-attempt_time")


@transaction.atomic
def lockout_lift(*, attempt: AccessAttempt, lifted_by) -> int:
    """Forget the failed attempts of the attempt's account from its address, so that they
    may sign in again at once; returns how many attempt records were removed."""
    removed = reset(ip=attempt.ip_address, username=attempt.username)
    # The attempt rows are deleted, so the log is where the lifting stays attributable.
    logger.warning(
        "Sign-in lockout of %r from %s lifted by %s (%d attempt records removed)",
        attempt.username,
        attempt.ip_address,
        lifted_by.get_username(),
        removed,
    )
    return removed
