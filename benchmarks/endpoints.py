"""The pages and API calls the benchmark requests, and as whom.

Shared by the benchmark (`benchmarks.pages`, `benchmarks.load`) and by the query-count tests
(`tests/benchmarks/test_query_counts.py`), so that the tests guard exactly what is measured.
Every address is built from the data of `demo.scale_data`: the benchmark State's pages, its
latest review, and filters that select a realistic share of the needs.
"""

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

from django.urls import reverse

from core.models import User
from demo.scale_data import (
    BENCHMARK_STATE,
    DONOR_USERNAME,
    FOCAL_POINT_PREFIX,
    STAFF_USERNAME,
)
from reviews.models import Review

ANONYMOUS = "anonymous"
STAFF = "staff"
DONOR = "donor"
FOCAL_POINT = "focal point"

USERNAMES = {
    STAFF: STAFF_USERNAME,
    DONOR: DONOR_USERNAME,
    FOCAL_POINT: f"{FOCAL_POINT_PREFIX}{BENCHMARK_STATE.lower()}",
}

# The catalogue with three filters and a search; the API list with three filters.
CATALOGUE_QUERY = {
    "region": "african",
    "cycle": "2",
    "category": "capacity_building",
    "q": "training",
}
NEEDS_API_QUERY = {"region": "african", "cycle": "2", "category": "capacity_building"}
# The API's full-text search (`search`, the same filter as the catalogue's search box `q`).
NEEDS_API_SEARCH = {"search": "training"}
DASHBOARD_CYCLE = 2
# Needs shared by several States of a region: one cycle, one regional group.
SHARED_NEEDS_QUERY = {"cycle": "2", "region": "african"}


@dataclass(frozen=True)
class Endpoint:
    key: str
    label: str
    role: str
    address: Callable[[], str]


def _with_query(path: str, query: dict) -> str:
    return f"{path}?{urlencode(query)}"


def _review_page() -> str:
    review = Review.objects.get(state__iso3=BENCHMARK_STATE, cycle=2)
    return reverse("reviews:review_detail", args=[review.pk])


ENDPOINTS = (
    Endpoint(
        "country_page",
        f"Country page /states/{BENCHMARK_STATE}/",
        FOCAL_POINT,
        lambda: reverse("countries:state_detail", args=[BENCHMARK_STATE]),
    ),
    Endpoint(
        "country_needs",
        f"Country page, needs /states/{BENCHMARK_STATE}/needs/",
        FOCAL_POINT,
        lambda: reverse("countries:state_needs", args=[BENCHMARK_STATE]),
    ),
    Endpoint(
        "country_page_public",
        f"Country page /states/{BENCHMARK_STATE}/",
        ANONYMOUS,
        lambda: reverse("countries:state_detail", args=[BENCHMARK_STATE]),
    ),
    Endpoint("review_page", "Review page /reviews/<pk>/ (cycle 2)", STAFF, _review_page),
    Endpoint(
        "staff_needs",
        "Needs list /needs/ (first page, no filter)",
        STAFF,
        lambda: reverse("needs:need_list"),
    ),
    Endpoint(
        "catalogue",
        "Donors' catalogue, 3 filters + search",
        DONOR,
        lambda: _with_query(reverse("assistance:catalogue"), CATALOGUE_QUERY),
    ),
    Endpoint(
        "dashboard_page",
        f"Dashboard page, cycle {DASHBOARD_CYCLE}",
        ANONYMOUS,
        lambda: _with_query(reverse("dashboard:index"), {"cycle": DASHBOARD_CYCLE}),
    ),
    Endpoint(
        "needs_api",
        "API needs list, 3 filters",
        DONOR,
        lambda: _with_query("/api/v1/needs/", NEEDS_API_QUERY),
    ),
    Endpoint(
        "needs_api_public",
        "API needs list, 3 filters",
        ANONYMOUS,
        lambda: _with_query("/api/v1/needs/", NEEDS_API_QUERY),
    ),
    Endpoint(
        "needs_api_search",
        "API needs list, search ?search=",
        DONOR,
        lambda: _with_query("/api/v1/needs/", NEEDS_API_SEARCH),
    ),
    Endpoint(
        "needs_api_search_public",
        "API needs list, search ?search=",
        ANONYMOUS,
        lambda: _with_query("/api/v1/needs/", NEEDS_API_SEARCH),
    ),
    Endpoint(
        "activities_api",
        "API activities list",
        ANONYMOUS,
        lambda: "/api/v1/activities/",
    ),
    Endpoint(
        "dashboard_api",
        f"API dashboard, cycle {DASHBOARD_CYCLE}",
        ANONYMOUS,
        lambda: _with_query("/api/v1/dashboard/", {"cycle": DASHBOARD_CYCLE}),
    ),
    Endpoint(
        "shared_needs_page",
        "Shared needs page, cycle 2, African States",
        DONOR,
        lambda: _with_query(reverse("assistance:shared_needs"), SHARED_NEEDS_QUERY),
    ),
    Endpoint(
        "shared_needs_api",
        f"API shared needs, cycle {DASHBOARD_CYCLE}",
        ANONYMOUS,
        lambda: _with_query("/api/v1/shared-needs/", {"cycle": DASHBOARD_CYCLE}),
    ),
    Endpoint("healthz", "/healthz (floor)", ANONYMOUS, lambda: reverse("healthz")),
)


def endpoint(key: str) -> Endpoint:
    return next(e for e in ENDPOINTS if e.key == key)


def user_for(role: str) -> User | None:
    """The generated account that plays `role`; None for the public."""
    if role == ANONYMOUS:
        return None
    return User.objects.get(username=USERNAMES[role])
