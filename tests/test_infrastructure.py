"""The run/test infrastructure itself: database, real worker, compose file, scripts."""

import os
import subprocess
import time
from pathlib import Path

import pytest
import redis
import yaml
from django.conf import settings
from django.core.cache.backends.redis import RedisCache
from django.db import connection

from tests.conftest import database_url_is_postgres
from tests.hardening.conftest import PrivateRedis

ROOT = Path(__file__).resolve().parent.parent
APP_SERVICES = ("web", "worker", "beat")


# --- Database -----------------------------------------------------------------------------
@pytest.mark.django_db
def test_it_uses_postgresql_when_database_url_says_so():
    if not database_url_is_postgres():
        pytest.skip("DATABASE_URL is not PostgreSQL here")
    assert connection.vendor == "postgresql"


@pytest.mark.django_db
def test_ci_always_runs_on_postgresql():
    if not os.environ.get("CI"):
        pytest.skip("only CI insists on PostgreSQL")
    assert connection.vendor == "postgresql"


@pytest.mark.django_db
def test_autovacuum_leaves_the_test_database_alone():
    """Autovacuum would record the tables as empty between tests (conftest.django_db_setup)."""
    if not database_url_is_postgres():
        pytest.skip("DATABASE_URL is not PostgreSQL here")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_class c JOIN pg_tables t ON t.tablename = c.relname "
            "AND t.schemaname = current_schema() WHERE NOT coalesce("
            "'autovacuum_enabled=false' = ANY(c.reloptions), false)"
        )
        assert cursor.fetchall() == []


# --- The real worker ----------------------------------------------------------------------
@pytest.mark.worker
def test_a_task_runs_in_the_separate_worker_process(worker):
    from core.models import WorkerHeartbeat
    from core.tasks import record_worker_heartbeat
    from tan_tracker.celery import app as celery_app

    assert celery_app.conf.task_always_eager is False

    record_worker_heartbeat.delay()

    deadline = time.monotonic() + 20
    heartbeat = None
    while heartbeat is None and time.monotonic() < deadline:
        heartbeat = WorkerHeartbeat.objects.order_by("-seen_at").first()
        if heartbeat is None:
            time.sleep(0.2)
    assert heartbeat is not None, f"no heartbeat within 20 s\n{worker.log_tail()}"
    assert connection.vendor == "postgresql"
    assert heartbeat.pid == worker.pid
    assert heartbeat.pid != os.getpid()


# --- Task time limits ---------------------------------------------------------------------
# Each task and the settings its time limits come from (README, "Configuration"): a new task
# needs a line here.
TASK_TIME_LIMITS = {
    "alerts.tasks.send_saved_search_alerts_task": "CELERY_TASK",
    "core.tasks.record_worker_heartbeat": "HEARTBEAT_TASK",
    "dashboard.tasks.recompute_figures": "CELERY_TASK",
    "needs.tasks.send_confirmation_digests_task": "CELERY_TASK",
    "core.tasks.discard_old_import_files_task": "CELERY_TASK",
    "core.tasks.run_import_job_task": "IMPORT_TASK",
}


def test_every_task_takes_its_time_limits_from_the_settings():
    from tan_tracker.celery import app as celery_app

    celery_app.loader.import_default_modules()
    # Celery's own tasks (celery.*) run under the defaults.
    tasks = {n: task for n, task in celery_app.tasks.items() if not n.startswith("celery.")}

    assert set(tasks) == set(TASK_TIME_LIMITS)
    for name, task in tasks.items():
        prefix = TASK_TIME_LIMITS[name]
        assert (task.soft_time_limit, task.time_limit) == (
            getattr(settings, f"{prefix}_SOFT_TIME_LIMIT"),
            getattr(settings, f"{prefix}_TIME_LIMIT"),
        ), name
        assert task.soft_time_limit < task.time_limit, name


def test_the_time_limits_of_every_task_are_the_celery_defaults():
    from tan_tracker.celery import app as celery_app

    assert celery_app.conf.task_soft_time_limit == settings.CELERY_TASK_SOFT_TIME_LIMIT
    assert celery_app.conf.task_time_limit == settings.CELERY_TASK_TIME_LIMIT


# --- docker-compose.yml -------------------------------------------------------------------
@pytest.fixture(scope="module")
def compose_services():
    with (ROOT / "docker-compose.yml").open() as f:
        return yaml.safe_load(f)["services"]


def _command(service: dict) -> str:
    command = service.get("command", "")
    return " ".join(command) if isinstance(command, list) else command


def _environment(service: dict) -> dict:
    env = service.get("environment", {})
    if isinstance(env, list):
        env = dict(item.split("=", 1) for item in env)
    return env


def _depends_on(service: dict) -> set:
    return set(service.get("depends_on", []))


