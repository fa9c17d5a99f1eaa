"""`/api/v1/needs/{ref}/actions/`: the follow-up actions of one need."""

import pytest

from needs.models import NeedAction

pytestmark = pytest.mark.django_db


def actions_url(need) -> str:
    return f"/api/v1/needs/{need.ref}/actions/"


def test_it_lists_the_needs_actions_with_overdue_flags(clients, api_data):
    response = clients["anonymous"].get(actions_url(api_data["published_need"]))

    assert response.status_code == 200
    [row] = response.json()["results"]
    assert row["id"] == api_data["action"].pk
    assert (row["need"], row["in_national_action_plan"], row["is_overdue"]) == (
        api_data["published_need"].ref,
        True,
        False,
    )
    # Who recorded it is personal data: not for the public.
    assert row["created_by"] is None


def test_an_unpublished_needs_actions_are_hidden_from_outsiders(clients, api_data):
    url = actions_url(api_data["unpublished_need"])

    assert clients["donor"].get(url).status_code == 404
    assert clients["focal_point"].get(url).json()["count"] == 1


def test_a_focal_point_records_an_action_and_sees_it_overdue(clients, api_data, focal_point):
    response = clients["focal_point"].post(
        actions_url(api_data["published_need"]),
        {"what": "Adopt the regulations", "due_date": "2020-01-01", "status": "in_progress"},
        format="json",
    )

    assert response.status_code == 201
    body = response.json()
    assert (body["is_overdue"], body["created_by"]) == (True, focal_point.get_full_name())
    overdue = clients["staff"].get(actions_url(api_data["published_need"]), {"overdue": "true"})
    assert [row["what"] for row in overdue.json()["results"]] == ["Adopt the regulations"]


def test_bad_input_is_a_400_naming_the_fields(clients, api_data):
    response = clients["staff"].post(
        actions_url(api_data["published_need"]),
        {"what": "", "status": "someday", "in_national_action_plan": "yes"},
        format="json",
    )

    assert response.status_code == 400
    assert set(response.json()["errors"]) >= {"what", "in_national_action_plan"}
    assert NeedAction.objects.count() == 2


def test_an_update_over_a_newer_version_is_a_409(clients, api_data):
    url = f"{actions_url(api_data['published_need'])}{api_data['action'].pk}/"
    clients["staff"].patch(url, {"status": "done"}, format="json")

    response = clients["focal_point"].patch(
        url, {"status": "cancelled", "version": 1}, format="json"
    )

    assert response.status_code == 409
    assert NeedAction.objects.get(pk=api_data["action"].pk).status == "done"


def test_an_action_is_not_found_under_another_need(clients, api_data):
    url = f"{actions_url(api_data['other_need'])}{api_data['action'].pk}/"

    assert clients["staff"].get(url).status_code == 404


def test_the_list_refuses_an_unknown_filter_value(clients, api_data):
    response = clients["anonymous"].get(
        actions_url(api_data["published_need"]), {"overdue": "maybe"}
    )

    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"overdue"}
