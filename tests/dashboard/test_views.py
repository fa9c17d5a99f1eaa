import csv
import datetime
import io
import json

import pytest
from django.core.cache import cache
from django.core.cache.utils import make_template_fragment_key
from django.urls import reverse

from core.changes import data_changed
from dashboard.models import Snapshot
from dashboard.services import recompute_figures, snapshot_create
from needs.models import Acceptance, Need
from tests import factories

INDEX = reverse("dashboard:index")
SNAPSHOTS = reverse("dashboard:snapshots")


def _csv(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def _figure_csv(client, slug: str, **query):
    return client.get(reverse("dashboard:figure_csv", args=[slug]), {"cycle": 2, **query})


@pytest.fixture
def computed(regional_reviews):
    kenya = regional_reviews[("KEN", 2)]
    need = factories.NeedFactory(review=kenya)
    need.themes.set([factories.theme("technology")])
    factories.NeedFactory(review=regional_reviews[("PER", 2)], chapter=factories.chapter("V"))
    factories.NeedFactory(review=kenya, acceptance=Acceptance.PROPOSED)
    factories.DonorInterestFactory(need=need, kind="commitment")
    recompute_figures()
    return regional_reviews


# --- The page -----------------------------------------------------------------------------
def test_the_public_sees_every_figure_as_a_chart_and_a_table(client, computed):
    page = client.get(INDEX, {"cycle": 2}).content.decode()

    for slug in (
        "needs-by-chapter-over-time",
        "by-chapter",
        "by-region",
        "by-category",
        "by-article-II",
        "by-article-V",
        "by-theme",
        "by-subcategory",
        "by-status",
        "coverage",
        "coverage-by-chapter",
        "coverage-by-region",
    ):
        section = page.split(f'data-testid="figure-{slug}"', 1)[1].split("</section>", 1)[0]
        assert "<svg" in section, slug
        assert 'data-testid="table"' in section, slug
        assert reverse("dashboard:figure_csv", args=[slug]) in section, slug
    assert 'data-testid="computed-at"' in page
    assert "figures-stale" not in page


def test_donor_interest_figures_are_for_signed_in_users_only(client, computed, donor):
    assert "donor-interest-by-chapter" not in client.get(INDEX).content.decode()

    client.force_login(donor)
    page = client.get(INDEX).content.decode()

    assert 'data-testid="figure-donor-interest-by-chapter"' in page
    assert 'data-testid="figure-donor-interest-by-donor"' in page


def test_it_warns_when_the_figures_are_older_than_the_latest_change(client, computed):
    data_changed(sender=Need)

    page = client.get(INDEX).content.decode()

    assert 'data-testid="figures-stale"' in page
    assert "older than the latest change" in page


def test_it_says_when_nothing_has_been_computed_yet(client, db):
    page = client.get(INDEX)

    assert page.status_code == 200
    assert 'data-testid="figures-missing"' in page.content.decode()


@pytest.mark.parametrize("query", [{"cycle": "3"}, {"cycle": "x"}, {"region": "europe"}])
def test_a_bad_filter_is_a_400_with_a_message(client, computed, query):
    page = client.get(INDEX, query)

    assert page.status_code == 400
    assert 'data-testid="filter-error"' in page.content.decode()


@pytest.mark.parametrize("role", ["anonymous", "staff"])
def test_the_page_costs_the_same_queries_whatever_the_data_size(
    client, computed, people, role, django_assert_max_num_queries
):
    if role != "anonymous":
        client.force_login(people[role])
    snapshot_create(label="Before", taken_on=datetime.date(2020, 1, 1))
    with django_assert_max_num_queries(8) as few:
        client.get(INDEX, {"cycle": 2, "region": "african"})
    for _ in range(20):
        factories.NeedFactory(review=computed[("KEN", 2)])
    recompute_figures()
    for label in ("Later", "Latest"):
        snapshot_create(label=label, taken_on=datetime.date(2021, 1, 1))

    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(INDEX, {"cycle": 2, "region": "african"})


def _figure_section(page: str, slug: str) -> str:
    return page.split(f'data-testid="figure-{slug}"', 1)[1].split("</section>", 1)[0]


def test_the_figures_html_is_built_again_only_when_what_it_shows_changes(client, computed):
    response = client.get(INDEX, {"cycle": 2})
    first = response.content.decode()
    key = make_template_fragment_key(
        "dashboard_figures", [response.context["figures_cache_key"], "en"]
    )
    assert cache.get(key) is not None

    factories.NeedFactory.create_batch(3, review=computed[("KEN", 2)])
    recompute_figures()
    recomputed = client.get(INDEX, {"cycle": 2}).content.decode()
    snapshot_create(label="Later", taken_on=datetime.date(2024, 1, 1))
    with_snapshot = client.get(INDEX, {"cycle": 2}).content.decode()
    french = client.get(INDEX, {"cycle": 2}, HTTP_ACCEPT_LANGUAGE="fr").content.decode()

    assert _figure_section(recomputed, "by-status") != _figure_section(first, "by-status")
    over_time = "needs-by-chapter-over-time"
    assert "Later" in _figure_section(with_snapshot, over_time)
    assert "Later" not in _figure_section(recomputed, over_time)
    assert _figure_section(french, "by-status") != _figure_section(with_snapshot, "by-status")


def _csrf_value(page: str) -> str:
    return page.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]


