"""core.services.model_update: the one update routine of the services."""

import pytest
from django.core.exceptions import ValidationError

from core.services import model_update
from reviews.models import Review, State

pytestmark = pytest.mark.django_db

FIELDS = ("review_year", "direct_dialogue_kind", "reviewing_states")


@pytest.fixture
def review(published_review):
    return Review.objects.get(pk=published_review.pk)


def test_it_saves_only_the_fields_that_changed(review, staff):
    before = review.version
    data = {"review_year": review.review_year, "direct_dialogue_kind": "country_visit"}

    updated, changed = model_update(review, data, FIELDS, user=staff)

    assert changed
    assert Review.objects.get(pk=review.pk).direct_dialogue_kind == "country_visit"
    assert updated.version == before + 1
    assert updated.updated_by == staff
    assert updated.history.first().history_user == staff


def test_it_writes_nothing_when_nothing_changed(review, django_assert_num_queries):
    with django_assert_num_queries(0):
        _same, changed = model_update(review, {"review_year": review.review_year}, FIELDS)

    assert not changed


def test_it_sets_many_to_many_fields_after_the_save(review):
    reviewers = list(State.objects.filter(is_party=True).exclude(pk=review.state_id)[:2])

    updated, changed = model_update(review, {"reviewing_states": reviewers}, FIELDS)

    assert changed
    assert set(updated.reviewing_states.all()) == set(reviewers)


def test_it_refuses_fields_it_was_not_given(review):
    with pytest.raises(TypeError, match="cycle"):
        model_update(review, {"cycle": 1}, FIELDS)


def test_it_validates_before_saving(review):
    with pytest.raises(ValidationError):
        model_update(review, {"direct_dialogue_kind": "carrier pigeon"}, FIELDS)

    assert Review.objects.get(pk=review.pk).direct_dialogue_kind != "carrier pigeon"