def test_compose_has_the_five_services(compose_services):
    assert set(APP_SERVICES) | {"postgres", "redis"} <= set(compose_services)
    assert "gunicorn" in _command(compose_services["web"])
    assert "celery" in _command(compose_services["worker"])
    assert " worker" in _command(compose_services["worker"])
    assert "celery" in _command(compose_services["beat"])
    assert " beat" in _command(compose_services["beat"])
    assert compose_services["postgres"]["image"].startswith("postgres:")
    assert compose_services["redis"]["image"].startswith("redis:")


def test_compose_app_services_share_one_image(compose_services):
    images = {
        (repr(compose_services[name].get("build")), compose_services[name].get("image"))
        for name in APP_SERVICES
    }
    assert len(images) == 1
    ((build, _image),) = images
    assert build != "None", "the app image is built from the Dockerfile"


def test_compose_app_services_are_configured_and_wait_for_their_backends(compose_services):
    for name in APP_SERVICES:
        service = compose_services[name]
        env = _environment(service)
        assert env.get("DATABASE_URL", "").startswith("postgres"), name
        assert env.get("REDIS_URL", "").startswith("redis://"), name
        # One cache for every process, in a Redis database apart from the broker's.
        assert env.get("CACHE_URL", "").startswith("redis://redis:6379/"), name
        assert env["CACHE_URL"] != env["REDIS_URL"], name
        assert env.get("SECRET_KEY"), name
        assert {"postgres", "redis"} <= _depends_on(service), name
    assert "migrate" in _command(compose_services["web"])


# --- Scripts ------------------------------------------------------------------------------
def _redis_option(command: str, name: str) -> str:
    words = command.split()
    return words[words.index(name) + 1]


def test_compose_redis_keeps_its_memory_within_a_limit(compose_services):
    command = _command(compose_services["redis"])
    assert _redis_option(command, "--maxmemory") == "${REDIS_MAXMEMORY:-1gb}"
    assert _redis_option(command, "--maxmemory-policy") == "volatile-lru"


@pytest.fixture
def small_redis(tmp_path):
    """start(policy): a redis-server of its own with 4 MB of memory and that eviction
    policy, stopped after the test; returns its port."""
    servers = []

    def start(policy: str) -> int:
        server = PrivateRedis(
            tmp_path, options=("--maxmemory", "4mb", "--maxmemory-policy", policy)
        )
        servers.append(server)
        server.start()
        return server.port

    yield start
    for server in servers:
        server.stop()


QUEUED_TASKS = 100


def _fill(port: int) -> RedisCache:
    """A broker queue in database 0, then 20 MB of Django cache entries in database 1 (five
    times the memory): what a flood of distinct addresses does to the shared cache."""
    broker = redis.Redis(port=port, db=0)
    broker.lpush("celery", *[b"t" * 1024] * QUEUED_TASKS)
    cache = RedisCache(f"redis://127.0.0.1:{port}/1", {})
    for number in range(320):
        cache.set(f"page-{number}", "x" * 64 * 1024, 3600)
    return cache


def test_with_the_compose_policy_a_full_cache_gives_way_and_no_queued_task_is_lost(
    compose_services, small_redis
):
    port = small_redis(_redis_option(_command(compose_services["redis"]), "--maxmemory-policy"))

    cache = _fill(port)

    assert redis.Redis(port=port, db=0).llen("celery") == QUEUED_TASKS
    assert cache.get("page-319") is not None  # the latest entries are kept
    assert cache.get("page-0") is None  # the oldest made room


def test_without_an_eviction_policy_a_full_cache_refuses_writes(small_redis):
    port = small_redis("noeviction")  # Redis's default

    with pytest.raises(redis.exceptions.OutOfMemoryError):
        _fill(port)


@pytest.mark.parametrize("path", ["scripts/run.sh", "scripts/test.sh", ".ci/run"])
def test_script_exists_is_executable_and_parses(path):
    script = ROOT / path
    assert script.is_file()
    assert os.access(script, os.X_OK), f"{path} is not executable"
    result = subprocess.run(["bash", "-n", str(script)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


# --- Browser errors -----------------------------------------------------------------------
BROKEN_PAGE_SCRIPT = """() => {
  console.error("a console error");
  setTimeout(() => { throw new Error("an uncaught exception"); });
  const link = document.createElement("link");
  link.rel = "stylesheet";
  link.href = "/static/no-such-file.css";
  document.head.append(link);
}"""


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_browser_tests_collect_every_error_of_every_page(
    page, browser, live_server, _fail_on_browser_errors
):
    other = browser.new_page()
    for tab in (page, other):
        tab.goto(live_server.url)
        with tab.expect_response(lambda response: "no-such-file" in response.url):
            tab.evaluate(BROKEN_PAGE_SCRIPT)
        tab.wait_for_timeout(100)
    found = _fail_on_browser_errors.found

    for url in (page.url, other.url):
        assert f"{url}: console error: a console error" in found
        assert f"{url}: uncaught Error: an uncaught exception" in found
        assert f"{url}: {live_server.url}/static/no-such-file.css answered 404" in found
    # Each 404 is also logged in the console ("Failed to load resource").
    assert len(found) == 8
    found.clear()  # seen: this test is not to fail for them
    other.close()
