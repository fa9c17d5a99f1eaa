"""The benchmark driver: `python -m benchmarks` (run by scripts/benchmark.sh).

On the PostgreSQL server of DATABASE_URL (a role that may create databases), it creates one
throwaway database per scale, named after DATABASE_URL's database (`<name>_s1`,
`<name>_s100`): migrates the first, clones it as the template of the others, fills each with
`manage.py generate_scale_data`, runs every measurement phase in a Django process of its
own (the pages in rounds that alternate the scales, `benchmarks.rounds`), and drops the
databases at the end, also after a failure. Prints the table and writes
it to BENCHMARKS.md. Exit code 1 when a target is missed (the table says which).
"""

import argparse
import datetime
import json
import os
import platform
import secrets
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg2

from . import load, report, rounds

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
GUNICORN = str(Path(PYTHON).with_name("gunicorn"))
COUNTED = {
    "reviews": "reviews_review",
    "needs": "needs_need",
    "activities": "assistance_activity",
    "links": "assistance_activityneedlink",
    "donor interests": "assistance_donorinterest",
}


def log(message: str) -> None:
    print(f"==> {message}", flush=True)


def libpq_url(url: str) -> str:
    return "postgresql://" + url.split("://", 1)[1] if url.startswith("pgsql://") else url


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def scale_label(scale: float) -> str:
    return f"{scale:g}"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Databases:
    """The throwaway databases, created and dropped through a connection to DATABASE_URL."""

    def __init__(self, url: str, scales: list[float]):
        self.url = url
        base = urlsplit(url).path.lstrip("/")
        self.names = {scale: f"{base}_s{scale_label(scale).replace('.', '_')}" for scale in scales}
        self.admin = psycopg2.connect(libpq_url(url))
        self.admin.autocommit = True
        self.created: list[str] = []

    def url_of(self, scale: float) -> str:
        return with_database(self.url, self.names[scale])

    def execute(self, sql: str, params=None):
        with self.admin.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall() if cursor.description else None

    def refuse_existing(self) -> None:
        found = self.execute(
            "SELECT datname FROM pg_database WHERE datname = ANY(%s)", [list(self.names.values())]
        )
        if found:
            names = ", ".join(row[0] for row in found)
            sys.exit(
                f"benchmark: the database(s) {names} exist already (a run that was killed?); "
                "drop them or point DATABASE_URL at another database name."
            )

    def create(self, name: str, template: str | None = None) -> None:
        clause = f' TEMPLATE "{template}"' if template else ""
        self.execute(f'CREATE DATABASE "{name}"{clause}')
        self.created.append(name)

    def drop_all(self) -> None:
        """Drop the databases this run created. One that cannot be dropped is a warning, not
        a failure: the measurements are kept."""
        for name in reversed(self.created):
            try:
                # Client connections only: an autovacuum worker runs as a superuser, which
                # the benchmark's role may not terminate, and DROP DATABASE stops it itself.
                self.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    " WHERE datname = %s AND backend_type = 'client backend'",
                    [name],
                )
                self.execute(f'DROP DATABASE IF EXISTS "{name}"')
            except psycopg2.Error as error:
                log(f"Could not drop {name}: {str(error).strip()}; drop it by hand")
        self.created.clear()
        self.admin.close()

    def describe_server(self) -> str:
        version = self.execute("SHOW server_version")[0][0]
        settings = ", ".join(
            f"{name}={self.execute(f'SHOW {name}')[0][0]}"
            for name in ("shared_buffers", "work_mem", "jit", "fsync", "synchronous_commit")
        )
        return f"{version} ({settings})"

    def counts(self, scale: float) -> dict[str, int]:
        connection = psycopg2.connect(libpq_url(self.url_of(scale)))
        try:
            with connection.cursor() as cursor:
                found = {}
                for label, table in COUNTED.items():
                    cursor.execute(f'SELECT count(*) FROM "{table}"')
                    found[label] = cursor.fetchone()[0]
            return found
        finally:
            connection.close()


def django_env(database_url: str) -> dict:
    env = dict(os.environ)
    # Tasks run in-process: the benchmark measures the web stack and the database.
    for name in ("CELERY_BROKER_URL", "REDIS_URL"):
        env.pop(name, None)
    env.update(
        DATABASE_URL=database_url,
        DEBUG="false",
        SECURE_SSL_REDIRECT="false",
        ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        SECRET_KEY=os.environ.get("SECRET_KEY") or secrets.token_urlsafe(64),
        PYTHONPATH=str(ROOT),
    )
    return env


def manage(env: dict, *args: str) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True)


def measure(env: dict, phase: str, *args: str) -> dict:
    completed = subprocess.run(
        [PYTHON, "-m", "benchmarks.measure", phase, *args],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.PIPE,
        text=True,
    )
    return json.loads(completed.stdout)


