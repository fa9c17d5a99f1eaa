"""The import pipeline (core.imports.jobs): every kind of file is checked first, imported on
confirmation, and a big one runs in the Celery worker with its progress on the job."""

import datetime
import time

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from assistance.models import Activity
from core.imports import registry
from core.imports.jobs import (
    CLAIM_EXPIRES_AFTER,
    confirm_import_job,
    recheck_allowing_duplicates,
    run_import_job,
    start_import_job,
)
from core.models import ImportJob, ImportStatus
from needs.models import Need
from tests.needs.import_files import (
    activities_file,
    activity_row,
    need_row,
    needs_file,
    review_row,
    reviews_file,
    signed_in,
)

pytestmark = pytest.mark.django_db


# --- Kinds ---------------------------------------------------------------------------------
def test_every_app_registers_its_kind_in_the_order_of_the_layers():
    assert [importer.kind for importer in registry.importers()] == [
        "reviews",
        "needs",
        "actions",
        "activities",
    ]


def test_an_unknown_kind_is_refused_before_anything_is_stored(staff):
    with pytest.raises(ValidationError, match="Unknown kind of file 'payroll'"):
        start_import_job(kind="payroll", filename="p.csv", data=b"a\n1\n", user=staff)

    assert not ImportJob.objects.exists()


def test_the_three_kinds_go_through_the_same_job(published_review, provider, staff):
    files = {
        "reviews": reviews_file([review_row(state="PER", reviewing_states="KEN;FRA")]),
        "needs": needs_file([need_row()]),
        "activities": activities_file([activity_row()]),
    }
    for kind, data in files.items():
        job = start_import_job(kind=kind, filename=f"{kind}.csv", data=data, user=staff)
        job.refresh_from_db()
        assert (job.status, job.created_count) == (ImportStatus.CHECKED, 1), kind

        confirm_import_job(job=job, user=staff)

        job.refresh_from_db()
        assert (job.status, job.created_count) == (ImportStatus.DONE, 1), kind


def test_activities_are_checked_and_nothing_is_written_before_the_confirmation(provider, staff):
    rows = [activity_row(), activity_row(ref="A-2", title="Training")]

    job = start_import_job(
        kind="activities", filename="a.csv", data=activities_file(rows), user=staff
    )

    job.refresh_from_db()
    assert (job.status, job.rows, job.created_count) == (ImportStatus.CHECKED, 2, 2)
    assert not Activity.objects.exists()

    confirm_import_job(job=job, user=staff)

    job.refresh_from_db()
    assert (job.status, job.created_count, job.updated_count) == (ImportStatus.DONE, 2, 0)
    assert set(Activity.objects.values_list("ref", flat=True)) == {"A-1", "A-2"}
    assert Activity.objects.get(ref="A-1").history.get().history_user == staff


def test_a_rejected_activities_file_keeps_its_problems_and_writes_nothing(provider, staff):
    data = activities_file([activity_row(), activity_row(ref="A-2", level="planet", title="")])

    job = start_import_job(kind="activities", filename="a.csv", data=data, user=staff)

    job.refresh_from_db()
    assert job.status == ImportStatus.REJECTED
    assert job.problems == [
        "row 3: level: 'planet' is not one of global, regional, national",
        "row 3: title: required",
    ]
    with pytest.raises(ValidationError):
        confirm_import_job(job=job, user=staff)
    assert not Activity.objects.exists()


def test_activities_go_to_the_worker_sooner_than_needs(
    provider, staff, settings, django_capture_on_commit_callbacks
):
    settings.IMPORT_IN_WORKER_ABOVE_ROWS = 2000
    rows = [activity_row(ref=f"A-{n}") for n in range(41)]

    with django_capture_on_commit_callbacks(execute=False):
        big = start_import_job(
            kind="activities", filename="a.csv", data=activities_file(rows), user=staff
        )
    small = start_import_job(
        kind="activities", filename="a.csv", data=activities_file(rows[:40]), user=staff
    )

    assert (big.in_worker, small.in_worker) == (True, False)


def test_only_kinds_that_find_duplicates_are_checked_again(provider, staff):
    job = start_import_job(
        kind="activities",
        filename="a.csv",
        data=activities_file([activity_row(level="planet")]),
        user=staff,
    )

    with pytest.raises(ValidationError, match="cannot be checked again"):
        recheck_allowing_duplicates(job=job, user=staff)


# --- Big files through the worker ----------------------------------------------------------
BIG_FILE_ROWS = 20_000


def big_needs_file(rows: int) -> bytes:
    """`rows` distinct needs over the articles of chapters II and V, quickly."""
    articles = ["5", "6", "7", "8", "9", "10", "12", "13", "51", "52", "53", "54", "57", ""]
    chapters = {a: ("V" if a in ("51", "52", "53", "54", "57") else "II") for a in articles}
    chapters[""] = "II"
    header = "state,cycle,chapter,article,category,themes,description,priority\n"
    lines = [
        f"KEN,2,{chapters[a]},{a},capacity_building,training;technology,Need number {n},low\n"
        for n in range(rows)
        for a in (articles[n % len(articles)],)
    ]
    return (header + "".join(lines)).encode()


