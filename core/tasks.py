import os
import socket

from celery import shared_task
from django.conf import settings
from django.utils import timezone

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
