"""The project's Celery app for the fault tests' worker (`celery -A tests.hardening.fault_celery`).

The same app and settings, except that a message taken by a worker that died unacknowledged
is handed out again after FAULT_VISIBILITY_TIMEOUT seconds instead of kombu's hour, and the
worker looks for such messages every second.
"""

import os

from tan_tracker.celery import app

app.conf.broker_transport_options = {
    **app.conf.broker_transport_options,
    "visibility_timeout": int(os.environ["FAULT_VISIBILITY_TIMEOUT"]),
    "unacked_restore_interval": 1,
    "unacked_restore_throttle": 1,
}
