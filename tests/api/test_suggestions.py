"""POST /api/v1/needs/suggest/: the suggested placement of a need being typed."""

import pytest
from drf_spectacular.generators import SchemaGenerator

from tests import factories

URL = "/api/v1/needs/suggest/"


@pytest.fixture
def recorded(published_review):
    article = factories.article(9)
    return factories.NeedFactory(
        review=published_review,
        chapter=article.chapter,
        article=article,
        category=factories.category("capacity_building"),
        description="Training auditors on public procurement audits",
    )


def test_it_answers_placements_with_codes_labels_and_scores(clients, recorded):
    response = clients["staff"].post(
        URL, {"description": "Training auditors on procurement"}, format="json"
    )

    assert response.status_code == 200
    suggestion = response.json()["suggestions"][0]
    assert suggestion == {
        "category": "capacity_building",
        "category_label": "Capacity-building",
        "subcategory": None,
        "subcategory_label": "",
        "chapter": "II",
        "article": 9,
        "article_label": suggestion["article_label"],
        "score": 1.0,
    }
    assert suggestion["article_label"].startswith("Article 9:")


def test_labels_follow_accept_language(clients, recorded):
    response = clients["staff"].post(
        URL, {"description": "procurement audits"}, format="json", HTTP_ACCEPT_LANGUAGE="es"
    )

    assert response.json()["suggestions"][0]["article_label"].startswith("Artículo 9")


def test_it_answers_an_empty_list_when_nothing_is_alike(clients, recorded):
    response = clients["focal_point"].post(URL, {"description": "zzqxv"}, format="json")

    assert response.status_code == 200
    assert response.json() == {"suggestions": []}


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({}, "required"),
        ({"description": ""}, "blank"),
        ({"description": "   "}, "blank"),
        ({"description": "x" * 5001}, "5000"),
        # Over the schema's maxLength as sent, though not once the spaces are trimmed.
        ({"description": "\u000b" + "x" * 5000}, "5000"),
        ({"description": 42}, "text"),
        ({"description": ["a"]}, "text"),
        ({"description": None}, "null"),
        ({"description": "audits", "cycle": 3}, "valid choice"),
        ({"description": "audits", "cycle": "2"}, "whole number"),
    ],
)
def test_it_refuses_bad_descriptions_with_a_clear_message(clients, recorded, body, message):
    response = clients["staff"].post(URL, body, format="json")

    assert response.status_code == 400
    assert message in str(response.json()).lower() or message in str(response.json())


def test_it_refuses_a_body_that_is_not_an_object(clients, recorded):
    response = clients["staff"].post(URL, ["audits"], format="json")

    assert response.status_code == 400


@pytest.mark.parametrize(
    ("role", "code"),
    [
        ("anonymous", 401),
        ("donor", 403),
        ("focal_point", 200),
        ("other_focal_point", 200),
        ("staff", 200),
        ("administrator", 200),
    ],
)
def test_staff_and_focal_points_may_ask(clients, recorded, role, code):
    response = clients[role].post(URL, {"description": "procurement audits"}, format="json")

    assert response.status_code == code


def test_a_focal_point_is_suggested_only_from_needs_they_may_see(
    clients, recorded, unpublished_review
):
    article = factories.article(30)
    factories.NeedFactory(
        review=unpublished_review,
        chapter=article.chapter,
        article=article,
        category=factories.category("policymaking"),
        description="Sentencing guidelines for kleptocracy cases",
    )
    body = {"description": "kleptocracy sentencing"}

    own = clients["focal_point"].post(URL, body, format="json").json()["suggestions"]
    other = clients["other_focal_point"].post(URL, body, format="json").json()["suggestions"]

    assert [s["category"] for s in own] == ["policymaking"]
    assert other == []


def test_the_query_count_does_not_grow_with_the_needs(
    clients, recorded, published_review, django_assert_max_num_queries
):
    body = {"description": "Training auditors on procurement"}
    clients["staff"].post(URL, body, format="json")  # the token's user, cached translations
    with django_assert_max_num_queries(4) as few:
        clients["staff"].post(URL, body, format="json")
    factories.NeedFactory.create_batch(
        30, review=published_review, description="Training auditors on public audits"
    )
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = clients["staff"].post(URL, body, format="json")
    assert response.status_code == 200


def test_it_is_in_the_schema(db):
    schema = SchemaGenerator().get_schema(request=None, public=True)

    operation = schema["paths"]["/api/v1/needs/suggest/"]["post"]
    assert "400" in operation["responses"]
    response = operation["responses"]["200"]["content"]["application/json"]["schema"]
    assert response["$ref"].endswith("NeedSuggestions")
