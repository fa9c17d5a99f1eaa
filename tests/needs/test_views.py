"""Staff pages for needs: list with filters and export buttons, add/edit/delete from the
review page."""

import pytest
from django.urls import reverse

from core.changes import data_changed
from needs.models import Need, Subcategory
from tests import factories
from tests.needs.import_files import signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(staff):
    return signed_in(staff)


def need_form(**values) -> dict:
    form = {
        "placement": "article:5",
        "category": factories.category("capacity_building").pk,
        "subcategory": "",
        "themes": [factories.theme("training").pk, factories.theme("technology").pk],
        "description": "Training for judges on asset declarations",
        "priority": "high",
        "status": "unmet",
        "identified_on": "2019-02-01",
    }
    form.update(values)
    return form


STAFF_PAGES = [
    ("needs:need_list", []),
    ("needs:deleted_needs", []),
]


@pytest.mark.parametrize(("name", "args"), STAFF_PAGES)
@pytest.mark.parametrize(
    ("role", "expected"),
    [("donor", 403), ("focal_point", 403), ("staff", 200), ("administrator", 200)],
)
def test_need_pages_are_for_staff_only(name, args, role, expected, people):
    response = signed_in(people[role]).get(reverse(name, args=args))

    assert response.status_code == expected


@pytest.mark.parametrize("name", ["needs:need_edit", "needs:need_delete", "needs:need_history"])
def test_focal_points_cannot_edit_even_their_own_needs_here(name, people, published_need):
    response = signed_in(people["focal_point"]).get(reverse(name, args=[published_need.pk]))

    assert response.status_code == 403


def test_anonymous_people_are_sent_to_sign_in(client):
    response = client.get(reverse("needs:need_list"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_list_filters_and_offers_the_filtered_export(staff_client, published_review):
    factories.NeedFactory(review=published_review, description="Judges training", status="met")
    factories.NeedFactory(review=published_review, description="Asset recovery office")

    response = staff_client.get(reverse("needs:need_list"), {"status": "met", "state": "KEN"})

    assert [n.description for n in response.context["page"]] == ["Judges training"]
    page = response.content.decode()
    assert reverse("needs:need_export", args=["csv"]) + "?status=met&amp;state=KEN" in page
    assert reverse("needs:need_export", args=["xlsx"]) + "?status=met&amp;state=KEN" in page


def test_the_list_costs_the_same_queries_for_few_and_many_needs(
    staff_client, published_review, django_assert_max_num_queries
):
    factories.NeedFactory.create_batch(2, review=published_review)
    with django_assert_max_num_queries(16) as few:
        staff_client.get(reverse("needs:need_list"))
    for need in factories.NeedFactory.create_batch(60, review=published_review):
        need.themes.set(factories.Theme.objects.all()[:2])
    data_changed(sender=Need)  # what every service that writes does (the factory does not)
    with django_assert_max_num_queries(16) as many:
        staff_client.get(reverse("needs:need_list"))

    assert len(few.captured_queries) == len(many.captured_queries)


def test_the_add_form_offers_only_the_chapters_of_the_cycle(staff_client, published_review):
    response = staff_client.get(reverse("needs:need_create", args=[published_review.pk]))

    choices = response.context["form"].fields["placement"].choices
    groups = [label for label, _options in choices[1:]]
    values = [value for _label, options in choices[1:] for value, _text in options]
    assert [group.split(":")[0] for group in groups] == ["Chapter II", "Chapter V"]
    assert values[0] == "chapter:II" and "article:5" in values and "chapter:V" in values
    assert "article:15" not in values  # chapter III is reviewed in the first cycle


def test_staff_add_a_need_from_the_review_page(staff_client, staff, published_review):
    response = staff_client.post(
        reverse("needs:need_create", args=[published_review.pk]), need_form()
    )

    need = Need.objects.get()
    assert response.status_code == 302
    assert response["Location"].endswith(f"#need-{need.pk}")
    assert (need.review, need.chapter.roman, need.article.number) == (published_review, "II", 5)
    assert sorted(need.themes.values_list("code", flat=True)) == ["technology", "training"]
    assert need.history.first().history_user == staff


def test_a_need_about_a_chapter_in_general(staff_client, published_review):
    staff_client.post(
        reverse("needs:need_create", args=[published_review.pk]),
        need_form(placement="chapter:V"),
    )

    need = Need.objects.get()
    assert (need.chapter.roman, need.article) == ("V", None)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"placement": "article:15"}, "placement", "Select a valid choice"),
        (
            {"subcategory": "legal_advice"},
            "subcategory",
            "is not a subcategory of “Capacity-building”",
        ),
        ({"description": "  "}, "description", "This field is required"),
        ({"priority": "urgent"}, "priority", "Select a valid choice"),
    ],
)
def test_each_mistake_is_explained_next_to_its_field(
    staff_client, published_review, changes, field, message
):
    if changes.get("subcategory"):
        changes["subcategory"] = Subcategory.objects.get(code=changes["subcategory"]).pk

    response = staff_client.post(
        reverse("needs:need_create", args=[published_review.pk]), need_form(**changes)
    )

    assert response.status_code == 400
    assert any(message in error for error in response.context["form"].errors[field])
    assert not Need.objects.exists()


def test_staff_edit_a_need(staff_client, published_need):
    url = reverse("needs:need_edit", args=[published_need.pk])
    initial = staff_client.get(url).context["form"].initial

    response = staff_client.post(
        url, need_form(description="Updated text", version=initial["version"], themes=[])
    )

    assert response.status_code == 302
    published_need.refresh_from_db()
    assert published_need.description == "Updated text"
    assert published_need.version == 2


def test_staff_delete_a_need(staff_client, published_need):
    response = staff_client.post(reverse("needs:need_delete", args=[published_need.pk]))

    assert response.status_code == 302
    assert not Need.objects.exists()
