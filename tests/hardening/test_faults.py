"""Faults with the real services: Redis stopped while staff save needs, the Celery worker
killed (SIGKILL) in the middle of a recomputation, the database connection dropped in the
middle of an import. Outages delay the dashboard figures; nothing is lost or half-written."""

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import psycopg2
import pytest
from django.db import connection

from core.changes import data_version
from dashboard import selectors as dashboard_selectors
from dashboard.services import recompute_figures
from dashboard.tasks import recompute_figures as recompute_task
from needs.models import Need
from needs.services import need_create
from reviews.services import review_update
from tests import factories
from tests.conftest import _url_with_database
from tests.needs.import_files import need_row, needs_file

pytestmark = [pytest.mark.fault, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SETTLE_TIMEOUT = 60


def figures_are_fresh() -> bool:
    return dashboard_selectors.figures_are_fresh(data_version())


def stored_figures() -> dict:
    from dashboard.models import FigureSet

    return {(f.cycle, f.scope): f.figures for f in FigureSet.objects.all()}


def wait_until(condition, timeout: float, what: str, worker=None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.25)
    log = worker.log_tail() if worker is not None else ""
    pytest.fail(f"{what} not within {timeout:.0f} s\n{log}", pytrace=False)


def assert_figures_equal_a_direct_count() -> None:
    assert figures_are_fresh()
    assert stored_figures() == dashboard_selectors.compute_figures()


@pytest.fixture
def reviews_with_needs(db):
    """Two published second-cycle reviews with needs, and figures computed from them."""
    reviews = [
        factories.ReviewFactory(state=factories.state(iso3), cycle=2) for iso3 in ("KEN", "PER")
    ]
    for review in reviews:
        factories.NeedFactory.create_batch(3, review=review)
    recompute_figures()
    assert figures_are_fresh()
    return reviews


def test_needs_saved_while_redis_is_down_are_kept_and_the_figures_catch_up(
    fault_worker, private_redis, reviews_with_needs, staff
):
    figures_before = stored_figures()
    chapter = factories.chapter("II")
    private_redis.stop()

    saved = []
    for number, review in enumerate(reviews_with_needs * 2):
        started = time.monotonic()
        saved.append(
            need_create(
                review=review,
                chapter=chapter,
                article=chapter.articles.order_by("number").first(),
                category=factories.category("legislative_assistance"),
                description=f"Drafting support saved during the outage, {number}",
                user=staff,
            )
        )
        assert time.monotonic() - started < 10, "a save must not hang on the missing broker"

    assert Need.objects.filter(pk__in=[need.pk for need in saved]).count() == 4
    assert all(need.history.filter(history_user=staff).exists() for need in saved)
    # The dashboard says its figures are older than the data, and still shows the old ones.
    assert not figures_are_fresh()
    stale_view = dashboard_selectors.figure_set(cycle=2, scope="all")
    assert stale_view.is_stale
    assert stored_figures() == figures_before

    private_redis.start()
    fault_worker.wait_until_ready()
    recompute_task.delay()  # what beat sends every few minutes

    wait_until(figures_are_fresh, SETTLE_TIMEOUT, "figures caught up", fault_worker)
    assert_figures_equal_a_direct_count()
    totals = dashboard_selectors.figure_set(cycle=2, scope="all").figures["totals"]
    assert totals["needs"] == 6 + 4


TASK_RECEIVED = re.compile(r"Task dashboard\.tasks\.recompute_figures\[([0-9a-f-]+)\] received")
TASK_SUCCEEDED = re.compile(r"Task dashboard\.tasks\.recompute_figures\[([0-9a-f-]+)\] succeeded")


def connect_to_test_database(*, autocommit: bool):
    db = connection.settings_dict
    conn = psycopg2.connect(
        dbname=db["NAME"],
        user=db["USER"],
        password=db["PASSWORD"] or None,
        host=db["HOST"] or "127.0.0.1",
        port=db["PORT"] or 5432,
    )
    conn.autocommit = autocommit
    return conn


def sessions_waiting_for_the_needs_table(observer) -> list[int]:
    with observer.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND wait_event_type = 'Lock' AND query LIKE '%%needs_need%%'"
        )
        return [row[0] for row in cursor.fetchall()]


