"""Fixtures for the country pages: Kenya with a published and an unpublished review, their
needs, a focal point's proposal, assistance received and a donor's interest."""

import datetime

import pytest
from django.test import Client

from assistance.models import FundingContribution
from needs.models import Acceptance, NeedComment, Status
from tests import factories

LONG_AGO = datetime.date(2015, 1, 1)


def client_for(user) -> Client:
    client = Client()
    if getattr(user, "is_authenticated", False):
        client.force_login(user)
    return client


@pytest.fixture
def client_as():
    return client_for


@pytest.fixture
def stale_need(published_review):
    return factories.NeedFactory(
        review=published_review,
        description="Stale need about asset declarations",
        identified_on=LONG_AGO,
        last_confirmed_on=LONG_AGO,
    )


@pytest.fixture
def proposal(unpublished_review, focal_point):
    return factories.NeedFactory(
        review=unpublished_review,
        description="Proposed need for a witness protection unit",
        acceptance=Acceptance.PROPOSED,
        proposed_by=focal_point,
    )


@pytest.fixture
def commented_need(published_need, focal_point):
    NeedComment.objects.create(
        need=published_need,
        author=focal_point,
        text="Legislation adopted, training still needed",
        status_from=Status.UNMET,
        status_to=Status.PARTIALLY_MET,
    )
    return published_need


@pytest.fixture
def received_activity(home_state, published_need):
    activity = factories.ActivityFactory(
        title="Financial investigation course",
        provider=factories.ProviderFactory(name="UNODC"),
        start_date=datetime.date(2021, 3, 1),
        end_date=datetime.date(2021, 6, 30),
    )
    activity.beneficiary_states.set([home_state])
    FundingContribution.objects.create(
        activity=activity,
        donor=factories.DonorFactory(name="Ruritania Aid"),
        amount=50000,
        year=2021,
    )
    return activity


@pytest.fixture
def interest(published_need):
    return factories.DonorInterestFactory(
        need=published_need, donor=factories.DonorFactory(name="Freedonia Fund")
    )


@pytest.fixture
def kenya_page(
    published_need,
    unpublished_need,
    stale_need,
    proposal,
    commented_need,
    received_activity,
    interest,
):
    """Everything the Kenya page shows."""
    return {
        "published_need": published_need,
        "unpublished_need": unpublished_need,
        "stale_need": stale_need,
        "proposal": proposal,
        "activity": received_activity,
        "interest": interest,
    }
