"""The reviews' pages, forms and messages follow the active language.

These tests use strings whose translation is already in the catalogues (milestone names,
kinds of direct dialogue, the reference data); tests of strings added with the reviews'
translation are in tests/i18n/test_reviews_pages.py.
"""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from reviews.filters import MILESTONE_CHOICES, ReviewFilterSet, StateFilterSet
from reviews.forms import ReviewForm, alphabetical
from reviews.milestones import review_stage, review_timeline
from reviews.models import DirectDialogue, RegionalGroup, Review
from tests.needs.import_files import signed_in
from translations.lookup import localized

pytestmark = pytest.mark.django_db

LANGUAGES = ["en", "fr", "es", "ru", "ar", "zh-hans"]


def kind_in(language: str, kind=DirectDialogue.COUNTRY_VISIT) -> str:
    with translation.override(language):
        return str(kind.label).lower()


# --- The known bug: the kind of direct dialogue on the country page -----------------------
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_country_page_shows_the_kind_of_direct_dialogue_in_every_language(
    language, published_review
):
    Review.objects.filter(pk=published_review.pk).update(
        direct_dialogue_kind=DirectDialogue.COUNTRY_VISIT
    )
    url = reverse("countries:state_detail", args=[published_review.state.iso3])

    response = Client().get(url, HTTP_ACCEPT_LANGUAGE=language)

    assert response.status_code == 200
    assert f"({kind_in(language)})" in response.content.decode()


def test_the_kind_is_found_by_the_milestone_not_by_its_english_name(published_review):
    """The page used to compare the (translated) label with "Direct dialogue"."""
    with translation.override("fr"):
        timeline = review_timeline(published_review)

    dialogue = next(m for m in timeline if m.field == "direct_dialogue")
    assert dialogue.label == "Dialogue direct"
    assert [m.field for m in timeline] == [
        "self_assessment_submitted",
        "direct_dialogue",
        "executive_summary_completed",
        "country_report_completed",
        "executive_summary_published",
        "country_report_published",
    ]


def test_the_staff_review_page_shows_the_kind_of_direct_dialogue_in_french(staff, published_review):
    Review.objects.filter(pk=published_review.pk).update(
        direct_dialogue_kind=DirectDialogue.JOINT_MEETING
    )
    url = reverse("reviews:review_detail", args=[published_review.pk])

    page = signed_in(staff).get(url, HTTP_ACCEPT_LANGUAGE="fr").content.decode()

    assert "Dialogue direct" in page
    assert "(réunion conjointe)" in page


# --- Labels built in Python ---------------------------------------------------------------
def test_a_review_stage_is_in_the_active_language(published_review):
    Review.objects.filter(pk=published_review.pk).update(
        executive_summary_completed=None, executive_summary_published=False
    )
    published_review.refresh_from_db()

    with translation.override("fr"):
        stage = review_stage(published_review)

    assert stage == "Dialogue direct"


def test_the_form_labels_and_choices_are_in_the_active_language(home_state):
    with translation.override("fr"):
        form = ReviewForm()
        labels = {name: str(field.label) for name, field in form.fields.items()}
        kinds = [str(label) for _value, label in form.fields["direct_dialogue_kind"].choices]
        cycles = [str(label) for _value, label in form.fields["cycle"].choices]

    assert labels["self_assessment_submitted"] == "Liste de contrôle pour l'auto-évaluation soumise"
    assert labels["direct_dialogue"] == "Dialogue direct"
    assert labels["executive_summary_completed"] == "Résumé analytique achevé"
    assert "Visite de pays" in kinds and "Réunion conjointe" in kinds
    assert cycles == ["Premier cycle", "Deuxième cycle"]


def test_the_form_names_and_sorts_the_states_in_the_active_language(home_state):
    with translation.override("es"):
        choices = [str(label) for _value, label in ReviewForm().fields["state"].choices][1:]
        kenya = localized(home_state)

    assert kenya == "Kenia"
    assert kenya in choices
    assert "Kenya" not in choices
    assert choices == sorted(choices, key=alphabetical)
    assert alphabetical("Égypte") < alphabetical("Espagne") < alphabetical("États-Unis")


def test_a_second_review_is_refused_naming_the_state_in_the_active_language(
    staff, published_review
):
    form = {
        "state": published_review.state.pk,
        "cycle": "2",
    }
    response = signed_in(staff).post(
        reverse("reviews:review_create"), form, HTTP_ACCEPT_LANGUAGE="es"
    )

    assert response.status_code == 400
    assert "Kenia" in response.context["form"].errors["cycle"][0]


def test_the_filters_name_regions_and_milestones_in_the_active_language():
    with translation.override("fr"):
        regions = [str(label) for _value, label in StateFilterSet().form.fields["region"].choices]
        expected = sorted(localized(group) for group in RegionalGroup.objects.all())
        milestones = dict(MILESTONE_CHOICES)
        ordering = dict(ReviewFilterSet().form.fields["ordering"].choices)
        milestone_label = str(milestones["executive_summary_completed"])
        state_descending = str(ordering["-state"])

    assert "États d'Afrique" in regions
    assert sorted(regions) == expected
    assert milestone_label == "Résumé analytique achevé"
    # django-filter writes "(descending)" at import time, in English; ours follow the language.
    assert state_descending.startswith("État")


def test_the_review_list_names_states_in_the_active_language(staff, published_review):
    page = (
        signed_in(staff)
        .get(reverse("reviews:review_list"), HTTP_ACCEPT_LANGUAGE="ru")
        .content.decode()
    )

    assert "Кения" in page


def test_the_country_chart_names_its_series_in_the_active_language(published_need):
    url = reverse("countries:state_detail", args=["KEN"])
    response = Client().get(url, HTTP_ACCEPT_LANGUAGE="fr")

    chart = str(response.context["category_chart"])
    assert "Besoins" in chart


# --- The API explains milestones out of order -----------------------------------------------
def api_client(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_the_api_explains_milestones_out_of_order_field_by_field(staff, home_state):
    client = api_client(staff)

    response = client.post(
        "/api/v1/reviews/",
        {
            "state": home_state.iso3,
            "cycle": 1,
            "self_assessment_submitted": "2018-03-01",
            "direct_dialogue": "2018-01-01",
        },
        format="json",
    )

    assert response.status_code == 400
    errors = response.json()["errors"]
    assert "cannot be earlier" in errors["direct_dialogue"][0]
    assert not Review.objects.filter(state=home_state, cycle=1).exists()


def test_the_api_checks_a_partial_update_against_the_stored_milestones(staff, published_review):
    client = api_client(staff)

    response = client.patch(
        f"/api/v1/reviews/{published_review.pk}/",
        {"executive_summary_completed": "2018-01-01"},
        format="json",
    )

    assert response.status_code == 400
    assert "executive_summary_completed" in response.json()["errors"]
