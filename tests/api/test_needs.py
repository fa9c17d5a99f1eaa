import pytest

from needs.models import Need, NeedComment
from tests import factories

pytestmark = pytest.mark.django_db


def test_the_public_sees_only_accepted_needs_of_published_reviews(clients, api_data):
    response = clients["anonymous"].get("/api/v1/needs/")

    assert response.status_code == 200
    refs = {row["ref"] for row in response.json()["results"]}
    assert refs == {api_data["published_need"].ref, api_data["other_need"].ref}


def test_a_focal_point_also_sees_everything_of_their_own_state(clients, api_data):
    refs = {row["ref"] for row in clients["focal_point"].get("/api/v1/needs/").json()["results"]}

    assert api_data["unpublished_need"].ref in refs
    assert api_data["proposal"].ref in refs


def test_it_filters_by_region_with_the_shared_filterset(clients, api_data):
    region = api_data["published_need"].review.state.regional_group.code

    response = clients["anonymous"].get("/api/v1/needs/", {"region": region})

    assert [row["ref"] for row in response.json()["results"]] == [api_data["published_need"].ref]


def test_it_refuses_an_unknown_filter_value_naming_the_parameter(clients, api_data):
    response = clients["anonymous"].get("/api/v1/needs/", {"state": "XXX"})

    assert response.status_code == 400
    body = response.json()
    assert set(body["errors"]) == {"state"}
    assert body["detail"].startswith("state:")


def test_it_refuses_a_yes_no_filter_that_is_neither(clients, api_data):
    response = clients["anonymous"].get("/api/v1/needs/", {"stale": "maybe"})

    assert response.status_code == 400
    assert response.json()["errors"] == {"stale": ["Use true or false."]}


def test_it_hides_who_confirmed_a_need_from_the_public(clients, api_data, people):
    need = api_data["published_need"]
    need.last_confirmed_by = people["focal_point"]
    need.save()

    public = clients["anonymous"].get(f"/api/v1/needs/{need.ref}/").json()
    signed_in = clients["donor"].get(f"/api/v1/needs/{need.ref}/").json()

    assert public["last_confirmed_by"] is None
    assert signed_in["last_confirmed_by"] == people["focal_point"].get_full_name()


def test_staff_create_a_need_through_the_service(clients, api_data):
    response = clients["staff"].post(
        "/api/v1/needs/",
        {
            "state": "KEN",
            "cycle": 2,
            "chapter": "II",
            "article": 5,
            "category": "capacity_building",
            "themes": ["technology"],
            "description": "  Case management system for the anti-corruption body  ",
            "priority": "high",
        },
        format="json",
    )

    assert response.status_code == 201, response.json()
    need = Need.objects.get(ref=response.json()["ref"])
    assert need.description == "Case management system for the anti-corruption body"
    assert [t.code for t in need.themes.all()] == ["technology"]
    assert response.json()["state"] == "KEN"


def test_it_refuses_an_article_outside_the_chapter_naming_the_field(clients, api_data):
    response = clients["staff"].post(
        "/api/v1/needs/",
        {
            "state": "KEN",
            "cycle": 2,
            "chapter": "II",
            "article": 44,
            "category": "capacity_building",
            "description": "Something",
        },
        format="json",
    )

    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"article"}


def test_it_refuses_a_need_for_a_review_that_does_not_exist(clients, api_data):
    response = clients["staff"].post(
        "/api/v1/needs/",
        {
            "state": "FRA",
            "cycle": 2,
            "chapter": "II",
            "category": "capacity_building",
            "description": "Something",
        },
        format="json",
    )

    assert response.status_code == 400
    assert "no cycle 2 review" in response.json()["errors"]["cycle"][0]


def test_an_outdated_version_gets_409_with_the_changes(clients, api_data):
    need = api_data["published_need"]
    first = clients["staff"].patch(
        f"/api/v1/needs/{need.ref}/", {"priority": "high", "version": 1}, format="json"
    )
    assert first.status_code == 200
    assert first.json()["version"] == 2

    second = clients["administrator"].patch(
        f"/api/v1/needs/{need.ref}/", {"priority": "low", "version": 1}, format="json"
    )

    assert second.status_code == 409
    body = second.json()
    assert body["code"] == "concurrent_edit"
    assert body["changes"]["priority"] == {"seen": "", "current": "high"}
    assert body["current"]["priority"] == "high"
    need.refresh_from_db()
    assert need.priority == "high"


def test_if_match_works_like_the_version_field(clients, api_data):
    need = api_data["published_need"]
    clients["staff"].patch(f"/api/v1/needs/{need.ref}/", {"priority": "high"}, format="json")

    response = clients["staff"].patch(
        f"/api/v1/needs/{need.ref}/", {"priority": "low"}, format="json", HTTP_IF_MATCH='"1"'
    )

    assert response.status_code == 409


