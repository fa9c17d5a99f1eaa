import time
from pathlib import Path

import pytest

from core.changes import data_version
from dashboard import services, tasks
from dashboard.selectors import figures_are_fresh
from needs.services import need_create
from tests import factories

WORKER_LOG = Path(__file__).resolve().parents[2] / "test-artifacts" / "celery-worker.log"


def test_the_task_recomputes_stale_figures_and_then_skips(regional_reviews):
    assert tasks.recompute_figures() == services.RECOMPUTED
    assert figures_are_fresh(data_version())

    assert tasks.recompute_figures() == services.ALREADY_FRESH


def test_the_task_runs_under_the_time_limits_of_every_task(settings):
    assert tasks.recompute_figures.soft_time_limit == settings.CELERY_TASK_SOFT_TIME_LIMIT == 300
    assert tasks.recompute_figures.time_limit == settings.CELERY_TASK_TIME_LIMIT == 360


def test_beat_runs_the_task_every_few_minutes(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["dashboard-recompute"]
    assert entry["task"] == tasks.recompute_figures.name
    assert entry["schedule"] <= 600


def _outcomes_logged_since(offset: int) -> list[str]:
    with WORKER_LOG.open(errors="replace") as log:
        log.seek(offset)
        lines = log.read().splitlines()
    return [
        line.rsplit(": ", 1)[-1].strip("'")
        for line in lines
        if tasks.recompute_figures.name in line and "succeeded" in line
    ]


@pytest.mark.worker
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_needs_created_through_the_service_reach_the_api_within_seconds(
    reference_data, worker, client
):
    worker.settle()  # no recomputation an earlier test queued may run among this one's
    review = factories.ReviewFactory(state=factories.state("KEN"), cycle=2)
    log_offset = WORKER_LOG.stat().st_size
    started = time.monotonic()
    for number in range(5):
        need_create(
            review=review,
            chapter=factories.chapter("II"),
            article=factories.article(9),
            category=factories.category("capacity_building"),
            description=f"Training in procurement audits, group {number}",
        )

    needs = None
    while time.monotonic() - started < 30:
        answer = client.get("/api/v1/dashboard/", {"cycle": 2, "region": "african"})
        if answer.status_code == 200 and answer.json()["totals"]["needs"] == 5:
            needs = answer.json()
            break
        time.sleep(0.5)
    elapsed = time.monotonic() - started

    assert needs is not None, f"not in the API after 30 s\n{worker.log_tail()}"
    assert elapsed < 20
    assert {"chapter": "II", "needs": 5, "states": 1} in needs["by_chapter"]
    assert {"article": 9, "chapter": "II", "needs": 5, "states": 1} in needs["by_article"]
    # Five separate transactions, five tasks, one recomputation: the other tasks found the
    # figures already fresh.
    time.sleep(1)
    outcomes = _outcomes_logged_since(log_offset)
    assert outcomes.count(services.RECOMPUTED) == 1, outcomes
