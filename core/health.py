"""Checks behind /healthz: can we reach the database and the broker?"""

from celery import current_app
from django.conf import settings
from django.db import connection

from .models import WorkerHeartbeat


def database_status() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:  # any failure means unhealthy; the message is reported
        return {"ok": False, "error": str(error)[:200]}
    return {"ok": True, "vendor": connection.vendor}


def broker_status() -> dict:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return {"ok": True, "mode": "in-process (no broker configured)"}
    try:
        with current_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception as error:  # any failure means unhealthy; the message is reported
        return {"ok": False, "error": str(error)[:200]}
    return {"ok": True, "mode": "broker"}


def worker_status() -> dict:
    latest = WorkerHeartbeat.objects.order_by("-seen_at").first()
    return {"last_seen": latest.seen_at.isoformat() if latest else None}
