"""The API's `source_paragraph`, `source_excerpt`, `follows` and `followed_by`: staff set
them, focal points propose a link, everyone sees only the links to needs they may see."""

import pytest

from needs.models import Need
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def earlier(api_data):
    """A need of Kenya's first cycle, whose executive summary is not published."""
    return api_data["unpublished_need"]


def test_staff_set_source_and_follows_by_ref(clients, api_data, earlier):
    need = api_data["published_need"]

    response = clients["staff"].patch(
        f"/api/v1/needs/{need.ref}/",
        {"follows": earlier.ref, "source_paragraph": "para 42", "source_excerpt": "Quoted."},
        format="json",
    )

    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["follows"], body["source_paragraph"], body["source_excerpt"]) == (
        earlier.ref,
        "para 42",
        "Quoted.",
    )
    earlier_body = clients["staff"].get(f"/api/v1/needs/{earlier.ref}/").json()
    assert earlier_body["followed_by"] == [need.ref]


def test_it_explains_a_link_across_cycles_or_states_with_a_400(clients, api_data, earlier):
    need = api_data["published_need"]
    other = api_data["other_need"]

    same_cycle = clients["staff"].patch(
        f"/api/v1/needs/{need.ref}/",
        {"follows": factories.NeedFactory(review=need.review).ref},
        format="json",
    )
    proposal = clients["staff"].patch(
        f"/api/v1/needs/{need.ref}/", {"follows": api_data["proposal"].ref}, format="json"
    )
    other_state = clients["staff"].patch(
        f"/api/v1/needs/{need.ref}/", {"follows": other.ref}, format="json"
    )
    backwards = clients["staff"].patch(
        f"/api/v1/needs/{earlier.ref}/", {"follows": need.ref}, format="json"
    )
    unknown = clients["staff"].patch(
        f"/api/v1/needs/{need.ref}/", {"follows": "N-NOWHERE"}, format="json"
    )

    answers = (same_cycle, proposal, other_state, backwards, unknown)
    assert [r.status_code for r in answers] == [400] * 5
    assert "a proposal staff have not accepted" in proposal.json()["errors"]["follows"][0]
    assert "only follow a need of an earlier cycle" in same_cycle.json()["errors"]["follows"][0]
    assert "a need of another State" in other_state.json()["errors"]["follows"][0]
    assert "a need of cycle 1 can only follow" in backwards.json()["errors"]["follows"][0]
    assert unknown.json()["errors"]["follows"] == ["There is no need N-NOWHERE that you may see."]
    assert Need.objects.filter(follows__isnull=False).count() == 0


def test_it_refuses_an_excerpt_over_2000_characters(clients, api_data):
    need = api_data["published_need"]

    response = clients["staff"].patch(
        f"/api/v1/needs/{need.ref}/", {"source_excerpt": "x" * 2001}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["errors"]["source_excerpt"] == [
        "A source excerpt has at most 2000 characters: quote the sentence that identifies the need."
    ]


def test_the_public_does_not_learn_the_ref_of_an_unpublished_earlier_need(
    clients, api_data, earlier
):
    need = api_data["published_need"]
    Need.objects.filter(pk=need.pk).update(follows=earlier)

    public = clients["anonymous"].get(f"/api/v1/needs/{need.ref}/").json()
    own_focal_point = clients["focal_point"].get(f"/api/v1/needs/{need.ref}/").json()

    assert public["follows"] is None
    assert own_focal_point["follows"] == earlier.ref


def test_a_focal_point_proposes_a_need_that_follows_one_of_their_states(clients, api_data, earlier):
    response = clients["focal_point"].post(
        "/api/v1/needs/propose/",
        {
            "state": "KEN",
            "cycle": 2,
            "chapter": "II",
            "article": 9,
            "category": "capacity_building",
            "description": "Still: training on e-procurement.",
            "follows": earlier.ref,
            "source_paragraph": "para 18",
        },
        format="json",
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["acceptance"], body["follows"], body["source_paragraph"]) == (
        "proposed",
        earlier.ref,
        "para 18",
    )


def test_a_focal_point_cannot_name_another_states_unpublished_need(clients, other_state):
    hidden = factories.NeedFactory(
        review=factories.ReviewFactory(
            state=other_state,
            cycle=1,
            executive_summary_completed=None,
            executive_summary_published=False,
        )
    )
    factories.ReviewFactory(state=factories.state("KEN"), cycle=2)

    response = clients["focal_point"].post(
        "/api/v1/needs/propose/",
        {
            "state": "KEN",
            "cycle": 2,
            "chapter": "II",
            "category": "capacity_building",
            "description": "A need.",
            "follows": hidden.ref,
        },
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["errors"]["follows"] == [
        f"There is no need {hidden.ref} that you may see."
    ]


def test_the_list_costs_the_same_queries_with_more_links(
    clients, api_data, earlier, django_assert_max_num_queries
):
    client = clients["staff"]
    Need.objects.filter(pk=api_data["published_need"].pk).update(follows=earlier)
    with django_assert_max_num_queries(20) as few:
        client.get("/api/v1/needs/")
    for _ in range(5):
        successor = factories.NeedFactory(review=api_data["published_need"].review)
        Need.objects.filter(pk=successor.pk).update(follows=earlier)

    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/api/v1/needs/")
