"""Import of follow-up actions (kind "actions") through the one import pipeline.

Columns: `need_ref`, `what`, `responsible_institution`, `due_date`, `status`,
`in_action_plan`. A row whose need already has an action with the same `what` (ignoring
case and surrounding spaces) updates that action; any other row adds one. So an export of
actions, imported again, changes nothing. Every row is checked first; only a file without
problems is written, all of it in one transaction, through the services (history, checks).
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.access import can_manage_needs
from core.imports.reader import (
    ImportResult,
    Progress,
    RowReader,
    read_import_table,
    refusal_problems,
)
from core.imports.registry import DATES, FLAGS, Column, Doc, Importer

from .models import ActionStatus, Need, NeedAction
from .services import need_action_create, need_action_update

STATUSES = tuple(ActionStatus.values)
FILE_COLUMNS = (
    Column("need_ref", _("The need's reference, e.g. N-3F2A9C01B7."), required=True),
    Column("what", _("Text: the action taken or planned."), required=True),
    Column("responsible_institution", _("Text.")),
    Column("due_date", DATES),
    Column("status", codes=STATUSES, default=ActionStatus.PLANNED),
    Column("in_action_plan", _("Part of the national action plan."), codes=FLAGS, default="false"),
)
REQUIRED_COLUMNS = tuple(column.name for column in FILE_COLUMNS if column.required)
# The service's field -> the column that carries it.
FIELD_COLUMNS = {
    **{column.name: column.name for column in FILE_COLUMNS},
    "in_national_action_plan": "in_action_plan",
}
INSTITUTION_MAX_LENGTH = NeedAction._meta.get_field("responsible_institution").max_length


@dataclass
class _Row:
    number: int
    need: Need
    values: dict
    existing: NeedAction | None = None


class _Rejected(Exception):
    """Raised inside the import transaction to roll it back."""


def _key(need_id: int, what: str) -> tuple[int, str]:
    return need_id, " ".join(what.split()).lower()


def _plan(table, result: ImportResult, progress, *, lock: bool) -> list[_Row]:
    refs = {row.get("need_ref", "").strip() for _number, row in table.rows}
    needs = {need.ref: need for need in Need.objects.filter(ref__in=refs - {""})}
    actions = NeedAction.objects.filter(need__in=needs.values()).order_by("id")
    if lock:
        actions = actions.select_for_update()
    existing: dict[tuple, NeedAction] = {}
    for action in actions:
        existing.setdefault(_key(action.need_id, action.what), action)
    seen: dict[tuple, int] = {}
    plans = []
    for index, (number, row) in enumerate(table.rows, start=1):
        if progress is not None and index % 100 == 0:
            progress("checking", index, len(table.rows))
        reader = RowReader(number, row, result.problems)
        ref = reader.text("need_ref", required=True)
        need = needs.get(ref)
        if ref and need is None:
            reader.problem("need_ref", gettext("there is no need %(ref)s.") % {"ref": ref})
        what = reader.text("what", required=True)
        institution = reader.text("responsible_institution")
        if len(institution) > INSTITUTION_MAX_LENGTH:
            reader.problem(
                "responsible_institution",
                gettext("at most %(count)s characters.") % {"count": INSTITUTION_MAX_LENGTH},
            )
        values = {
            "what": what,
            "responsible_institution": institution,
            "due_date": reader.date("due_date"),
            "status": reader.choice("status", STATUSES) or ActionStatus.PLANNED,
            "in_national_action_plan": reader.flag("in_action_plan"),
        }
        if not reader.ok:
            continue
        key = _key(need.pk, what)
        if key in seen:
            reader.problem(
                "what",
                gettext("repeats row %(row)s (the same action on the same need).")
                % {"row": seen[key]},
            )
            continue
        seen[key] = number
        action = existing.get(key)
        if action is None:
            result.created += 1
        elif all(getattr(action, name) == value for name, value in values.items()):
            result.unchanged += 1
            continue
        else:
            result.updated += 1
        plans.append(_Row(number, need, values, action))
    return plans


def _write(plans: list[_Row], user, result: ImportResult) -> None:
    for plan in plans:
        try:
            if plan.existing is None:
                need_action_create(need=plan.need, user=user, **plan.values)
            else:
                need_action_update(action=plan.existing, user=user, **plan.values)
        except ValidationError as error:
            result.problems += refusal_problems(error, plan.number, FIELD_COLUMNS, other="what")
    if result.problems:
        raise _Rejected


def import_actions(
    *, data: bytes, filename: str, user, dry_run: bool, progress: Progress | None = None
) -> ImportResult:
    """Check every row; unless `dry_run`, write the whole file or, on any problem, nothing."""
    table = read_import_table(data, filename, REQUIRED_COLUMNS)
    if isinstance(table, str):
        return ImportResult(file_error=table)
    result = ImportResult(rows=len(table.rows))
    if dry_run:
        _plan(table, result, progress, lock=False)
        return result
    try:
        with transaction.atomic():
            plans = _plan(table, result, progress, lock=True)
            if result.rejected:
                raise _Rejected
            _write(plans, user, result)
    except _Rejected:
        return result
    result.written = True
    return result


IMPORTER = Importer(
    kind="actions",
    label=_("Follow-up actions"),
    columns=FILE_COLUMNS,
    may_import=can_manage_needs,
    run=import_actions,
    results_url="needs:need_list",
    results_label=_("See the needs"),
    notes=(
        Doc(
            _(
                "A row whose need already has an action with the same <code>what</code> "
                "updates that action instead of adding another. An export of actions (from a "
                'country page, or <a href="%(export)s">all the actions you see</a>) is also a '
                "valid file."
            ),
            {"export": reverse_lazy("needs:action_export", args=["csv"])},
        ),
    ),
    # Each row goes through the services (history, checks): about ten queries.
    row_weight=10,
)
