"""Throughput under load: gunicorn (2 workers, 127.0.0.1 only) driven by wrk from a second
process, for a bounded time per address, next to the same server's /healthz (the floor of
the stack: a request that asks the database two trivial questions)."""

import os
import re
import signal
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

# The addresses under load (keys of `benchmarks.endpoints.ENDPOINTS`), requested anonymously
# like most visitors, next to the floor.
FLOOR = "healthz"
ENDPOINT_KEYS = (FLOOR, "dashboard_page", "country_page_public")
WORKERS = 2
THREADS = 2
CONNECTIONS = 8
SECONDS = 10
WARM_UP_SECONDS = 2
START_TIMEOUT = 60

_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def start_gunicorn(*, gunicorn: str, port: int, env: dict, log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [
            gunicorn,
            "tan_tracker.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(WORKERS),
            "--error-logfile",
            str(log),
            "--log-level",
            "warning",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def stop_gunicorn(server: subprocess.Popen) -> None:
    if server.poll() is not None:
        return
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()


def wait_until_answering(url: str, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn stopped with exit code {server.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.5)
    raise RuntimeError(f"gunicorn did not answer {url} within {START_TIMEOUT} s")


def _milliseconds(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()
    return float(number) * _UNITS[unit]


def parse_wrk(output: str) -> dict:
    """Requests per second, errors and latency percentiles from `wrk --latency` output."""
    result = {
        "requests_per_s": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "requests": int(re.search(r"(\d+) requests in", output).group(1)),
        "non_2xx": 0,
        "socket_errors": 0,
    }
    found = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    if found:
        result["non_2xx"] = int(found.group(1))
    found = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    if found:
        result["socket_errors"] = sum(int(n) for n in found.groups())
    for share in ("50", "99"):
        found = re.search(rf"^\s+{share}%\s+([\d.]+(?:us|ms|s))\s*$", output, re.MULTILINE)
        if found:
            result[f"p{share}_ms"] = _milliseconds(found.group(1))
    return result


def wrk(url: str, seconds: int) -> dict:
    completed = subprocess.run(
        [
            "wrk",
            f"-t{THREADS}",
            f"-c{CONNECTIONS}",
            f"-d{seconds}s",
            "--timeout",
            "30s",
            "--latency",
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    return parse_wrk(completed.stdout)


def run(
    *, addresses: dict[str, str], gunicorn: str, port: int, env: dict, log: Path, seconds: int
) -> dict:
    """{endpoint key: wrk results} for each address, on one gunicorn server."""
    server = start_gunicorn(gunicorn=gunicorn, port=port, env=env, log=log)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_answering(base + addresses["healthz"], server)
        results = {}
        for key, address in addresses.items():
            wrk(base + address, WARM_UP_SECONDS)
            results[key] = {"address": address, "seconds": seconds, **wrk(base + address, seconds)}
        return results
    finally:
        stop_gunicorn(server)
