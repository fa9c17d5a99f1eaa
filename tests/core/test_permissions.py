"""Every role against published and unpublished data of its own State and of another."""

import pytest
from django.contrib.auth.models import AnonymousUser

from core import permissions
from needs.models import Acceptance, Need
from tests import factories

ROLES = ["anonymous", "donor", "focal_point", "other_focal_point", "staff", "administrator"]
EVERY_REVIEW = {"home_published", "home_unpublished", "other_published", "other_unpublished"}
PUBLISHED = {"home_published", "other_published"}

VISIBLE_REVIEWS = {
    "anonymous": PUBLISHED,
    "donor": PUBLISHED,
    "focal_point": PUBLISHED | {"home_unpublished"},
    "other_focal_point": PUBLISHED | {"other_unpublished"},
    "staff": EVERY_REVIEW,
    "administrator": EVERY_REVIEW,
}
# Proposals not yet accepted count as unpublished: only their State's focal point and staff.
VISIBLE_NEEDS = {
    "anonymous": PUBLISHED,
    "donor": PUBLISHED,
    "focal_point": PUBLISHED | {"home_unpublished", "home_proposal"},
    "other_focal_point": PUBLISHED | {"other_unpublished", "other_proposal"},
    "staff": EVERY_REVIEW | {"home_proposal", "other_proposal"},
    "administrator": EVERY_REVIEW | {"home_proposal", "other_proposal"},
}


@pytest.fixture
def world(published_review, unpublished_review, other_state):
    """Two States, each with a published and an unpublished review, a need in each, a
    proposal waiting on each published review, and a donor's interest in every need."""
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
    interests = {label: factories.DonorInterestFactory(need=need) for label, need in needs.items()}
    return {"reviews": reviews, "needs": needs, "interests": interests}


def labels(rows, objects: dict) -> set[str]:
    ids = {row.pk for row in rows}
    return {label for label, obj in objects.items() if obj.pk in ids}


@pytest.mark.parametrize("role", ROLES)
def test_visible_reviews(people, world, role):
    visible = permissions.visible_reviews(people[role])
    assert labels(visible, world["reviews"]) == VISIBLE_REVIEWS[role]


@pytest.mark.parametrize("role", ROLES)
def test_visible_needs(people, world, role):
    visible = permissions.visible_needs(people[role])
    assert labels(visible, world["needs"]) == VISIBLE_NEEDS[role]


@pytest.mark.parametrize("role", ROLES)
def test_visible_donor_interests_follow_the_needs_for_signed_in_users(people, world, role):
    visible = permissions.visible_donor_interests(people[role])
    expected = set() if role == "anonymous" else VISIBLE_NEEDS[role]
    assert labels(visible, world["interests"]) == expected


@pytest.mark.parametrize("role", ROLES)
def test_visible_need_links_follow_the_needs(people, world, role):
    activity = factories.ActivityFactory()
    links = {
        label: factories.ActivityNeedLinkFactory(activity=activity, need=need)
        for label, need in world["needs"].items()
    }
    visible = permissions.visible_need_links(people[role])
    assert labels(visible, links) == VISIBLE_NEEDS[role]


@pytest.mark.parametrize("role", ROLES)
def test_states_and_activities_are_public(people, world, role):
    activity = factories.ActivityFactory()
    assert permissions.visible_activities(people[role]).filter(pk=activity.pk).exists()
    assert permissions.visible_states(people[role]).count() == 198


def test_a_given_queryset_is_narrowed_not_replaced(people, world):
    second_cycle = Need.objects.filter(review__cycle=2)
    visible = permissions.visible_needs(people["focal_point"], second_cycle)
    assert labels(visible, world["needs"]) == PUBLISHED | {"home_proposal"}


def test_a_deactivated_staff_member_sees_only_published_data(people, world):
    staff = people["staff"]
    staff.is_active = False
    assert labels(permissions.visible_reviews(staff), world["reviews"]) == PUBLISHED
    assert not permissions.can_manage_needs(staff)


