"""Who maintains and proposes needs, record by record."""

import pytest
from django.contrib.auth.models import AnonymousUser

from needs import rules

ROLES = ["anonymous", "donor", "focal_point", "other_focal_point", "staff", "administrator"]
HOME_ONLY_FOR_ITS_FOCAL_POINT = {
    "anonymous": (False, False),
    "donor": (False, False),
    "focal_point": (True, False),
    "other_focal_point": (False, True),
    "staff": (True, True),
    "administrator": (True, True),
}


@pytest.mark.parametrize("role", ROLES)
def test_who_maintains_a_need(people, world, role):
    home = rules.can_maintain_need(people[role], world["needs"]["home_unpublished"])
    other = rules.can_maintain_need(people[role], world["needs"]["other_published"])
    assert (home, other) == HOME_ONLY_FOR_ITS_FOCAL_POINT[role]


@pytest.mark.parametrize("role", ROLES)
def test_who_maintains_a_states_needs(people, home_state, other_state, role):
    home = rules.can_maintain_state_needs(people[role], home_state)
    other = rules.can_maintain_state_needs(people[role], other_state)
    assert (home, other) == HOME_ONLY_FOR_ITS_FOCAL_POINT[role]


@pytest.mark.parametrize("role", ROLES)
def test_who_proposes_a_need(people, world, role):
    home = rules.can_propose_need(people[role], world["reviews"]["home_published"])
    other = rules.can_propose_need(people[role], world["reviews"]["other_unpublished"])
    assert (home, other) == HOME_ONLY_FOR_ITS_FOCAL_POINT[role]


@pytest.mark.parametrize("role", ROLES)
def test_only_staff_and_focal_points_propose_at_all(people, role):
    expected = role in {"focal_point", "other_focal_point", "staff", "administrator"}
    assert rules.can_propose_needs_at_all(people[role]) is expected


def test_an_anonymous_user_object_is_handled(world):
    anonymous = AnonymousUser()
    assert not rules.can_maintain_need(anonymous, world["needs"]["home_published"])
    assert not rules.can_propose_need(anonymous, world["reviews"]["home_published"])
