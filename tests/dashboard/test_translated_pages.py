"""The snapshot pages and the figure over time follow the reader's language (strings
already in the catalogues, and dates as each language writes them)."""

import datetime

import pytest
from django.urls import reverse

from dashboard.services import recompute_figures, snapshot_create

pytestmark = pytest.mark.django_db

SNAPSHOTS = reverse("dashboard:snapshots")


@pytest.fixture
def snapshot(regional_reviews):
    recompute_figures()
    return snapshot_create(label="CAC/COSP/2021/6", taken_on=datetime.date(2021, 9, 16))


def test_the_snapshots_page_is_translated(client, snapshot):
    page = client.get(SNAPSHOTS, HTTP_ACCEPT_LANGUAGE="fr").content.decode()

    assert '<li class="breadcrumb-item active" aria-current="page">Instantanés</li>' in page
    assert '<a href="/dashboard/">Tableau de bord</a>' in page
    assert "16 septembre 2021</time>" in page


def test_the_snapshot_deletion_page_writes_the_date_for_the_reader(client, snapshot, staff):
    client.force_login(staff)
    url = reverse("dashboard:snapshot_delete", args=[snapshot.pk])

    assert "16 сентября 2021" in client.get(url, HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert "16 Sep 2021" in client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()


def test_the_dates_over_time_are_the_reader_on_the_page_and_iso_in_the_csv(client, snapshot):
    page = client.get(
        reverse("dashboard:index"), {"cycle": 2}, HTTP_ACCEPT_LANGUAGE="es"
    ).content.decode()
    section = page.split('data-testid="figure-needs-by-chapter-over-time"', 1)[1]
    csv_response = client.get(
        reverse("dashboard:figure_csv", args=["needs-by-chapter-over-time"]),
        {"cycle": 2},
        HTTP_ACCEPT_LANGUAGE="es",
    )
    csv_text = b"".join(csv_response.streaming_content).decode("utf-8-sig")

    assert "16 de septiembre de 2021" in section.split("</section>", 1)[0]
    assert "CAC/COSP/2021/6,2021-09-16," in csv_text
