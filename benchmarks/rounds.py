"""The pages phase in rounds that alternate the scales, pooled per endpoint.

A run used to measure every page of scale 1 and then, minutes later, every page of scale 100.
On this shared virtual machine the speed drifts by a quarter within minutes, and that drift
was charged to the data: in one run (2026-12-07 09:45 UTC) the API dashboard, which reads one
row from the cache whatever the data, had its p95 at 2.6 ms at scale 1 and 4.5 ms at scale
100, and four other rows failed their 1.5x with it; on kept databases, measured one after
the other, the same rows were as fast at scale 100 as at scale 1.

Now each scale's requests are split into `ROUNDS` rounds taken in the order A B B A (a drift
that runs one way through the phase falls on both scales alike), and an endpoint's median
and p95 are those of all its requests together. Django-free: the driver imports it.
"""

import statistics

# Requests per endpoint and scale, all rounds together (`benchmarks.pages` explains why 200).
REQUESTS = 200
ROUNDS = 2


def round_order(scales: list, rounds: int = ROUNDS) -> list:
    """The scales in the order their rounds run: forwards, then backwards, and so on."""
    order = []
    for number in range(rounds):
        order.extend(scales if number % 2 == 0 else reversed(scales))
    return order


def requests_per_round(requests: int, rounds: int = ROUNDS) -> int:
    return -(-requests // rounds)


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile: the smallest value with at least `share` of the values
    at or below it (p95 of 200 requests is the 190th fastest)."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * share // 1))
    return ordered[int(rank) - 1]


def summary(samples_ms: list[float]) -> dict:
    return {
        "requests": len(samples_ms),
        "median_ms": statistics.median(samples_ms),
        "p95_ms": percentile(samples_ms, 0.95),
    }


def pooled(rounds: list[dict]) -> dict:
    """The pages phase of one scale from its rounds (each `{endpoint key: measurement}`, as
    `benchmarks.pages.run` returns it): every endpoint's requests of all rounds together."""
    result = {}
    for key, first in rounds[0].items():
        measured = [each[key] for each in rounds]
        queries = {one["queries"] for one in measured}
        result[key] = {
            "label": first["label"],
            "role": first["role"],
            "address": first["address"],
            **summary([sample for one in measured for sample in one["samples_ms"]]),
            "rounds": len(measured),
            "queries": max(queries),
            "queries_vary": len(queries) > 1 or any(one["queries_vary"] for one in measured),
            "statuses": sorted({status for one in measured for status in one["statuses"]}),
            "bytes": measured[-1]["bytes"],
        }
    return result
