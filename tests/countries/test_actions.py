"""The country page's follow-up actions section, and the overdue actions in the focal
point's confirmation digest."""

import datetime

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client

from needs.digest import send_confirmation_digests
from needs.models import Acceptance, ActionStatus, Need
from tests import factories

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 22)
PAST = datetime.date(2026, 10, 1)
FUTURE = datetime.date(2027, 6, 30)


def client_of(user) -> Client:
    client = Client()
    if getattr(user, "is_authenticated", False):
        client.force_login(user)
    return client


@pytest.fixture
def kenya_actions(published_need, unpublished_need, published_review):
    proposal = factories.NeedFactory(review=published_review, acceptance=Acceptance.PROPOSED)
    # Recently confirmed: no need of Kenya waits for confirmation.
    Need.objects.update(last_confirmed_on=PAST)
    return {
        "late": factories.NeedActionFactory(need=published_need, what="Late", due_date=PAST),
        "in_time": factories.NeedActionFactory(
            need=published_need, what="In time", due_date=FUTURE
        ),
        "done": factories.NeedActionFactory(
            need=published_need, what="Done late", due_date=PAST, status=ActionStatus.DONE
        ),
        "unpublished": factories.NeedActionFactory(
            need=unpublished_need, what="Unpublished late", due_date=PAST
        ),
        "proposal": factories.NeedActionFactory(need=proposal, what="On a proposal"),
    }


def shown(response) -> list[str]:
    return [action.what for action in response.context["actions"]]


def test_the_section_lists_the_actions_each_reader_may_see(people, kenya_actions):
    public = client_of(people["anonymous"]).get("/states/KEN/actions/")
    focal = client_of(people["focal_point"]).get("/states/KEN/actions/")

    assert public.status_code == focal.status_code == 200
    assert set(shown(public)) == {"Late", "In time", "Done late"}
    assert set(shown(focal)) == {"Late", "In time", "Done late", "Unpublished late"}
    assert "Follow-up actions" in public.content.decode()


def test_the_overdue_filter_keeps_late_open_actions(staff, kenya_actions):
    response = client_of(staff).get("/states/KEN/actions/", {"overdue": "true"})

    assert set(shown(response)) == {"Late", "Unpublished late"}
    assert 'data-testid="overdue"' in response.content.decode()


def test_a_bad_filter_is_a_400_with_its_message(staff, kenya_actions):
    response = client_of(staff).get("/states/KEN/actions/", {"status": "someday"})

    assert response.status_code == 400
    assert 'data-testid="action-filter-errors"' in response.content.decode()


def test_the_section_is_paged_at_a_fixed_number_of_queries(
    staff, published_need, django_assert_max_num_queries
):
    factories.NeedActionFactory.create_batch(60, need=published_need)
    client = client_of(staff)
    client.get("/states/KEN/actions/")  # warm the session and the translations
    with django_assert_max_num_queries(12):
        response = client.get("/states/KEN/actions/", {"page": 2})

    assert len(shown(response)) == 10


def test_the_digest_lists_the_focal_points_overdue_actions(focal_point, kenya_actions):
    run = send_confirmation_digests(today=TODAY)

    assert run.sent == 1
    [message] = mail.outbox
    # No need waits for confirmation: the subject speaks of the actions.
    assert message.subject == "2 overdue follow-up actions of Kenya"
    assert "Late" in message.body and "Unpublished late" in message.body
    for settled in ("In time", "Done late", "On a proposal"):
        assert settled not in message.body
    assert f"{settings.SITE_URL}/states/KEN/actions/?overdue=true" in message.body


def test_the_digest_keeps_the_needs_first_and_adds_the_actions(focal_point, kenya_actions):
    factories.NeedFactory(
        review=kenya_actions["late"].need.review,
        last_confirmed_on=datetime.date(2015, 1, 1),
        description="Stale need",
    )

    send_confirmation_digests(today=TODAY)

    [message] = mail.outbox
    assert message.subject == "1 need of Kenya to confirm"
    assert message.body.index("Stale need") < message.body.index("Late")


def test_no_digest_without_stale_needs_or_overdue_actions(focal_point, published_need):
    Need.objects.update(last_confirmed_on=PAST)
    factories.NeedActionFactory(need=published_need, due_date=FUTURE)

    run = send_confirmation_digests(today=TODAY)

    assert (run.sent, run.nothing_to_confirm) == (0, 1)
    assert not mail.outbox
