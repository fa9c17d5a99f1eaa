from django.core.management.base import BaseCommand
from django.db import transaction

from translations.lookup import bump_version
from translations.models import ReferenceTranslation
from translations.reference_data import load_translations


class Command(BaseCommand):
    help = "Load the shipped translations of chapters, articles, taxonomy, regions and States."

    def add_arguments(self, parser):
        parser.add_argument(
            "--overwrite",
            action="store_true",
            help="Put the shipped texts back over corrections made by staff.",
        )

    def handle(self, *args, overwrite=False, **options):
        with transaction.atomic():
            written = load_translations(ReferenceTranslation, overwrite=overwrite)
            transaction.on_commit(bump_version)
        self.stdout.write(f"{written} translation(s) written.")
