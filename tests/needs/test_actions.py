"""Follow-up actions on needs: who sees and records them, the services, the pages, the
import kind "actions" and the export."""

import csv
import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.test import Client

from core.exceptions import ConcurrentEditError
from core.imports import registry
from needs.action_exports import IMPORT_COLUMNS
from needs.action_imports import import_actions
from needs.models import ActionStatus, NeedAction
from needs.rules import can_record_need_actions
from needs.selectors import need_actions
from needs.services import need_action_create, need_action_delete, need_action_update
from tests import factories
from tests.needs.import_files import table_bytes

pytestmark = pytest.mark.django_db

PAST = datetime.date(2020, 1, 31)
FUTURE = datetime.date(2099, 1, 31)


def client_of(user) -> Client:
    client = Client()
    if getattr(user, "is_authenticated", False):
        client.force_login(user)
    return client


@pytest.fixture
def actions(published_need, unpublished_need):
    return {
        "published": factories.NeedActionFactory(need=published_need, what="Published"),
        "unpublished": factories.NeedActionFactory(need=unpublished_need, what="Unpublished"),
    }


# --- Who sees, who records ----------------------------------------------------------------
def test_an_action_is_seen_by_whoever_sees_its_need(people, actions):
    seen = {
        role: set(NeedAction.objects.visible_to(user).values_list("what", flat=True))
        for role, user in people.items()
    }

    for role in ("anonymous", "donor", "other_focal_point"):
        assert seen[role] == {"Published"}, role
    for role in ("focal_point", "staff", "administrator"):
        assert seen[role] == {"Published", "Unpublished"}, role


def test_only_staff_and_the_states_focal_point_record_actions(people, published_need):
    allowed = {
        role for role, user in people.items() if can_record_need_actions(user, published_need)
    }

    assert allowed == {"focal_point", "staff", "administrator"}


# --- Services -----------------------------------------------------------------------------
def test_it_records_an_action_with_its_author_and_history(published_need, focal_point):
    action = need_action_create(
        need=published_need,
        what="  Draft the regulations  ",
        responsible_institution="Ministry of Justice",
        due_date=FUTURE,
        in_national_action_plan=True,
        user=focal_point,
    )

    assert action.what == "Draft the regulations"
    assert (action.status, action.created_by, action.updated_by) == (
        ActionStatus.PLANNED,
        focal_point,
        focal_point,
    )
    [entry] = action.history.all()
    assert (entry.history_type, entry.history_user) == ("+", focal_point)


def test_it_refuses_an_empty_action_and_an_unknown_status(published_need, staff):
    with pytest.raises(ValidationError) as empty:
        need_action_create(need=published_need, what="   ", user=staff)
    with pytest.raises(ValidationError) as status:
        need_action_create(need=published_need, what="Train", status="someday", user=staff)

    assert "what" in empty.value.message_dict
    assert "status" in status.value.message_dict
    assert not NeedAction.objects.exists()


def test_an_update_over_a_newer_edit_is_refused(actions, staff, focal_point):
    action = actions["published"]
    need_action_update(action=action, status=ActionStatus.IN_PROGRESS, user=focal_point)

    with pytest.raises(ConcurrentEditError):
        need_action_update(action=action, seen_version=1, status=ActionStatus.DONE, user=staff)

    action.refresh_from_db()
    assert (action.status, action.version) == (ActionStatus.IN_PROGRESS, 2)


def test_a_deleted_action_stays_in_the_history(actions, staff):
    action = actions["published"]
    pk = action.pk
    need_action_delete(action=action, user=staff)

    assert not NeedAction.objects.filter(pk=pk).exists()
    assert NeedAction.history.filter(id=pk, history_type="-", history_user=staff).exists()


def test_overdue_means_due_date_passed_and_neither_done_nor_cancelled(published_need):
    def action(what, due, status):
        return factories.NeedActionFactory(
            need=published_need, what=what, due_date=due, status=status
        )

    action("late", PAST, ActionStatus.PLANNED)
    action("late and under way", PAST, ActionStatus.IN_PROGRESS)
    action("done late", PAST, ActionStatus.DONE)
    action("cancelled", PAST, ActionStatus.CANCELLED)
    action("in time", FUTURE, ActionStatus.PLANNED)
    action("no date", None, ActionStatus.PLANNED)

    overdue = set(NeedAction.objects.overdue().values_list("what", flat=True))
    flagged = {a.what for a in NeedAction.objects.with_overdue() if a.is_overdue}

    assert overdue == flagged == {"late", "late and under way"}


