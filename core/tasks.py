import os
import socket

from celery import shared_task
from django.utils import timezone

from .models import WorkerHeartbeat


@shared_task(soft_time_limit=10, time_limit=20)
def record_worker_heartbeat() -> int:
    """Record that this worker is alive and can reach the database; /healthz reports it."""
    WorkerHeartbeat.objects.update_or_create(
        hostname=socket.gethostname(),
        defaults={"pid": os.getpid(), "seen_at": timezone.now()},
    )
    return os.getpid()
