"""Uploaded files on their way in: checked first (a dry run), imported on confirmation.

The same for every kind of file: the job's `kind` names the importer (registered by its app,
see `core.imports.registry`) that checks and imports it. A file of up to
`settings.IMPORT_IN_WORKER_ABOVE_ROWS` rows is checked and imported during the request; a
bigger one by a Celery worker (`core.tasks.run_import_job_task`), which reads the file from
the ImportJob row and writes its progress there for the page to poll.

Progress is written through a connection of its own, outside the import's transaction, so
that the page sees it while the import (one transaction) is still running; the import never
touches the job row before its very last statement, so the two never wait for each other.
"""

import datetime
import io
import logging
import time
import zipfile
from functools import partial

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext, ngettext

from core.models import ImportJob, ImportStatus

from . import registry
from .reader import ImportResult

logger = logging.getLogger(__name__)

# A step claimed longer ago than the task's hard time limit was lost with its worker: run it
# again.
CLAIM_EXPIRES_AFTER = datetime.timedelta(seconds=settings.IMPORT_TASK_TIME_LIMIT + 60)
PROGRESS_INTERVAL_SECONDS = 0.25
SHOWN_PROBLEMS = 500


def estimate_rows(data: bytes, filename: str) -> int:
    """Data rows of the file, cheaply and roughly (multi-line cells count more than once)."""
    name = filename.lower()
    if name.endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            workbook = load_workbook(io.BytesIO(data), read_only=True)
            try:
                return max((workbook.worksheets[0].max_row or 1) - 1, 0)
            finally:
                workbook.close()
        except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError, IndexError):
            return 0
    return max(data.count(b"\n") - 1, 0)


def start_import_job(
    *, kind: str, filename: str, data: bytes, user, allow_duplicates: bool = False
) -> ImportJob:
    """Store the file and check it: now if it is small, in the worker if it is big."""
    importer = registry.get(kind)
    if importer is None:
        raise ValidationError(
            {"kind": gettext("Unknown kind of file %(kind)s.") % {"kind": repr(kind)}}
        )
    rows = estimate_rows(data, filename)
    job = ImportJob.objects.create(
        kind=kind,
        filename=filename[:255],
        data=data,
        size=len(data),
        allow_duplicates=allow_duplicates,
        status=ImportStatus.CHECKING,
        language=translation.get_language() or settings.LANGUAGE_CODE,
        in_worker=rows * importer.row_weight > settings.IMPORT_IN_WORKER_ABOVE_ROWS,
        created_by=user,
    )
    _dispatch(job)
    return job


def confirm_import_job(*, job: ImportJob, user) -> None:
    """Import a checked file; only the person who uploaded it confirms it."""
    if job.created_by_id != user.pk:
        raise ValidationError(
            gettext("Only the person who uploaded the file can confirm its import.")
        )
    moved = ImportJob.objects.filter(pk=job.pk, status=ImportStatus.CHECKED).update(
        status=ImportStatus.IMPORTING, **_next_step()
    )
    if not moved:
        raise ValidationError(gettext("This file is not waiting for confirmation any more."))
    _dispatch(job)


def recheck_allowing_duplicates(*, job: ImportJob, user) -> None:
    """Check a rejected file again, this time accepting its probable duplicates."""
    if job.created_by_id != user.pk:
        raise ValidationError(gettext("Only the person who uploaded the file can check it again."))
    if "allow_duplicates" not in registry.get(job.kind).options:
        raise ValidationError(gettext("This file cannot be checked again."))
    moved = ImportJob.objects.filter(
        pk=job.pk, status=ImportStatus.REJECTED, allow_duplicates=False
    ).update(status=ImportStatus.CHECKING, allow_duplicates=True, **_next_step())
    if not moved:
        raise ValidationError(gettext("This file cannot be checked again."))
    _dispatch(job)


def _next_step() -> dict:
    """A job's fields as a step starts again: unclaimed, without progress, and written in the
    language of the person who asked for it."""
    return {
        "language": translation.get_language() or settings.LANGUAGE_CODE,
        "started_at": None,
        "stage": "",
        "processed_rows": 0,
        "total_rows": 0,
    }


