"""The assistance pages, the donors' catalogue, its exports, the import and the API in the
reader's language.

Tests of the first part use strings whose translations are already in the catalogues, or the
reference data (State names, chapter and article titles): they check that the assistance code
goes through the translation machinery. Those of the second part (`test_merged_catalogues_*`)
check strings added with the assistance pages' translation and pass once those are merged
into locale/.
"""

import csv
import html
import io
import re

import pytest
from django.urls import reverse
from django.utils import translation

from assistance.filters import ActivityFilterSet
from assistance.forms import ActivityForm
from assistance.imports import COLUMNS, IMPORTER, import_activities
from assistance.models import ActivityNeedLink, FundingContribution
from tests import factories

pytestmark = pytest.mark.django_db


def get(client, url, language, **params):
    return client.get(url, params, HTTP_ACCEPT_LANGUAGE=language)


def text_of(response) -> str:
    """The page's HTML with entities decoded (`d'assistance`, not `d&#x27;assistance`)."""
    return html.unescape(response.content.decode())


def main_text(response) -> str:
    """What a reader sees in the page's <main>: element text and read-aloud attributes."""
    page = response.content.decode()
    main = page.split("<main", 1)[1].split(">", 1)[1].split("</main>", 1)[0]
    attributes = " ".join(re.findall(r'\b(?:aria-label|title|placeholder|alt)="([^"]*)"', main))
    return html.unescape(re.sub(r"<[^>]*>", " ", main) + " " + attributes)


@pytest.fixture
def activity(home_state, published_review, donor, other_donor):
    """An activity for Kenya, funded by the donor, partly meeting a published need in which
    the other donor registered a commitment."""
    provider = factories.ProviderFactory(name="Nordic Fund Provider", short_name="NFP")
    activity = factories.ActivityFactory(
        provider=provider, title="Zeta workshop", budget=125000.5, ref="ACT-Z1"
    )
    activity.beneficiary_states.set([home_state])
    need = factories.NeedFactory(review=published_review, description="Zeta need")
    ActivityNeedLink.objects.create(activity=activity, need=need, extent="partial")
    FundingContribution.objects.create(
        activity=activity, donor=donor.donor, amount=5000, currency="EUR", year=2024
    )
    factories.DonorInterestFactory(
        need=need, donor=other_donor.donor, kind="commitment", note="Zeta note", amount=100
    )
    return activity


# --- Through the translation machinery (catalogue entries that exist already) --------------
def test_the_catalogue_export_speaks_the_request_language_and_keeps_codes(client, published_need):
    response = get(client, reverse("assistance:catalogue_csv"), "fr", filtered=1)
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))

    header, row = rows[0], rows[1]
    assert header[1:4] == ["État", "ISO3", "Groupe régional"]
    assert header[11:13] == ["Priorité", "Statut"]
    assert row[0] == published_need.ref
    assert row[2] == "KEN"
    assert row[4] == "Deuxième cycle"
    assert "Mesures préventives" in row[5]  # chapter II's title as the Convention's French text


def test_the_catalogue_export_names_states_in_arabic(client, published_need):
    response = get(client, reverse("assistance:catalogue_csv"), "ar", filtered=1)
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))

    assert rows[0][1] == "الدولة"
    assert rows[1][1:3] == ["كينيا", "KEN"]


def test_the_catalogue_facets_speak_french(client, published_need):
    facets = get(client, reverse("assistance:catalogue"), "fr", filtered=1).context["facets"]
    labels = {facet["name"]: [str(o["label"]) for o in facet["options"]] for facet in facets}

    assert "Deuxième cycle" in labels["cycle"]
    assert "Peut-être périmé" in labels["stale"]
    assert "États d'Afrique" in labels["region"]


def test_the_activity_filters_name_reference_rows_in_the_language():
    with translation.override("ar"):
        form = ActivityFilterSet().form
        states = {str(value): label for value, label in form.fields["state"].choices}
        articles = [label for _value, label in form.fields["article"].choices]

    assert states["KEN"] == "كينيا"
    assert any(label.startswith("المادة 5: ") for label in articles)


def test_the_activity_form_names_states_in_the_language():
    with translation.override("ar"):
        labels = [label for _value, label in ActivityForm().fields["beneficiary_states"].choices]

    assert "كينيا (KEN)" in labels


def test_the_activity_pages_speak_french(client, activity):
    listing = text_of(get(client, reverse("assistance:activity_list"), "fr"))
    detail = text_of(get(client, reverse("assistance:activity_detail", args=[activity.ref]), "fr"))

    assert "Activités d'assistance" in listing
    assert "Type et niveau" in listing
    assert "Prestataire" in detail and "Montant" in detail
    assert re.search(r"125\s000,50 USD", detail)  # the budget, written the French way


