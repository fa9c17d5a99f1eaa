"""What a serving process does once, after loading the application and before its first
request."""

import gc

from django.urls import get_resolver


def settle_after_loading() -> None:
    """Load every view (through the URLconf), then move everything loaded so far out of the
    garbage collector's sight (`gc.freeze`).

    A process holds some 140,000 long-lived objects after start-up: modules, classes, the
    URLconf, the reference data. Python's full collection walked all of them each time,
    70-150 ms in the middle of whichever request set it off, every ninth or so API request
    at 100 times today's data (BENCHMARKS.md, "Tail latency"). Frozen, they are never
    collected (they live as long as the process anyway) and a full collection walks only
    what requests made since: 20-40 ms."""
    get_resolver().url_patterns  # noqa: B018 (imports every app's views)
    gc.collect()
    gc.freeze()
