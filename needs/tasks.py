from celery import shared_task

from .digest import send_confirmation_digests


@shared_task(soft_time_limit=300, time_limit=360)
def send_confirmation_digests_task() -> int:
    """Daily (beat): e-mail each focal point the needs of their State to confirm."""
    return send_confirmation_digests().sent
