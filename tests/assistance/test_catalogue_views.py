import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from assistance.models import ActivityNeedLink, DonorInterest
from core.changes import data_changed
from needs.models import Coverage, Need, Status, Theme
from tests import factories

pytestmark = pytest.mark.django_db


def catalogue(client, **params):
    return client.get(reverse("assistance:catalogue"), params)


def refs_in(response):
    return [need.ref for need in response.context["page"]]


@pytest.fixture
def needs(published_review):
    open_need = factories.NeedFactory(review=published_review, description="Asset recovery units")
    covered = factories.NeedFactory(
        review=published_review, description="Covered need", coverage=Coverage.COVERED
    )
    met = factories.NeedFactory(review=published_review, description="Met need", status=Status.MET)
    return {"open": open_need, "covered": covered, "met": met}


def test_the_default_view_leaves_out_covered_and_met_needs_and_says_so(client, needs):
    response = catalogue(client)
    assert response.status_code == 200
    assert refs_in(response) == [needs["open"].ref]
    assert b'data-testid="default-view"' in response.content


def test_a_submitted_form_uses_exactly_its_filters(client, needs):
    response = catalogue(client, filtered=1)
    assert set(refs_in(response)) == {need.ref for need in needs.values()}
    assert b'data-testid="default-view"' not in response.content


def test_the_public_never_sees_unpublished_needs(client, needs, unpublished_need):
    response = catalogue(client, filtered=1)
    assert unpublished_need.ref not in refs_in(response)
    assert (
        client.get(reverse("assistance:catalogue_need", args=[unpublished_need.ref])).status_code
        == 404
    )


def test_the_focal_point_sees_their_unpublished_needs(client, people, unpublished_need):
    client.force_login(people["focal_point"])
    assert unpublished_need.ref in refs_in(catalogue(client, filtered=1))


def test_an_invalid_filter_gets_a_400_with_a_message(client, needs):
    response = catalogue(client, filtered=1, state="XXX")
    assert response.status_code == 400
    assert b"filter-errors" in response.content


def test_filters_that_match_nothing_say_so_not_that_they_are_invalid(client, needs):
    response = catalogue(client, filtered=1, q="nothing-matches-this")

    assert response.status_code == 200
    assert b"No need matches these filters." in response.content
    assert b'data-testid="filter-errors"' not in response.content


def test_facet_counts_ignore_their_own_filter(client, needs, other_state):
    peru = factories.ReviewFactory(state=other_state)
    factories.NeedFactory(review=peru)
    response = catalogue(client, filtered=1, state=["KEN"])
    state_facet = next(f for f in response.context["facets"] if f["name"] == "state")
    counts = {option["value"]: option["count"] for option in state_facet["options"]}
    assert counts == {"KEN": 3, "PER": 1}
    coverage = next(f for f in response.context["facets"] if f["name"] == "coverage")
    assert {o["value"]: o["count"] for o in coverage["options"]} == {
        "unmet": 2,
        "partly_covered": 0,
        "covered": 1,
    }


def test_facet_counts_count_a_need_once_when_it_has_two_of_the_chosen_themes(client, needs):
    first, second = Theme.objects.order_by("position")[:2]
    needs["open"].themes.set([first, second])
    needs["covered"].themes.set([first])
    response = catalogue(client, filtered=1, theme=[first.code, second.code])
    facets = {f["name"]: f for f in response.context["facets"]}
    coverage = {o["value"]: o["count"] for o in facets["coverage"]["options"]}
    assert coverage == {"unmet": 1, "partly_covered": 0, "covered": 1}
    themes = {o["value"]: o["count"] for o in facets["theme"]["options"]}
    assert themes[first.code] == 2
    assert themes[second.code] == 1


def test_facet_counts_are_counted_again_only_when_the_data_changes(
    client, needs, published_review, django_assert_max_num_queries
):
    def coverage_counts():
        facets = {f["name"]: f for f in catalogue(client, filtered=1).context["facets"]}
        return {o["value"]: o["count"] for o in facets["coverage"]["options"]}

    assert coverage_counts() == {"unmet": 2, "partly_covered": 0, "covered": 1}
    with django_assert_max_num_queries(12):  # without the eleven facet queries
        assert coverage_counts() == {"unmet": 2, "partly_covered": 0, "covered": 1}

    factories.NeedFactory(review=published_review)
    data_changed(sender=Need)  # what every service that writes does (the factory does not)
    assert coverage_counts() == {"unmet": 3, "partly_covered": 0, "covered": 1}


def test_a_focal_points_cached_counts_are_never_served_to_a_donor(
    client, needs, people, unpublished_need
):
    def coverage_counts(user):
        client.force_login(user)
        facets = {f["name"]: f for f in catalogue(client, filtered=1).context["facets"]}
        return {o["value"]: o["count"] for o in facets["coverage"]["options"]}

    # The focal point's counts, cached first, include their State's unpublished need.
    assert coverage_counts(people["focal_point"]) == {"unmet": 3, "partly_covered": 0, "covered": 1}
    assert coverage_counts(people["donor"]) == {"unmet": 2, "partly_covered": 0, "covered": 1}
    assert coverage_counts(people["focal_point"])["unmet"] == 3