def discard_old_import_files(*, now: datetime.datetime | None = None) -> int:
    """Delete the uploaded files of jobs finished more than IMPORT_FILES_KEPT_DAYS ago.

    An upload may hold personal data and a whole State's needs; nothing reads it once its
    check or import has finished, except a confirmation that never came. Such a job (checked,
    or rejected and never checked again) is closed as failed, saying why, in the uploader's
    language. The job's record, counts and problems stay. Returns the number of files
    deleted; running it again deletes nothing more.
    """
    cutoff = (now or timezone.now()) - datetime.timedelta(days=settings.IMPORT_FILES_KEPT_DAYS)
    old = ImportJob.objects.filter(finished_at__lt=cutoff).exclude(data=b"")
    discarded = old.filter(status__in=[ImportStatus.DONE, ImportStatus.FAILED]).update(data=b"")
    waiting = old.filter(status__in=[ImportStatus.CHECKED, ImportStatus.REJECTED])
    for language in waiting.values_list("language", flat=True).distinct():
        with translation.override(language or settings.LANGUAGE_CODE):
            message = ngettext(
                "The file was deleted %(days)s day after its check without being imported: "
                "upload it again to import it.",
                "The file was deleted %(days)s days after its check without being imported: "
                "upload it again to import it.",
                settings.IMPORT_FILES_KEPT_DAYS,
            ) % {"days": settings.IMPORT_FILES_KEPT_DAYS}
        discarded += waiting.filter(language=language).update(
            data=b"", status=ImportStatus.FAILED, file_error=message
        )
    return discarded


def _dispatch(job: ImportJob) -> None:
    if job.in_worker:
        transaction.on_commit(partial(_enqueue, job.pk))
    else:
        run_import_job(job.pk)


def _enqueue(job_id: int) -> None:
    from core.tasks import run_import_job_task

    try:
        run_import_job_task.delay(job_id)
    except Exception:  # the broker is unreachable: say so on the page instead of waiting
        logger.exception("Could not enqueue import job %s", job_id)
        language = ImportJob.objects.filter(pk=job_id).values_list("language", flat=True).first()
        with translation.override(language or settings.LANGUAGE_CODE):
            message = gettext(
                "The background worker could not be reached, so nothing was imported. "
                "Upload the file again in a few minutes."
            )
        ImportJob.objects.filter(pk=job_id, started_at__isnull=True).update(
            status=ImportStatus.FAILED, file_error=message, finished_at=timezone.now()
        )


def run_import_job(job_id: int) -> str:
    """Run the step the job waits for (check or import). Safe to call twice: a step runs once.

    The problems and messages it stores are written in the language of the person who
    uploaded the file, whether it runs during their request or in a worker."""
    language = ImportJob.objects.filter(pk=job_id).values_list("language", flat=True).first()
    with translation.override(language or settings.LANGUAGE_CODE):
        return _run_step(job_id)


