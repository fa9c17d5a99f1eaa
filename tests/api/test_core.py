"""What every endpoint shares: error shape, authentication, paging, CSV, tokens."""

import gzip
import io
import json

import pytest
from django.core.management import CommandError, call_command
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


def test_an_unauthenticated_write_is_401_with_the_error_shape(clients, api_data):
    response = clients["anonymous"].post("/api/v1/needs/", {}, format="json")

    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Token")
    assert response.json() == {
        "detail": "Authentication credentials were not provided.",
        "code": "not_authenticated",
        "errors": {},
    }


def test_an_invalid_token_is_401_even_on_public_data(api_data):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-key")

    response = client.get("/api/v1/needs/")

    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"


def test_a_role_without_the_right_gets_403(clients, api_data):
    response = clients["donor"].post("/api/v1/needs/", {}, format="json")

    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"


def test_invalid_input_names_every_field_concerned(clients, api_data):
    response = clients["staff"].post(
        "/api/v1/needs/", {"state": "KEN", "cycle": 7, "description": ""}, format="json"
    )

    assert response.status_code == 400
    errors = response.json()["errors"]
    assert set(errors) == {"cycle", "chapter", "category", "description"}
    assert response.json()["detail"].startswith("cycle:")


def test_malformed_json_is_400_not_500(clients, api_data):
    response = clients["staff"].generic(
        "POST", "/api/v1/needs/", "{not json", content_type="application/json"
    )

    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"


def test_a_business_rule_from_the_service_is_400_with_its_field(clients, api_data):
    review = api_data["published_need"].review

    response = clients["staff"].patch(
        f"/api/v1/reviews/{review.pk}/",
        {"direct_dialogue": "2010-01-01", "self_assessment_submitted": "2011-01-01"},
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["errors"]


def test_deleting_a_review_with_needs_is_a_conflict(clients, api_data):
    review = api_data["published_need"].review

    response = clients["staff"].delete(f"/api/v1/reviews/{review.pk}/")

    assert response.status_code == 409
    assert "has needs" in response.json()["detail"]


def test_an_unknown_api_address_answers_json_404(clients):
    response = clients["anonymous"].get("/api/v1/no-such-thing/")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"


def test_a_page_beyond_the_last_is_404_and_a_bad_page_size_400(clients, api_data):
    assert clients["anonymous"].get("/api/v1/needs/", {"page": 9}).status_code == 404
    bad_size = clients["anonymous"].get("/api/v1/needs/", {"page_size": 0})
    assert bad_size.status_code == 400
    assert set(bad_size.json()["errors"]) == {"page_size"}


def test_an_answer_is_gzipped_for_a_client_that_accepts_it(clients, api_data):
    plain = clients["anonymous"].get("/api/v1/needs/")
    compressed = clients["anonymous"].get("/api/v1/needs/", HTTP_ACCEPT_ENCODING="gzip")

    assert "Content-Encoding" not in plain
    assert compressed["Content-Encoding"] == "gzip"
    assert json.loads(gzip.decompress(compressed.content)) == plain.json()


def test_lists_page_with_next_links(clients, api_data):
    first = clients["anonymous"].get("/api/v1/states/", {"page_size": 100}).json()

    assert first["count"] == 198
    assert len(first["results"]) == 100
    assert "page=2" in first["next"]


def test_a_state_shows_only_the_reviews_the_caller_may_see(clients, api_data):
    public = clients["anonymous"].get("/api/v1/states/KEN/").json()
    own = clients["focal_point"].get("/api/v1/states/KEN/").json()

    assert [r["cycle"] for r in public["reviews"]] == [2]
    assert [r["cycle"] for r in own["reviews"]] == [1, 2]
    assert public["region"] == "african"
    assert public["reviews"][0]["stage"] == "executive_summary_published"


def test_a_user_gets_and_revokes_their_own_token(people):
    client = APIClient()
    client.force_login(people["donor"])

    created = client.post("/api/v1/me/token/")
    again = client.post("/api/v1/me/token/")

    assert created.status_code == 201
    assert again.status_code == 200
    assert again.json()["key"] == created.json()["key"]
    token_client = APIClient()
    token_client.credentials(HTTP_AUTHORIZATION=f"Token {created.json()['key']}")
    assert token_client.get("/api/v1/me/").json()["role"] == "donor"

    assert token_client.delete("/api/v1/me/token/").status_code == 204
    assert token_client.get("/api/v1/me/").status_code == 401


def test_session_writes_need_the_csrf_token(people, api_data):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(people["staff"])

    response = client.patch(
        f"/api/v1/needs/{api_data['published_need'].ref}/", {"priority": "low"}, format="json"
    )

    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]


def test_the_command_issues_rotates_and_revokes_tokens(people):
    out = io.StringIO()
    call_command("api_token", "focal", stdout=out)
    key = out.getvalue().strip()
    assert Token.objects.get(user=people["focal_point"]).key == key

    out = io.StringIO()
    call_command("api_token", "focal", "--rotate", stdout=out)
    assert out.getvalue().strip() != key

    call_command("api_token", "focal", "--revoke", stdout=io.StringIO())
    assert not Token.objects.filter(user=people["focal_point"]).exists()


def test_the_command_refuses_an_unknown_user(db):
    with pytest.raises(CommandError, match="no user"):
        call_command("api_token", "nobody", stdout=io.StringIO())


def test_the_docs_page_loads_swagger_ui_from_this_server(client):
    page = client.get("/api/docs/")
    script = client.get("/api/docs/?script=")

    assert page.status_code == 200
    html = page.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "http://" not in html and "https://" not in html
    assert script.status_code == 200
    assert "/api/schema/" in script.content.decode()
