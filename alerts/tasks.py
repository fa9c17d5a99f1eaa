from celery import shared_task

from .sending import send_due_alerts


@shared_task
def send_saved_search_alerts_task() -> int:
    """Every quarter hour (beat): e-mail the saved searches' alerts that are due, a batch at a
    time. Its time limits are the global CELERY_TASK_SOFT_TIME_LIMIT / CELERY_TASK_TIME_LIMIT."""
    return send_due_alerts().sent
