"""The needs pages, forms, exports, imports and API in the reader's language.

Tests of the first part use strings whose translations are already in the catalogues, or the
reference data (State names, chapter and article titles, taxonomy labels): they check that
the needs code goes through the translation machinery. Those of the second part
(`test_merged_catalogues_*`) check strings added with the needs pages' translation and pass
once those are merged into locale/.
"""

import dataclasses
import html

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from core.imports import jobs, registry
from core.models import ImportJob
from needs.exports import EXPORT_COLUMNS, export_headers, export_rows
from needs.models import Need
from tests import factories
from tests.needs.import_files import need_row, needs_file, signed_in

pytestmark = pytest.mark.django_db


def get(client, url, language, **params):
    return client.get(url, params, HTTP_ACCEPT_LANGUAGE=language)


def text_of(response) -> str:
    """The page's HTML with entities decoded (`d'assistance`, not `d&#x27;assistance`)."""
    return html.unescape(response.content.decode())


@pytest.fixture
def staff_client(staff):
    return signed_in(staff)


@pytest.fixture
def chapter_need(published_review):
    """A need about chapter II in general, met, with a theme."""
    need = factories.NeedFactory(
        review=published_review,
        chapter=factories.chapter("II"),
        article=None,
        status="met",
        description="Training for judges",
    )
    need.themes.set([factories.theme("training")])
    return need


# --- Through the translation machinery (catalogue entries that exist already) --------------
def test_the_need_form_offers_the_convention_in_french(staff_client, published_review):
    page = get(
        staff_client, reverse("needs:need_create", args=[published_review.pk]), "fr"
    ).content.decode()

    assert "Chapitre II en général" in page
    assert "Article 5 : Politiques et pratiques de prévention de la corruption" in page
    assert "Renforcement des capacités" in page  # the category, from the reference data
    assert ">Catégorie<" in page or "Catégorie</label>" in page


def test_the_need_list_filters_speak_french_and_keep_codes(staff_client, chapter_need):
    response = get(staff_client, reverse("needs:need_list"), "fr", status="met")
    page = response.content.decode()

    assert response.context["page"].object_list[0] == chapter_need
    assert "Priorité" in page and "Couverture" in page
    assert "Partiellement satisfait" in page  # a status choice
    assert "États d'Afrique" in html.unescape(page)  # a region choice
    assert 'value="met"' in page  # the codes in the query string stay as they are
    assert "Peut-être périmé" in page


def test_the_focal_point_status_page_in_french(focal_point, chapter_need):
    page = get(
        signed_in(focal_point), reverse("needs:need_status", args=[chapter_need.pk]), "fr"
    ).content.decode()

    assert "États parties" in page
    assert "Dernière confirmation" in page and "jamais" in page
    assert "Chapitre en général" in page


def test_the_export_labels_follow_the_language_and_the_codes_do_not(chapter_need):
    with translation.override("fr"):
        row = dict(zip(EXPORT_COLUMNS, next(export_rows(Need.objects.all())), strict=True))

    assert (row["chapter"], row["chapter_title"]) == ("II", "Mesures préventives")
    assert (row["article"], row["article_title"]) == ("", "Chapitre en général")
    assert (row["category"], row["category_label"]) == (
        "capacity_building",
        "Renforcement des capacités",
    )
    assert (row["themes"], row["theme_labels"]) == ("training", "Formation")
    assert (row["status"], row["status_label"]) == ("met", "Satisfait")


def test_the_export_keeps_the_import_columns_in_every_language():
    with translation.override("ar"):
        headers = export_headers()

    for column in ("ref", "state", "cycle", "chapter", "article", "category", "description"):
        assert column in headers


def test_a_download_is_written_in_the_language_of_the_request(staff_client, chapter_need):
    response = get(staff_client, reverse("needs:need_export", args=["csv"]), "fr")
    text = b"".join(response.streaming_content).decode("utf-8-sig")

    assert "Mesures préventives" in text and "Satisfait" in text
    assert ",II," in text and ",met," in text


