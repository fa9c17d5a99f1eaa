"""What the import commands (`import_reviews`, `import_needs`, `import_activities`) share:
arguments, reporting and exit status."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import InterfaceError, OperationalError, connection


class ImportCommand(BaseCommand):
    # The importer's function (keyword arguments: data, filename, user, dry_run).
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

    def summary(self, result, *, dry_run: bool) -> str:
        return result.summary(dry_run=dry_run)

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
        try:
            result = self.importer(
                data=data,
                filename=path.name,
                user=user,
                dry_run=dry_run,
                **self.importer_options(options),
            )
        except (
            OperationalError,
            InterfaceError,
            # Raw COPY goes straight to the driver, which raises its own errors.
            connection.Database.OperationalError,
            connection.Database.InterfaceError,
        ) as error:
            # The file is written in one transaction, which the server rolls back with the
            # connection: say so instead of a traceback.
            reason = " ".join(str(error).split())
            raise CommandError(
                f"The database connection was lost during the import ({reason}); nothing was "
                "imported. Run the command again once the database is back."
            ) from None
        for message in result.messages():
            self.stderr.write(message)
        for hint in result.hints:
            self.stderr.write(hint)
        if result.duplicates and not result.rejected:
            for duplicate in result.duplicates:
                self.stderr.write(f"{duplicate} (imported anyway, as asked)")
        if result.rejected:
            raise CommandError(self.summary(result, dry_run=dry_run))
        self.stdout.write(self.summary(result, dry_run=dry_run))
