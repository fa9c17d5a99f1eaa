from core.imports.command import ImportCommand
from needs.action_imports import import_actions


class Command(ImportCommand):
    help = (
        "Import follow-up actions on needs from a CSV or XLSX file (columns: need_ref, what, "
        "responsible_institution, due_date, status, in_action_plan). A row whose need already "
        "has an action with the same `what` updates it; other rows add actions. The file is "
        "imported whole or not at all; every problem is reported as `row N: column: problem` "
        "and the exit status is non-zero when anything is rejected."
    )

    importer = staticmethod(import_actions)