def test_the_export_has_readable_labels_and_every_filtered_need(client, needs):
    response = client.get(reverse("assistance:catalogue_csv"), {"filtered": 1})
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:3] == ["Reference", "State", "ISO3"]
    assert "Active donor interests" not in rows[0]
    assert len(rows) == 4
    by_ref = {row[0]: row for row in rows[1:]}
    assert by_ref[needs["covered"].ref][13] == "Covered"
    assert by_ref[needs["met"].ref][12] == "Met"


def test_the_xlsx_export_follows_the_default_filters(client, needs, donor):
    client.force_login(donor)
    response = client.get(reverse("assistance:catalogue_xlsx"))
    workbook = load_workbook(io.BytesIO(response.content))
    rows = list(workbook.active.iter_rows(values_only=True))
    assert "Active donor interests" in rows[0]
    assert [row[0] for row in rows[1:]] == [needs["open"].ref]


def test_anonymous_sees_no_donor_interest(client, needs, donor):
    factories.DonorInterestFactory(need=needs["open"], donor=donor.donor, note="secret plan")
    response = client.get(reverse("assistance:catalogue_need", args=[needs["open"].ref]))
    assert response.status_code == 200
    assert b"secret plan" not in response.content
    assert donor.donor.name.encode() not in response.content


def test_a_donor_is_warned_of_existing_assistance_and_interest_before_the_form(
    client, needs, donor, other_donor, activity
):
    ActivityNeedLink.objects.create(activity=activity, need=needs["open"], extent="partial")
    factories.DonorInterestFactory(need=needs["open"], donor=other_donor.donor, kind="commitment")
    client.force_login(donor)
    content = client.get(reverse("assistance:catalogue_need", args=[needs["open"].ref])).content
    alert = content.index(b'data-testid="existing-support-alert"')
    assert alert < content.index(b'data-testid="interest-form"')
    assert other_donor.donor.name.encode() in content[alert : content.index(b"interest-form")]


def test_a_donor_registers_and_withdraws_interest(client, needs, donor):
    client.force_login(donor)
    url = reverse("assistance:interest_register", args=[needs["open"].ref])
    response = client.post(
        url, {"kind": "commitment", "note": "We can fund", "amount": "5000", "currency": "eur"}
    )
    assert response.status_code == 302
    interest = DonorInterest.objects.get()
    assert (interest.donor, interest.created_by, interest.currency) == (donor.donor, donor, "EUR")
    again = client.post(url, {"kind": "interest", "currency": "USD"})
    assert again.status_code == 400
    assert DonorInterest.objects.count() == 1
    withdraw = reverse("assistance:interest_withdraw", args=[needs["open"].ref, interest.pk])
    assert client.post(withdraw).status_code == 302
    interest.refresh_from_db()
    assert interest.withdrawn_at is not None


def test_only_donors_register_interest(client, needs, people):
    url = reverse("assistance:interest_register", args=[needs["open"].ref])
    for role in ("staff", "focal_point"):
        client.force_login(people[role])
        assert client.post(url, {"kind": "interest", "currency": "USD"}).status_code == 403
    client.logout()
    assert client.post(url, {"kind": "interest", "currency": "USD"}).status_code == 302
    assert not DonorInterest.objects.exists()


def test_a_donor_cannot_withdraw_another_donors_interest(client, needs, donor, other_donor):
    interest = factories.DonorInterestFactory(need=needs["open"], donor=other_donor.donor)
    client.force_login(donor)
    url = reverse("assistance:interest_withdraw", args=[needs["open"].ref, interest.pk])
    assert client.post(url).status_code == 403
    interest.refresh_from_db()
    assert interest.withdrawn_at is None


def test_the_states_focal_point_and_staff_see_interest(client, needs, people, donor):
    factories.DonorInterestFactory(need=needs["open"], donor=donor.donor, note="Our note")
    for role in ("focal_point", "staff", "other_focal_point"):
        client.force_login(people[role])
        response = client.get(reverse("assistance:catalogue_need", args=[needs["open"].ref]))
        assert b"Our note" in response.content, role


def test_sorting_by_priority_puts_high_first_and_no_priority_last(client, published_review):
    low = factories.NeedFactory(review=published_review, priority="low")
    none = factories.NeedFactory(review=published_review, priority="")
    high = factories.NeedFactory(review=published_review, priority="high")
    medium = factories.NeedFactory(review=published_review, priority="medium")
    response = catalogue(client, filtered=1, ordering="priority")
    assert refs_in(response) == [high.ref, medium.ref, low.ref, none.ref]
    response = catalogue(client, filtered=1, ordering="-priority")
    assert refs_in(response) == [none.ref, low.ref, medium.ref, high.ref]