def test_an_upload_remembers_its_language_and_the_check_runs_in_it(
    staff_client, published_review, monkeypatch
):
    seen = []
    needs = registry.get("needs")

    def spy(**kwargs):
        seen.append(translation.get_language())
        return needs.run(**kwargs)

    monkeypatch.setitem(registry._importers, "needs", dataclasses.replace(needs, run=spy))
    staff_client.post(
        reverse("imports:upload"),
        {"kind": "needs", "file": SimpleUploadedFile("n.csv", needs_file([need_row()]))},
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    job = ImportJob.objects.get()
    assert job.language == "fr"

    # A worker has no request: it writes in the language the file was uploaded in.
    ImportJob.objects.filter(pk=job.pk).update(status="checking", started_at=None)
    with translation.override("en"):
        jobs.run_import_job(job.pk)

    assert seen == ["fr", "fr"]


def test_the_api_gives_taxonomy_labels_in_the_requested_language(client):
    english = client.get("/api/v1/categories/", HTTP_ACCEPT_LANGUAGE="en").json()
    french = client.get("/api/v1/categories/", HTTP_ACCEPT_LANGUAGE="fr").json()

    def labels(body):
        return {c["code"]: c["label"] for c in body["results"]}

    assert labels(english)["capacity_building"] == "Capacity-building"
    assert labels(french)["capacity_building"] == "Renforcement des capacités"
    assert labels(english).keys() == labels(french).keys()


def test_the_api_gives_state_names_in_the_requested_language(client, published_need):
    need = client.get("/api/v1/needs/", HTTP_ACCEPT_LANGUAGE="ar").json()["results"][0]

    assert (need["state"], need["state_name"]) == ("KEN", "كينيا")
    assert need["status"] == "unmet"


def test_a_need_names_its_article_in_the_active_language(chapter_need):
    with translation.override("es"):
        assert chapter_need.article_label == "Capítulo en general"


def test_a_need_written_from_a_french_page_is_marked_french_unless_told(
    staff_client, published_review
):
    url = reverse("needs:need_create", args=[published_review.pk])
    form = {
        "placement": "article:5",
        "category": factories.category("capacity_building").pk,
        "description": "Formation des juges",
        "status": "unmet",
    }
    staff_client.post(url, form, HTTP_ACCEPT_LANGUAGE="fr")
    staff_client.post(
        url,
        {**form, "description": "Training for judges", "description_language": "en"},
        HTTP_ACCEPT_LANGUAGE="fr",
    )

    assert dict(Need.objects.values_list("description", "description_language")) == {
        "Formation des juges": "fr",
        "Training for judges": "en",
    }


def test_an_edit_keeps_the_language_the_need_is_written_in(staff_client, chapter_need):
    page = text_of(get(staff_client, reverse("needs:need_edit", args=[chapter_need.pk]), "ar"))

    assert '<option value="en" selected>English</option>' in page
    assert f'lang="{chapter_need.description_language}"' in text_of(
        get(staff_client, reverse("needs:need_list"), "ar")
    )


# --- Strings added with the needs pages' translation (once merged into locale/) ------------
def test_merged_catalogues_the_need_list_page_in_french(staff_client, chapter_need):
    page = text_of(get(staff_client, reverse("needs:need_list"), "fr"))

    assert "Besoins d'assistance technique" in page
    assert "Effacer les filtres" in page
    assert "1 besoin" in page
    assert "Non couvert" in page  # one need's coverage, not the dashboards' plural


def test_merged_catalogues_the_import_pages_in_french(staff_client, published_review):
    page = get(staff_client, reverse("imports:upload"), "fr").content.decode()
    assert "Importer depuis une feuille de calcul" in page

    staff_client.post(
        reverse("imports:upload"),
        {
            "kind": "needs",
            "file": SimpleUploadedFile("n.csv", needs_file([need_row(), need_row(category="x")])),
        },
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    job = ImportJob.objects.get()
    page = text_of(get(staff_client, reverse("imports:job", args=[job.pk]), "fr"))

    assert "Rejeté : rien n'a été importé" in page
    assert "n'est pas un code de catégorie" in page


def test_merged_catalogues_the_proposals_page_in_arabic(staff, proposal_need):
    page = get(signed_in(staff), reverse("needs:proposals"), "ar").content.decode()

    assert "الاحتياجات التي اقترحتها جهات الاتصال" in page
    assert "كينيا" in page


def test_merged_catalogues_the_confirmation_message_in_french(focal_point, chapter_need):
    response = signed_in(focal_point).post(
        reverse("needs:need_confirm", args=[chapter_need.pk]),
        HTTP_ACCEPT_LANGUAGE="fr",
        follow=True,
    )

    assert f"Le besoin {chapter_need.ref} a été confirmé comme toujours d'actualité" in (
        text_of(response)
    )


@pytest.fixture
def proposal_need(unpublished_review, focal_point):
    return factories.NeedFactory(
        review=unpublished_review, acceptance="proposed", proposed_by=focal_point
    )