def test_a_superuser_without_a_role_counts_as_staff(world):
    root = factories.UserFactory(is_superuser=True, is_staff=True)
    assert labels(permissions.visible_reviews(root), world["reviews"]) == EVERY_REVIEW
    assert permissions.can_manage_reviews(root)
    assert permissions.role_label(root) == "Administrator"


def test_a_user_without_a_role_sees_only_published_data(world):
    nobody = factories.UserFactory(role="")
    assert labels(permissions.visible_reviews(nobody), world["reviews"]) == PUBLISHED
    assert labels(permissions.visible_needs(nobody), world["needs"]) == PUBLISHED
    assert not permissions.can_register_interest(nobody)


# --- Yes/no questions ---------------------------------------------------------------------
STAFF_ONLY = {"staff", "administrator"}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    "question",
    ["can_manage_reviews", "can_manage_needs", "can_manage_assistance"],
)
def test_only_staff_manage_reviews_needs_and_assistance(people, role, question):
    assert getattr(permissions, question)(people[role]) is (role in STAFF_ONLY)


@pytest.mark.parametrize("role", ROLES)
def test_only_administrators_manage_reference_data(people, role):
    assert permissions.can_manage_reference_data(people[role]) is (role == "administrator")


@pytest.mark.parametrize("role", ROLES)
def test_who_maintains_a_need(people, world, role):
    home = permissions.can_maintain_need(people[role], world["needs"]["home_unpublished"])
    other = permissions.can_maintain_need(people[role], world["needs"]["other_published"])
    expected = {
        "anonymous": (False, False),
        "donor": (False, False),
        "focal_point": (True, False),
        "other_focal_point": (False, True),
        "staff": (True, True),
        "administrator": (True, True),
    }
    assert (home, other) == expected[role]


@pytest.mark.parametrize("role", ROLES)
def test_who_proposes_a_need(people, world, role):
    home = permissions.can_propose_need(people[role], world["reviews"]["home_published"])
    other = permissions.can_propose_need(people[role], world["reviews"]["other_unpublished"])
    expected = {
        "anonymous": (False, False),
        "donor": (False, False),
        "focal_point": (True, False),
        "other_focal_point": (False, True),
        "staff": (True, True),
        "administrator": (True, True),
    }
    assert (home, other) == expected[role]


@pytest.mark.parametrize("role", ROLES)
def test_only_donors_register_interest(people, role):
    assert permissions.can_register_interest(people[role]) is (role == "donor")


@pytest.mark.parametrize("role", ROLES)
def test_who_withdraws_an_interest(people, role):
    own = factories.DonorInterestFactory(donor=people["donor"].donor)
    others = factories.DonorInterestFactory()
    expected = {
        "anonymous": (False, False),
        "donor": (True, False),
        "focal_point": (False, False),
        "other_focal_point": (False, False),
        "staff": (True, True),
        "administrator": (True, True),
    }
    answers = (
        permissions.can_withdraw_interest(people[role], own),
        permissions.can_withdraw_interest(people[role], others),
    )
    assert answers == expected[role]


@pytest.mark.parametrize("role", ROLES)
def test_personal_data_is_for_signed_in_users_only(people, role):
    assert permissions.can_see_personal_data(people[role]) is (role != "anonymous")


@pytest.mark.parametrize(
    ("role", "label"),
    [
        ("anonymous", "Public"),
        ("donor", "Donor"),
        ("focal_point", "Focal point"),
        ("staff", "Secretariat staff"),
        ("administrator", "Administrator"),
    ],
)
def test_role_labels(people, role, label):
    assert permissions.role_label(people[role]) == label


def test_an_anonymous_user_object_is_handled_everywhere(world):
    anonymous = AnonymousUser()
    assert not permissions.can_maintain_need(anonymous, world["needs"]["home_published"])
    assert not permissions.can_propose_need(anonymous, world["reviews"]["home_published"])
    assert not permissions.can_withdraw_interest(anonymous, world["interests"]["home_published"])
    assert not permissions.visible_donor_interests(anonymous).exists()
