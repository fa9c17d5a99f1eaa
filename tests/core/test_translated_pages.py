"""The core pages and messages follow the reader's language (strings already in the
catalogues: these fail if the marking is missing)."""

import datetime
from decimal import Decimal

import pytest
from axes.models import AccessAttempt
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone, translation

from core.access import role_label
from core.charts import bar_chart
from core.history import HistoryEntry, _Labels
from needs.models import Need
from tests import factories
from translations.lookup import bump_version

pytestmark = pytest.mark.django_db

FRENCH = {"HTTP_ACCEPT_LANGUAGE": "fr"}


@pytest.mark.parametrize(
    ("language", "label"), [("fr", "Donateur"), ("ru", "Донор"), ("en", "Donor")]
)
def test_role_labels_follow_the_language(people, language, label):
    with translation.override(language):
        assert role_label(people["donor"]) == label


def test_the_header_names_the_role_in_the_reader_language(client, people):
    client.force_login(people["donor"])

    page = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="ru").content.decode()

    assert '<span data-testid="user-role">Донор</span>' in page


def test_the_api_tokens_page_is_translated(client, administrator, focal_point, home_state):
    client.force_login(administrator)

    page = client.get(reverse("api_tokens"), **FRENCH).content.decode()

    assert '<h1 class="h3 mb-3">Jetons d\'API</h1>' in page
    assert '<th scope="col"><span class="visually-hidden">Actions</span></th>' in page


def test_the_lockouts_page_is_translated(client, staff):
    AccessAttempt.objects.create(
        username="amina",
        ip_address="203.0.113.7",
        user_agent="test",
        failures_since_start=50,
        attempt_time=timezone.now(),
        get_data="",
        post_data="",
        http_accept="*/*",
        path_info="/accounts/login/",
    )
    client.force_login(staff)

    page = client.get(reverse("lockout_list"), **FRENCH).content.decode()

    assert '<h1 class="h3 mb-3">Blocages de connexion</h1>' in page
    assert "amina" in page


def test_error_pages_are_in_the_reader_language(client, db):
    with override_settings(DEBUG=False):
        response = client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="ar")

    assert response.status_code == 404
    assert "core/404.html" in [template.name for template in response.templates]
    assert '<html lang="ar" dir="rtl">' in response.content.decode()


def test_a_bad_host_header_gets_the_bad_request_page_not_a_server_error(db):
    # The host is refused before the authentication middleware has seen the request.
    client = Client(raise_request_exception=False)

    response = client.get("/", HTTP_HOST="evil.example", HTTP_ACCEPT_LANGUAGE="fr")

    assert response.status_code == 400
    assert "core/400.html" in [template.name for template in response.templates]
    assert '<html lang="fr" dir="ltr">' in response.content.decode()


def test_a_refusal_has_its_own_page(client, people):
    client.force_login(people["donor"])

    response = client.get(reverse("lockout_list"), HTTP_ACCEPT_LANGUAGE="fr")

    assert response.status_code == 403
    assert "core/403.html" in [template.name for template in response.templates]
    assert '<html lang="fr" dir="ltr">' in response.content.decode()


def test_history_values_are_written_for_the_reader(home_state):
    labels = _Labels(Need)
    with translation.override("fr"):
        assert labels.show("last_confirmed_on", datetime.date(2019, 2, 1)) == "01/02/2019"
    with translation.override("en"):
        assert labels.show("last_confirmed_on", datetime.date(2019, 2, 1)) == "2019-02-01"


def test_history_kinds_stay_codes_with_a_label(staff):
    entry = HistoryEntry(
        record=None, when=timezone.now(), who=staff, kind="deleted", reason="", changes=[]
    )

    assert entry.kind == "deleted"
    with translation.override("en"):
        assert entry.kind_label == "Deleted"


def test_chart_values_are_written_as_the_language_writes_numbers():
    def drawn(language: str) -> str:
        with translation.override(language):
            return str(bar_chart(title="T", labels=["a"], series={"Needs": [Decimal("12.5")]}))

    assert "12,5" in drawn("fr")
    assert "12.5" in drawn("en")


def test_a_server_error_has_its_own_page(db, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("the page failed")

    monkeypatch.setattr("core.views.render", broken)
    client = Client(raise_request_exception=False)

    response = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="ar")

    assert response.status_code == 500
    assert '<html lang="ar" dir="rtl">' in response.content.decode()
    assert "the page failed" not in response.content.decode()


def test_history_names_reference_data_in_the_reader_language(db):
    bump_version()
    article = factories.article(5)
    with translation.override("fr"):
        labels = _Labels(Need)
        labels.want("article", article.pk)
        labels.resolve()
        shown = labels.show("article", article.pk)

    assert shown == "Article 5 : Politiques et pratiques de prévention de la corruption"