@pytest.mark.worker
def test_a_20000_row_file_is_checked_and_imported_by_the_worker_with_progress(
    worker, published_review, staff, settings
):
    settings.IMPORT_IN_WORKER_ABOVE_ROWS = 2000
    job = start_import_job(
        kind="needs", filename="big.csv", data=big_needs_file(BIG_FILE_ROWS), user=staff
    )
    assert job.in_worker

    _check_seen, import_seen, elapsed = check_then_import(staff, job)

    job.refresh_from_db()
    assert job.status == ImportStatus.DONE, (job.file_error, job.problems[:5])
    assert job.created_count == BIG_FILE_ROWS
    assert Need.objects.count() == BIG_FILE_ROWS
    assert Need.history.count() == BIG_FILE_ROWS
    # The page saw the import under way, not only before and after.
    under_way = [s["percent"] for s in import_seen if s["running"] and 0 < s["percent"] < 100]
    assert under_way, import_seen
    assert sorted(under_way) == under_way
    print(f"\n20,000-row import through the worker: {elapsed:.1f} s seen by the page")


def check_then_import(user, job: ImportJob) -> tuple[list[dict], list[dict], float]:
    """Follow the check as the job's page does, confirm, follow the import; returns what the
    page saw of each step and how long the import took."""
    client = signed_in(user)
    status_url = f"/import/{job.pk}/status/"
    check_seen = follow(client, status_url, timeout=120)
    assert check_seen[-1]["status"] == ImportStatus.CHECKED, check_seen[-1]
    assert client.post(f"/import/{job.pk}/confirm/").status_code == 302
    started = time.monotonic()
    import_seen = follow(client, status_url, timeout=240)
    return check_seen, import_seen, time.monotonic() - started


def follow(client, url: str, *, timeout: float) -> list[dict]:
    """Poll the status endpoint until the step is over; return everything seen."""
    seen = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status = client.get(url).json()
        seen.append(status)
        if not status["running"]:
            return seen
        time.sleep(0.2)
    pytest.fail(f"The import did not finish within {timeout} s: {seen[-3:]}")


def test_a_small_file_is_checked_during_the_request(published_review, staff, settings):
    settings.IMPORT_IN_WORKER_ABOVE_ROWS = 2000

    job = start_import_job(
        kind="needs", filename="small.csv", data=needs_file([need_row()]), user=staff
    )

    job.refresh_from_db()
    assert not job.in_worker
    assert (job.status, job.rows, job.created_count) == (ImportStatus.CHECKED, 1, 1)
    assert ImportJob.objects.get().data  # kept until the import is confirmed


# --- The import job: each step runs once, even when its task is delivered twice ------------
def test_running_a_step_again_does_nothing(published_review, staff):
    job = start_import_job(
        kind="needs", filename="small.csv", data=needs_file([need_row()]), user=staff
    )
    assert run_import_job(job.pk) == "nothing to do (checked)"
    confirm_import_job(job=job, user=staff)

    assert run_import_job(job.pk) == "nothing to do (done)"
    assert Need.objects.count() == 1


def test_a_step_being_run_is_not_started_a_second_time(published_review, staff):
    job = ImportJob.objects.create(
        kind="needs",
        filename="needs.csv",
        data=needs_file([need_row()]),
        status=ImportStatus.IMPORTING,
        in_worker=True,
        started_at=timezone.now(),
        created_by=staff,
    )

    assert run_import_job(job.pk) == "already running"
    assert not Need.objects.exists()


def test_a_step_lost_with_its_worker_is_run_again(published_review, staff):
    job = ImportJob.objects.create(
        kind="needs",
        filename="needs.csv",
        data=needs_file([need_row()]),
        status=ImportStatus.IMPORTING,
        in_worker=True,
        started_at=timezone.now() - CLAIM_EXPIRES_AFTER - datetime.timedelta(seconds=1),
        created_by=staff,
    )

    run_import_job(job.pk)

    job.refresh_from_db()
    assert (job.status, job.created_count) == (ImportStatus.DONE, 1)
    assert Need.objects.count() == 1


def test_a_big_file_waits_for_the_commit_and_says_so_when_the_broker_is_down(
    published_review, staff, settings, monkeypatch, django_capture_on_commit_callbacks
):
    from core.tasks import run_import_job_task

    settings.IMPORT_IN_WORKER_ABOVE_ROWS = 1

    def broker_down(*args, **kwargs):
        raise ConnectionError("Connection refused")

    monkeypatch.setattr(run_import_job_task, "delay", broker_down)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = start_import_job(
            kind="needs", filename="two.csv", data=needs_file([need_row(), need_row()]), user=staff
        )
    assert len(callbacks) == 1  # nothing is sent before the job row is committed
    callbacks[0]()

    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED
    assert "background worker could not be reached" in job.file_error


BIG_ACTIVITY_FILE_ROWS = 600


@pytest.mark.worker
def test_a_big_activities_file_is_checked_and_imported_by_the_worker_with_progress(
    worker, provider, staff, settings
):
    settings.IMPORT_IN_WORKER_ABOVE_ROWS = 100
    rows = [
        activity_row(ref=f"A-{n}", title=f"Activity number {n}", beneficiary_states="KEN")
        for n in range(BIG_ACTIVITY_FILE_ROWS)
    ]
    job = start_import_job(
        kind="activities", filename="big.csv", data=activities_file(rows), user=staff
    )
    assert job.in_worker

    check_seen, import_seen, _elapsed = check_then_import(staff, job)

    job.refresh_from_db()
    assert job.status == ImportStatus.DONE, (job.file_error, job.problems[:5])
    assert job.created_count == BIG_ACTIVITY_FILE_ROWS
    assert Activity.objects.count() == BIG_ACTIVITY_FILE_ROWS
    for seen in (check_seen, import_seen):
        under_way = [s["percent"] for s in seen if s["running"] and 0 < s["percent"] < 100]
        assert under_way, seen
        assert sorted(under_way) == under_way