def _run_step(job_id: int) -> str:
    status = ImportJob.objects.filter(pk=job_id).values_list("status", flat=True).first()
    if status not in (ImportStatus.CHECKING, ImportStatus.IMPORTING):
        return f"nothing to do ({status})"
    claimed_at = timezone.now()
    claimed = (
        ImportJob.objects.filter(pk=job_id, status=status)
        .filter(Q(started_at__isnull=True) | Q(started_at__lt=claimed_at - CLAIM_EXPIRES_AFTER))
        .update(started_at=claimed_at, stage="", processed_rows=0, total_rows=0)
    )
    if not claimed:
        return "already running"
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    # Only a worker's progress is watched; a step run during the request is over when seen.
    progress = (
        ProgressWriter(job_id, importing=status == ImportStatus.IMPORTING)
        if job.in_worker
        else None
    )
    try:
        if status == ImportStatus.CHECKING:
            result = _run(job, dry_run=True, progress=progress)
            _finish(
                job_id,
                claimed_at,
                result,
                ImportStatus.REJECTED if result.rejected else ImportStatus.CHECKED,
            )
        else:
            with transaction.atomic():
                result = _run(job, dry_run=False, progress=progress)
                if result.written:
                    _finish(job_id, claimed_at, result, ImportStatus.DONE)
            if not result.written:
                _finish(job_id, claimed_at, result, ImportStatus.REJECTED)
    except SoftTimeLimitExceeded:
        _fail(
            job_id,
            claimed_at,
            ngettext(
                "The file took longer than %(minutes)s minute and was stopped; nothing was "
                "imported. Split it into smaller files.",
                "The file took longer than %(minutes)s minutes and was stopped; nothing was "
                "imported. Split it into smaller files.",
                settings.IMPORT_TASK_SOFT_TIME_LIMIT // 60,
            )
            % {"minutes": settings.IMPORT_TASK_SOFT_TIME_LIMIT // 60},
        )
        return "stopped by the time limit"
    except Exception:
        _fail(
            job_id,
            claimed_at,
            gettext("An unexpected error stopped the import; nothing was imported."),
        )
        raise
    finally:
        if progress is not None:
            progress.close()
    return status


def _run(job: ImportJob, *, dry_run: bool, progress) -> ImportResult:
    importer = registry.get(job.kind)
    options = {
        "allow_duplicates": job.allow_duplicates,
        # The check records them; the import compares them with the records as they are.
        "seen_versions": None if dry_run else job.seen_versions,
    }
    return importer.run(
        data=bytes(job.data),
        filename=job.filename,
        user=job.created_by,
        dry_run=dry_run,
        progress=progress,
        **{name: options[name] for name in importer.options},
    )


def _finish(job_id: int, claimed_at, result: ImportResult, status: str) -> None:
    fields = {
        "status": status,
        "rows": result.rows,
        "created_count": result.created,
        "updated_count": result.updated,
        "unchanged_count": result.unchanged,
        "file_error": result.file_error,
        "problems": result.messages(),
        "duplicates": [str(problem) for problem in result.duplicates],
        "hints": result.hints,
        "stage": "",
        "finished_at": timezone.now(),
    }
    if status == ImportStatus.CHECKED:
        fields["seen_versions"] = result.seen_versions
    if status == ImportStatus.DONE:
        fields["data"] = b""  # imported: the file is not needed any more
    updated = ImportJob.objects.filter(pk=job_id, started_at=claimed_at).update(**fields)
    if not updated and status == ImportStatus.DONE:
        # Another run took the step over (this one outlived its claim): undo this one.
        raise RuntimeError(f"Import job {job_id} was claimed by another run.")


def _fail(job_id: int, claimed_at, message: str) -> None:
    ImportJob.objects.filter(pk=job_id, started_at=claimed_at).update(
        status=ImportStatus.FAILED, file_error=message, stage="", finished_at=timezone.now()
    )


class ProgressWriter:
    """Records how far a step got, at most a few times a second, visible while it runs."""

    def __init__(self, job_id: int, *, importing: bool):
        self.job_id = job_id
        self.importing = importing
        self.rows = 0
        self.last_write = 0.0
        self.side_connection = None

    def __call__(self, stage: str, done: int, total: int) -> None:
        if stage == "checking":
            self.rows = total
            processed = done
        else:  # saving: the second half of an import
            processed = self.rows + (done * self.rows // total if total else self.rows)
        total_units = self.rows * 2 if self.importing else self.rows
        now = time.monotonic()
        if now - self.last_write < PROGRESS_INTERVAL_SECONDS and processed < total_units:
            return
        self.last_write = now
        self._write(stage, processed, total_units)

    def _write(self, stage: str, processed: int, total: int) -> None:
        if connection.vendor == "postgresql":
            # A separate autocommit connection: visible at once, whatever transaction is open.
            if self.side_connection is None:
                self.side_connection = connections.create_connection(DEFAULT_DB_ALIAS)
            with self.side_connection.cursor() as cursor:
                cursor.execute(
                    f"UPDATE {ImportJob._meta.db_table} "
                    "SET stage = %s, processed_rows = %s, total_rows = %s WHERE id = %s",
                    [stage, processed, total, self.job_id],
                )
        elif not connection.in_atomic_block:
            # SQLite allows one writer at a time: only outside the import's transaction.
            ImportJob.objects.filter(pk=self.job_id).update(
                stage=stage, processed_rows=processed, total_rows=total
            )

    def close(self) -> None:
        if self.side_connection is not None:
            self.side_connection.close()
            self.side_connection = None
