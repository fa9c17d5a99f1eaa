"""Staff pages for reviews: list, review page, create, edit, delete; who may see them."""

import datetime

import pytest
from django.urls import reverse

from core.changes import data_changed
from needs.models import Need
from reviews.models import Review
from tests import factories
from tests.needs.import_files import signed_in

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def staff_client(staff):
    return signed_in(staff)


def review_form(**values) -> dict:
    form = {
        "state": factories.state("KEN").pk,
        "cycle": "2",
        "review_year": "2018",
        "reviewing_state_1": factories.state("PER").pk,
        "reviewing_state_2": factories.state("FRA").pk,
        "self_assessment_submitted": "2018-03-01",
        "direct_dialogue": "2018-09-01",
        "direct_dialogue_kind": "country_visit",
        "executive_summary_completed": "2019-02-01",
        "country_report_completed": "",
        "executive_summary_published": "on",
    }
    form.update(values)
    return {name: value for name, value in form.items() if value is not None}


@pytest.mark.parametrize(
    "name", ["reviews:review_list", "reviews:review_create", "reviews:review_detail"]
)
@pytest.mark.parametrize(
    ("role", "expected"),
    [("donor", 403), ("focal_point", 403), ("staff", 200), ("administrator", 200)],
)
def test_review_pages_are_for_staff_only(name, role, expected, people, published_review):
    args = [published_review.pk] if name == "reviews:review_detail" else []

    response = signed_in(people[role]).get(reverse(name, args=args))

    assert response.status_code == expected


def test_anonymous_people_are_sent_to_sign_in(client, published_review):
    response = client.get(reverse("reviews:review_detail", args=[published_review.pk]))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_list_filters_counts_needs_and_paginates(staff_client, published_review):
    factories.NeedFactory.create_batch(3, review=published_review)
    factories.ReviewFactory(
        state=factories.state("PER"),
        cycle=1,
        executive_summary_completed=None,
        executive_summary_published=False,
    )

    everything = staff_client.get(reverse("reviews:review_list"))
    cycle_two = staff_client.get(reverse("reviews:review_list"), {"cycle": "2"})
    summarised = staff_client.get(
        reverse("reviews:review_list"), {"milestone": "executive_summary_completed"}
    )
    searched = staff_client.get(reverse("reviews:review_list"), {"q": "peru"})

    assert [r.state.iso3 for r in everything.context["page"]] == ["KEN", "PER"]
    assert [r.need_count for r in everything.context["page"]] == [3, 0]
    assert [r.state.iso3 for r in cycle_two.context["page"]] == ["KEN"]
    assert [r.state.iso3 for r in summarised.context["page"]] == ["KEN"]
    assert [r.state.iso3 for r in searched.context["page"]] == ["PER"]


def test_a_bad_filter_is_a_400_with_the_form_explaining(staff_client):
    response = staff_client.get(reverse("reviews:review_list"), {"state": "XXX"})

    assert response.status_code == 400
    assert "XXX" in response.content.decode()


def make_reviews(count: int) -> None:
    for state in factories.State.objects.filter(is_party=True).exclude(reviews__cycle=2)[:count]:
        review = factories.ReviewFactory(state=state)
        review.reviewing_states.set(factories.State.objects.filter(iso3__in=["FRA", "PER"]))
        factories.NeedFactory(review=review)


def test_the_list_costs_the_same_queries_for_few_and_many_reviews(
    staff_client, django_assert_max_num_queries
):
    make_reviews(2)
    with django_assert_max_num_queries(9) as few:
        staff_client.get(reverse("reviews:review_list"))
    make_reviews(40)
    with django_assert_max_num_queries(9) as many:
        staff_client.get(reverse("reviews:review_list"))

    assert len(few.captured_queries) == len(many.captured_queries)


def test_the_review_page_groups_needs_by_chapter_then_article(staff_client, published_review):
    chapter_two_general = factories.NeedFactory(review=published_review, article=None)
    article_5 = factories.NeedFactory(review=published_review, article=factories.article(5))
    article_52 = factories.NeedFactory(
        review=published_review, chapter=factories.chapter("V"), article=factories.article(52)
    )

    response = staff_client.get(reverse("reviews:review_detail", args=[published_review.pk]))

    page = response.content.decode()
    positions = [
        page.index(text)
        for text in (
            "Chapter II: ",
            "Chapter II in general",
            chapter_two_general.ref,
            "Article 5: ",
            article_5.ref,
            "Chapter V: ",
            "Article 52: ",
            article_52.ref,
        )
    ]
    assert positions == sorted(positions)
    # Dates as the active language writes them (DATE_FORMAT, as on the country page).
    assert "Direct dialogue" in page and "1 Sep 2018" in page


