"""Fixtures for the assistance tests: an activity (of the `provider`) and a second donor user."""

import pytest

from core.models import Role
from tests import factories


@pytest.fixture
def activity(provider, home_state):
    activity = factories.ActivityFactory(provider=provider)
    activity.beneficiary_states.set([home_state])
    return activity


@pytest.fixture
def second_donor(db):
    return factories.make_user(Role.DONOR, username="seconddonor")