def test_the_need_page_in_the_catalogue_speaks_arabic(client, activity):
    need = activity.need_links.get().need
    page = text_of(get(client, reverse("assistance:catalogue_need", args=[need.ref]), "ar"))

    assert "فهرس الاحتياجات غير الملباة" in page  # Catalogue of unmet needs
    assert "كينيا" in page
    assert f'lang="{need.description_language}"' in page  # the need keeps its own language


def test_the_api_answers_an_invisible_need_as_an_unknown_one_in_the_language(
    client, donor, unpublished_need
):
    client.force_login(donor)
    url = "/api/v1/donor-interests/"

    def message(ref):
        body = client.post(
            url,
            {"need": ref, "kind": "interest"},
            content_type="application/json",
            HTTP_ACCEPT_LANGUAGE="fr",
        ).json()
        return body["errors"]["need"][0].replace(ref, "REF")

    invisible, unknown = message(unpublished_need.ref), message("N-NOPE")
    assert invisible == unknown
    with translation.override("en"):
        assert "Object with" not in invisible


# --- Strings added with the assistance pages' translation (need the merged catalogues) -----
def test_merged_catalogues_the_activity_form_in_french(client, staff):
    client.force_login(staff)
    page = text_of(get(client, reverse("assistance:activity_create"), "fr"))

    assert "Nouvelle activité d'assistance" in page
    assert "Date de début" in page
    assert "Formation" in page  # the "training" type
    assert "Maintenez la touche Ctrl" in page


def test_merged_catalogues_import_problems_in_french_keep_columns_and_codes(staff, provider):
    data = b"ref,title,type,level,provider\nA-1,,training,nowhere,UNODC\n"
    with translation.override("fr"):
        problems = import_activities(data, "a.csv", dry_run=True, user=staff).messages()

    assert "ligne 2 : title : obligatoire" in problems
    assert (
        "ligne 2 : level : 'nowhere' ne fait pas partie des valeurs global, regional, national"
        in problems
    )


def test_merged_catalogues_the_success_message_in_russian(client, staff, provider):
    client.force_login(staff)
    response = client.post(
        reverse("assistance:activity_create"),
        {
            "ref": "ACT-RU",
            "title": "Seminar",
            "activity_type": "training",
            "level": "national",
            "provider": provider.pk,
            "status": "planned",
            "delivery_mode": "remote",
            "budget_currency": "USD",
        },
        HTTP_ACCEPT_LANGUAGE="ru",
        follow=True,
    )

    assert "Мероприятие ACT-RU записано." in text_of(response)


@pytest.mark.parametrize("language", ["ar", "zh-hans"])
def test_merged_catalogues_no_english_is_left_on_the_assistance_pages(
    client, staff, donor, activity, language
):
    """Every word in the pages' main part is in the language, except what users wrote
    (titles, names, notes), references, codes and the import format's column names."""
    need = activity.need_links.get().need
    data_words = " ".join(
        [
            activity.title,
            activity.ref,
            activity.provider.name,
            activity.provider.short_name,
            need.ref,
            need.description,
            "Zeta note",
            *(d.name for d in type(donor.donor).objects.all()),
            *COLUMNS,
            *(code for column in IMPORTER.columns for code in column.code_list()),
            # The import page's examples and formats, and acronyms.
            "KEN;TZA EUU need-ref:full need-ref:partial donor:amount:currency:year",
            "Norway:50000:NOK:2024;EU:20000:EUR:2025 YYYY-MM-DD UTF-8 .xlsx .csv",
            "USD EUR CSV Excel IATI XML ISO alpha-3 Ctrl Cmd Mac UNODC",
            # The upload limit's unit, as Chinese writes it too ("20.0 MB").
            "MB",
        ]
    )
    allowed = set(re.findall(r"[A-Za-z]{2,}", data_words))
    pages = [
        reverse("assistance:activity_list"),
        reverse("assistance:activity_detail", args=[activity.ref]),
        reverse("assistance:activity_edit", args=[activity.ref]),
        reverse("assistance:activity_delete", args=[activity.ref]),
        reverse("imports:upload") + "?kind=activities",
        reverse("assistance:provider_list"),
        reverse("assistance:donor_list"),
        reverse("assistance:donor_create"),
        reverse("assistance:catalogue_need", args=[need.ref]),
    ]
    client.force_login(staff)
    for url in pages:
        response = get(client, url, language)
        assert response.status_code == 200, url
        english = set(re.findall(r"[A-Za-z]{2,}", main_text(response))) - allowed
        # State codes in the beneficiary States' choices ("كينيا (KEN)") and the chapters'
        # roman numerals ("الفصل II") are the same in every language.
        english = {word for word in english if not re.fullmatch(r"[A-Z]{3}|[IVXLC]+", word)}
        assert english == set(), (url, sorted(english))
