"""One measurement phase in a Django process of its own, on the database of DATABASE_URL.

    python -m benchmarks.measure pages|aggregates|imports|addresses

prints the phase's results as JSON on stdout (`addresses`: the path of every endpoint, for
the load test, which runs outside Django).
"""

import argparse
import json
import os
import sys


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.measure")
    parser.add_argument("phase", choices=["pages", "aggregates", "imports", "addresses"])
    parser.add_argument("--requests", type=int, default=None, help="requests per endpoint")
    args = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tan_tracker.settings")
    import django

    django.setup()

    from . import aggregates, imports, pages
    from .endpoints import ENDPOINTS

    if args.phase == "pages":
        # Served as tan_tracker/wsgi.py serves it.
        from core.startup import settle_after_loading

        settle_after_loading()
        result = pages.run(args.requests or pages.REQUESTS)
    elif args.phase == "aggregates":
        result = aggregates.run()
    elif args.phase == "imports":
        result = imports.run()
    else:
        result = {endpoint.key: endpoint.address() for endpoint in ENDPOINTS}
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main()
