import pytest
from rest_framework.test import APIClient

from alerts.models import SavedSearch

from .conftest import save

pytestmark = pytest.mark.django_db

URL = "/api/v1/saved-searches/"


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def test_saving_answers_the_normalised_search_with_its_address(donor):
    response = api(donor).post(
        URL,
        {
            "name": "Africa, chapter V",
            "view": "catalogue",
            "query": {"region": "african", "chapter": ["V"]},
        },
        format="json",
    )

    assert response.status_code == 201
    body = response.json()
    assert body["query"] == {
        "chapter": ["V"],
        "coverage": ["partly_covered", "unmet"],
        "region": ["african"],
        "status": ["in_progress", "partially_met", "unmet"],
    }
    assert body["alert"] == "none"
    assert body["url"].startswith("/catalogue/?filtered=1&chapter=V&coverage=partly_covered")
    assert SavedSearch.objects.get().owner == donor


def test_the_filtered_marker_keeps_the_filters_as_given(donor):
    response = api(donor).post(
        URL,
        {"name": "Everything", "view": "catalogue", "query": {"filtered": "1"}, "alert": "weekly"},
        format="json",
    )

    assert (response.status_code, response.json()["query"]) == (201, {})


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"query": {"state": ["XXX"]}}, "query", "state: Select a valid choice."),
        ({"query": {"shoe_size": "42"}}, "query", "Unknown filters: shoe_size."),
        ({"query": ["state", "KEN"]}, "query", "Give an object of filters"),
        ({"query": {"state": [1]}}, "query", "Give each filter a text or a list of texts."),
        ({"view": "dashboard"}, "view", "is not a valid choice"),
        ({"alert": "hourly"}, "alert", "is not a valid choice"),
        ({"name": ""}, "name", "may not be blank"),
    ],
)
def test_an_invalid_search_is_refused_with_400_and_the_reason(donor, body, field, message):
    response = api(donor).post(
        URL, {"name": "Mine", "view": "catalogue", "query": {}, **body}, format="json"
    )

    assert response.status_code == 400
    assert message in " ".join(response.json()["errors"][field])
    assert not SavedSearch.objects.exists()


def test_a_name_used_already_is_refused(donor):
    save(donor, name="Kenya")

    response = api(donor).post(URL, {"name": "kenya", "view": "catalogue"}, format="json")

    assert response.status_code == 400
    assert response.json()["errors"] == {
        "name": ["You already have a saved search with this name."]
    }


def test_a_donor_may_not_save_the_needs_list(donor):
    response = api(donor).post(URL, {"name": "Mine", "view": "needs"}, format="json")

    assert response.status_code == 403


def test_one_sees_and_changes_only_ones_own(donor, other_donor):
    own = save(donor, name="Mine")
    theirs = save(other_donor, name="Theirs")

    assert [row["name"] for row in api(donor).get(URL).json()["results"]] == ["Mine"]
    assert api(donor).get(f"{URL}{theirs.pk}/").status_code == 404
    assert (
        api(donor).patch(f"{URL}{theirs.pk}/", {"name": "Stolen"}, format="json").status_code == 404
    )
    assert api(donor).delete(f"{URL}{theirs.pk}/").status_code == 404
    assert api(donor).get(f"{URL}{own.pk}/").json()["name"] == "Mine"
    theirs.refresh_from_db()
    assert theirs.name == "Theirs"


def test_renaming_changing_the_alert_and_deleting(donor):
    search = save(donor, name="Mine", alert="none")

    response = api(donor).patch(
        f"{URL}{search.pk}/", {"name": "Renamed", "alert": "daily"}, format="json"
    )
    assert (response.status_code, response.json()["name"], response.json()["alert"]) == (
        200,
        "Renamed",
        "daily",
    )
    assert api(donor).delete(f"{URL}{search.pk}/").status_code == 204
    assert not SavedSearch.objects.exists()


def test_the_public_is_asked_to_sign_in(donor):
    search = save(donor)

    assert api().get(URL).status_code == 401
    assert api().get(f"{URL}{search.pk}/").status_code == 401
    assert api().post(URL, {"name": "x", "view": "catalogue"}, format="json").status_code == 401
