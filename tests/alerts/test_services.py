import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import QueryDict
from django.utils import timezone

from alerts import services
from alerts.models import AlertFrequency, SavedSearch
from alerts.services import (
    alert_unsubscribe,
    normalised_query,
    saved_search_create,
    saved_search_delete,
    saved_search_update,
)

from .conftest import save

pytestmark = pytest.mark.django_db


def errors_of(excinfo) -> dict:
    return excinfo.value.message_dict


def test_it_keeps_only_the_filters_that_filter_sorted():
    # What the needs list's GET form submits: every field, most of them empty.
    query = QueryDict(
        "q=+judges+&cycle=&stale=unknown&state=PER&state=KEN&state=KEN&priority=&"
        "identified_after=&ordering=-priority&page=3"
    )

    assert normalised_query(view="needs", query=query) == {
        "ordering": ["-priority"],
        "q": ["judges"],
        "state": ["KEN", "PER"],
    }


def test_no_is_a_filter_but_any_is_not():
    assert normalised_query(view="needs", query={"stale": "false"}) == {"stale": ["false"]}
    assert normalised_query(view="needs", query={"stale": "unknown"}) == {}


def test_a_catalogue_address_without_its_marker_gets_the_catalogues_defaults():
    assert normalised_query(view="catalogue", query={"state": "KEN"}) == {
        "coverage": ["partly_covered", "unmet"],
        "state": ["KEN"],
        "status": ["in_progress", "partially_met", "unmet"],
    }


def test_a_catalogue_address_with_its_marker_keeps_the_visitors_choice():
    assert normalised_query(view="catalogue", query={"filtered": "1", "state": "KEN"}) == {
        "state": ["KEN"]
    }
    assert normalised_query(view="catalogue", query={"filtered": "1"}) == {}


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"state": "XXX"}, "state: Select a valid choice."),
        ({"cycle": "3"}, "cycle: Select a valid choice."),
        ({"identified_after": "yesterday"}, "identified_after: Enter a valid date."),
        ({"stale": "maybe"}, "stale: use true or false."),
        ({"colour": "red", "size": "2"}, "Unknown filters: colour, size."),
        ({"ordering": "shoe_size"}, "ordering: Select a valid choice."),
    ],
)
def test_it_refuses_filters_the_view_refuses_with_the_reason(query, message):
    with pytest.raises(ValidationError) as excinfo:
        normalised_query(view="needs", query=query)

    assert message in " ".join(errors_of(excinfo)["query"])


def test_it_refuses_filters_too_long_for_a_link(monkeypatch):
    monkeypatch.setattr(services, "MAX_QUERY_LENGTH", 10)
    with pytest.raises(ValidationError, match="too long"):
        normalised_query(view="needs", query={"q": "judges and prosecutors"})


def test_saving_keeps_the_normalised_filters_and_starts_the_cursor_now(donor):
    before = timezone.now()
    search = saved_search_create(
        owner=donor,
        name="  Unmet in Kenya ",
        view="catalogue",
        query=QueryDict("filtered=1&state=KEN&q="),
        alert=AlertFrequency.WEEKLY,
    )

    search.refresh_from_db()
    assert (search.name, search.view, search.query) == (
        "Unmet in Kenya",
        "catalogue",
        {"state": ["KEN"]},
    )
    assert search.alert == AlertFrequency.WEEKLY
    assert before <= search.last_alerted_at <= timezone.now()
    assert search.get_absolute_url() == "/catalogue/?filtered=1&state=KEN"


def test_names_are_unique_per_owner_whatever_the_case(donor, other_donor):
    save(donor, name="Kenya")

    with pytest.raises(ValidationError) as excinfo:
        save(donor, name="KENYA")

    assert errors_of(excinfo) == {"name": ["You already have a saved search with this name."]}
    assert save(other_donor, name="Kenya").owner == other_donor


