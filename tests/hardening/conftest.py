"""Fixtures for the fault tests: a Redis of the test's own that it can stop and start again,
the Celery app pointed at it, and a Celery worker on it that the test can kill."""

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest
import redis
from django.conf import settings
from kombu import pools as kombu_pools

from tests.conftest import (
    ARTIFACTS,
    CeleryWorkerProcess,
    _url_with_database,
    database_url_is_postgres,
)

REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"
FAULT_WORKER_NAME = "fault-worker"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PrivateRedis:
    """A throwaway redis-server on a free loopback port, without persistence: stopping it
    loses whatever it held, as a crash would. `options`: more of redis-server's arguments."""

    def __init__(self, directory: Path, options: tuple[str, ...] = ()):
        self.directory = directory
        self.options = options
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self, timeout: float = 10) -> None:
        log = (self.directory / "redis.log").open("ab")
        self.process = subprocess.Popen(
            [
                REDIS_SERVER,
                "--bind",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.directory),
                *self.options,
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        client = redis.Redis(port=self.port, socket_connect_timeout=0.5)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with contextlib.suppress(redis.ConnectionError):
                if client.ping():
                    return
            time.sleep(0.1)
        self.stop()
        pytest.fail(f"redis-server did not answer on port {self.port}", pytrace=False)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def is_running(self) -> bool:
        return self.process is not None and self.process.poll() is None


def _reset_broker_connections(app) -> None:
    """Close and forget the pooled broker connections (kombu keeps them by URL, process-wide),
    so that the next message goes to the broker now configured."""
    kombu_pools.reset()
    app._pool = None
    app.amqp._producer_pool = None


@contextlib.contextmanager
def celery_using_broker(url: str):
    """This process's Celery app (and the settings that describe it) on another broker."""
    from tan_tracker.celery import app as celery_app

    previous = celery_app.conf.broker_url, celery_app.conf.task_always_eager
    _reset_broker_connections(celery_app)
    celery_app.conf.broker_url = url
    celery_app.conf.task_always_eager = False
    try:
        with pytest.MonkeyPatch.context() as patch:
            # Celery reads CELERY_BROKER_URL from the environment before its configuration.
            patch.setenv("CELERY_BROKER_URL", url)
            patch.setattr(settings, "CELERY_BROKER_URL", url)
            yield celery_app
    finally:
        _reset_broker_connections(celery_app)
        celery_app.conf.broker_url, celery_app.conf.task_always_eager = previous


class FaultWorker(CeleryWorkerProcess):
    """A real Celery worker of the test's own, on the test's private Redis.

    `VISIBILITY_TIMEOUT` seconds after a worker took a message and died without
    acknowledging it, Redis hands the message to the next worker (production keeps kombu's
    default of one hour; the test does not wait that long).
    """

    VISIBILITY_TIMEOUT = 3

    def __init__(self, env: dict[str, str], log_path: Path):
        super().__init__(env, log_path, pidfile=None)
        self.command[self.command.index("tan_tracker")] = "tests.hardening.fault_celery"
        self.command[self.command.index("test-worker@%h")] = f"{FAULT_WORKER_NAME}@%h"
        self.nodename = f"{FAULT_WORKER_NAME}@{socket.gethostname()}"


@pytest.fixture(scope="module")
def private_redis(tmp_path_factory):
    """One private Redis for a module's fault tests; a test that stops it need not restart it."""
    server = PrivateRedis(tmp_path_factory.mktemp("redis"))
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def fault_worker_process(private_redis, django_db_setup, django_db_blocker):
    """One worker on the private Redis and the test database for a module's fault tests
    (starting a worker takes seconds); a test that kills it need not start it again."""
    if not database_url_is_postgres():
        if os.environ.get("CI"):
            pytest.fail("CI must run the fault tests on PostgreSQL", pytrace=False)
        pytest.skip("the fault tests need PostgreSQL: run scripts/test.sh")
    env = dict(os.environ)
    env["DATABASE_URL"] = _url_with_database(
        os.environ["DATABASE_URL"], settings.DATABASES["default"]["NAME"]
    )
    env["CELERY_BROKER_URL"] = private_redis.url
    env["FAULT_VISIBILITY_TIMEOUT"] = str(FaultWorker.VISIBILITY_TIMEOUT)
    env["PYTHONUNBUFFERED"] = "1"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    log_path = ARTIFACTS / "fault-worker.log"
    log_path.write_bytes(b"")
    worker = FaultWorker(env, log_path)
    try:
        yield worker
    finally:
        worker.stop(timeout=5)


@pytest.fixture
def fault_worker(fault_worker_process, private_redis, transactional_db):
    """The fault tests' worker, running, on the private Redis, which this process's Celery
    app uses for the test too."""
    if not private_redis.is_running():
        private_redis.start()
    with celery_using_broker(private_redis.url) as app:
        app.control.purge()
        fault_worker_process.start()
        _wait_until_the_worker_holds_no_task(app)
        yield fault_worker_process


def _wait_until_the_worker_holds_no_task(app, timeout: float = 30) -> None:
    """A recomputation asked for by an earlier test waits in the worker for its countdown
    (purge does not reach it) and would run in the middle of this test."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        inspect = app.control.inspect(timeout=1)
        held = [
            task
            for answer in (inspect.scheduled(), inspect.reserved(), inspect.active())
            for tasks in (answer or {}).values()
            for task in tasks
        ]
        if not held:
            return
        time.sleep(0.5)
    pytest.fail(f"the worker still holds tasks after {timeout:.0f} s", pytrace=False)