def test_the_public_page_is_served_from_the_cache_with_each_visitors_own_token(
    client, computed, django_assert_max_num_queries
):
    from django.test import Client

    first = client.get(INDEX, {"cycle": 2})
    assert first.context is not None  # built
    other_visitor = Client(enforce_csrf_checks=True)
    with django_assert_max_num_queries(2):
        again = other_visitor.get(INDEX, {"cycle": 2})
    assert again.context is None  # not built again: from the cache
    assert again.status_code == 200
    page = again.content.decode()
    assert "csrf-token-slot" not in page
    # The token works: the language switcher accepts it with the cookie set alongside.
    refused = other_visitor.post(reverse("set_language"), {"language": "fr", "next": INDEX})
    assert refused.status_code == 403
    switched = other_visitor.post(
        reverse("set_language"),
        {"language": "fr", "next": INDEX, "csrfmiddlewaretoken": _csrf_value(page)},
    )
    assert switched.status_code == 302
    assert _figure_section(page, "by-status") == _figure_section(
        first.content.decode(), "by-status"
    )


def test_the_cached_public_page_changes_with_the_figures_language_and_sign_in(
    client, computed, staff
):
    before = client.get(INDEX, {"cycle": 2}).content.decode()
    factories.NeedFactory.create_batch(3, review=computed[("KEN", 2)])
    recompute_figures()
    after = client.get(INDEX, {"cycle": 2})
    assert after.context is not None
    assert _figure_section(after.content.decode(), "by-status") != _figure_section(
        before, "by-status"
    )
    french = client.get(INDEX, {"cycle": 2}, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert 'lang="fr"' in french
    client.force_login(staff)
    signed_in = client.get(INDEX, {"cycle": 2})
    assert signed_in.context is not None
    assert 'data-testid="user-name"' in signed_in.content.decode()


def test_for_a_moment_after_a_check_the_public_page_costs_no_query(
    client, computed, settings, django_assert_num_queries
):
    settings.DASHBOARD_PAGE_RECHECK_SECONDS = 60
    before = client.get(INDEX, {"cycle": 2}).content.decode()
    factories.NeedFactory.create_batch(3, review=computed[("KEN", 2)])
    recompute_figures()

    with django_assert_num_queries(0):
        within = client.get(INDEX, {"cycle": 2})
    assert _figure_section(within.content.decode(), "by-status") == _figure_section(
        before, "by-status"
    )
    french = client.get(INDEX, {"cycle": 2}, HTTP_ACCEPT_LANGUAGE="fr")
    assert french.context is not None  # another language is another page

    settings.DASHBOARD_PAGE_RECHECK_SECONDS = 0  # the moment has passed
    after = client.get(INDEX, {"cycle": 2}).content.decode()
    assert _figure_section(after, "by-status") != _figure_section(before, "by-status")


def test_a_query_with_other_parameters_is_not_cached(client, computed):
    client.get(INDEX, {"cycle": 2, "utm": "x"})
    assert client.get(INDEX, {"cycle": 2, "utm": "x"}).context is not None


def test_figure_one_draws_the_chapters_over_the_snapshots(client, computed):
    snapshot_create(label="CAC/COSP/2021/6", taken_on=datetime.date(2021, 9, 16))

    rows = _csv(_figure_csv(client, "needs-by-chapter-over-time"))

    assert rows[0] == [
        "Snapshot",
        "Date",
        "Chapter II: needs",
        "Chapter II: States",
        "Chapter V: needs",
        "Chapter V: States",
    ]
    assert rows[1] == ["CAC/COSP/2021/6", "2021-09-16", "1", "1", "1", "1"]
    assert rows[2][0] == "Current figures"


# --- Figure downloads ---------------------------------------------------------------------
def test_each_figure_downloads_as_the_csv_of_its_table(client, computed):
    response = _figure_csv(client, "by-category", region="african")

    assert response["Content-Type"].startswith("text/csv")
    assert "dashboard-cycle2-african-by-category-" in response["Content-Disposition"]
    rows = _csv(response)
    assert rows[0] == ["Category", "Needs", "Percent of needs", "States"]
    assert ["Capacity-building", "1", "100.0", "1"] in rows


def test_donor_interest_downloads_ask_the_public_to_sign_in(client, computed, donor):
    assert _figure_csv(client, "donor-interest-by-donor").status_code == 302

    client.force_login(donor)
    rows = _csv(_figure_csv(client, "donor-interest-by-donor"))
    assert rows[0] == ["Donor", "Interests", "Commitments", "Needs"]
    assert rows[1][1:] == ["0", "1", "1"]


def test_an_unknown_figure_is_a_404_and_a_bad_cycle_a_400(client, computed):
    assert _figure_csv(client, "by-planet").status_code == 404
    bad = _figure_csv(client, "by-chapter", cycle=9)
    assert bad.status_code == 400
    assert "review cycle" in bad.content.decode()


# --- Snapshots ----------------------------------------------------------------------------
def test_staff_take_a_snapshot_from_the_snapshots_page(client, computed, staff):
    client.force_login(staff)

    response = client.post(SNAPSHOTS, {"label": "CAC/COSP/2023/8", "taken_on": "2023-09-01"})

    assert response.status_code == 302
    snapshot = Snapshot.objects.get()
    assert (snapshot.label, snapshot.taken_on, snapshot.created_by) == (
        "CAC/COSP/2023/8",
        datetime.date(2023, 9, 1),
        staff,
    )
    page = client.get(SNAPSHOTS).content.decode()
    assert "CAC/COSP/2023/8" in page
    assert staff.get_full_name() in page


def test_a_taken_label_is_refused_with_a_message(client, computed, staff):
    snapshot_create(label="CAC/COSP/2023/8", taken_on=datetime.date(2023, 9, 1))
    client.force_login(staff)

    response = client.post(SNAPSHOTS, {"label": "CAC/COSP/2023/8", "taken_on": "2023-09-02"})

    assert response.status_code == 400
    assert "already exists" in response.content.decode()
    assert Snapshot.objects.count() == 1


@pytest.mark.parametrize("role", ["anonymous", "donor", "focal_point"])
def test_only_staff_take_or_delete_snapshots(client, computed, people, role):
    snapshot = snapshot_create(label="Kept", taken_on=datetime.date(2023, 9, 1))
    if role != "anonymous":
        client.force_login(people[role])

    page = client.get(SNAPSHOTS).content.decode()
    taken = client.post(SNAPSHOTS, {"label": "Mine", "taken_on": "2023-09-01"})
    deleted = client.post(reverse("dashboard:snapshot_delete", args=[snapshot.pk]))

    assert 'data-testid="snapshot-form"' not in page
    assert (taken.status_code, deleted.status_code) == (403, 403)
    assert list(Snapshot.objects.values_list("label", flat=True)) == ["Kept"]


def test_the_public_does_not_see_who_took_a_snapshot(client, computed, staff):
    snapshot_create(label="Kept", taken_on=datetime.date(2023, 9, 1), user=staff)

    page = client.get(SNAPSHOTS).content.decode()

    assert "Kept" in page
    assert staff.get_full_name() not in page


def test_staff_delete_a_snapshot_after_confirming(client, computed, staff):
    snapshot = snapshot_create(label="Old", taken_on=datetime.date(2020, 1, 1))
    client.force_login(staff)
    url = reverse("dashboard:snapshot_delete", args=[snapshot.pk])

    assert "Delete snapshot Old?" in client.get(url).content.decode()
    assert client.post(url).status_code == 302
    assert not Snapshot.objects.exists()


def test_a_snapshot_downloads_as_json_without_donor_interest_for_the_public(
    client, computed, donor
):
    snapshot = snapshot_create(label="CAC/COSP/2021/6", taken_on=datetime.date(2021, 9, 16))
    url = reverse("dashboard:snapshot_download", args=[snapshot.pk, "json"])

    public = json.loads(client.get(url).content)
    client.force_login(donor)
    signed_in = json.loads(client.get(url).content)

    assert (public["label"], public["taken_on"]) == ("CAC/COSP/2021/6", "2021-09-16")
    assert len(public["views"]) == 12
    everywhere = next(v for v in public["views"] if v["cycle"] == 2 and v["region"] is None)
    assert everywhere["figures"]["totals"]["needs"] == 2
    assert all("donor_interest" not in view["figures"] for view in public["views"])
    assert all("donor_interest" in view["figures"] for view in signed_in["views"])


def test_a_snapshot_downloads_as_one_long_csv(client, computed):
    snapshot = snapshot_create(label="CAC/COSP/2021/6", taken_on=datetime.date(2021, 9, 16))

    response = client.get(reverse("dashboard:snapshot_download", args=[snapshot.pk, "csv"]))
    rows = _csv(response)

    assert 'filename="snapshot-caccosp20216.csv"' in response["Content-Disposition"]
    assert rows[0] == ["cycle", "region", "figure", "row", "label", "measure", "value"]
    assert ["2", "all", "totals", "", "", "needs", "2"] in rows
    assert [
        "2",
        "african",
        "by_article",
        "II/5",
        "Preventive anti-corruption policies and practices",
        "needs",
        "1",
    ] in rows
    assert not any(row[2].startswith("donor_interest") for row in rows)
