"""The staff pages for reviews, the country pages' stages and the reviews' messages in French
and Arabic: strings added when the reviews were marked for translation.

Every test here needs the reviews' translations merged into the catalogues (the tests of
strings that were already translated are in tests/reviews/test_i18n.py)."""

import datetime
import html

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from core.imports.reader import Problem
from reviews.filters import ReviewFilterSet
from reviews.forms import ReviewForm
from reviews.imports import import_reviews
from reviews.milestones import milestone_problems, review_stage
from reviews.models import Review
from reviews.services import review_update
from tests import factories
from tests.needs.import_files import review_row, reviews_file, signed_in

pytestmark = pytest.mark.django_db

D = datetime.date


def french(client: Client, url: str) -> str:
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def test_the_review_list_in_french(staff, published_review):
    page = french(signed_in(staff), reverse("reviews:review_list"))

    assert "Examens de pays" in page
    assert "Nouvel examen" in page
    assert "1 examen" in page
    assert "Étape franchie" in page  # a filter's label
    assert "Résumé analytique achevé" in page  # one of its choices
    assert "Année d'examen (ordre décroissant)" in page  # a sort order
    assert "Résumé analytique : 1 février 2019" in page  # the date as French writes it


def test_the_review_page_in_french(staff, published_review):
    factories.NeedFactory(review=published_review)
    page = french(signed_in(staff), reverse("reviews:review_detail", args=[published_review.pk]))

    assert "Examen de Kenya, cycle 2" in page
    assert "Étapes" in page
    assert "États examinateurs et publication" in page
    assert "Besoins d'assistance technique" in page
    assert "Modifier l'examen" in page


def test_the_review_form_in_french(staff):
    page = french(signed_in(staff), reverse("reviews:review_create"))

    assert "État examiné" in page
    assert "Année d'examen" in page
    assert "Premier État examinateur" in page
    assert "Nature du dialogue direct" in page
    assert "Pas encore connu" in page
    assert "Créer l'examen" in page


def test_a_mistake_in_the_form_is_explained_in_french(staff, published_review):
    response = signed_in(staff).post(
        reverse("reviews:review_create"),
        {
            "state": published_review.state.pk,
            "cycle": "2",
            "self_assessment_submitted": "2018-03-01",
            "direct_dialogue": "2018-01-01",
        },
        HTTP_ACCEPT_LANGUAGE="fr",
    )

    errors = response.context["form"].errors
    assert errors["cycle"] == ["Kenya fait déjà l'objet d'un examen au cours du cycle 2."]
    assert "le dialogue direct ne peut pas avoir lieu plus tôt" in errors["direct_dialogue"][0]
    assert "L'examen n'a pas été enregistré" in html.unescape(response.content.decode())


def test_the_history_page_in_french(staff, published_review):
    review_update(review=published_review, seen_version=1, user=staff, review_year=2019)

    page = french(signed_in(staff), reverse("reviews:review_history", args=[published_review.pk]))

    assert "Historique de l'examen de Kenya, cycle 2" in page
    assert "Modification" in page and "Création" in page
    assert "Année d'examen" in page  # the field's verbose name


def test_the_history_arrow_points_from_before_to_after_in_arabic(staff, published_review):
    review_update(review=published_review, seen_version=1, user=staff, review_year=2019)
    url = reverse("reviews:review_history", args=[published_review.pk])

    page = signed_in(staff).get(url, HTTP_ACCEPT_LANGUAGE="ar").content.decode()

    assert 'dir="rtl"' in page
    assert "سجل استعراض" in page
    assert "2018</span> ← 2019" in page


def test_the_conflict_explanation_in_french(staff, published_review):
    url = reverse("reviews:review_edit", args=[published_review.pk])
    review_update(review=published_review, seen_version=1, user=staff, review_year=2019)

    response = signed_in(staff).post(
        url,
        {"state": published_review.state.pk, "cycle": "2", "review_year": "2020", "version": "1"},
        HTTP_ACCEPT_LANGUAGE="fr",
    )

    assert response.status_code == 409
    page = html.unescape(response.content.decode())
    assert "Non enregistré : quelqu'un d'autre a enregistré cet examen" in page
    assert "Quand vous avez ouvert le formulaire" in page


def test_the_state_list_stages_in_french(client, published_review, unpublished_review):
    Review.objects.filter(pk=published_review.pk).update(country_report_published=False)
    page = french(client, reverse("countries:state_list"))

    assert "Résumé analytique publié" in page
    assert "Nom ou code ISO3" in page


def test_the_stages_without_milestones_in_french(published_review):
    Review.objects.filter(pk=published_review.pk).update(
        self_assessment_submitted=None,
        direct_dialogue=None,
        executive_summary_completed=None,
        executive_summary_published=False,
    )
    published_review.refresh_from_db()

    with translation.override("fr"):
        under_way = review_stage(published_review)
        published_review.review_year = None
        started = review_stage(published_review)

    assert under_way == "En cours (année d'examen 2018)"
    assert started == "Commencé"


def test_the_milestone_rules_explain_themselves_in_french():
    with translation.override("fr"):
        problems = milestone_problems(
            {
                "review_year": 1999,
                "direct_dialogue": D(2018, 9, 1),
                "executive_summary_completed": D(2018, 1, 1),
                "executive_summary_published": False,
                "country_report_published": True,
            }
        )

    assert problems["review_year"] == "L'année d'examen est comprise entre 2006 et 2100."
    assert problems["executive_summary_completed"] == (
        "2018-01-01 est antérieur au 2018-09-01, date du dialogue direct ; l'achèvement du "
        "résumé analytique ne peut pas être antérieur."
    )
    assert problems["country_report_published"].startswith("Un rapport de pays ne peut être")


def test_an_import_problem_reads_in_french(staff):
    with translation.override("fr"):
        text = str(Problem(3, "state", "est obligatoire."))
        result = import_reviews(
            data=reviews_file([review_row(state="XXX")], "csv"),
            filename="reviews.csv",
            user=staff,
            dry_run=True,
        )
        messages = result.messages()

    assert text == "ligne 3 : state : est obligatoire."
    assert messages == ["ligne 2 : state : 'XXX' n'est pas un code ISO 3166 alpha-3 connu."]


def test_the_form_and_filter_labels_in_arabic():
    with translation.override("ar"):
        form = ReviewForm()
        label = str(form.fields["reviewing_state_1"].label)
        ordering = dict(ReviewFilterSet().form.fields["ordering"].choices)
        descending = str(ordering["-cycle"])

    assert label == "الدولة المستعرِضة الأولى"
    assert descending == "الدورة (تنازلياً)"


def test_the_api_explains_milestones_in_the_callers_language(staff, home_state):
    client = APIClient()
    client.force_authenticate(staff)
    response = client.post(
        "/api/v1/reviews/",
        {
            "state": home_state.iso3,
            "cycle": 1,
            "executive_summary_published": True,
        },
        format="json",
        HTTP_ACCEPT_LANGUAGE="es",
    )

    assert response.status_code == 400
    assert response.json()["errors"]["executive_summary_published"] == [
        "Un resumen ejecutivo solo puede publicarse una vez terminado: indique la fecha en "
        "que se terminó."
    ]