def test_lists_of_actions_cost_the_same_queries_whatever_their_number(
    published_need, staff, django_assert_max_num_queries
):
    factories.NeedActionFactory.create_batch(3, need=published_need)
    with django_assert_max_num_queries(1):
        few = [(a.need.review.state.iso3, a.is_overdue) for a in need_actions(staff)]
    factories.NeedActionFactory.create_batch(30, need=published_need)
    with django_assert_max_num_queries(1):
        many = [(a.need.review.state.iso3, a.is_overdue) for a in need_actions(staff)]

    assert (len(few), len(many)) == (3, 33)


# --- Pages --------------------------------------------------------------------------------
def test_the_need_page_lists_its_actions_and_offers_the_form_to_those_allowed(
    people, actions, published_need
):
    url = f"/catalogue/{published_need.ref}/"
    for role, user in people.items():
        page = client_of(user).get(url).content.decode()
        assert "Published" in page, role
        assert ('data-testid="action-add-form"' in page) == (
            role in ("focal_point", "staff", "administrator")
        ), role


def test_a_focal_point_adds_changes_and_deletes_an_action(focal_point, published_need):
    client = client_of(focal_point)
    base = f"/needs/{published_need.ref}/actions"

    response = client.post(
        f"{base}/new/",
        {"what": "Set up the working group", "due_date": "2027-03-01", "status": "planned"},
    )
    assert response.status_code == 302
    assert response["Location"] == f"/catalogue/{published_need.ref}/#actions"
    action = NeedAction.objects.get()
    assert (action.due_date, action.created_by) == (datetime.date(2027, 3, 1), focal_point)

    response = client.post(
        f"{base}/{action.pk}/edit/",
        {
            "what": "Set up the working group",
            "status": "in_progress",
            "in_national_action_plan": "on",
            "version": 1,
        },
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert (action.status, action.in_national_action_plan, action.due_date) == (
        "in_progress",
        True,
        None,
    )

    assert client.post(f"{base}/{action.pk}/delete/").status_code == 302
    assert not NeedAction.objects.exists()


def test_a_stale_edit_form_shows_the_conflict(focal_point, staff, actions, published_need):
    action = actions["published"]
    need_action_update(action=action, status=ActionStatus.DONE, user=staff)

    response = client_of(focal_point).post(
        f"/needs/{published_need.ref}/actions/{action.pk}/edit/",
        {"what": "Published", "status": "cancelled", "version": 1},
    )

    assert response.status_code == 409
    assert 'data-testid="conflict"' in response.content.decode()
    action.refresh_from_db()
    assert action.status == ActionStatus.DONE


def test_an_empty_action_is_refused_with_the_form(focal_point, published_need):
    response = client_of(focal_point).post(f"/needs/{published_need.ref}/actions/new/", {})

    assert response.status_code == 400
    assert not NeedAction.objects.exists()


def test_another_states_focal_point_may_not_record_actions(
    other_focal_point, actions, published_need
):
    client = client_of(other_focal_point)
    base = f"/needs/{published_need.ref}/actions"

    assert client.post(f"{base}/new/", {"what": "x", "status": "planned"}).status_code == 403
    assert client.post(f"{base}/{actions['published'].pk}/delete/").status_code == 403
    assert NeedAction.objects.count() == 2


def test_an_action_of_another_need_is_not_found_under_this_one(staff, actions, published_need):
    other = actions["unpublished"]

    response = client_of(staff).get(f"/needs/{published_need.ref}/actions/{other.pk}/edit/")

    assert response.status_code == 404


# --- Export and import --------------------------------------------------------------------
def exported(client, query="") -> list[dict]:
    response = client.get(f"/needs/actions/export/csv/?{query}")
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def test_the_export_holds_what_the_reader_may_see(people, actions):
    public = exported(client_of(people["anonymous"]))
    staff = exported(client_of(people["staff"]))

    assert [row["what"] for row in public] == ["Published"]
    assert {row["what"] for row in staff} == {"Published", "Unpublished"}
    assert list(public[0])[: len(IMPORT_COLUMNS)] == list(IMPORT_COLUMNS)


def test_the_export_filters_overdue_actions(staff, published_need):
    factories.NeedActionFactory(need=published_need, what="Late", due_date=PAST)
    factories.NeedActionFactory(need=published_need, what="In time", due_date=FUTURE)

    rows = exported(client_of(staff), "overdue=true")

    assert [(row["what"], row["overdue"]) for row in rows] == [("Late", "yes")]


def test_a_bad_filter_of_the_export_is_a_400(staff):
    response = client_of(staff).get("/needs/actions/export/csv/?overdue=maybe&status=someday")

    assert response.status_code == 400


def run_import(rows, *, user, dry_run=False):
    data = table_bytes(list(IMPORT_COLUMNS), rows)
    return import_actions(data=data, filename="actions.csv", user=user, dry_run=dry_run)


def action_row(need, **values) -> dict:
    return {
        "need_ref": need.ref,
        "what": "Train the judges",
        "responsible_institution": "Judicial Service Commission",
        "due_date": "2027-06-30",
        "status": "planned",
        "in_action_plan": "true",
        **values,
    }


def test_the_import_kind_is_registered_for_staff(staff, focal_point):
    importer = registry.get("actions")

    assert importer is not None
    assert importer.column_names == IMPORT_COLUMNS
    assert importer.may_import(staff) and not importer.may_import(focal_point)


def test_it_imports_actions_and_updates_those_with_the_same_what(staff, published_need):
    first = run_import([action_row(published_need)], user=staff)
    again = run_import(
        [action_row(published_need, what=" train THE judges ", status="done")], user=staff
    )

    assert (first.written, first.created) == (True, 1)
    assert (again.written, again.created, again.updated) == (True, 0, 1)
    action = NeedAction.objects.get()
    assert (action.status, action.in_national_action_plan, action.created_by) == (
        "done",
        True,
        staff,
    )
    assert action.history.count() == 2


def test_an_export_imported_again_changes_nothing(staff, actions):
    rows = exported(client_of(staff))

    result = run_import(rows, user=staff)

    assert (result.rejected, result.created, result.updated, result.unchanged) == (False, 0, 0, 2)


def test_a_file_with_a_bad_row_imports_nothing(staff, published_need):
    rows = [
        action_row(published_need),
        action_row(published_need, need_ref="N-NOSUCH", what="Other"),
        action_row(published_need, what="Third", due_date="next year", status="soon"),
        action_row(published_need, what="Fourth", in_action_plan="perhaps"),
        action_row(published_need),
    ]

    result = run_import(rows, user=staff)

    assert result.rejected and not result.written
    assert result.messages() == [
        "row 3: need_ref: there is no need N-NOSUCH.",
        "row 4: due_date: 'next year' is not a date written as YYYY-MM-DD.",
        "row 4: status: 'soon' is not one of planned, in_progress, done, cancelled.",
        "row 5: in_action_plan: 'perhaps' is neither true nor false.",
        "row 6: what: repeats row 2 (the same action on the same need).",
    ]
    assert not NeedAction.objects.exists()


def test_the_upload_page_offers_the_actions_tab_to_staff(staff):
    response = client_of(staff).get("/import/?kind=actions")

    assert response.status_code == 200
    assert "need_ref" in response.content.decode()


def test_the_dry_run_writes_nothing(staff, published_need):
    result = run_import([action_row(published_need)], user=staff, dry_run=True)

    assert (result.rejected, result.created) == (False, 1)
    assert not NeedAction.objects.exists()


def test_the_command_imports_a_file_whole_or_not_at_all(tmp_path, staff, published_need):
    good = tmp_path / "actions.csv"
    good.write_bytes(table_bytes(list(IMPORT_COLUMNS), [action_row(published_need)]))
    bad = tmp_path / "bad.csv"
    bad.write_bytes(
        table_bytes(list(IMPORT_COLUMNS), [action_row(published_need, need_ref="N-NOSUCH")])
    )

    call_command("import_actions", str(good), user=staff.username, stdout=io.StringIO())
    with pytest.raises(CommandError):
        call_command("import_actions", str(bad), stdout=io.StringIO(), stderr=io.StringIO())

    assert NeedAction.objects.get().created_by == staff
