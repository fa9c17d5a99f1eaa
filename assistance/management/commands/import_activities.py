"""`import_activities FILE [--dry-run] [--user NAME]`: the activity spreadsheet, whole or not
at all.

Columns: see `assistance/imports.py`. Every problem is printed as `row N: column: problem`;
the exit status is non-zero when anything is rejected.
"""

from assistance.imports import import_activities
from core.imports.command import ImportCommand


class Command(ImportCommand):
    help = "Import assistance activities from a CSV or XLSX file (whole file or nothing)."
    importer = staticmethod(import_activities)

    def summary(self, result, *, dry_run: bool) -> str:
        if result.file_error:
            return super().summary(result, dry_run=dry_run)
        if result.rejected:
            return f"{len(result.problems)} problem(s) in {result.rows} row(s): nothing imported."
        verb, verb_update = ("would create", "would update") if dry_run else ("created", "updated")
        return f"{result.rows} row(s): {verb} {result.created}, {verb_update} {result.updated}." + (
            " Dry run: nothing written." if dry_run else ""
        )