def machine() -> str:
    model = "unknown CPU"
    memory = ""
    try:
        cpuinfo = Path("/proc/cpuinfo").read_text()
        model = next(
            line.split(":", 1)[1].strip() for line in cpuinfo.splitlines() if "model name" in line
        )
        meminfo = Path("/proc/meminfo").read_text().split()
        memory = f", {int(meminfo[meminfo.index('MemTotal:') + 1]) / 1024 / 1024:.1f} GiB RAM"
    except (OSError, StopIteration, ValueError):
        pass
    return f"{os.cpu_count()} CPUs ({model}){memory}, {platform.platform()}"


def software() -> str:
    import django

    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    wrk_version = subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout.split()
    return (
        f"Python {platform.python_version()}, Django {django.get_version()}, "
        f"{' '.join(wrk_version[:2]) if wrk_version else 'wrk'}, commit {commit or 'unknown'}"
    )


def load_average() -> str:
    return " ".join(f"{value:.1f}" for value in os.getloadavg())


def run(args) -> dict:
    started = time.monotonic()
    results = {
        "meta": {
            "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
            "machine": machine(),
            "software": software(),
            "load_before": load_average(),
            "command": args.command,
            "requests": args.requests,
            "page_rounds": rounds.ROUNDS,
            "load_seconds": args.load_seconds,
            "wrk_threads": load.THREADS,
            "wrk_connections": load.CONNECTIONS,
            "workers": load.WORKERS,
        },
        "scales": {},
    }
    databases = Databases(os.environ["DATABASE_URL"], args.scales)
    databases.refuse_existing()
    results["meta"]["postgresql"] = databases.describe_server()
    port = int(os.environ.get("BENCHMARK_PORT") or free_port())
    try:
        first, *others = args.scales
        log(f"Migrating {databases.names[first]}")
        databases.create(databases.names[first])
        manage(django_env(databases.url_of(first)), "migrate", "--noinput", "-v0")
        for scale in others:
            databases.create(databases.names[scale], template=databases.names[first])
        manage(django_env(databases.url_of(first)), "collectstatic", "--noinput", "-v0")
        for scale in args.scales:
            label = scale_label(scale)
            log(f"Scale {label}: generating into {databases.names[scale]}")
            generation_started = time.monotonic()
            manage(django_env(databases.url_of(scale)), "generate_scale_data", "--scale", label)
            results["scales"][label] = {
                "generate_s": time.monotonic() - generation_started,
                "counts": databases.counts(scale),
            }
        page_rounds = {scale: [] for scale in args.scales}
        per_round = rounds.requests_per_round(args.requests)
        for scale in rounds.round_order(args.scales):
            label = scale_label(scale)
            log(f"Scale {label}: {per_round} requests per page and API call (a round)")
            page_rounds[scale].append(
                measure(django_env(databases.url_of(scale)), "pages", "--requests", str(per_round))
            )
        for scale in args.scales:
            env = django_env(databases.url_of(scale))
            label = scale_label(scale)
            measured = results["scales"][label]
            measured["pages"] = rounds.pooled(page_rounds[scale])
            log(f"Scale {label}: recomputing the dashboard next to bare SQL")
            measured["aggregates"] = measure(env, "aggregates")
            log(f"Scale {label}: importing needs next to COPY")
            measured["imports"] = measure(env, "imports")
            log(f"Scale {label}: throughput with gunicorn and wrk")
            addresses = measure(env, "addresses")
            with tempfile.TemporaryDirectory() as scratch:
                measured["load"] = load.run(
                    addresses={key: addresses[key] for key in load.ENDPOINT_KEYS},
                    gunicorn=GUNICORN,
                    port=port,
                    env={**env, "ALLOWED_HOSTS": "127.0.0.1"},
                    log=Path(scratch) / "gunicorn.log",
                    seconds=args.load_seconds,
                )
            log(f"Scale {label} done ({time.monotonic() - started:.0f} s so far)")
    finally:
        log("Dropping the benchmark databases")
        databases.drop_all()
    results["meta"]["load_after"] = load_average()
    results["meta"]["total_s"] = time.monotonic() - started
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--scales", type=float, nargs="+", default=[1, 100])
    parser.add_argument(
        "--requests",
        type=int,
        default=rounds.REQUESTS,
        help=f"per page and API call ({rounds.REQUESTS}: a p95 is not a few stray pauses)",
    )
    parser.add_argument("--load-seconds", type=int, default=load.SECONDS)
    parser.add_argument("--output", type=Path, default=ROOT / "BENCHMARKS.md")
    parser.add_argument("--command", default="scripts/benchmark.sh", help="as recorded")
    parser.add_argument("--save-json", type=Path, help="also keep the raw results here")
    parser.add_argument(
        "--from-json", type=Path, help="write the report from saved results, measuring nothing"
    )
    args = parser.parse_args(argv)
    if args.from_json:
        results = json.loads(args.from_json.read_text())
    else:
        if len(args.scales) < 2:
            parser.error("give at least two scales: the targets compare the largest with the first")
        results = run(args)
        if args.save_json:
            args.save_json.write_text(json.dumps(results, indent=1))
    print()
    print(report.section(results))
    report.write_markdown(args.output, results)
    print(f"Written to {args.output}")
    return 1 if report.failures(results) else 0


if __name__ == "__main__":
    sys.exit(main())
