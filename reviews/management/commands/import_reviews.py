from core.imports.command import ImportCommand
from reviews.imports import import_reviews


class Command(ImportCommand):
    help = (
        "Import reviews from a CSV or XLSX file (columns: PRODUCT.md section 4). The file is "
        "imported whole or not at all; every problem is reported as `row N: column: problem` "
        "and the exit status is non-zero when anything is rejected."
    )
    importer = staticmethod(import_reviews)
