"""Recording reviews: reviewing States, milestone checks, and edits that cross each other."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from core.exceptions import ConcurrentEditError
from reviews.models import Review, State
from reviews.services import review_create, review_delete, review_update
from tests import factories

D = datetime.date


@pytest.fixture
def kenya(db):
    return factories.state("KEN")


@pytest.fixture
def reviewers(db):
    return [factories.state("UGA"), factories.state("FRA")]


@pytest.fixture
def review(kenya, reviewers, staff):
    return review_create(
        state=kenya,
        cycle=2,
        reviewing_states=reviewers,
        review_year=2018,
        self_assessment_submitted=D(2018, 3, 1),
        user=staff,
    )


def test_it_records_a_review_with_two_reviewing_states(review, reviewers, staff):
    assert set(review.reviewing_states.all()) == set(reviewers)
    assert review.version == 1
    assert review.history.latest().history_user == staff


def test_it_rejects_a_third_reviewing_state(kenya, reviewers):
    with pytest.raises(ValidationError) as caught:
        review_create(state=kenya, cycle=2, reviewing_states=[*reviewers, factories.state("PER")])
    assert "reviewing_states" in caught.value.message_dict
    assert not Review.objects.filter(state=kenya).exists()


def test_it_rejects_a_state_reviewing_itself(kenya):
    with pytest.raises(ValidationError) as caught:
        review_create(state=kenya, cycle=1, reviewing_states=[kenya, factories.state("FRA")])
    assert "A State cannot review itself." in caught.value.message_dict["reviewing_states"]


def test_it_rejects_the_same_reviewer_twice(kenya):
    uganda = factories.state("UGA")
    with pytest.raises(ValidationError) as caught:
        review_create(state=kenya, cycle=1, reviewing_states=[uganda, uganda])
    assert "reviewing_states" in caught.value.message_dict


def test_it_rejects_a_reviewer_that_is_not_a_party(kenya):
    outsider = State.objects.filter(is_party=False).order_by("iso3").first()
    with pytest.raises(ValidationError) as caught:
        review_create(state=kenya, cycle=1, reviewing_states=[outsider])
    assert outsider.iso3 in " ".join(caught.value.message_dict["reviewing_states"])


def test_it_rejects_milestones_out_of_order_before_the_database_does(kenya):
    with pytest.raises(ValidationError) as caught:
        review_create(
            state=kenya,
            cycle=1,
            self_assessment_submitted=D(2012, 5, 1),
            direct_dialogue=D(2012, 1, 1),
        )
    assert "dialogue_after_self_assessment" in str(caught.value)
    assert not Review.objects.filter(state=kenya).exists()


def test_it_rejects_a_second_review_in_the_same_cycle(review, kenya):
    with pytest.raises(ValidationError):
        review_create(state=kenya, cycle=2)
    assert Review.objects.filter(state=kenya).count() == 1


def test_it_rejects_unknown_fields(kenya):
    with pytest.raises(TypeError, match="outcome"):
        review_create(state=kenya, cycle=1, outcome="good")


def test_an_update_at_the_version_seen_is_saved_and_bumps_the_version(review, staff):
    updated = review_update(
        review=review, seen_version=1, user=staff, direct_dialogue=D(2018, 9, 1)
    )
    assert updated.version == 2
    assert Review.objects.get(pk=review.pk).direct_dialogue == D(2018, 9, 1)
    assert updated.history.latest().history_user == staff


def test_an_update_over_a_newer_edit_is_refused_with_the_fields_changed(review, staff):
    review_update(review=review, seen_version=1, user=staff, direct_dialogue=D(2018, 9, 1))
    with pytest.raises(ConcurrentEditError) as caught:
        review_update(review=review, seen_version=1, user=staff, review_year=2019)
    assert set(caught.value.changes) == {"direct_dialogue"}
    assert caught.value.changes["direct_dialogue"] == (None, D(2018, 9, 1))
    assert "direct_dialogue" in caught.value.messages[0]
    current = Review.objects.get(pk=review.pk)
    assert current.review_year == 2018
    assert current.version == 2


def test_an_update_validates_the_reviewing_states(review, kenya):
    with pytest.raises(ValidationError) as caught:
        review_update(review=review, seen_version=1, reviewing_states=[kenya])
    assert "reviewing_states" in caught.value.message_dict
    assert Review.objects.get(pk=review.pk).version == 1


def test_an_update_validates_the_milestones(review):
    with pytest.raises(ValidationError):
        review_update(review=review, seen_version=1, direct_dialogue=D(2017, 1, 1))
    assert Review.objects.get(pk=review.pk).direct_dialogue is None


def test_a_review_with_needs_cannot_be_deleted(review):
    factories.NeedFactory(review=review)
    with pytest.raises(ValidationError):
        review_delete(review=review)
    assert Review.objects.filter(pk=review.pk).exists()


def test_a_review_without_needs_is_deleted_with_a_history_entry(review, staff):
    review_id = review.pk
    review_delete(review=review, user=staff)
    assert not Review.objects.filter(pk=review_id).exists()
    deletion = Review.history.filter(id=review_id, history_type="-").get()
    assert deletion.history_user == staff