def test_retrieve_gives_the_version_as_etag(clients, api_data):
    response = clients["anonymous"].get(f"/api/v1/needs/{api_data['published_need'].ref}/")

    assert response["ETag"] == '"1"'


def test_a_focal_point_changes_the_status_of_their_states_need_with_a_comment(clients, api_data):
    need = api_data["published_need"]

    response = clients["focal_point"].post(
        f"/api/v1/needs/{need.ref}/status/",
        {"status": "in_progress", "comment": "Project started in March"},
        format="json",
    )

    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "in_progress"
    assert NeedComment.objects.get(need=need).text == "Project started in March"


def test_an_outdated_status_change_gets_409_with_the_need_as_it_is(clients, api_data):
    need = api_data["published_need"]
    clients["staff"].post(f"/api/v1/needs/{need.ref}/confirm/")

    response = clients["focal_point"].post(
        f"/api/v1/needs/{need.ref}/status/",
        {"status": "met", "comment": "Done", "version": 1},
        format="json",
    )

    assert response.status_code == 409
    body = response.json()
    assert set(body["changes"]) == {"last_confirmed_by", "last_confirmed_on"}
    assert body["current"]["ref"] == need.ref
    assert body["current"]["version"] == 2
    assert body["current"]["status"] == "unmet"


def test_a_focal_point_cannot_change_another_states_need(clients, api_data):
    need = api_data["other_need"]

    response = clients["focal_point"].post(
        f"/api/v1/needs/{need.ref}/status/", {"status": "met", "comment": "x"}, format="json"
    )

    assert response.status_code == 403


def test_a_focal_point_confirms_a_need(clients, api_data, people):
    need = api_data["published_need"]

    response = clients["focal_point"].post(f"/api/v1/needs/{need.ref}/confirm/")

    assert response.status_code == 200
    need.refresh_from_db()
    assert need.last_confirmed_by == people["focal_point"]


def test_a_focal_point_proposes_for_their_own_state_only(clients, api_data):
    body = {
        "cycle": 2,
        "chapter": "II",
        "category": "capacity_building",
        "description": "Asset declaration system",
    }

    own = clients["focal_point"].post(
        "/api/v1/needs/propose/", {**body, "state": "KEN"}, format="json"
    )
    other = clients["focal_point"].post(
        "/api/v1/needs/propose/", {**body, "state": "PER"}, format="json"
    )

    assert own.status_code == 201
    assert own.json()["acceptance"] == "proposed"
    assert other.status_code == 403


def test_a_donor_is_refused_a_proposal_before_its_content_is_checked(clients, api_data):
    response = clients["donor"].post("/api/v1/needs/propose/", {"state": "?"}, format="json")

    assert response.status_code == 403


def test_deciding_on_a_need_that_is_not_a_proposal_is_a_conflict(clients, api_data):
    need = api_data["published_need"]

    response = clients["staff"].post(
        f"/api/v1/needs/{need.ref}/decide/", {"accept": True}, format="json"
    )

    assert response.status_code == 409
    assert "not a proposal" in response.json()["detail"]


def test_staff_accept_a_proposal(clients, api_data):
    proposal = api_data["proposal"]

    response = clients["staff"].post(
        f"/api/v1/needs/{proposal.ref}/decide/", {"accept": True, "reason": "Fits"}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["acceptance"] == "accepted"


def test_the_list_answers_as_csv_with_neutralised_formulas(clients, api_data):
    need = api_data["published_need"]
    need.description = "=HYPERLINK('x')"
    need.save()

    response = clients["anonymous"].get("/api/v1/needs/", {"format": "csv", "state": "KEN"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    header, first = text.splitlines()[:2]
    assert header.startswith("ref,state,state_name,region,cycle")
    assert "'=HYPERLINK('x')" in first


def test_errors_stay_json_when_csv_was_asked_for(clients, api_data):
    response = clients["anonymous"].get("/api/v1/needs/", {"format": "csv", "cycle": "9"})

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert "cycle" in response.json()["errors"]


@pytest.mark.parametrize("extra_needs", [0, 30])
def test_the_list_costs_the_same_queries_whatever_the_number_of_needs(
    clients, api_data, published_review, extra_needs, django_assert_max_num_queries
):
    for _ in range(extra_needs):
        need = factories.NeedFactory(review=published_review)
        need.themes.add(factories.theme("technology"))

    # data version, counts per review (kept until the data changes), page ids, rows, themes,
    # the refs of the needs that follow them
    with django_assert_max_num_queries(6):
        response = clients["anonymous"].get("/api/v1/needs/", {"page_size": 100})
    assert response.json()["count"] == 2 + extra_needs
