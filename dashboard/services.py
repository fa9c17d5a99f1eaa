"""Writes for the dashboard: recompute and store the figures, freeze snapshots.

How the figures stay fresh:

1. Every service that writes reviews, needs, assistance links or donor interest calls
   `core.changes.data_changed()` inside its transaction: the data version moves on with the
   change, and after the commit `core.signals.data_committed` is sent (once per transaction).
   `recompute_soon`, connected to it in `apps.py`, asks Celery for one recomputation a few
   seconds later, so an import of thousands of needs costs one recomputation.
2. The task skips when the stored figures were already computed from the current version,
   so a burst of separate transactions also ends in one recomputation; the periodic beat
   run does the same and catches up after a broker outage.
3. If the broker cannot be reached the committed write stands, the error is logged, and the
   figures stay marked stale (current version higher than theirs) for the page to say so.
"""

import datetime
import logging
from contextlib import contextmanager

from django.core.exceptions import ValidationError
from django.db import IntegrityError, OperationalError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext
from kombu.exceptions import OperationalError as BrokerUnavailable

from core.changes import settled_data_version

from . import selectors
from .models import FigureSet, Snapshot, SnapshotFigureSet

logger = logging.getLogger(__name__)

# Changes committed within this many seconds of the first one are counted by one recomputation.
RECOMPUTE_DELAY_SECONDS = 3
# Key of the PostgreSQL advisory lock that lets one recomputation run at a time.
RECOMPUTE_LOCK_KEY = 6_202_611_220

RECOMPUTED = "recomputed"
ALREADY_FRESH = "fresh"
WRITER_BUSY = "busy"


# --- Asking for a recomputation -----------------------------------------------------------
def recompute_soon(sender, **kwargs) -> None:
    """Receiver of `core.signals.data_committed`: have the figures recomputed shortly."""
    from .tasks import recompute_figures as recompute_task

    try:
        recompute_task.apply_async(countdown=RECOMPUTE_DELAY_SECONDS)
    except BrokerUnavailable as error:
        logger.warning(
            "Could not ask for a dashboard recomputation (%s); the figures stay marked as "
            "older than the data until the periodic run recomputes them.",
            error,
        )


# --- Recomputing --------------------------------------------------------------------------
def recompute_figures(*, only_if_stale: bool = False, wait_for_writers: bool = True) -> str:
    """Recompute every dashboard figure from the database and replace the stored ones.

    Returns RECOMPUTED, ALREADY_FRESH (with `only_if_stale`, nothing changed since the last
    run) or WRITER_BUSY (without `wait_for_writers`, a transaction that changed the data has
    not committed yet; it enqueues its own recomputation when it does). Idempotent: running
    it twice stores the same figures. Runs one at a time (a PostgreSQL advisory lock).
    """
    with _one_recomputation_at_a_time():
        try:
            source_version = settled_data_version(wait=wait_for_writers)
        except OperationalError:
            return WRITER_BUSY
        if only_if_stale and selectors.figures_are_fresh(source_version):
            return ALREADY_FRESH
        computed_at = timezone.now()
        outermost = not connection.in_atomic_block
        with transaction.atomic():
            if outermost and connection.vendor == "postgresql":
                # Every aggregate reads the same snapshot of the data, so the totals always
                # agree with their breakdowns.
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            documents = selectors.compute_figures()
            FigureSet.objects.all().delete()
            FigureSet.objects.bulk_create(
                FigureSet(
                    cycle=cycle,
                    scope=scope,
                    figures=figures,
                    computed_at=computed_at,
                    source_version=source_version,
                )
                for (cycle, scope), figures in documents.items()
            )
    return RECOMPUTED


@contextmanager
def _one_recomputation_at_a_time():
    if connection.vendor != "postgresql":
        # SQLite lets one transaction write at a time anyway.
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [RECOMPUTE_LOCK_KEY])
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [RECOMPUTE_LOCK_KEY])


# --- Snapshots ----------------------------------------------------------------------------
def snapshot_create(*, label: str, taken_on: datetime.date, user=None) -> Snapshot:
    """Freeze the current figures of every view under `label` and `taken_on`.

    Figures older than the data are recomputed first, so a snapshot never freezes a state
    that no longer was the data's when it was taken.
    """
    recompute_figures(only_if_stale=True)
    return _freeze_figures(label=label, taken_on=taken_on, user=user)


@transaction.atomic
def _freeze_figures(*, label: str, taken_on: datetime.date, user) -> Snapshot:
    figure_sets = list(FigureSet.objects.all())
    snapshot = Snapshot(
        label=label.strip(),
        taken_on=taken_on,
        computed_at=min(
            (figure_set.computed_at for figure_set in figure_sets), default=timezone.now()
        ),
        created_by=user if getattr(user, "is_authenticated", False) else None,
    )
    snapshot.full_clean(exclude=["created_by"])
    try:
        with transaction.atomic():
            snapshot.save()
    except IntegrityError:
        raise ValidationError(
            {"label": gettext("A snapshot with this label exists already.")}, code="unique"
        ) from None
    SnapshotFigureSet.objects.bulk_create(
        SnapshotFigureSet(
            snapshot=snapshot,
            cycle=figure_set.cycle,
            scope=figure_set.scope,
            figures=figure_set.figures,
        )
        for figure_set in figure_sets
    )
    return snapshot


@transaction.atomic
def snapshot_delete(*, snapshot: Snapshot) -> None:
    Snapshot.objects.filter(pk=snapshot.pk).delete()
