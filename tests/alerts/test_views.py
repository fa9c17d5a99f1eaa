import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from alerts.models import AlertFrequency, SavedSearch
from alerts.sending import send_due_alerts, unsubscribe_token
from tests import factories

from .conftest import RUN, save

pytestmark = pytest.mark.django_db

CREATE = reverse("alerts:saved_search_create")
LIST = reverse("alerts:saved_search_list")


def save_form(view="catalogue", query="filtered=1&state=KEN", name="Kenya", alert="daily"):
    return {"view": view, "query": query, "name": name, "alert": alert}


# --- "Save this search" -------------------------------------------------------------------
def test_a_donor_saves_the_catalogue_view_and_lands_on_it(client_as, donor):
    response = client_as(donor).post(CREATE, save_form(query="filtered=1&state=KEN&q=&page=3"))

    search = SavedSearch.objects.get()
    assert (search.owner, search.name, search.query, search.alert) == (
        donor,
        "Kenya",
        {"state": ["KEN"]},
        "daily",
    )
    assertRedirects(response, "/catalogue/?filtered=1&state=KEN", fetch_redirect_response=False)


def test_the_catalogues_default_view_is_saved_with_its_defaults(client_as, donor):
    client_as(donor).post(CREATE, save_form(query=""))

    assert SavedSearch.objects.get().query == {
        "coverage": ["partly_covered", "unmet"],
        "status": ["in_progress", "partially_met", "unmet"],
    }


def test_staff_save_the_needs_list(client_as, staff):
    response = client_as(staff).post(
        CREATE, save_form(view="needs", query="acceptance=proposed&cycle=&stale=unknown")
    )

    assertRedirects(response, "/needs/?acceptance=proposed", fetch_redirect_response=False)


def test_a_donor_may_not_save_the_needs_list(client_as, donor):
    response = client_as(donor).post(CREATE, save_form(view="needs", query=""))

    assert response.status_code == 403
    assert not SavedSearch.objects.exists()


def test_a_visitor_is_asked_to_sign_in_first(client):
    response = client.post(CREATE, save_form())

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert not SavedSearch.objects.exists()


@pytest.mark.parametrize(
    ("form", "message"),
    [
        (save_form(query="filtered=1&state=XXX"), "state: Select a valid choice."),
        (save_form(name=""), "This field is required."),
        (save_form(view="dashboard"), "Select a valid choice."),
    ],
)
def test_bad_input_is_refused_with_the_reason_and_nothing_saved(client_as, donor, form, message):
    response = client_as(donor).post(CREATE, form)

    assertContains(response, message, status_code=400)
    assert not SavedSearch.objects.exists()


def test_a_name_already_used_is_refused_with_the_form_kept(client_as, donor):
    save(donor, name="Kenya")

    response = client_as(donor).post(CREATE, save_form(name="kenya"))

    assertContains(response, "You already have a saved search with this name.", status_code=400)
    assertContains(response, 'value="filtered=1&amp;state=KEN"', status_code=400)
    assertContains(response, 'href="/catalogue/?filtered=1&amp;state=KEN"', status_code=400)
    assert SavedSearch.objects.count() == 1


def test_the_catalogue_offers_to_save_the_search_to_the_signed_in(client_as, donor):
    response = client_as(donor).get("/catalogue/?filtered=1&region=african")

    assertContains(response, 'data-testid="save-search"')
    assertContains(response, f'action="{CREATE}"')
    assertContains(response, 'name="query" value="filtered=1&amp;region=african"')
    assertContains(response, 'name="view" value="catalogue"')


def test_the_catalogue_asks_visitors_to_sign_in_to_save(client):
    response = client.get("/catalogue/?filtered=1&region=african")

    assertNotContains(response, 'data-testid="save-search"')
    assertContains(response, 'data-testid="save-search-sign-in"')
    assertContains(response, "/accounts/login/?next=/catalogue/%3Ffiltered%3D1%26region%3Dafrican")


def test_the_catalogue_with_bad_filters_offers_nothing_to_save(client_as, donor):
    response = client_as(donor).get("/catalogue/?filtered=1&state=XXX")

    assert response.status_code == 400
    assertNotContains(response, 'data-testid="save-search"', status_code=400)


def test_the_needs_list_offers_to_save_the_search(client_as, staff):
    response = client_as(staff).get("/needs/?acceptance=proposed&page=2")

    assertContains(response, 'data-testid="save-search"')
    assertContains(response, 'name="query" value="acceptance=proposed"')
    assertContains(response, 'name="view" value="needs"')


# --- The list, home page and navigation ---------------------------------------------------
def test_the_list_shows_ones_own_searches_with_their_filters(client_as, donor, other_donor):
    save(donor, name="Kenya", query={"filtered": "1", "state": "KEN", "coverage": "unmet"})
    save(other_donor, name="Somebody else's")

    response = client_as(donor).get(LIST)

    assertContains(response, 'href="/catalogue/?filtered=1&amp;coverage=unmet&amp;state=KEN"')
    assertContains(
        response,
        '<span class="d-block">Coverage: Unmet</span><span class="d-block">State (ISO3): KEN',
    )
    assertContains(response, "Daily e-mail")
    assertNotContains(response, "Somebody else")


