"""Shared fixtures: one user per role, around a State with a published and an unpublished review.

`home_state` (Kenya) has the focal point `focal_point`; `other_state` (Peru) has
`other_focal_point`. Permission tests use the `people` dict: anonymous, donor, focal point of
the State, focal point of another State, staff, administrator.
"""

import pytest
from django.contrib.auth.models import AnonymousUser

from core.models import Role
from needs.models import Acceptance

from . import factories


@pytest.fixture
def home_state(db):
    return factories.state("KEN")


@pytest.fixture
def other_state(db):
    return factories.state("PER")


@pytest.fixture
def staff(db):
    return factories.make_user(Role.SECRETARIAT, username="staff")


@pytest.fixture
def administrator(db):
    return factories.make_user(
        Role.ADMINISTRATOR, username="admin", is_staff=True, is_superuser=True
    )


@pytest.fixture
def focal_point(home_state):
    return factories.make_user(Role.FOCAL_POINT, username="focal", state=home_state)


@pytest.fixture
def other_focal_point(other_state):
    return factories.make_user(Role.FOCAL_POINT, username="otherfocal", state=other_state)


@pytest.fixture
def donor(db):
    return factories.make_user(Role.DONOR, username="donor")


@pytest.fixture
def other_donor(db):
    return factories.make_user(Role.DONOR, username="otherdonor")


@pytest.fixture
def people(staff, administrator, focal_point, other_focal_point, donor):
    return {
        "anonymous": AnonymousUser(),
        "donor": donor,
        "focal_point": focal_point,
        "other_focal_point": other_focal_point,
        "staff": staff,
        "administrator": administrator,
    }


@pytest.fixture
def published_review(home_state):
    return factories.ReviewFactory(state=home_state, cycle=2)


@pytest.fixture
def unpublished_review(home_state):
    return factories.ReviewFactory(
        state=home_state,
        cycle=1,
        executive_summary_completed=None,
        executive_summary_published=False,
    )


@pytest.fixture
def published_need(published_review):
    return factories.NeedFactory(review=published_review)


@pytest.fixture
def unpublished_need(unpublished_review):
    return factories.NeedFactory(review=unpublished_review)


@pytest.fixture
def provider(db):
    """UNODC, the provider the activity files of the tests name."""
    return factories.ProviderFactory(name="UNODC", short_name="UNODC", is_unodc=True)


@pytest.fixture
def world(published_review, unpublished_review, other_state):
    """Two States, each with a published and an unpublished review, a need in each, a
    proposal waiting and a declined one on each published review, and a donor's interest in
    every need."""
    reviews = {
        "home_published": published_review,
        "home_unpublished": unpublished_review,
        "other_published": factories.ReviewFactory(state=other_state, cycle=2),
        "other_unpublished": factories.ReviewFactory(
            state=other_state,
            cycle=1,
            executive_summary_completed=None,
            executive_summary_published=False,
        ),
    }
    needs = {label: factories.NeedFactory(review=review) for label, review in reviews.items()}
    for side in ("home", "other"):
        needs[f"{side}_proposal"] = factories.NeedFactory(
            review=reviews[f"{side}_published"], acceptance=Acceptance.PROPOSED
        )
        needs[f"{side}_declined"] = factories.NeedFactory(
            review=reviews[f"{side}_published"], acceptance=Acceptance.DECLINED
        )
    interests = {label: factories.DonorInterestFactory(need=need) for label, need in needs.items()}
    return {"reviews": reviews, "needs": needs, "interests": interests}
