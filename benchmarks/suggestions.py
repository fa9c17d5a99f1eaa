"""How good and how fast the suggested placement of a new need is (needs/suggestions.py).

    DATABASE_URL=<a database with `manage.py load_demo`> python -m benchmarks.suggestions accuracy
    DATABASE_URL=<a database with `generate_scale_data --scale 100`> \
        python -m benchmarks.suggestions timing [--samples 300]

`accuracy`: for every accepted need, the suggestions its own description gets from the other
needs (leave-one-out), then from a training split only (held out: the needs whose id is a
multiple of 5, suggested from the others); top-1 and top-3 accuracy of the category, the
subcategory and the article (chapter in general counts as an article), as seen by staff.
Top-3: the right answer is among the first three suggestions shown.

`timing`: the time of one suggestion (one database query) for descriptions drawn from the
needs, whole and cut to their first six words (a description being typed), median and p95.
"""

import argparse
import os
import random
import statistics
import sys
import time


def setup():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tan_tracker.settings")
    import django

    django.setup()


def staff_user():
    from django.contrib.auth import get_user_model

    from core.access import is_staff_member

    for user in get_user_model().objects.filter(is_active=True).order_by("pk"):
        if is_staff_member(user) and not user.is_superuser:
            return user
    raise SystemExit("No staff user: load the demo or generate scale data first.")


def _place(chapter, article):
    return (chapter, article)


def evaluate(needs, user, among_for) -> dict:
    from needs.suggestions import suggest_placements

    hits = {key: [0, 0] for key in ("category", "subcategory", "article")}
    answered = 0
    started = time.perf_counter()
    for need in needs:
        suggestions = suggest_placements(
            user=user, description=need["description"], among=among_for(need)
        )
        if suggestions:
            answered += 1
        truth = {
            "category": need["category__code"],
            "subcategory": need["subcategory__code"],
            "article": (need["chapter__roman"], need["article__number"]),
        }
        guesses = {
            "category": [s.category for s in suggestions],
            "subcategory": [s.subcategory for s in suggestions],
            "article": [(s.chapter, s.article) for s in suggestions],
        }
        for key, right in truth.items():
            hits[key][0] += bool(guesses[key][:1]) and guesses[key][0] == right
            hits[key][1] += right in guesses[key][:3]
    count = len(needs)
    return {
        "needs": count,
        "answered": answered,
        "seconds": time.perf_counter() - started,
        **{f"{key} top-1": top1 / count for key, (top1, _) in hits.items()},
        **{f"{key} top-3": top3 / count for key, (_, top3) in hits.items()},
    }


def accuracy(args) -> None:
    from django.db.models import F
    from django.db.models.functions import Mod

    from needs.models import Need

    user = staff_user()
    rows = list(
        Need.objects.filter(Need.COUNTED)
        .order_by("pk")
        .values(
            "pk",
            "description",
            "category__code",
            "subcategory__code",
            "chapter__roman",
            "article__number",
        )
    )
    if args.limit:
        rows = random.Random(1).sample(rows, min(args.limit, len(rows)))
    print(f"{len(rows)} accepted needs; staff user {user.username}")
    loo = evaluate(rows, user, lambda need: Need.objects.exclude(pk=need["pk"]))
    report("leave-one-out", loo)
    training = Need.objects.alias(fold=Mod(F("pk"), 5)).exclude(fold=0)
    held_out = [row for row in rows if row["pk"] % 5 == 0]
    report(
        "held-out split (id % 5 == 0 suggested from the other 80 %)",
        evaluate(held_out, user, lambda need: training),
    )


def report(title: str, result: dict) -> None:
    print(
        f"\n{title}: {result['needs']} needs, {result['answered']} with suggestions, "
        f"{result['seconds'] / max(result['needs'], 1) * 1000:.1f} ms each"
    )
    for key in ("category", "subcategory", "article"):
        print(
            f"  {key:<12} top-1 {result[f'{key} top-1']:.1%}   top-3 {result[f'{key} top-3']:.1%}"
        )


def timing(args) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from needs.models import Need
    from needs.suggestions import suggest_placements

    user = staff_user()
    total = Need.objects.count()
    rng = random.Random(7)
    ids = list(Need.objects.filter(Need.COUNTED).values_list("pk", flat=True)[:200000])
    chosen = rng.sample(ids, min(args.samples, len(ids)))
    descriptions = list(Need.objects.filter(pk__in=chosen).values_list("description", flat=True))
    print(f"{total} needs in the database; {len(descriptions)} descriptions; user {user.username}")
    suggest_placements(user=user, description=descriptions[0])  # warm the connection
    for label, texts in (
        ("whole description", descriptions),
        ("first six words", [" ".join(d.split()[:6]) for d in descriptions]),
    ):
        times = []
        queries = set()
        for text in texts:
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                suggest_placements(user=user, description=text)
                times.append((time.perf_counter() - started) * 1000)
            queries.add(len(captured.captured_queries))
        times.sort()
        p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
        print(
            f"  {label:<18} median {statistics.median(times):.1f} ms   p95 {p95:.1f} ms   "
            f"max {times[-1]:.1f} ms   queries {sorted(queries)}"
        )


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("phase", choices=["accuracy", "timing"])
    parser.add_argument("--samples", type=int, default=300, help="timing: descriptions timed")
    parser.add_argument("--limit", type=int, default=0, help="accuracy: at most this many needs")
    args = parser.parse_args(argv)
    setup()
    {"accuracy": accuracy, "timing": timing}[args.phase](args)


if __name__ == "__main__":
    main(sys.argv[1:])
