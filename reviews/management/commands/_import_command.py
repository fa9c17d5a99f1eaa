"""What `import_reviews` and `import_needs` share: arguments, reporting and exit status."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError


class ImportCommand(BaseCommand):
    # import_reviews or import_needs (keyword arguments: data, filename, user, dry_run).
    importer = None

    def add_arguments(self, parser):
        parser.add_argument("file", help="A .csv (UTF-8) or .xlsx file.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check and report without writing anything."
        )
        parser.add_argument(
            "--user", help="Username recorded as the author of the changes in the history."
        )

    def importer_options(self, options) -> dict:
        return {}

    def handle(self, *args, **options):
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}.") from None
        user = None
        if options["user"]:
            user = get_user_model().objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"There is no user {options['user']!r}.")
        dry_run = options["dry_run"]
        result = self.importer(
            data=data,
            filename=path.name,
            user=user,
            dry_run=dry_run,
            **self.importer_options(options),
        )
        for message in result.messages():
            self.stderr.write(message)
        if result.duplicates and not result.rejected:
            for duplicate in result.duplicates:
                self.stderr.write(f"{duplicate} (imported anyway, as asked)")
        if result.rejected:
            raise CommandError(result.summary(dry_run=dry_run))
        self.stdout.write(result.summary(dry_run=dry_run))
