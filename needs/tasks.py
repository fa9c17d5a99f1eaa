from celery import shared_task

from .digest import send_confirmation_digests
from .import_jobs import (
    IMPORT_SOFT_TIME_LIMIT,
    IMPORT_TIME_LIMIT,
    discard_old_import_files,
    run_import_job,
)


@shared_task
def send_confirmation_digests_task() -> int:
    """Daily (beat): e-mail each focal point the needs of their State to confirm."""
    return send_confirmation_digests().sent


@shared_task(soft_time_limit=IMPORT_SOFT_TIME_LIMIT, time_limit=IMPORT_TIME_LIMIT)
def run_import_job_task(job_id: int) -> str:
    """Check or import an uploaded file too big for a request (see needs.import_jobs)."""
    return run_import_job(job_id)


@shared_task
def discard_old_import_files_task() -> int:
    """Daily (beat): delete the uploaded files of imports finished long ago."""
    return discard_old_import_files()
