import time

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from demo.scale_data import (
    NEEDS,
    SEED,
    analyze_generated_tables,
    existing_data,
    generate_scale_data,
)
from reviews.models import Article, State


def positive_number(text: str) -> float:
    value = float(text)
    if not value > 0:
        raise ValueError(text)
    return value


class Command(BaseCommand):
    help = (
        "Fill an empty, migrated PostgreSQL database with synthetic data at SCALE times "
        f"today's real volume (scale 1: every State party reviewed in both cycles, {NEEDS:,} "
        "needs, 200 activities, 1,000 links between activities and needs, 50 donor "
        "interests; scale 100: 410,000 needs ...), for the benchmark (scripts/benchmark.sh). "
        "The same seed and scale give the same rows. Then derives coverage from the links, "
        "refreshes the planner's statistics and recomputes the dashboard figures. The "
        "accounts it creates (scale.staff, scale.admin, scale.donor, scale.focal.<iso3>) have "
        "no usable password."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            type=positive_number,
            required=True,
            help="Multiple of today's volume, e.g. 1 or 100 (fractions allowed).",
        )
        parser.add_argument("--seed", type=int, default=SEED, help=f"Default {SEED}.")

    def handle(self, *args, scale: float, seed: int, **options):
        if connection.vendor != "postgresql":
            raise CommandError("generate_scale_data writes with PostgreSQL COPY: use PostgreSQL.")
        if not State.objects.exists() or not Article.objects.exists():
            raise CommandError("The reference data is missing: run `manage.py migrate` first.")
        found = existing_data()
        if found:
            listed = ", ".join(f"{count:,} {name}" for name, count in found.items())
            raise CommandError(
                f"The database already holds {listed}; generate_scale_data fills an empty, "
                "freshly migrated database (create a new one for it)."
            )
        started = time.monotonic()
        summary = generate_scale_data(scale=scale, seed=seed)
        written = time.monotonic()
        self.stdout.write(f"Scale {scale:g} written in {written - started:.1f} s:")
        for name, count in summary.counts.items():
            self.stdout.write(f"  {name}: {count:,}")
        self.stdout.write(
            "  (seconds: "
            + ", ".join(f"{name} {seconds:.1f}" for name, seconds in summary.timings.items())
            + ")"
        )
        analyze_generated_tables()
        self.stdout.write(f"Planner statistics refreshed in {time.monotonic() - written:.1f} s.")
        call_command("recompute_aggregates", stdout=self.stdout)
        self.stdout.write(
            self.style.SUCCESS(f"Done in {time.monotonic() - started:.1f} s (seed {seed}).")
        )
