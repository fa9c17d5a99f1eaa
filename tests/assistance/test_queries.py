"""Pages cost a fixed number of queries whatever the amount of data (two sizes compared)."""

import pytest
from django.urls import reverse

from assistance.models import ActivityNeedLink, FundingContribution
from needs.models import Theme
from reviews.models import Review
from tests import factories

pytestmark = pytest.mark.django_db

STATES = ["KEN", "NGA", "PER", "FRA", "IND", "BRA"]


def add_needs(count, provider, donors, start):
    themes = list(Theme.objects.all()[:3])
    for index in range(start, start + count):
        state = factories.state(STATES[index % len(STATES)])
        review = Review.objects.filter(state=state, cycle=2).first() or factories.ReviewFactory(
            state=state, cycle=2
        )
        need = factories.NeedFactory(review=review, description=f"Asset recovery need {index}")
        need.themes.set(themes[: index % 4])
        activity = factories.ActivityFactory(provider=provider)
        activity.beneficiary_states.set([state])
        ActivityNeedLink.objects.create(activity=activity, need=need, extent="partial")
        FundingContribution.objects.create(
            activity=activity, donor=donors[index % len(donors)], amount=100, year=2024
        )
        factories.DonorInterestFactory(need=need, donor=donors[index % len(donors)])


def body(response) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def measure(client, url, params, django_assert_max_num_queries, grow, ceiling):
    """Queries at a small size (at most `ceiling`), then no more after `grow` adds data."""
    with django_assert_max_num_queries(ceiling) as small:
        assert client.get(url, params).status_code == 200
    grow()
    with django_assert_max_num_queries(len(small.captured_queries)) as large:
        assert client.get(url, params).status_code == 200
    return len(small.captured_queries), len(large.captured_queries)


CATALOGUE_PARAMS = [
    {},
    {"filtered": "1", "q": "asset", "region": ["african"], "chapter": ["II"], "theme": []},
    {"filtered": "1", "state": ["KEN", "PER"], "ordering": "-priority", "stale": "false"},
]


@pytest.mark.parametrize("params", CATALOGUE_PARAMS)
@pytest.mark.parametrize("role", ["anonymous", "donor"])
def test_the_catalogue_costs_fixed_queries(
    client, people, provider, role, params, django_assert_max_num_queries
):
    donors = [factories.DonorFactory() for _ in range(3)]
    add_needs(3, provider, donors, 0)
    if role != "anonymous":
        client.force_login(people[role])
    small, large = measure(
        client,
        reverse("assistance:catalogue"),
        params,
        django_assert_max_num_queries,
        lambda: add_needs(30, provider, donors, 3),
        ceiling=25,  # 18-23 measured: session, user, filter checks, count, page, 11 facets
    )
    assert large <= small


def test_a_catalogue_need_page_costs_fixed_queries(
    client, donor, provider, published_review, django_assert_max_num_queries
):
    need = factories.NeedFactory(review=published_review)
    client.force_login(donor)
    url = reverse("assistance:catalogue_need", args=[need.ref])

    def grow():
        for _ in range(10):
            activity = factories.ActivityFactory(provider=provider)
            ActivityNeedLink.objects.create(activity=activity, need=need, extent="partial")
            factories.DonorInterestFactory(need=need)

    measure(client, url, {}, django_assert_max_num_queries, grow, ceiling=10)


@pytest.mark.parametrize("params", [{}, {"state": "KEN", "chapter": "II", "q": "activity"}])
def test_the_activity_list_costs_fixed_queries(
    client, staff, provider, params, django_assert_max_num_queries
):
    donors = [factories.DonorFactory() for _ in range(3)]
    add_needs(3, provider, donors, 0)
    client.force_login(staff)
    small, large = measure(
        client,
        reverse("assistance:activity_list"),
        params,
        django_assert_max_num_queries,
        lambda: add_needs(30, provider, donors, 3),
        ceiling=15,  # 11-13 measured, of which 6 fill the filter form's choices
    )
    assert large <= small


def test_an_activity_page_costs_fixed_queries(
    client, staff, activity, published_review, django_assert_max_num_queries
):
    client.force_login(staff)
    url = reverse("assistance:activity_detail", args=[activity.ref])

    def grow():
        for need in factories.NeedFactory.create_batch(10, review=published_review):
            ActivityNeedLink.objects.create(activity=activity, need=need, extent="full")
            FundingContribution.objects.create(
                activity=activity, donor=factories.DonorFactory(), amount=5, year=2023
            )

    measure(client, url, {}, django_assert_max_num_queries, grow, ceiling=10)


def test_the_catalogue_exports_cost_fixed_queries(
    client, donor, provider, django_assert_max_num_queries
):
    donors = [factories.DonorFactory() for _ in range(2)]
    add_needs(3, provider, donors, 0)
    client.force_login(donor)
    for name in ("assistance:catalogue_csv", "assistance:catalogue_xlsx"):
        with django_assert_max_num_queries(30) as small:
            response = client.get(reverse(name), {"filtered": "1"})
            body(response)
        add_needs(5, provider, donors, 100 if name.endswith("csv") else 200)
        with django_assert_max_num_queries(len(small.captured_queries)):
            response = client.get(reverse(name), {"filtered": "1"})
            body(response)
