import pytest
from rest_framework.authtoken.models import Token

pytestmark = pytest.mark.django_db

URL = "/accounts/api-tokens/"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_an_administrator_issues_a_token_shown_once(client, people):
    client.force_login(people["administrator"])

    response = client.post(URL, {"user": people["donor"].pk, "action": "issue"})

    assert response.status_code == 200
    key = Token.objects.get(user=people["donor"]).key
    assert key in response.content.decode()
    assert key not in client.get(URL).content.decode()


def test_an_administrator_replaces_and_revokes_a_token(client, people):
    old = Token.objects.create(user=people["donor"]).key
    client.force_login(people["administrator"])

    client.post(URL, {"user": people["donor"].pk, "action": "rotate"})
    assert Token.objects.get(user=people["donor"]).key != old

    response = client.post(URL, {"user": people["donor"].pk, "action": "revoke"})
    assert response.status_code == 302
    assert not Token.objects.filter(user=people["donor"]).exists()


@pytest.mark.parametrize("role", ["donor", "focal_point", "staff"])
def test_other_roles_may_not_hand_out_tokens(client, people, role):
    client.force_login(people[role])

    assert client.get(URL).status_code == 403
    assert client.post(URL, {"user": people["donor"].pk, "action": "issue"}).status_code == 403
    assert not Token.objects.exists()


def test_the_public_is_sent_to_sign_in(client, db):
    response = client.get(URL)

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_an_unknown_person_is_404(client, people):
    client.force_login(people["administrator"])

    assert client.post(URL, {"user": "999999", "action": "issue"}).status_code == 404
