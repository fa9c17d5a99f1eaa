"""Fixtures for the dashboard tests: reviews in several regions and both cycles, and a way to
run the after-commit callbacks of one simulated transaction at a time."""

from contextlib import contextmanager

import pytest
from django.db import connection

from dashboard import tasks
from reviews.reference import load_reference
from tests import factories


@pytest.fixture
def regional_reviews(db) -> dict:
    """Second-cycle reviews of Kenya (African), Peru (Latin American and Caribbean), France
    (Western European and other) and the European Union (no regional group), and first-cycle
    reviews of Kenya and China (Asia-Pacific)."""
    return {
        ("KEN", 2): factories.ReviewFactory(state=factories.state("KEN"), cycle=2),
        ("PER", 2): factories.ReviewFactory(state=factories.state("PER"), cycle=2),
        ("FRA", 2): factories.ReviewFactory(state=factories.state("FRA"), cycle=2),
        ("EUU", 2): factories.ReviewFactory(state=factories.state("EUU"), cycle=2),
        ("KEN", 1): factories.ReviewFactory(state=factories.state("KEN"), cycle=1),
        ("CHN", 1): factories.ReviewFactory(
            state=factories.state("CHN"),
            cycle=1,
            executive_summary_completed=None,
            executive_summary_published=False,
        ),
    }


@pytest.fixture
def enqueued(monkeypatch) -> list[dict]:
    """Recomputations asked of Celery, recorded instead of sent to the broker."""
    calls: list[dict] = []
    monkeypatch.setattr(
        tasks.recompute_figures, "apply_async", lambda *args, **kwargs: calls.append(kwargs)
    )
    return calls


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """`with committed():` runs the block as if it were a transaction of its own that
    commits: its after-commit callbacks run at the end, and the next block starts afresh
    (inside the test's transaction Django would otherwise keep them listed)."""

    @contextmanager
    def block():
        start = len(connection.run_on_commit)
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            yield callbacks
        del connection.run_on_commit[start:]

    return block


@pytest.fixture
def reference_data(transactional_db):
    """The reference data, for tests that commit.

    Serialized rollback should restore it after another committing test's flush, but the
    test database is serialized on the connection of the context that created it, and
    tests run after Playwright has started see another connection object (asgiref keeps
    one per context) without that copy. Loading it again is idempotent and takes a second.
    """
    load_reference()
