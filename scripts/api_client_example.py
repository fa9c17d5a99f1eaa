#!/usr/bin/env python3
"""Page through every need of one regional group with the REST API, using only `requests`.

    TAN_API_TOKEN=<key> python scripts/api_client_example.py https://tracker.example.org african

Prints one line per need (reference, State, cycle, article, status, coverage) and the total.
`--csv FILE` writes them to a CSV file instead. The token is issued by staff
(`manage.py api_token USERNAME`) or by the signed-in user (`POST /api/v1/me/token/`).
"""

import argparse
import csv
import os
import sys

import requests

COLUMNS = ["ref", "state", "cycle", "chapter", "article", "status", "coverage", "description"]


def needs_of_region(base_url: str, region: str, token: str, page_size: int = 100):
    """Yield every need of the region, following the `next` links page after page."""
    session = requests.Session()
    session.headers["Authorization"] = f"Token {token}"
    session.headers["Accept"] = "application/json"
    url = f"{base_url.rstrip('/')}/api/v1/needs/"
    params = {"region": region, "page_size": page_size, "ordering": "state"}
    while url:
        response = session.get(url, params=params, timeout=30)
        if response.status_code != 200:
            error = response.json()
            raise SystemExit(f"{response.status_code}: {error.get('detail', response.text)}")
        page = response.json()
        yield from page["results"]
        url, params = page["next"], None  # `next` already carries the query


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base_url", help="e.g. https://tracker.example.org")
    parser.add_argument("region", help="regional group code, e.g. african")
    parser.add_argument("--csv", metavar="FILE", help="write the needs to this CSV file")
    parser.add_argument("--page-size", type=int, default=100)
    args = parser.parse_args(argv)
    token = os.environ.get("TAN_API_TOKEN")
    if not token:
        parser.error("set TAN_API_TOKEN to your API token")

    needs = needs_of_region(args.base_url, args.region, token, args.page_size)
    count = 0
    if args.csv:
        with open(args.csv, "w", newline="", encoding="utf-8") as file:
            writer = csv.DictWriter(file, COLUMNS, extrasaction="ignore")
            writer.writeheader()
            for need in needs:
                writer.writerow(need)
                count += 1
    else:
        for need in needs:
            article = need["article"] or "general"
            print(
                f"{need['ref']}\t{need['state']}\tcycle {need['cycle']}\t"
                f"article {article}\t{need['status']}\t{need['coverage']}"
            )
            count += 1
    print(f"{count} needs in region {args.region}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
