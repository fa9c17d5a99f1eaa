"""The API answers in the language of Accept-Language; codes stay the same."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("fr", "Sélectionnez un choix valide"),
        ("es", "Escoja una opción válida"),
        ("ar", "انتق خياراً صحيحاً"),
    ],
)
def test_filter_errors_come_in_the_requested_language(client, language, message):
    english = client.get("/api/v1/needs/?priority=urgent", HTTP_ACCEPT_LANGUAGE="en").json()
    response = client.get("/api/v1/needs/?priority=urgent", HTTP_ACCEPT_LANGUAGE=language)

    assert response.status_code == 400
    body = response.json()
    assert message in body["errors"]["priority"][0]
    assert body["code"] == english["code"] == "invalid"
    assert body.keys() == english.keys()


def test_authentication_errors_keep_their_code(client):
    response = client.post("/api/v1/needs/", {}, HTTP_ACCEPT_LANGUAGE="ru")

    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
    assert response.json()["detail"] == "Учетные данные не были предоставлены."
