"""Fixtures for saved searches and their alerts: a clock that puts the alert runs a day after
the data was written, and a way to save a search whose cursor lies before it."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from alerts.models import SavedSearch
from alerts.services import saved_search_create
from needs.models import Need
from reviews.models import Review

# The previous alert: every need written by a test lies after it, unless aged.
CURSOR = timezone.now() - datetime.timedelta(days=3)
# The run: noon tomorrow, so that the window's end (a few minutes back) is after the data,
# and a run an hour later is the same day whatever the hour the tests start.
RUN = timezone.now().replace(hour=12, minute=0, second=0, microsecond=0) + datetime.timedelta(
    days=1
)
# Before the previous alert: aged needs were written then.
OLD = CURSOR - datetime.timedelta(days=30)


def save(owner, *, name="My search", view="catalogue", query=None, alert="daily", cursor=CURSOR):
    """A saved search through the service, last alerted at `cursor`."""
    search = saved_search_create(
        owner=owner,
        name=name,
        view=view,
        query={"filtered": "1"} if query is None else query,
        alert=alert,
    )
    SavedSearch.objects.filter(pk=search.pk).update(last_alerted_at=cursor)
    search.refresh_from_db()
    return search


def age(*needs, when=OLD) -> None:
    """Make needs, and their reviews' history, look written before the previous alert."""
    Need.objects.filter(pk__in=[need.pk for need in needs]).update(created_at=when, updated_at=when)
    Review.history.filter(id__in=[need.review_id for need in needs]).update(history_date=when)


def client_for(user) -> Client:
    client = Client()
    if getattr(user, "is_authenticated", False):
        client.force_login(user)
    return client


@pytest.fixture
def client_as():
    return client_for
