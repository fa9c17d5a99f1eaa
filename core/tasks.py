import os
import socket

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from .imports.jobs import discard_old_import_files, run_import_job
from .models import WorkerHeartbeat


@shared_task(
    soft_time_limit=settings.HEARTBEAT_TASK_SOFT_TIME_LIMIT,
    time_limit=settings.HEARTBEAT_TASK_TIME_LIMIT,
)
def record_worker_heartbeat() -> int:
    """Record that this worker is alive and can reach the database; /healthz reports it."""
    WorkerHeartbeat.objects.update_or_create(
        hostname=socket.gethostname(),
        defaults={"pid": os.getpid(), "seen_at": timezone.now()},
    )
    return os.getpid()


@shared_task(
    soft_time_limit=settings.IMPORT_TASK_SOFT_TIME_LIMIT,
    time_limit=settings.IMPORT_TASK_TIME_LIMIT,
)
def run_import_job_task(job_id: int) -> str:
    """Check or import an uploaded file too big for a request (see core.imports.jobs)."""
    return run_import_job(job_id)


@shared_task
def discard_old_import_files_task() -> int:
    """Daily (beat): delete the uploaded files of imports finished long ago."""
    return discard_old_import_files()
