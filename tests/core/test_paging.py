"""IdsFirstPaginator and NeedPaginator give exactly the pages Django's Paginator gives: the
first in two queries, the second from the reviews a page falls in, counted once per query and
data version."""

import pytest
from django.core.paginator import Paginator

from core.changes import data_changed, data_version
from core.paging import IdsFirstPaginator
from needs.filters import NeedFilterSet
from needs.models import Need, Theme
from needs.selectors import NeedPaginator
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def needs(published_review, other_state):
    peru = factories.ReviewFactory(state=other_state)
    first, second = Theme.objects.order_by("position")[:2]
    created = []
    for index in range(7):
        need = factories.NeedFactory(review=peru if index % 2 else published_review)
        need.themes.set([first, second] if index % 3 == 0 else [first])
        created.append(need)
    return created


@pytest.mark.parametrize("per_page, orphans", [(3, 0), (3, 1), (2, 0), (10, 0)])
def test_the_pages_are_those_of_djangos_paginator(needs, per_page, orphans):
    queryset = Need.objects.select_related("review__state").order_by("review__state__name", "-id")
    expected = Paginator(queryset, per_page, orphans=orphans)
    found = IdsFirstPaginator(queryset, per_page, orphans=orphans)

    assert found.num_pages == expected.num_pages
    for number in expected.page_range:
        assert list(found.page(number)) == list(expected.page(number))
        assert found.page(number).has_next() == expected.page(number).has_next()


def test_a_filter_that_joins_the_themes_gives_each_need_once(needs):
    first, second = Theme.objects.order_by("position")[:2]
    queryset = NeedFilterSet(
        {"theme": [first.code, second.code], "ordering": "state"}, queryset=Need.objects.all()
    ).qs
    pages = IdsFirstPaginator(queryset, 4)

    shown = [need.pk for number in pages.page_range for need in pages.page(number)]

    assert sorted(shown) == sorted(need.pk for need in needs)
    assert shown == [need.pk for need in Paginator(queryset, 4).page(1)] + [
        need.pk for need in Paginator(queryset, 4).page(2)
    ]


def test_a_page_costs_two_queries_and_the_count(needs, django_assert_num_queries):
    queryset = Need.objects.select_related("review__state").order_by("id")
    with django_assert_num_queries(3):
        list(IdsFirstPaginator(queryset, 3).page(2))


# --- Counted once, paged review by review (issue 16) ----------------------------------------
API_ORDER = ("review__state__name", "review__cycle", "chapter__number", "article__number", "id")


@pytest.fixture
def many_needs(published_review, other_state):
    """Needs of four reviews (two States, both cycles), a few themes, a proposal."""
    reviews = [
        published_review,
        factories.ReviewFactory(state=other_state),
        factories.ReviewFactory(state=published_review.state, cycle=1),
        factories.ReviewFactory(state=other_state, cycle=1),
    ]
    first = Theme.objects.order_by("position").first()
    created = []
    for index in range(23):
        need = factories.NeedFactory(review=reviews[index % 4 if index < 16 else 0])
        if index % 3 == 0:
            need.themes.set([first])
        created.append(need)
    return created


@pytest.mark.parametrize(
    "ordering",
    [API_ORDER, (), ("-priority", "id"), ("review__cycle", "id")],
    ids=["api", "model", "priority", "cycle"],
)
@pytest.mark.parametrize("per_page, orphans", [(5, 0), (5, 2), (7, 0), (50, 0)])
def test_the_need_paginator_gives_djangos_pages(many_needs, ordering, per_page, orphans):
    queryset = Need.objects.select_related("review__state")
    queryset = queryset.order_by(*ordering) if ordering else queryset
    expected = Paginator(queryset, per_page, orphans=orphans)
    found = NeedPaginator(queryset, per_page, orphans=orphans)

    assert found.count == expected.count
    assert found.num_pages == expected.num_pages
    for number in expected.page_range:
        assert list(found.page(number)) == list(expected.page(number))


def test_a_filtered_list_is_paged_by_review_with_its_filters(many_needs, published_review):
    first = Theme.objects.order_by("position").first()
    for query in (
        {"state": published_review.state.iso3},
        {"cycle": "1", "ordering": "-priority"},
        {"theme": first.code},
    ):
        queryset = NeedFilterSet(query, queryset=Need.objects.order_by(*API_ORDER)).qs
        expected = [need.pk for need in queryset]
        pages = NeedPaginator(queryset, 4)

        assert [need.pk for n in pages.page_range for need in pages.page(n)] == expected
        assert pages.count == len(expected)


def test_the_count_is_kept_until_the_data_changes(many_needs, published_review):
    queryset = Need.objects.order_by(*API_ORDER)
    assert NeedPaginator(queryset, 5).count == 23

    factories.NeedFactory(review=published_review)
    assert NeedPaginator(queryset, 5).count == 23  # the factory, unlike services, says nothing

    data_changed(sender=Need)
    assert NeedPaginator(queryset, 5).count == 24


def test_a_page_of_a_kept_count_costs_the_version_the_ids_and_the_rows(
    many_needs, django_assert_num_queries
):
    queryset = Need.objects.order_by(*API_ORDER)
    NeedPaginator(queryset, 5).page(2)
    with django_assert_num_queries(3):
        list(NeedPaginator(queryset, 5).page(3))
    version = data_version()
    with django_assert_num_queries(2):
        list(NeedPaginator(queryset, 5, version=version).page(4))
