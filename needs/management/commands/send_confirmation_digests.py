from django.core.management.base import BaseCommand, CommandError

from needs.digest import send_confirmation_digests


class Command(BaseCommand):
    help = (
        "E-mail each focal point the needs of their State to confirm, as the daily task does. "
        "A focal point already sent today's digest is not sent it again."
    )

    def handle(self, *args, **options):
        run = send_confirmation_digests()
        self.stdout.write(
            f"Digests sent: {run.sent}; already sent today: {run.already_sent}; "
            f"focal points with nothing to confirm: {run.nothing_to_confirm}; "
            f"failed: {run.failed}."
        )
        if run.failed:
            raise CommandError(f"{run.failed} digests could not be sent; run the command again.")
