from core.imports.command import ImportCommand
from needs.imports import import_needs


class Command(ImportCommand):
    help = (
        "Import needs from a CSV or XLSX file (columns: PRODUCT.md section 4). A row whose ref "
        "matches a need updates it; other rows create needs. The file is imported whole or not "
        "at all; every problem is reported as `row N: column: problem` and the exit status is "
        "non-zero when anything is rejected. Probable duplicates (a row without ref repeating a "
        "need of the same review, article, category and description) reject the file unless "
        "--allow-duplicates is given."
    )

    importer = staticmethod(import_needs)

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--allow-duplicates",
            action="store_true",
            help="Import rows reported as probable duplicates anyway.",
        )

    def importer_options(self, options) -> dict:
        return {"allow_duplicates": options["allow_duplicates"]}