@pytest.mark.parametrize("role", ["donor", "focal_point", "other_focal_point"])
def test_only_staff_save_the_needs_list(people, role):
    with pytest.raises(PermissionDenied):
        save(people[role], view="needs", query={})

    assert not SavedSearch.objects.exists()


@pytest.mark.parametrize("role", ["staff", "administrator"])
def test_staff_save_the_needs_list(people, role):
    assert save(people[role], view="needs", query={"acceptance": "proposed"}).query == {
        "acceptance": ["proposed"]
    }


def test_everyone_signed_in_saves_the_catalogue(people):
    for role, user in people.items():
        if role != "anonymous":
            save(user, name=role)

    assert SavedSearch.objects.count() == 5


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"name": "   "}, "name"),
        ({"name": "x" * 101}, "name"),
        ({"name": "nul\x00"}, "name"),
        ({"view": "dashboard"}, "view"),
        ({"alert": "hourly"}, "alert"),
    ],
)
def test_bad_input_is_refused_with_the_field_named(donor, fields, field):
    arguments = {"owner": donor, "name": "Mine", "view": "catalogue", "query": {}, **fields}
    with pytest.raises(ValidationError) as excinfo:
        saved_search_create(**arguments)

    assert field in errors_of(excinfo)
    assert not SavedSearch.objects.exists()


def test_renaming_and_changing_the_alert(donor):
    search = save(donor, alert=AlertFrequency.DAILY)

    saved_search_update(saved_search=search, name="Renamed", alert=AlertFrequency.WEEKLY)

    search.refresh_from_db()
    assert (search.name, search.alert, search.query) == ("Renamed", "weekly", {})


def test_switching_an_alert_on_starts_its_cursor_then(donor):
    search = save(
        donor, alert=AlertFrequency.NONE, cursor=timezone.now() - datetime.timedelta(days=90)
    )
    before = timezone.now()

    saved_search_update(saved_search=search, alert=AlertFrequency.DAILY)

    search.refresh_from_db()
    assert search.last_alerted_at >= before


def test_changing_daily_to_weekly_keeps_the_cursor(donor):
    search = save(donor, alert=AlertFrequency.DAILY)
    cursor = search.last_alerted_at

    saved_search_update(saved_search=search, alert=AlertFrequency.WEEKLY)

    search.refresh_from_db()
    assert search.last_alerted_at == cursor


def test_new_filters_are_checked_again(donor):
    search = save(donor, query={"filtered": "1", "state": "KEN"})

    with pytest.raises(ValidationError):
        saved_search_update(saved_search=search, query={"filtered": "1", "state": "XXX"})
    saved_search_update(saved_search=search, query={"region": "african"})

    search.refresh_from_db()
    assert search.query["region"] == ["african"]
    assert "coverage" in search.query  # no marker: the catalogue's defaults


def test_the_saved_filters_keep_no_defaults_when_checked_again(staff):
    search = save(staff, view="needs", query={"state": "KEN"})

    saved_search_update(saved_search=search, view="catalogue")

    search.refresh_from_db()
    assert search.query == {"state": ["KEN"]}


def test_a_donor_cannot_turn_a_search_into_one_of_the_needs_list(donor):
    search = save(donor)

    with pytest.raises(PermissionDenied):
        saved_search_update(saved_search=search, view="needs")


def test_renaming_onto_another_of_ones_names_is_refused(donor):
    save(donor, name="First")
    second = save(donor, name="Second")

    with pytest.raises(ValidationError):
        saved_search_update(saved_search=second, name="first")
    saved_search_update(saved_search=second, name="SECOND")  # its own name, recased


def test_deleting(donor):
    search = save(donor)

    saved_search_delete(saved_search=search)

    assert not SavedSearch.objects.exists()


def test_unsubscribing_turns_the_alert_off_once(donor):
    search = save(donor, alert=AlertFrequency.WEEKLY)

    assert alert_unsubscribe(saved_search=search) is True
    assert alert_unsubscribe(saved_search=search) is False

    search.refresh_from_db()
    assert search.alert == AlertFrequency.NONE
