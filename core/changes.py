"""How the apps say that data changed, without knowing who computes something from it.

1. Every service that writes data the figures or caches depend on calls `data_changed()`
   inside its transaction. It increments `DataVersion.version` (one UPDATE, undone with the
   change if the change rolls back) and, after the commit, sends the
   `core.signals.data_committed` signal. A transaction does this once however many rows it
   writes, so an import of thousands of needs sends one signal.
2. What is computed from the data records the version it read (`data_version()`) and is
   stale while the current version is higher; caches put the version in their keys
   (`cache_key`).
3. The writer holds the version row's lock from its `data_changed()` to its commit, so
   `settled_data_version()` waits for (or refuses while) an uncommitted writer.
"""

import hashlib
import json

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from .models import DataVersion
from .signals import data_committed


class _AfterCommit:
    """The after-commit callback of one transaction: sends `data_committed` once, naming
    every model the transaction said it changed."""

    def __init__(self):
        self.senders: set = set()

    def __call__(self) -> None:
        data_committed.send(sender=DataVersion, senders=frozenset(self.senders))


def data_changed(*, sender) -> None:
    """`sender` (a model) changed in the current transaction: move the data version on and
    send `data_committed` after the commit (once per transaction)."""
    pending = _pending_in_this_transaction()
    if pending is None:
        _bump()
        pending = _AfterCommit()
        transaction.on_commit(pending, robust=True)
    pending.senders.add(sender)


def _pending_in_this_transaction() -> _AfterCommit | None:
    # Django drops the callbacks of a savepoint or transaction that rolls back, together
    # with the UPDATE made next to them; a callback still listed means this transaction has
    # already bumped the version and will send the signal.
    return next(
        (
            callback
            for _, callback, _ in connection.run_on_commit
            if isinstance(callback, _AfterCommit)
        ),
        None,
    )


def _bump() -> None:
    changes = {"version": F("version") + 1, "changed_at": timezone.now()}
    rows = DataVersion.objects.filter(pk=DataVersion.ROW_ID)
    if not rows.update(**changes):
        # The migration creates the row; a database flushed by a test has lost it.
        DataVersion.objects.get_or_create(pk=DataVersion.ROW_ID)
        rows.update(**changes)


def cache_key(prefix: str, *parts) -> str:
    """The cache key of what is built from `parts` (the data version, language, audience,
    address... whatever the result depends on): `prefix:` and a digest, so that a key of any
    length fits the cache's limit and two kinds of thing never share one."""
    digest = hashlib.sha256(json.dumps(parts, default=str).encode()).hexdigest()
    return f"{prefix}:{digest}"


def data_version() -> int:
    """The current data version (0 before anything was counted)."""
    return (
        DataVersion.objects.filter(pk=DataVersion.ROW_ID).values_list("version", flat=True).first()
        or 0
    )


@transaction.atomic
def settled_data_version(*, wait: bool) -> int:
    """The current data version, once no uncommitted transaction has changed the data.

    Locking the version row waits for (or, with `wait=False`, refuses with
    OperationalError while) a writer between its `data_changed()` and its commit: every
    change counted in the version read here is committed, hence visible to the queries that
    follow. A writer that moves the version on later makes their result stale again.
    """
    row = DataVersion.objects.select_for_update(nowait=not wait).filter(pk=DataVersion.ROW_ID)
    found = row.first()
    if found is None:
        found, _ = DataVersion.objects.get_or_create(pk=DataVersion.ROW_ID)
    return found.version
