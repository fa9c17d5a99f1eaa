from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from alerts.sending import send_due_alerts


class Command(BaseCommand):
    help = (
        "E-mail the saved searches' alerts that are due, as the periodic task does, until none "
        "is left. An alert already sent today is not sent again."
    )

    def handle(self, *args, **options):
        batch = settings.SAVED_SEARCH_ALERTS_BATCH
        totals = {"sent": 0, "nothing_new": 0, "skipped": 0, "failed": 0}
        while True:
            run = send_due_alerts(limit=batch)
            for name in totals:
                totals[name] += getattr(run, name)
            # A failed alert stays due, and one taken by a concurrent run may stay locked a
            # while: stop rather than meet them again at once.
            if run.failed or run.taken or run.handled < batch:
                break
        self.stdout.write(
            f"Alerts sent: {totals['sent']}; nothing new: {totals['nothing_new']}; "
            f"skipped (owner inactive, without address or no longer allowed): "
            f"{totals['skipped']}; failed: {totals['failed']}."
        )
        if totals["failed"]:
            raise CommandError(f"{totals['failed']} alerts could not be sent; run it again.")
