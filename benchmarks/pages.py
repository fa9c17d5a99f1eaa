"""Server time and queries per request, in-process with Django's test client.

The client runs the whole stack (middleware, view, templates, serializers) without a
network; `CaptureQueriesContext` counts the SQL queries of each request. Each endpoint gets
a few warm-up requests (templates, connection, plans, caches) and then `REQUESTS` measured
ones, or as many as fit in `BUDGET_S` (at least `MINIMUM_REQUESTS`) when it is so slow that
all of them would not let the whole benchmark finish in 20 minutes; the report says how many
were made.

200 requests, not 60: the p95 of 60 is their fourth slowest, and on a fast machine, where
most rows take 1-40 ms, three stray pauses of a few milliseconds moved a row's p95 by half
between runs of the same code (the same row passed in one run and failed in the next, in
either direction). The p95 of 200 is their eleventh slowest. The driver takes them in rounds
that alternate the scales (`benchmarks.rounds`), with `--requests` per round.

Each endpoint's measured requests start from a collected heap: the garbage of the endpoints
before it (a request's objects are held in reference cycles, freed by the collector's pauses
of 50-150 ms) is not charged to it, while its own is.
"""

import gc
import time

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from .endpoints import ENDPOINTS, user_for
from .rounds import REQUESTS, summary

WARM_UP = 10
WARM_UP_BUDGET_S = 10
BUDGET_S = 60
MINIMUM_REQUESTS = 5


def measure_endpoint(address: str, user, requests: int = REQUESTS) -> dict:
    # A failing page is measured and reported (its status), not the end of the benchmark.
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    warm_up_started = time.perf_counter()
    for _ in range(WARM_UP):
        client.get(address)
        if time.perf_counter() - warm_up_started > WARM_UP_BUDGET_S:
            break
    gc.collect()
    seconds, queries, statuses = [], [], set()
    while len(seconds) < requests and (len(seconds) < MINIMUM_REQUESTS or sum(seconds) < BUDGET_S):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(address)
            seconds.append(time.perf_counter() - started)
        queries.append(len(captured.captured_queries))
        statuses.add(response.status_code)
    samples_ms = [second * 1000 for second in seconds]
    return {
        "address": address,
        **summary(samples_ms),
        "samples_ms": samples_ms,
        "queries": max(queries),
        "queries_vary": min(queries) != max(queries),
        "statuses": sorted(statuses),
        "bytes": len(response.content),
    }


def run(requests: int = REQUESTS) -> dict:
    return {
        endpoint.key: {
            "label": endpoint.label,
            "role": endpoint.role,
            **measure_endpoint(endpoint.address(), user_for(endpoint.role), requests),
        }
        for endpoint in ENDPOINTS
    }
