"""IdsFirstPaginator gives exactly the pages Django's Paginator gives, in two queries."""

import pytest
from django.core.paginator import Paginator

from core.paging import IdsFirstPaginator
from needs.filters import NeedFilterSet
from needs.models import Need, Theme
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
