"""`import_activities FILE [--dry-run]`: the activity spreadsheet, whole or not at all.

Columns: see `assistance/imports.py`. Every problem is printed as `row N: column: problem`;
the exit status is non-zero when anything is rejected.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from assistance.imports import import_activities


class Command(BaseCommand):
    help = "Import assistance activities from a CSV or XLSX file (whole file or nothing)."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--dry-run", action="store_true", help="Check the file and report; write nothing."
        )

    def handle(self, *args, file: Path, dry_run: bool, **options):
        try:
            data = file.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}.") from None
        report = import_activities(data, file.name, dry_run=dry_run)
        if report.file_error:
            raise CommandError(report.file_error)
        if report.problems:
            for problem in report.problems:
                self.stderr.write(problem)
            raise CommandError(
                f"{len(report.problems)} problem(s) in {report.rows} row(s): nothing imported."
            )
        verb = "would create" if dry_run else "created"
        verb_update = "would update" if dry_run else "updated"
        self.stdout.write(
            f"{report.rows} row(s): {verb} {report.created}, {verb_update} {report.updated}."
            + (" Dry run: nothing written." if dry_run else "")
        )