def test_the_review_page_costs_the_same_queries_for_few_and_many_needs(
    staff_client, published_review, django_assert_max_num_queries
):
    published_review.reviewing_states.set(factories.State.objects.filter(iso3__in=["FRA"]))
    factories.NeedFactory.create_batch(2, review=published_review)
    url = reverse("reviews:review_detail", args=[published_review.pk])
    with django_assert_max_num_queries(8) as few:
        staff_client.get(url)
    for number in (5, 6, 7, 51, 52):
        need = factories.NeedFactory(
            review=published_review,
            article=factories.article(number),
            chapter=factories.article(number).chapter,
        )
        need.themes.set(factories.Theme.objects.all()[:3])
    factories.NeedFactory.create_batch(30, review=published_review)
    data_changed(sender=Need)  # what every service that writes does (the factory does not)
    with django_assert_max_num_queries(8) as many:
        staff_client.get(url)

    assert len(few.captured_queries) == len(many.captured_queries)


def test_staff_create_a_review(staff_client, staff):
    response = staff_client.post(reverse("reviews:review_create"), review_form())

    review = Review.objects.get(state__iso3="KEN", cycle=2)
    assert response.status_code == 302
    assert response["Location"] == reverse("reviews:review_detail", args=[review.pk])
    assert sorted(review.reviewing_states.values_list("iso3", flat=True)) == ["FRA", "PER"]
    assert review.executive_summary_published is True
    assert review.direct_dialogue_kind == "country_visit"
    assert {entry.history_user for entry in review.history.all()} == {staff}


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"direct_dialogue": "2018-01-01"}, "direct_dialogue", "cannot be earlier"),
        (
            {"executive_summary_completed": ""},
            "executive_summary_published",
            "can only be published once it is completed",
        ),
        (
            {"reviewing_state_2": None, "reviewing_state_1": "KEN"},
            "reviewing_state_1",
            "cannot review itself",
        ),
        ({"reviewing_state_2": "PER"}, "reviewing_state_2", "two different reviewing States"),
        ({"review_year": "1999"}, "review_year", "greater than or equal to 2006"),
        ({"state": ""}, "state", "This field is required"),
    ],
)
def test_each_mistake_is_explained_next_to_its_field(staff_client, changes, field, message):
    for name in ("reviewing_state_1", "reviewing_state_2"):
        if changes.get(name) in ("KEN", "PER"):
            changes[name] = factories.state(changes[name]).pk

    response = staff_client.post(reverse("reviews:review_create"), review_form(**changes))

    assert response.status_code == 400
    assert any(message in error for error in response.context["form"].errors[field])
    assert not Review.objects.exists()


def test_a_second_review_of_a_state_in_a_cycle_is_refused(staff_client, published_review):
    response = staff_client.post(reverse("reviews:review_create"), review_form())

    assert response.status_code == 400
    assert response.context["form"].errors["cycle"] == ["Kenya already has a review in cycle 2."]


def test_staff_edit_a_review_but_not_its_state_or_cycle(staff_client, published_review):
    url = reverse("reviews:review_edit", args=[published_review.pk])
    form = staff_client.get(url).context["form"]
    data = {
        **review_form(country_report_completed="2019-06-01"),
        "version": form.initial["version"],
    }
    data["state"] = factories.state("PER").pk

    response = staff_client.post(url, data)

    assert response.status_code == 302
    published_review.refresh_from_db()
    assert published_review.state.iso3 == "KEN"
    assert published_review.country_report_completed == D(2019, 6, 1)
    assert published_review.version == 2


def test_it_refuses_an_edit_that_does_not_say_which_version_it_changes(
    staff_client, published_review
):
    url = reverse("reviews:review_edit", args=[published_review.pk])

    response = staff_client.post(url, {})

    assert response.status_code == 400
    published_review.refresh_from_db()
    assert published_review.review_year == 2018
    assert published_review.executive_summary_published is True
    assert published_review.version == 1


def test_a_review_without_needs_can_be_deleted_one_with_needs_cannot(
    staff_client, published_review
):
    factories.NeedFactory(review=published_review)
    refused = staff_client.post(reverse("reviews:review_delete", args=[published_review.pk]))
    Need.objects.all().delete()
    deleted = staff_client.post(reverse("reviews:review_delete", args=[published_review.pk]))

    assert refused.status_code == 409
    assert "has needs" in refused.content.decode()
    assert deleted.status_code == 302
    assert not Review.objects.exists()


def test_a_review_with_very_many_needs_shows_the_first_and_links_to_the_rest(
    staff_client, published_review, monkeypatch
):
    monkeypatch.setattr("reviews.views.REVIEW_PAGE_NEEDS", 3)
    factories.NeedFactory.create_batch(5, review=published_review)

    response = staff_client.get(reverse("reviews:review_detail", args=[published_review.pk]))

    assert len(response.context["needs"]) == 3
    assert response.context["need_total"] == 5
    page = response.content.decode()
    assert "This review has 5 needs; the first 3 are shown here." in page
    assert reverse("needs:need_list") + "?state=KEN&amp;cycle=2" in page
