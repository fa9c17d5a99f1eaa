"""A save over someone else's newer edit is refused with what changed; nothing is lost."""

import pytest
from django.urls import reverse

from needs.services import need_update
from reviews.services import review_update
from tests import factories
from tests.needs.import_files import signed_in

pytestmark = pytest.mark.django_db


def test_a_stale_need_form_is_refused_and_shows_what_changed(staff, administrator, published_need):
    client = signed_in(staff)
    url = reverse("needs:need_edit", args=[published_need.pk])
    opened = client.get(url).context["form"].initial
    need_update(
        need=published_need,
        user=administrator,
        seen_version=published_need.version,
        description="A colleague's better description",
        status="in_progress",
    )
    mine = {
        "placement": opened["placement"],
        "category": opened["category"],
        "description": "My description",
        "status": "unmet",
        "priority": "",
        "version": opened["version"],
    }

    response = client.post(url, mine)

    assert response.status_code == 409
    changes = {c.label: (c.before, c.after) for c in response.context["conflict_changes"]}
    assert changes["Description"][1] == "A colleague's better description"
    assert changes["Status"] == ("Unmet", "Assistance planned or under way")
    published_need.refresh_from_db()
    assert published_need.description == "A colleague's better description"
    page = response.content.decode()
    assert "Not saved: someone else saved this need" in page
    assert "My description" in page  # the person's own text is still in the form

    # Saving again, now knowing both versions, is a decision: it goes through.
    again = client.post(url, {**mine, "version": response.context["form"]["version"].value()})
    assert again.status_code == 302
    published_need.refresh_from_db()
    assert published_need.description == "My description"


def test_a_stale_review_form_is_refused_and_shows_what_changed(
    staff, administrator, published_review
):
    client = signed_in(staff)
    url = reverse("reviews:review_edit", args=[published_review.pk])
    opened = client.get(url).context["form"].initial
    review_update(
        review=published_review,
        user=administrator,
        seen_version=published_review.version,
        review_year=2019,
    )
    mine = {
        "review_year": "2020",
        "self_assessment_submitted": "2018-03-01",
        "direct_dialogue": "2018-09-01",
        "executive_summary_completed": "2019-02-01",
        "executive_summary_published": "on",
        "version": opened["version"],
    }

    response = client.post(url, mine)

    assert response.status_code == 409
    assert [(c.label, c.before, c.after) for c in response.context["conflict_changes"]] == [
        ("Review year", "2018", "2019")
    ]
    published_review.refresh_from_db()
    assert published_review.review_year == 2019


def test_two_people_editing_different_needs_do_not_conflict(staff, published_review):
    first, second = factories.NeedFactory.create_batch(2, review=published_review)
    client = signed_in(staff)
    forms = [
        client.get(reverse("needs:need_edit", args=[need.pk])).context["form"].initial
        for need in (first, second)
    ]

    for need, initial in zip((first, second), forms, strict=True):
        data = {name: value for name, value in initial.items() if value is not None}
        response = client.post(
            reverse("needs:need_edit", args=[need.pk]),
            {**data, "description": f"Edited {need.pk}", "themes": []},
        )
        assert response.status_code == 302
