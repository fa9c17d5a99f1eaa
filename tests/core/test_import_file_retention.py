"""Uploaded import files are deleted some days after their check or import finished."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.imports.jobs import confirm_import_job, discard_old_import_files
from core.models import ImportJob, ImportStatus

pytestmark = pytest.mark.django_db

NOW = timezone.now()


def job(status, *, days_ago, user, language="en"):
    return ImportJob.objects.create(
        kind="needs",
        filename="needs.csv",
        data=b"ref,description\n",
        size=16,
        status=status,
        language=language,
        created_by=user,
        finished_at=NOW - datetime.timedelta(days=days_ago),
    )


def test_old_files_are_deleted_and_their_records_kept(staff, settings):
    settings.IMPORT_FILES_KEPT_DAYS = 30
    imported = job(ImportStatus.DONE, days_ago=31, user=staff)
    failed = job(ImportStatus.FAILED, days_ago=40, user=staff)
    recent = job(ImportStatus.DONE, days_ago=29, user=staff)

    assert discard_old_import_files(now=NOW) == 2

    for kept_record in (imported, failed):
        kept_record.refresh_from_db()
        assert bytes(kept_record.data) == b""
        assert kept_record.size == 16  # what was uploaded stays on record
    imported.refresh_from_db()
    assert imported.status == ImportStatus.DONE
    recent.refresh_from_db()
    assert bytes(recent.data) == b"ref,description\n"
    assert discard_old_import_files(now=NOW) == 0


def test_a_file_never_confirmed_is_closed_saying_why_in_the_uploaders_language(staff, settings):
    settings.IMPORT_FILES_KEPT_DAYS = 30
    waiting = job(ImportStatus.CHECKED, days_ago=31, user=staff)
    rejected_fr = job(ImportStatus.REJECTED, days_ago=31, user=staff, language="fr")

    assert discard_old_import_files(now=NOW) == 2

    waiting.refresh_from_db()
    assert waiting.status == ImportStatus.FAILED
    assert "deleted 30 days after its check" in waiting.file_error
    rejected_fr.refresh_from_db()
    assert rejected_fr.status == ImportStatus.FAILED
    assert "30 jours" in rejected_fr.file_error
    with pytest.raises(ValidationError):
        confirm_import_job(job=waiting, user=staff)


def test_the_deletion_runs_every_night(settings):
    from core import tasks

    entry = next(
        entry
        for entry in settings.CELERY_BEAT_SCHEDULE.values()
        if entry["task"] == "core.tasks.discard_old_import_files_task"
    )
    assert entry["schedule"].hour == {3}
    assert tasks.discard_old_import_files_task.name == entry["task"]
