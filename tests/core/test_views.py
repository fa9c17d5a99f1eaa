"""The base layout, home page, sign-in and sign-out, /favicon.ico and /healthz."""

import re
import socket
import time

import pytest
from django.urls import NoReverseMatch, reverse
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from tan_tracker.celery import app as celery_app

ROLE_LABELS = {
    "donor": "Donor",
    "focal_point": "Focal point",
    "staff": "Secretariat staff",
    "administrator": "Administrator",
}
BACK_OFFICE = 'data-testid="nav-admin"'
MY_COUNTRY = 'data-testid="nav-my-country"'


def home_as(client, user):
    client.force_login(user)
    # A focal point is sent on to their country page; `stay` keeps them on the home page.
    return client.get(reverse("home"), {"stay": 1} if user.is_focal_point else {})


def test_the_public_home_page_says_what_the_application_is(client, db):
    response = client.get(reverse("home"))
    assertContains(response, "Technical assistance needs under the UN Convention")
    assertContains(response, f'href="{reverse("login")}"')
    assertNotContains(response, 'data-testid="user-role"')
    assertNotContains(response, BACK_OFFICE)


@pytest.mark.parametrize("role", list(ROLE_LABELS))
def test_the_header_shows_the_signed_in_user_and_role(client, people, role):
    response = home_as(client, people[role])
    assert response.status_code == 200
    assertContains(
        response, f'<span data-testid="user-role">{ROLE_LABELS[role]}</span>', html=False
    )
    assertContains(response, people[role].get_full_name())
    assertContains(response, "Sign out")


@pytest.mark.parametrize(
    ("role", "back_office", "my_country"),
    [
        ("donor", False, False),
        ("focal_point", False, True),
        # The back office is the Django admin: administrators only; staff work in the pages.
        ("staff", False, False),
        ("administrator", True, False),
    ],
)
def test_the_navigation_follows_the_role(client, people, role, back_office, my_country):
    content = home_as(client, people[role]).content.decode()
    assert (BACK_OFFICE in content) is back_office
    assert (MY_COUNTRY in content) is my_country


def test_the_focal_point_header_names_their_state(client, people, home_state):
    assertContains(home_as(client, people["focal_point"]), f"({home_state.name})")


def test_the_donor_header_names_their_organisation(client, people):
    assertContains(home_as(client, people["donor"]), f"({people['donor'].donor})")


def test_a_focal_point_lands_on_their_country_page(client, people, home_state):
    client.force_login(people["focal_point"])
    response = client.get(reverse("home"))
    try:
        country_page = reverse("countries:state_detail", args=[home_state.iso3])
    except NoReverseMatch:  # before the country pages exist, the home page is the landing
        assert response.status_code == 200
        return
    assertRedirects(response, country_page, fetch_redirect_response=False)


def test_the_sign_in_page(client, db):
    response = client.get(reverse("login"))
    assertContains(response, 'name="username"')
    assertContains(response, 'name="password"')
    assertContains(response, "csrfmiddlewaretoken")


def test_signing_in_leads_home(client, people):
    response = client.post(
        reverse("login"),
        {"username": "staff", "password": "correct horse battery staple"},
    )
    assertRedirects(response, reverse("home"), fetch_redirect_response=False)
    assert client.session.get("_auth_user_id") == str(people["staff"].pk)


def test_a_wrong_password_is_refused_with_a_message(client, people):
    response = client.post(reverse("login"), {"username": "staff", "password": "wrong"})
    assert response.status_code == 200
    assertContains(response, "Please enter a correct username and password")
    assert "_auth_user_id" not in client.session


def test_signing_out(client, people):
    client.force_login(people["donor"])
    response = client.post(reverse("logout"))
    assertRedirects(response, reverse("home"), fetch_redirect_response=False)
    assert "_auth_user_id" not in client.session
    assertNotContains(client.get(reverse("home")), 'data-testid="user-role"')


def test_signing_out_needs_a_post(client, people):
    client.force_login(people["donor"])
    assert client.get(reverse("logout")).status_code == 405
    assert "_auth_user_id" in client.session


def test_pages_name_their_icon_and_favicon_ico_leads_to_it(client, db):
    page = client.get(reverse("home"))
    icon = client.get("/favicon.ico")
    image = client.get(icon["Location"])

    assertContains(page, f'<link rel="icon" href="{icon["Location"]}" type="image/svg+xml">')
    assert icon.status_code == 302
    assert image.status_code == 200
    assert image["Content-Type"] == "image/svg+xml"
    assert client.head("/favicon.ico").status_code == 302


def test_healthz_reports_database_and_broker(client, db):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"]["ok"] is True
    assert body["broker"]["ok"] is True
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


@pytest.fixture
def closed_port() -> int:
    """A local port nobody listens on: bound, noted, released."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_healthz_is_503_when_the_broker_is_unreachable(
    client, db, settings, monkeypatch, closed_port
):
    unreachable = f"redis://127.0.0.1:{closed_port}/0"
    settings.CELERY_TASK_ALWAYS_EAGER = False
    # Celery reads CELERY_BROKER_URL from the environment before its own configuration.
    monkeypatch.setenv("CELERY_BROKER_URL", unreachable)
    monkeypatch.setitem(celery_app.conf, "broker_url", unreachable)
    started = time.monotonic()
    response = client.get(reverse("healthz"))
    elapsed = time.monotonic() - started
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unhealthy"
    assert body["database"]["ok"] is True
    assert body["broker"]["ok"] is False
    assert body["broker"]["error"]
    assert elapsed < 10, f"/healthz took {elapsed:.1f} s with the broker down"


@pytest.mark.parametrize(
    ("path", "current"),
    [("/", "Home"), ("/dashboard/", "Dashboard"), ("/states/KEN/", "States")],
)
def test_the_menu_marks_the_section_of_the_page(client, db, path, current):
    page = client.get(path).content.decode()

    marked = re.findall(r'<a class="nav-link"[^>]*aria-current="page"[^>]*>([^<]+)</a>', page)
    assert marked == [current]
