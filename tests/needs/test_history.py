"""Every change to reviews and needs is kept with who, when and what; deleted needs return."""

import pytest
from django.urls import reverse

from needs.models import Need
from needs.services import need_create, need_delete, need_update
from reviews.services import review_update
from tests import factories
from tests.needs.import_files import signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(staff):
    return signed_in(staff)


@pytest.fixture
def need(published_review, staff):
    return need_create(
        review=published_review,
        chapter=factories.chapter("II"),
        article=factories.article(5),
        category=factories.category("capacity_building"),
        description="Training for judges",
        themes=[factories.theme("training")],
        user=staff,
    )


def test_the_need_history_shows_who_changed_what_from_what_to_what(
    staff_client, need, staff, administrator
):
    need_update(
        need=need,
        user=administrator,
        seen_version=need.version,
        description="Training for prosecutors",
        article=factories.article(6),
        priority="high",
        themes=[factories.theme("gender")],
    )

    response = staff_client.get(reverse("needs:need_history", args=[need.pk]))

    entries = response.context["entries"]
    # One entry per save, although a save of themes leaves several records.
    assert [entry.kind for entry in entries] == ["changed", "created"]
    newest_changes = {
        change.label: (change.before, change.after)
        for entry in entries
        if entry.who == administrator
        for change in entry.changes
    }
    assert newest_changes == {
        "Description": ("Training for judges", "Training for prosecutors"),
        "Article": (
            "Article 5: Preventive anti-corruption policies and practices",
            "Article 6: Preventive anti-corruption body or bodies",
        ),
        "Priority": ("—", "High"),
        "Themes": ("Training", "Gender dimensions of corruption"),
    }
    assert entries[-1].who == staff
    page = response.content.decode()
    assert "Training for judges" in page and "Training for prosecutors" in page


def test_the_history_page_costs_the_same_queries_for_short_and_long_histories(
    staff_client, need, staff, django_assert_max_num_queries
):
    url = reverse("needs:need_history", args=[need.pk])
    with django_assert_max_num_queries(12) as short:
        staff_client.get(url)
    for number in range(10):
        need = need_update(
            need=need, user=staff, seen_version=need.version, description=f"v{number}"
        )
    with django_assert_max_num_queries(12) as long:
        staff_client.get(url)

    assert len(short.captured_queries) == len(long.captured_queries)


def test_the_review_history_shows_the_milestones_changed(staff_client, published_review, staff):
    review_update(
        review=published_review,
        user=staff,
        seen_version=published_review.version,
        country_report_completed=published_review.executive_summary_completed,
    )

    response = staff_client.get(reverse("reviews:review_history", args=[published_review.pk]))

    [latest, *_] = response.context["entries"]
    assert latest.who == staff
    assert [(c.label, c.before, c.after) for c in latest.changes] == [
        ("Country report completed", "—", "2019-02-01")
    ]


def test_a_deleted_need_is_listed_and_restored_by_staff(staff_client, need, staff):
    pk = need.pk
    need_delete(need=need, user=staff)

    listed = staff_client.get(reverse("needs:deleted_needs"))
    [record] = listed.context["page"]
    assert record.ref == need.ref
    restored = staff_client.post(reverse("needs:need_restore", args=[record.history_id]))

    back = Need.objects.get(pk=pk)
    assert restored.status_code == 302
    assert back.description == "Training for judges"
    assert list(back.themes.values_list("code", flat=True)) == ["training"]
    assert list(staff_client.get(reverse("needs:deleted_needs")).context["page"]) == []
    history = staff_client.get(reverse("needs:need_history", args=[pk])).context["entries"]
    assert [entry.kind for entry in history] == ["restored", "deleted", "created"]
    assert history[0].who == staff


def test_restoring_twice_is_refused_with_a_message(staff_client, need, staff):
    need_delete(need=need, user=staff)
    record = Need.history.get(history_type="-")
    staff_client.post(reverse("needs:need_restore", args=[record.history_id]))

    again = staff_client.post(reverse("needs:need_restore", args=[record.history_id]))

    assert again.status_code == 409
    assert "This need exists already" in again.content.decode()


def test_the_history_of_a_deleted_need_stays_readable(staff_client, need, staff):
    pk = need.pk
    need_delete(need=need, user=staff)

    response = staff_client.get(reverse("needs:need_history", args=[pk]))

    assert response.status_code == 200
    assert response.context["entries"][0].kind == "deleted"
    assert "This need is deleted" in response.content.decode()


@pytest.mark.parametrize("role", ["donor", "focal_point"])
def test_others_cannot_restore(people, need, staff, role):
    need_delete(need=need, user=staff)
    record = Need.history.get(history_type="-")

    response = signed_in(people[role]).post(reverse("needs:need_restore", args=[record.history_id]))

    assert response.status_code == 403
    assert not Need.objects.exists()