def test_a_recomputation_killed_with_its_worker_is_redelivered_and_ends_right(
    fault_worker, reviews_with_needs, staff
):
    log_start = fault_worker.log_path.stat().st_size

    def worker_log() -> str:
        with fault_worker.log_path.open("rb") as log:
            log.seek(log_start)
            return log.read().decode(errors="replace")

    observer = connect_to_test_database(autocommit=True)
    locker = connect_to_test_database(autocommit=False)
    try:
        with locker.cursor() as cursor:
            # The recomputation will stop at its first aggregate over needs, in the middle
            # of its work, until this transaction ends.
            cursor.execute("LOCK TABLE needs_need IN ACCESS EXCLUSIVE MODE")
        review = reviews_with_needs[0]
        review_update(
            review=review,
            user=staff,
            seen_version=review.version,
            executive_summary_completed=None,
            executive_summary_published=False,
        )
        wait_until(
            lambda: sessions_waiting_for_the_needs_table(observer),
            30,
            "the recomputation started",
            fault_worker,
        )
        received_before = TASK_RECEIVED.findall(worker_log())
        assert len(received_before) == 1

        fault_worker.kill()
        # PostgreSQL ends the dead worker's session once it notices that the client is gone;
        # the test does not wait for that.
        with observer.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM unnest(%s) AS pid",
                [sessions_waiting_for_the_needs_table(observer)],
            )
        locker.commit()
    finally:
        locker.close()
        observer.close()

    assert not figures_are_fresh()
    fault_worker.start()

    wait_until(figures_are_fresh, SETTLE_TIMEOUT, "the redelivered recomputation", fault_worker)
    log = worker_log()
    assert TASK_RECEIVED.findall(log).count(received_before[0]) == 2, "redelivered, not lost"
    assert received_before[0] in TASK_SUCCEEDED.findall(log)
    assert_figures_equal_a_direct_count()


ROOT = Path(__file__).resolve().parents[2]


def sessions_inserting_history(observer) -> list[int]:
    with observer.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND wait_event_type = 'Lock' "
            # The import writes new needs' history in a statement starting with a CTE.
            "AND query ~ '^(WITH entries AS \\()?(INSERT INTO|COPY) \"needs_historicalneed\"'"
        )
        return [row[0] for row in cursor.fetchall()]


def test_an_import_cut_off_from_the_database_writes_nothing_and_says_so(published_review, tmp_path):
    rows = 300
    import_file = tmp_path / "needs.csv"
    import_file.write_bytes(
        needs_file([need_row(description=f"Needs survey, part {n}") for n in range(rows)])
    )
    needs_before, history_before = Need.objects.count(), Need.history.count()
    env = {
        **os.environ,
        "DATABASE_URL": _url_with_database(
            os.environ["DATABASE_URL"], connection.settings_dict["NAME"]
        ),
    }
    observer = connect_to_test_database(autocommit=True)
    locker = connect_to_test_database(autocommit=False)
    try:
        with locker.cursor() as cursor:
            # The import will have inserted its needs and wait to write their history.
            cursor.execute("LOCK TABLE needs_historicalneed IN ACCESS EXCLUSIVE MODE")
        command = subprocess.Popen(
            [sys.executable, "manage.py", "import_needs", str(import_file)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            wait_until(
                lambda: sessions_inserting_history(observer), 60, "the import writing history"
            )
            with observer.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_terminate_backend(pid) FROM unnest(%s) AS pid",
                    [sessions_inserting_history(observer)],
                )
            locker.commit()
            _, stderr = command.communicate(timeout=120)
        finally:
            if command.poll() is None:
                command.kill()
    finally:
        locker.close()
        observer.close()

    assert command.returncode != 0
    assert "Traceback" not in stderr, stderr
    assert "database connection was lost" in stderr, stderr
    assert "nothing was imported" in stderr, stderr
    assert (Need.objects.count(), Need.history.count()) == (needs_before, history_before)
