import time

from django.core.management.base import BaseCommand, CommandError

from demo.demo import DEMO_LABEL, DEMO_REF_PREFIX, is_demo_loaded, load_demo
from reviews.models import Article, State


class Command(BaseCommand):
    help = (
        "Load a synthetic demonstration dataset (for a local look, never for production): "
        "about 290 reviews over both cycles, 4,100 needs, 100 assistance activities with "
        "funding and links to needs, donor interest, and one account per role, whose "
        "passwords are printed at the end (see docs/DEMO.md). Descriptions start with "
        f"{DEMO_LABEL!r} and references with {DEMO_REF_PREFIX!r}. The same seed always gives "
        "the same data. Rows are inserted in bulk, bypassing the services: their history "
        "entries are written in bulk too, attributed to the demo 'staff' account with the "
        "reason 'load_demo'. Does nothing when the demo data is already there."
    )

    def handle(self, *args, **options):
        if not State.objects.exists() or not Article.objects.exists():
            raise CommandError("The reference data is missing: run `manage.py migrate` first.")
        if is_demo_loaded():
            self.stdout.write("The demo data is already loaded; nothing to do.")
            return
        started = time.monotonic()
        summary = load_demo()
        elapsed = time.monotonic() - started

        self.stdout.write(self.style.SUCCESS(f"Demo data loaded in {elapsed:.1f} s:"))
        for name, count in summary.counts.items():
            self.stdout.write(f"  {name}: {count:,}")
        if summary.skipped_reviews:
            self.stdout.write(
                "  left alone (a review of that State and cycle existed already): "
                + ", ".join(summary.skipped_reviews)
            )
        self.stdout.write("\nDemo accounts (local use only; sign in at /accounts/login/):")
        for result in summary.accounts:
            account = result.account
            where = account.state_iso3 or account.donor_name or ""
            password = (
                account.password
                if result.created
                else "(account existed already; password left unchanged)"
            )
            self.stdout.write(
                f"  {account.username:<11} {password:<22} {account.role}"
                + (f" ({where})" if where else "")
            )
