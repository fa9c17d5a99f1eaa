import datetime
import json
import logging
import os
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, connections, transaction
from kombu.exceptions import OperationalError as BrokerUnavailable

from core.changes import data_changed, data_version
from dashboard import services, tasks
from dashboard.models import ALL_REGIONS, FigureSet, Snapshot
from dashboard.selectors import figure_set
from needs.models import Need
from needs.services import need_create, need_update
from tan_tracker.celery import app as celery_app
from tests import factories
from tests.conftest import _url_with_database, database_url_is_postgres

ROOT = Path(__file__).resolve().parents[2]


def _version() -> int:
    return data_version()


def _create_need(review, description="Training for prosecutors"):
    return need_create(
        review=review,
        chapter=factories.chapter("II"),
        article=factories.article(5),
        category=factories.category("capacity_building"),
        description=description,
    )


# --- data_changed -------------------------------------------------------------------------
def test_a_transaction_bumps_the_version_and_enqueues_once_however_many_rows(
    regional_reviews, enqueued, committed
):
    before = _version()
    with committed(), transaction.atomic():
        for number in range(30):
            _create_need(regional_reviews[("KEN", 2)], f"Need number {number}")

    assert _version() == before + 1
    assert enqueued == [{"countdown": services.RECOMPUTE_DELAY_SECONDS}]


def test_nothing_is_flagged_or_enqueued_when_the_change_rolls_back(
    regional_reviews, enqueued, committed
):
    before = _version()
    with committed(), transaction.atomic():
        _create_need(regional_reviews[("KEN", 2)])
        transaction.set_rollback(True)

    assert _version() == before
    assert enqueued == []


def test_a_rolled_back_savepoint_does_not_swallow_a_later_change(
    regional_reviews, enqueued, committed
):
    before = _version()
    with committed(), transaction.atomic():
        with pytest.raises(RuntimeError), transaction.atomic():
            _create_need(regional_reviews[("KEN", 2)], "Undone")
            raise RuntimeError("the import stops here")
        _create_need(regional_reviews[("KEN", 2)], "Kept")

    assert _version() == before + 1
    assert len(enqueued) == 1


def test_separate_transactions_in_a_burst_lead_to_one_recomputation(
    regional_reviews, enqueued, committed, monkeypatch
):
    services.recompute_figures()
    for number in range(5):
        with committed():
            _create_need(regional_reviews[("PER", 2)], f"Need number {number}")
    assert len(enqueued) == 5
    computations = []
    compute = services.selectors.compute_figures
    monkeypatch.setattr(
        services.selectors, "compute_figures", lambda: computations.append(1) or compute()
    )

    outcomes = [tasks.recompute_figures() for _ in enqueued]

    assert outcomes == [services.RECOMPUTED] + [services.ALREADY_FRESH] * 4
    assert len(computations) == 1
    assert figure_set(cycle=2, scope=ALL_REGIONS).figures["totals"]["needs"] == 5


def test_when_the_broker_is_down_the_write_stands_and_the_figures_stay_stale(
    regional_reviews, committed, monkeypatch, caplog
):
    services.recompute_figures()

    def broker_down(*args, **kwargs):
        raise BrokerUnavailable("Error 111 connecting to 127.0.0.1:6399. Connection refused.")

    monkeypatch.setattr(tasks.recompute_figures, "apply_async", broker_down)
    with caplog.at_level(logging.WARNING, logger="dashboard.services"), committed():
        need = _create_need(regional_reviews[("KEN", 2)])

    assert need.pk is not None
    assert "Could not ask for a dashboard recomputation" in caplog.text
    assert figure_set(cycle=2, scope=ALL_REGIONS).is_stale
    assert tasks.recompute_figures() == services.RECOMPUTED
    stored = figure_set(cycle=2, scope=ALL_REGIONS)
    assert not stored.is_stale
    assert stored.figures["totals"]["needs"] == 1


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


SAVE_A_NEED = """
import json, sys, time
import django
django.setup()
from needs.services import need_update
from needs.models import Need
need = Need.objects.get(pk=int(sys.argv[1]))
started = time.monotonic()
need_update(need=need, description="Changed while the broker is down")
print(json.dumps({"seconds": time.monotonic() - started}))
"""


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_need_is_saved_quickly_with_no_broker_and_the_dashboard_says_figures_are_old(
    reference_data, client, celery_worker_process
):
    if not database_url_is_postgres():
        pytest.skip("another process must share the test database: PostgreSQL only")
    # No worker may recompute the figures between the change made below and the page: it
    # would rightly call them current. The session's worker (which may still hold tasks
    # queued by earlier tests) is stopped for this test and its queue emptied.
    celery_worker_process.stop()
    celery_app.control.purge()
    try:
        _save_a_need_with_the_broker_down_and_look_at_the_dashboard(client)
    finally:
        celery_app.control.purge()
        celery_worker_process.start()


def _save_a_need_with_the_broker_down_and_look_at_the_dashboard(client):
    review = factories.ReviewFactory(state=factories.state("KEN"), cycle=2)
    need = factories.NeedFactory(review=review)
    services.recompute_figures()
    env = {
        **os.environ,
        "DATABASE_URL": _url_with_database(
            os.environ["DATABASE_URL"], settings.DATABASES["default"]["NAME"]
        ),
        "CELERY_BROKER_URL": f"redis://127.0.0.1:{_closed_port()}/0",
        "DJANGO_SETTINGS_MODULE": "tan_tracker.settings",
        "PYTHONPATH": str(ROOT),
    }

    run = subprocess.run(
        [sys.executable, "-c", SAVE_A_NEED, str(need.pk)],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout.strip().splitlines()[-1])["seconds"] < 5
    assert "Could not ask for a dashboard recomputation" in run.stderr
    need.refresh_from_db()
    assert need.description == "Changed while the broker is down"
    page = client.get("/dashboard/?cycle=2")
    assert "older than the latest change" in page.content.decode()