def test_the_list_says_when_there_is_none(client_as, focal_point):
    assertContains(client_as(focal_point).get(LIST), 'data-testid="no-saved-searches"')


def test_the_home_page_lists_ones_saved_searches(client_as, donor):
    search = save(donor, name="Kenya, chapter V")

    response = client_as(donor).get(reverse("home"))

    assertContains(response, 'data-testid="home-saved-searches"')
    assertContains(
        response, f'<a href="{search.get_absolute_url()}">Kenya, chapter V</a>', html=True
    )
    assertContains(response, f'href="{LIST}"')


def test_a_focal_point_still_lands_on_their_country_page_and_finds_them_with_stay(
    client_as, focal_point
):
    save(focal_point, name="Peru and Kenya")
    client = client_as(focal_point)

    assert client.get(reverse("home")).status_code == 302
    assertContains(client.get(reverse("home") + "?stay"), "Peru and Kenya")


def test_visitors_have_no_saved_searches(client):
    response = client.get(reverse("home"))

    assertNotContains(response, 'data-testid="home-saved-searches"')
    assertNotContains(response, 'data-testid="nav-saved-searches"')


@pytest.mark.parametrize("role", ["donor", "focal_point", "staff", "administrator"])
def test_the_navigation_leads_everyone_signed_in_to_their_saved_searches(client_as, people, role):
    response = client_as(people[role]).get(reverse("dashboard:index"))

    assertContains(response, f'data-testid="nav-saved-searches" href="{LIST}"')


# --- Change and delete --------------------------------------------------------------------
def test_renaming_and_changing_the_alert(client_as, donor):
    search = save(donor, name="Kenya", alert=AlertFrequency.NONE)
    url = reverse("alerts:saved_search_edit", args=[search.pk])

    assertContains(client_as(donor).get(url), 'value="Kenya"')
    response = client_as(donor).post(url, {"name": "Kenya, weekly", "alert": "weekly"})

    assertRedirects(response, LIST, fetch_redirect_response=False)
    search.refresh_from_db()
    assert (search.name, search.alert) == ("Kenya, weekly", "weekly")


def test_a_rename_onto_another_name_is_refused(client_as, donor):
    save(donor, name="Kenya")
    search = save(donor, name="Peru")

    response = client_as(donor).post(
        reverse("alerts:saved_search_edit", args=[search.pk]), {"name": "KENYA", "alert": "none"}
    )

    assertContains(response, "You already have a saved search with this name.", status_code=400)


def test_deleting_asks_first(client_as, donor):
    search = save(donor)
    url = reverse("alerts:saved_search_delete", args=[search.pk])

    assertContains(client_as(donor).get(url), "Delete the saved search")
    assertRedirects(client_as(donor).post(url), LIST, fetch_redirect_response=False)
    assert not SavedSearch.objects.exists()


@pytest.mark.parametrize("name", ["alerts:saved_search_edit", "alerts:saved_search_delete"])
def test_another_persons_search_is_not_found(client_as, donor, staff, name):
    search = save(donor)
    url = reverse(name, args=[search.pk])

    assert client_as(staff).get(url).status_code == 404
    assert client_as(staff).post(url, {"name": "Mine now", "alert": "none"}).status_code == 404
    assert SavedSearch.objects.get() == search


# --- Unsubscribing ------------------------------------------------------------------------
def unsubscribe_url(search) -> str:
    return reverse("alerts:unsubscribe", args=[unsubscribe_token(search)])


def test_the_emails_link_asks_then_turns_the_alert_off_without_signing_in(donor, published_need):
    search = save(donor, query={"filtered": "1"})
    send_due_alerts(now=RUN)
    link = re.search(r"http://\S+/alerts/unsubscribe/\S+/", mail.outbox[0].body)[0]
    path = link.split("localhost:8000", 1)[1]
    visitor = Client(enforce_csrf_checks=True)

    asked = visitor.get(path)
    assertContains(asked, "Stop the e-mails for the saved search “My search”?")
    search.refresh_from_db()
    assert search.alert == AlertFrequency.DAILY

    # Mail programs post to the link with no CSRF token (one-click unsubscribe, RFC 8058).
    done = visitor.post(path)
    assertContains(done, 'data-testid="unsubscribed"')
    search.refresh_from_db()
    assert search.alert == AlertFrequency.NONE
    assertContains(visitor.get(path), 'data-testid="already-unsubscribed"')


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_tampered_link_is_not_found_and_changes_nothing(client, donor, method):
    search = save(donor)
    token = unsubscribe_token(search)
    other = save(factories.make_user("donor", username="third"), name="Theirs")
    # Another search's id under this link's signature.
    forged = unsubscribe_token(other).split(":", 1)[0] + ":" + token.split(":", 1)[1]

    for bad in (token[:-2] + "xx", forged, "not-a-token"):
        response = getattr(client, method)(reverse("alerts:unsubscribe", args=[bad]))
        assert response.status_code == 404
    assert set(SavedSearch.objects.values_list("alert", flat=True)) == {"daily"}


def test_the_link_of_a_deleted_search_is_not_found(client, donor):
    search = save(donor)
    url = unsubscribe_url(search)
    search.delete()

    assert client.get(url).status_code == 404
