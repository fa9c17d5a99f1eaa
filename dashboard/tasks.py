from celery import shared_task

from . import services


# Under the time limits of every task (CELERY_TASK_*_TIME_LIMIT): at a hundred times today's
# volume the thirty GROUP BY queries take about a second (BENCHMARKS.md).
@shared_task
def recompute_figures() -> str:
    """Recompute the dashboard figures unless they are already computed from the current data.

    Enqueued after every committed change (see services.recompute_soon) and every few
    minutes by beat. When a writer has not committed yet it returns at once: that writer
    enqueues its own run after its commit.
    """
    return services.recompute_figures(only_if_stale=True, wait_for_writers=False)
