"""Who registers and withdraws donor interest."""

import pytest
from django.contrib.auth.models import AnonymousUser

from assistance import rules
from tests import factories

ROLES = ["anonymous", "donor", "focal_point", "other_focal_point", "staff", "administrator"]


@pytest.mark.parametrize("role", ROLES)
def test_only_donors_register_interest(people, role):
    assert rules.can_register_interest(people[role]) is (role == "donor")


def test_a_user_without_a_role_does_not_register_interest(db):
    assert not rules.can_register_interest(factories.UserFactory(role=""))


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
        rules.can_withdraw_interest(people[role], own),
        rules.can_withdraw_interest(people[role], others),
    )
    assert answers == expected[role]


@pytest.mark.parametrize("role", ROLES)
def test_only_staff_see_who_registered_an_interest(people, role):
    expected = role in {"staff", "administrator"}
    assert rules.can_see_who_registered_interest(people[role]) is expected


def test_an_anonymous_user_object_withdraws_nothing(world):
    assert not rules.can_withdraw_interest(AnonymousUser(), world["interests"]["home_published"])
