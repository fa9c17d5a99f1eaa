"""The benchmark's pages phase runs in rounds that alternate the scales, and an endpoint's
figures are those of all its requests together."""

from benchmarks import rounds


def _measurement(samples_ms, *, queries=5, queries_vary=False, statuses=(200,)):
    return {
        "label": "API dashboard",
        "role": "anonymous",
        "address": "/api/v1/dashboard/?cycle=2",
        **rounds.summary(samples_ms),
        "samples_ms": samples_ms,
        "queries": queries,
        "queries_vary": queries_vary,
        "statuses": list(statuses),
        "bytes": 1234,
    }


def test_the_scales_alternate_so_that_a_drift_falls_on_both():
    assert rounds.round_order([1, 100], 2) == [1, 100, 100, 1]
    assert rounds.round_order([1, 100], 3) == [1, 100, 100, 1, 1, 100]
    assert rounds.round_order([1], 2) == [1, 1]


def test_the_requests_are_split_between_the_rounds_without_losing_any():
    assert rounds.requests_per_round(200, 2) == 100
    assert rounds.requests_per_round(61, 2) == 31


def test_the_percentile_is_the_nearest_rank():
    values = [float(number) for number in range(1, 201)]
    assert rounds.percentile(values, 0.95) == 190.0
    assert rounds.percentile(values[:60], 0.95) == 57.0
    assert rounds.percentile([3.0], 0.95) == 3.0


def test_an_endpoint_is_summed_up_over_the_requests_of_every_round():
    fast = [1.0] * 100
    slow = [2.0] * 90 + [9.0] * 10
    pooled = rounds.pooled(
        [{"dashboard_api": _measurement(fast)}, {"dashboard_api": _measurement(slow)}]
    )

    endpoint = pooled["dashboard_api"]
    # Neither round's own p95 (1.0 and 9.0): the 190th fastest of the 200 requests.
    assert endpoint["requests"] == 200 and endpoint["rounds"] == 2
    assert endpoint["p95_ms"] == 2.0
    assert endpoint["median_ms"] == 1.5
    assert endpoint["label"] == "API dashboard" and endpoint["role"] == "anonymous"
    assert "samples_ms" not in endpoint


def test_queries_and_statuses_that_differ_between_rounds_are_reported():
    pooled = rounds.pooled(
        [
            {"page": _measurement([1.0], queries=5)},
            {"page": _measurement([1.0], queries=6, statuses=(200, 500))},
        ]
    )["page"]

    assert pooled["queries"] == 6 and pooled["queries_vary"]
    assert pooled["statuses"] == [200, 500]
