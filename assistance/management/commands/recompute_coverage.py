"""`recompute_coverage`: set every need's coverage from its links again (one UPDATE).

The services keep coverage current on every link change; this repairs it after changes made
outside them (a database restore, a manual SQL fix)."""

from django.core.management.base import BaseCommand
from django.db import transaction

from assistance.services import recompute_coverage
from core.changes import data_changed
from needs.models import Need


class Command(BaseCommand):
    help = "Recompute the coverage of every need from the assistance linked to it."

    def handle(self, *args, **options):
        with transaction.atomic():
            written = recompute_coverage()
            data_changed(sender=Need)
        self.stdout.write(f"Coverage recomputed for {written} need(s).")
