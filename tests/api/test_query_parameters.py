"""The API refuses a query parameter it does not read, or a field it cannot sort by, with a
400 that names the ones it takes, instead of answering as if the request had none."""

import pytest
from drf_spectacular.generators import SchemaGenerator

from .conftest import EXAMPLE_NEED_REF

pytestmark = pytest.mark.django_db

# Every list of the API, with the parameters its request needs anyway.
LISTS = {
    "/api/v1/needs/": {},
    "/api/v1/needs/{ref}/actions/": {},
    "/api/v1/reviews/": {},
    "/api/v1/states/": {},
    "/api/v1/regions/": {},
    "/api/v1/chapters/": {},
    "/api/v1/articles/": {},
    "/api/v1/categories/": {},
    "/api/v1/themes/": {},
    "/api/v1/activities/": {},
    "/api/v1/providers/": {},
    "/api/v1/donors/": {},
    "/api/v1/donor-interests/": {},
    "/api/v1/funding/": {},
    "/api/v1/snapshots/": {},
    "/api/v1/saved-searches/": {},
    "/api/v1/shared-needs/": {},
    "/api/v1/dashboard/": {"cycle": 2},
}
TAKES = "This request takes: "


@pytest.fixture(scope="module")
def documented(django_db_blocker):
    """Each GET operation's documented query parameters, by path."""
    with django_db_blocker.unblock():
        schema = SchemaGenerator().get_schema(request=None, public=True)
    return {
        path: {p["name"] for p in methods["get"].get("parameters", []) if p["in"] == "query"}
        for path, methods in schema["paths"].items()
        if "get" in methods
    }


def address(path: str) -> str:
    """A list's address: the schema's path with the example need's reference filled in."""
    return path.replace("{ref}", EXAMPLE_NEED_REF)


def taken_parameters(message: str) -> set[str]:
    assert TAKES in message, message
    return set(message.split(TAKES, 1)[1].rstrip(".").split(", "))


def test_every_list_of_the_schema_is_checked_here(documented):
    # Lists end with a word (`/needs/{ref}/actions/`), records with a parameter (`/needs/{ref}/`).
    lists = {
        path for path in documented if not path.rstrip("/").endswith("}") and path != "/api/v1/me/"
    }

    assert lists == set(LISTS)


@pytest.mark.parametrize("path", LISTS)
def test_a_list_refuses_an_unknown_parameter_naming_the_ones_it_takes(
    clients, api_data, documented, path
):
    response = clients["staff"].get(address(path), {**LISTS[path], "ref": "X"})

    assert response.status_code == 400
    body = response.json()
    assert set(body["errors"]) == {"ref"}
    assert body["detail"].startswith("ref: Unknown parameter.")
    assert taken_parameters(body["errors"]["ref"][0]) == documented[path] | {"format"}


def test_the_unknown_parameter_no_longer_answers_every_need(clients, api_data):
    response = clients["staff"].get("/api/v1/needs/", {"ref": api_data["published_need"].ref})

    assert response.status_code == 400
    assert "results" not in response.json()


def test_each_unknown_parameter_is_named(clients, api_data):
    response = clients["anonymous"].get("/api/v1/states/", {"utm_source": "x", "regoin": "x"})

    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"utm_source", "regoin"}


def test_known_parameters_still_filter_sort_and_page(clients, api_data):
    region = api_data["published_need"].review.state.regional_group.code

    response = clients["anonymous"].get(
        "/api/v1/needs/", {"region": region, "ordering": "-state", "page": 1, "page_size": 1}
    )

    assert response.status_code == 200
    assert [row["ref"] for row in response.json()["results"]] == [api_data["published_need"].ref]


def test_a_list_still_answers_as_csv(clients, api_data):
    response = clients["anonymous"].get("/api/v1/regions/", {"format": "csv", "page_size": 2})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")


def test_a_record_takes_no_parameter_but_the_format(clients, api_data):
    url = f"/api/v1/needs/{api_data['published_need'].ref}/"

    refused = clients["anonymous"].get(url, {"state": "KEN"})
    answered = clients["anonymous"].get(url, {"format": "json"})

    assert refused.status_code == 400
    assert taken_parameters(refused.json()["errors"]["state"][0]) == {"format"}
    assert answered.status_code == 200


def test_a_write_refuses_an_unknown_parameter_before_reading_the_body(clients, api_data):
    response = clients["staff"].post("/api/v1/needs/?dry_run=1", {}, format="json")

    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"dry_run"}


def test_who_may_not_call_an_operation_learns_nothing_from_its_parameters(clients, api_data):
    response = clients["anonymous"].get("/api/v1/donor-interests/", {"ref": "X"})

    assert response.status_code == 401


@pytest.mark.parametrize(
    ("path", "fields"),
    [
        # A shared FilterSet's `ordering` ...
        ("/api/v1/reviews/", "state, cycle, review_year, executive_summary_completed, updated_at"),
        # ... and the `ordering_fields` of a list without one.
        ("/api/v1/funding/", "year, amount"),
    ],
)
def test_an_unknown_sort_field_is_refused_naming_the_ones_taken(clients, api_data, path, fields):
    known = fields.split(", ")[1]
    response = clients["staff"].get(path, {"ordering": f"-{known},nonsense"})

    assert response.status_code == 400
    message = response.json()["errors"]["ordering"][0]
    assert message.startswith("Cannot sort by nonsense.")
    assert f"Sort by {fields}, or several" in message


def test_a_list_without_a_filterset_still_sorts_by_its_fields(clients, api_data):
    codes = [row["code"] for row in clients["anonymous"].get("/api/v1/regions/").json()["results"]]

    response = clients["anonymous"].get("/api/v1/regions/", {"ordering": "-code"})

    assert [row["code"] for row in response.json()["results"]] == sorted(codes, reverse=True)


@pytest.mark.parametrize("ordering", ["", "code,", "name,,code"])
def test_an_empty_sort_field_is_refused(clients, api_data, ordering):
    response = clients["anonymous"].get("/api/v1/regions/", {"ordering": ordering})

    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"ordering"}


@pytest.mark.parametrize("url", ["/", "/needs/", "/states/", "/dashboard/", "/catalogue/"])
def test_pages_ignore_parameters_they_do_not_read(client, people, api_data, url):
    client.force_login(people["staff"])

    response = client.get(url, {"utm_source": "newsletter", "utm_campaign": "cosp"})

    assert response.status_code == 200
