"""Fixtures for the API tests: a token per role, and one record of each kind at the addresses
the schema gives as examples (so the fuzzer's example requests reach real records)."""

import datetime

import pytest
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from alerts.services import saved_search_create
from assistance.models import Activity, FundingContribution
from dashboard.models import Snapshot, SnapshotFigureSet
from tests import factories

ROLES = ["anonymous", "donor", "focal_point", "other_focal_point", "staff", "administrator"]
EXAMPLE_NEED_REF = "N-0000000001"


def token_for(user) -> str:
    token, _ = Token.objects.get_or_create(user=user)
    return token.key


def client_for(user) -> APIClient:
    client = APIClient()
    if getattr(user, "is_authenticated", False):
        client.credentials(HTTP_AUTHORIZATION=f"Token {token_for(user)}")
    return client


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """The six people of every test need no strong hashes; PBKDF2 dominated the run time."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def clients(people):
    """One APIClient per role, authenticated by token (none for `anonymous`)."""
    return {role: client_for(user) for role, user in people.items()}


@pytest.fixture
def api_data(people, published_review, unpublished_review, other_state):
    """A small world: needs published and not, a proposal, an activity with funding, a
    donor interest and the donor's saved search; the first need has the reference the schema
    uses as its example."""
    published = factories.NeedFactory(
        review=published_review, ref=EXAMPLE_NEED_REF, identified_on=datetime.date(2019, 2, 1)
    )
    unpublished = factories.NeedFactory(review=unpublished_review)
    proposal = factories.NeedFactory(review=published_review, acceptance="proposed")
    other_review = factories.ReviewFactory(state=other_state, cycle=2)
    other_need = factories.NeedFactory(review=other_review)
    activity: Activity = factories.ActivityFactory()
    activity.beneficiary_states.add(published_review.state)
    factories.ActivityNeedLinkFactory(activity=activity, need=published)
    donor = people["donor"].donor
    funding = FundingContribution.objects.create(
        activity=activity, donor=donor, amount=1000, year=2024
    )
    interest = factories.DonorInterestFactory(donor=donor, need=published)
    action = factories.NeedActionFactory(need=published, in_national_action_plan=True)
    factories.NeedActionFactory(need=unpublished, what="Not published yet")
    empty_review = factories.ReviewFactory()
    snapshot = Snapshot.objects.create(
        label="CAC/COSP/2025/6", taken_on=datetime.date(2025, 6, 1), computed_at=timezone.now()
    )
    SnapshotFigureSet.objects.create(
        snapshot=snapshot, cycle=2, scope="all", figures={"totals": {"needs": 1}}
    )
    saved_search = saved_search_create(
        owner=people["donor"],
        name="Unmet needs in Kenya",
        view="catalogue",
        query={"state": "KEN"},
        alert="weekly",
    )
    return {
        "saved_search": saved_search,
        "snapshot": snapshot,
        "empty_review": empty_review,
        "published_need": published,
        "unpublished_need": unpublished,
        "proposal": proposal,
        "other_need": other_need,
        "other_review": other_review,
        "activity": activity,
        "funding": funding,
        "interest": interest,
        "action": action,
    }


def pytest_terminal_summary(terminalreporter):
    """How many requests the fuzzer sent, per role (the lead's report asks for the number)."""
    from . import test_fuzz

    if not test_fuzz.cases_run:
        return
    per_role: dict[str, int] = {}
    for (role, _operation), count in test_fuzz.cases_run.items():
        per_role[role] = per_role.get(role, 0) + count
    operations = len({operation for _role, operation in test_fuzz.cases_run})
    terminalreporter.write_sep("-", "API fuzzing (schemathesis)")
    terminalreporter.write_line(
        f"{sum(per_role.values())} cases over {operations} operations: "
        + ", ".join(f"{role} {count}" for role, count in sorted(per_role.items()))
    )
