"""Links to a review's published documents: only for a published document, only web
addresses; set by staff in the form, the API and the import; shown on the review page and
the country page."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from reviews.imports import import_reviews
from reviews.models import Review
from reviews.services import review_update
from tests import factories
from tests.api.conftest import client_for
from tests.needs.import_files import review_row, reviews_file, signed_in

pytestmark = pytest.mark.django_db
SUMMARY = "https://www.unodc.org/documents/ken-summary.pdf"
REPORT = "https://www.unodc.org/documents/ken-report.pdf"


def test_staff_record_the_link_of_a_published_document(published_review, staff):
    review = review_update(review=published_review, executive_summary_url=SUMMARY, user=staff)

    assert review.executive_summary_url == SUMMARY
    assert review.history.latest().executive_summary_url == SUMMARY


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"country_report_url": REPORT}, "country_report_url", "Mark the country report"),
        ({"executive_summary_url": "ftp://example.org/a"}, "executive_summary_url", "https://"),
        (
            {"executive_summary_url": SUMMARY, "executive_summary_published": False},
            "executive_summary_url",
            "Mark the executive summary as published",
        ),
    ],
)
def test_it_refuses_a_link_it_cannot_stand_for(published_review, changes, field, message):
    with pytest.raises(ValidationError) as refused:
        review_update(review=published_review, **changes)

    assert message in refused.value.message_dict[field][0]


def test_the_database_refuses_them_too(published_review):
    for changes in ({"country_report_url": REPORT}, {"executive_summary_url": "javascript:x"}):
        with pytest.raises(IntegrityError), transaction.atomic():
            Review.objects.filter(pk=published_review.pk).update(**changes)


def test_the_form_sets_the_links_and_the_review_page_shows_them(published_review, staff):
    client = signed_in(staff)
    page = client.get(reverse("reviews:review_edit", args=[published_review.pk]))
    form = page.context["form"]
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update(
        state=published_review.state.pk,
        cycle=2,
        executive_summary_published="on",
        executive_summary_url=SUMMARY,
        country_report_url=REPORT,
    )

    refused = client.post(reverse("reviews:review_edit", args=[published_review.pk]), data)
    assert refused.status_code == 400
    assert "Mark the country report" in refused.content.decode()

    del data["country_report_url"]
    saved = client.post(reverse("reviews:review_edit", args=[published_review.pk]), data)
    assert saved.status_code == 302
    detail = client.get(reverse("reviews:review_detail", args=[published_review.pk]))
    assert f'href="{SUMMARY}"' in detail.content.decode()


def test_the_country_page_links_the_published_documents(client, published_review):
    Review.objects.filter(pk=published_review.pk).update(executive_summary_url=SUMMARY)

    page = client.get(reverse("countries:state_detail", args=["KEN"])).content.decode()

    assert f'href="{SUMMARY}"' in page and 'data-testid="executive-summary-link"' in page


def test_the_api_reads_and_writes_the_links(published_review, staff):
    client = client_for(staff)

    refused = client.patch(
        f"/api/v1/reviews/{published_review.pk}/", {"country_report_url": REPORT}, format="json"
    )
    saved = client.patch(
        f"/api/v1/reviews/{published_review.pk}/",
        {"executive_summary_url": SUMMARY},
        format="json",
    )

    assert refused.status_code == 400
    assert "Mark the country report" in refused.json()["errors"]["country_report_url"][0]
    assert saved.status_code == 200, saved.json()
    assert saved.json()["executive_summary_url"] == SUMMARY
    state = client.get("/api/v1/states/KEN/").json()
    assert state["reviews"][0]["executive_summary_url"] == SUMMARY
    # A link not given is null, not "" (the schema says a URI or null).
    assert saved.json()["country_report_url"] is None
    assert state["reviews"][0]["country_report_url"] is None


def test_the_import_sets_the_links_and_a_file_without_them_keeps_them(staff):
    rows = [review_row(executive_summary_url=SUMMARY)]
    first = import_reviews(data=reviews_file(rows), filename="r.csv", user=staff, dry_run=False)
    assert first.written and not first.problems
    review = Review.objects.get(state__iso3="KEN", cycle=2)
    assert review.executive_summary_url == SUMMARY

    columns = [c for c in review_row() if not c.endswith("_url")]
    old_style = ",".join(columns) + "\n" + ",".join(review_row()[c] for c in columns) + "\n"
    again = import_reviews(data=old_style.encode(), filename="r.csv", user=staff, dry_run=False)
    assert again.unchanged == 1 and not again.problems
    review.refresh_from_db()
    assert review.executive_summary_url == SUMMARY


def test_the_import_explains_a_link_to_an_unpublished_document(staff):
    rows = [
        review_row(country_report_url=REPORT),
        review_row(
            state="PER", cycle="1", reviewing_states="KEN;FRA", executive_summary_url="www.x.org"
        ),
    ]

    result = import_reviews(data=reviews_file(rows), filename="r.csv", user=staff, dry_run=True)

    assert [str(problem) for problem in result.problems] == [
        "row 2: country_report_url: Mark the country report as published to give its link, "
        "or leave the link empty.",
        "row 3: executive_summary_url: A link starts with https:// or http://, e.g. "
        "https://www.unodc.org/.",
    ]


def test_a_focal_point_cannot_change_the_links(published_review, focal_point):
    response = client_for(focal_point).patch(
        f"/api/v1/reviews/{published_review.pk}/", {"executive_summary_url": SUMMARY}, format="json"
    )

    assert response.status_code == 403
    assert factories.state("KEN").reviews.get(cycle=2).executive_summary_url == ""