# --- recompute_figures --------------------------------------------------------------------
def test_recomputing_twice_stores_the_same_figures(regional_reviews):
    factories.NeedFactory(review=regional_reviews[("KEN", 2)])
    services.recompute_figures()
    first = {(f.cycle, f.scope): f.figures for f in FigureSet.objects.all()}

    assert services.recompute_figures() == services.RECOMPUTED

    second = {(f.cycle, f.scope): f.figures for f in FigureSet.objects.all()}
    assert first == second
    assert len(second) == 2 * 6


def test_it_skips_when_the_figures_are_already_fresh(regional_reviews):
    services.recompute_figures()

    assert services.recompute_figures(only_if_stale=True) == services.ALREADY_FRESH

    data_changed(sender=Need)
    assert services.recompute_figures(only_if_stale=True) == services.RECOMPUTED


def test_it_makes_a_fixed_number_of_queries(regional_reviews, django_assert_max_num_queries):
    for review in regional_reviews.values():
        factories.NeedFactory(review=review)
    with django_assert_max_num_queries(40):
        services.recompute_figures()


def _in_thread(function):
    errors = []

    def run():
        try:
            function()
        except Exception as error:  # reported to the test below
            errors.append(error)
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, errors


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_recomputation_does_not_wait_for_a_writer_that_has_not_committed(reference_data):
    if connection.vendor != "postgresql":
        pytest.skip("row locks: PostgreSQL only")
    services.recompute_figures()
    changed, release = threading.Event(), threading.Event()

    def writer():
        with transaction.atomic():
            data_changed(sender=Need)
            changed.set()
            release.wait(10)

    thread, errors = _in_thread(writer)
    assert changed.wait(10)
    try:
        outcome = services.recompute_figures(only_if_stale=True, wait_for_writers=False)
    finally:
        release.set()
        thread.join(10)

    assert outcome == services.WRITER_BUSY
    assert errors == []
    assert services.recompute_figures(only_if_stale=True) == services.RECOMPUTED


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_recomputations_at_once_both_succeed_and_leave_one_set_of_figures(
    reference_data,
):
    if connection.vendor != "postgresql":
        pytest.skip("two connections writing at once: PostgreSQL only")
    review = factories.ReviewFactory(state=factories.state("KEN"), cycle=2)
    factories.NeedFactory(review=review)
    start = threading.Barrier(2)

    def recompute():
        start.wait(10)
        services.recompute_figures()

    runs = [_in_thread(recompute) for _ in range(2)]
    for thread, _ in runs:
        thread.join(60)

    assert [errors for _, errors in runs] == [[], []]
    assert FigureSet.objects.count() == 2 * 6
    assert figure_set(cycle=2, scope=ALL_REGIONS).figures["totals"]["needs"] == 1
    connections.close_all()


# --- Snapshots ----------------------------------------------------------------------------
def test_a_snapshot_freezes_every_view(regional_reviews, staff):
    factories.NeedFactory(review=regional_reviews[("KEN", 2)])
    services.recompute_figures()

    snapshot = services.snapshot_create(
        label=" CAC/COSP/2021/6 ", taken_on=datetime.date(2021, 9, 16), user=staff
    )

    assert snapshot.label == "CAC/COSP/2021/6"
    assert snapshot.created_by == staff
    frozen = {(f.cycle, f.scope): f.figures for f in snapshot.figure_sets.all()}
    assert frozen == {(f.cycle, f.scope): f.figures for f in FigureSet.objects.all()}
    factories.NeedFactory(review=regional_reviews[("KEN", 2)])
    services.recompute_figures()
    snapshot.refresh_from_db()
    assert snapshot.figure_sets.get(cycle=2, scope=ALL_REGIONS).figures["totals"]["needs"] == 1


def test_a_snapshot_of_stale_figures_recomputes_them_first(regional_reviews):
    services.recompute_figures()
    need_update(
        need=factories.NeedFactory(review=regional_reviews[("KEN", 2)]), description="Edited"
    )

    snapshot = services.snapshot_create(label="Now", taken_on=datetime.date(2026, 1, 1))

    assert snapshot.figure_sets.get(cycle=2, scope=ALL_REGIONS).figures["totals"]["needs"] == 1


@pytest.mark.parametrize("label", ["", "   ", "CAC/COSP/2021/6"])
def test_it_refuses_a_blank_or_taken_label(regional_reviews, label):
    services.snapshot_create(label="CAC/COSP/2021/6", taken_on=datetime.date(2021, 9, 16))

    with pytest.raises(ValidationError) as refused:
        services.snapshot_create(label=label, taken_on=datetime.date(2021, 9, 16))

    assert "label" in refused.value.message_dict
    assert Snapshot.objects.count() == 1


def test_deleting_a_snapshot_removes_its_figures(regional_reviews):
    snapshot = services.snapshot_create(label="Old", taken_on=datetime.date(2020, 1, 1))

    services.snapshot_delete(snapshot=snapshot)

    assert not Snapshot.objects.exists()
    assert not snapshot.figure_sets.exists()
