"""The dashboard page at today's real volume (the demo data set): at most 100 KB as the browser
reads it, and sent gzipped to a browser that accepts it."""

import datetime
import gzip
import io

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import reverse

from core.models import User
from dashboard.services import recompute_figures, snapshot_create

INDEX = reverse("dashboard:index")
LIMIT = 100_000  # bytes
SNAPSHOTS = (
    ("CAC/COSP/IRG/2024/3", datetime.date(2024, 6, 1)),
    ("CAC/COSP/IRG/2025/5", datetime.date(2025, 6, 1)),
)


@pytest.fixture(scope="module")
def demo_staff(django_db_setup, django_db_blocker):
    """The demo data set with two snapshots (points of the chart over time), loaded once for
    the module inside a transaction rolled back at its end; its staff account."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", stdout=io.StringIO())
        staff = User.objects.get(username="staff")
        for label, taken_on in SNAPSHOTS:
            snapshot_create(label=label, taken_on=taken_on, user=staff)
        recompute_figures()
        yield staff
        transaction.set_rollback(True)


def dashboard(user, cycle: int, **headers):
    client = Client()
    if user is not None:
        client.force_login(user)
    response = client.get(INDEX, {"cycle": cycle}, **headers)
    assert response.status_code == 200
    return response


@pytest.mark.parametrize("cycle", [1, 2])
@pytest.mark.parametrize("signed_in", [False, True], ids=["public", "staff"])
def test_the_dashboard_page_is_at_most_100_kb(demo_staff, db, signed_in, cycle):
    response = dashboard(demo_staff if signed_in else None, cycle)

    assert "Content-Encoding" not in response
    assert len(response.content) <= LIMIT, f"{len(response.content):,} bytes"
    # A {# comment #} spanning lines is no comment: it was shown as text under every table.
    assert b"#}" not in response.content
    # Staff see the donors' figures too: the largest page. One <svg> holds the charts' fill
    # patterns, then one chart a figure, the States with needs in a national action plan
    # last; the second cycle adds the follow-up of the first cycle's needs.
    charts = 1 + (16 if signed_in else 13) + (1 if cycle == 2 else 0)
    assert response.content.count(b"<svg") == charts


@pytest.mark.parametrize("signed_in", [False, True], ids=["public", "staff"])
def test_the_dashboard_is_sent_gzipped_when_the_browser_accepts_it(demo_staff, db, signed_in):
    user = demo_staff if signed_in else None
    plain = dashboard(user, 2)
    compressed = dashboard(user, 2, HTTP_ACCEPT_ENCODING="gzip, deflate, br")

    assert compressed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in compressed["Vary"]
    assert len(compressed.content) < len(plain.content) / 4
    page = gzip.decompress(compressed.content)
    assert page.count(b"<svg") == plain.content.count(b"<svg")
    assert len(page) == pytest.approx(len(plain.content), abs=200)  # but for the CSRF tokens


def test_the_cached_public_page_is_sent_gzipped_with_each_visitors_own_token(demo_staff, db):
    dashboard(None, 2)  # builds and caches the page
    visitor = Client(enforce_csrf_checks=True)

    response = visitor.get(INDEX, {"cycle": 2}, HTTP_ACCEPT_ENCODING="gzip")

    assert response.context is None  # from the cache
    assert response["Content-Encoding"] == "gzip"
    page = gzip.decompress(response.content).decode()
    token = page.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
    switched = visitor.post(
        reverse("set_language"), {"language": "fr", "next": INDEX, "csrfmiddlewaretoken": token}
    )
    assert switched.status_code == 302
