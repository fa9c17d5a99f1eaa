"""The benchmarked calls cost the same number of queries at two data sizes.

Here the one no other test holds to a fixed count at two sizes, on generated data with the
benchmark's own request (`benchmarks.endpoints`); the others have their two-size tests next
to their code: the country page (tests/countries/test_country_views.py), the review page
(tests/reviews/test_views.py), the catalogue (tests/assistance/test_queries.py), the
dashboard page (tests/dashboard/test_views.py) and the API needs list
(tests/api/test_needs.py).
"""

import io

import pytest
from django.core.management import call_command
from django.test import Client

from benchmarks.endpoints import endpoint, user_for

from .generated import clear_generated_data

pytestmark = pytest.mark.django_db

SMALL, LARGE = "0.02", "0.5"  # 82 and 2,050 needs


def queries_of(key: str, django_assert_max_num_queries, ceiling: int) -> int:
    benchmarked = endpoint(key)
    client = Client()
    user = user_for(benchmarked.role)
    if user is not None:
        client.force_login(user)
    with django_assert_max_num_queries(ceiling) as captured:
        response = client.get(benchmarked.address())
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_the_dashboard_api_costs_the_same_queries_with_25_times_more_data(
    django_assert_max_num_queries,
):
    call_command("generate_scale_data", "--scale", SMALL, stdout=io.StringIO())
    small = queries_of("dashboard_api", django_assert_max_num_queries, ceiling=2)
    clear_generated_data()
    call_command("generate_scale_data", "--scale", LARGE, stdout=io.StringIO())

    assert queries_of("dashboard_api", django_assert_max_num_queries, ceiling=2) == small
