from django.core.management.base import BaseCommand
from django.db import transaction

from reviews.reference import load_reference


class Command(BaseCommand):
    help = "Load or refresh the reference data (chapters, articles, States, need taxonomy)."

    def handle(self, *args, **options):
        with transaction.atomic():
            counts = load_reference()
        for name, count in counts.items():
            self.stdout.write(f"{name}: {count}")
