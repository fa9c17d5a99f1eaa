from celery import shared_task

from .digest import send_confirmation_digests


@shared_task
def send_confirmation_digests_task() -> int:
    """Daily (beat): e-mail each focal point the needs of their State to confirm."""
    return send_confirmation_digests().sent
