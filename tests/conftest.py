import os

# Playwright's sync API keeps an asyncio loop running in the main thread; without this
# Django's ORM raises SynchronousOnlyOperation in browser tests.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import contextlib
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from hypothesis import settings as hypothesis_settings
from playwright.sync_api import expect

# CI must give the same verdict every run: property and fuzz tests draw their examples
# deterministically there (locally they explore new ones each run).
hypothesis_settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    hypothesis_settings.load_profile("ci")

pytest_plugins = ["tests.fixtures"]

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
POSTGRES_SCHEMES = ("postgres", "postgresql", "pgsql")
WORKER_READY_TIMEOUT = 60


def database_url_is_postgres() -> bool:
    return os.environ.get("DATABASE_URL", "").split("://", 1)[0] in POSTGRES_SCHEMES


# --- Database -----------------------------------------------------------------------------
@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database without autovacuum. Every test rolls back what it wrote, so the
    tables are empty at rest and full of dead rows; autovacuum, whenever it passes, records
    them as empty (0 rows over many pages). PostgreSQL then plans a test's own rows as one
    row each, and one CI run hung for 12 minutes on a dashboard count planned as nested
    loops over full index scans. A table never vacuumed is estimated from its size."""
    if database_url_is_postgres():
        from django.db import connection

        with django_db_blocker.unblock(), connection.cursor() as cursor:
            cursor.execute(
                "SELECT format('ALTER TABLE %I.%I SET (autovacuum_enabled = false, "
                "toast.autovacuum_enabled = false)', schemaname, tablename) "
                "FROM pg_tables WHERE schemaname = current_schema()"
            )
            for (statement,) in cursor.fetchall():
                cursor.execute(statement)


# --- Browser ------------------------------------------------------------------------------
# A page that posts, writes and redirects took over Playwright's default 5 s once on CI's two
# loaded cores (a focal point's proposal); a longer wait checks the same thing.
expect.set_options(timeout=15_000)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's Chromium instead of a browser downloaded by `playwright install`."""
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--headless",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


# Redoc's bundle (drf-spectacular-sidecar's redoc.standalone.js) always shows its maker's logo
# from their CDN, with no option to leave it out; the Content Security Policy blocks the
# request, as it should, and Chromium logs the block. Nothing of ours can prevent it.
NOT_OURS = ("https://cdn.redoc.ly/redoc/logo-mini.svg",)


class BrowserErrors:
    """What went wrong in the pages of a test's browser contexts: console errors, uncaught
    exceptions, failed sub-requests and sub-resources answered with an error status."""

    def __init__(self):
        self.found: list[str] = []

    def watch(self, context) -> None:
        context.on("console", self._console)
        context.on("weberror", self._uncaught)
        context.on("requestfailed", self._request_failed)
        context.on("response", self._response)

    def _add(self, page, problem: str) -> None:
        if any(url in problem for url in NOT_OURS):
            return
        self.found.append(f"{page.url if page else '?'}: {problem}")

    def _console(self, message) -> None:
        if message.type == "error":
            source = message.location.get("url")
            where = (
                f" ({source})" if source and source != getattr(message.page, "url", None) else ""
            )
            self._add(message.page, f"console error: {message.text}{where}")

    def _uncaught(self, web_error) -> None:
        error = web_error.error
        self._add(web_error.page, f"uncaught {error.name}: {error.message}")

    def _request_failed(self, request) -> None:
        # ERR_ABORTED: the page moved on (a navigation, a download) before the request ended.
        if request.failure != "net::ERR_ABORTED":
            self._add(request.frame.page, f"{request.url} failed: {request.failure}")

    def _response(self, response) -> None:
        if response.status >= 400 and not response.request.is_navigation_request():
            self._add(response.frame.page, f"{response.url} answered {response.status}")


@pytest.fixture(autouse=True)
def _fail_on_browser_errors(request, monkeypatch):
    """A browser test fails if any page it opened logged an error, threw, or could not load
    one of its resources, whether the page came from the `page` fixture or from
    `browser.new_page()` / `browser.new_context()`."""
    if "browser" not in request.fixturenames:
        yield
        return
    browser = request.getfixturevalue("browser")
    errors = BrowserErrors()
    new_context, new_page = browser.new_context, browser.new_page

    def watched_context(*args, **kwargs):
        context = new_context(*args, **kwargs)
        errors.watch(context)
        return context

    def watched_page(*args, **kwargs):
        page = new_page(*args, **kwargs)
        errors.watch(page.context)
        return page

    monkeypatch.setattr(browser, "new_context", watched_context)
    monkeypatch.setattr(browser, "new_page", watched_page)
    yield errors
    if errors.found:
        pytest.fail(
            "The browser reported errors:\n" + "\n".join(f"  {line}" for line in errors.found),
            pytrace=False,
        )


@pytest.fixture(scope="session")
def screenshot_dir() -> Path:
    path = ARTIFACTS / "screenshots"
    path.mkdir(parents=True, exist_ok=True)
    return path


# --- Production settings, adapted to the test client ---------------------------------------
@pytest.fixture(scope="session", autouse=True)
def _plain_http_and_static_files_without_manifest():
    """The tests run with the production settings (DEBUG off) but talk plain http to the test
    client and the live server, and serve the static files without `collectstatic`.

    `manage.py check --deploy` in scripts/test.sh checks the real production values.
    """
    from django.test import override_settings

    with override_settings(
        SECURE_SSL_REDIRECT=False,
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
        WHITENOISE_USE_FINDERS=True,
        STATIC_ROOT=None,
        # PBKDF2 costs about a second per fixture user on these machines.
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        # Tests change the figures and look at the page at once; the grace period of the
        # public dashboard page has its own tests (tests/dashboard/test_views.py).
        DASHBOARD_PAGE_RECHECK_SECONDS=0,
    ):
        yield


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache (pages and fragments cached by an earlier test
    would otherwise answer for it)."""
    from django.core.cache import cache

    cache.clear()


# --- Celery -------------------------------------------------------------------------------
@pytest.fixture(scope="session", autouse=True)
def _celery_eager_only_without_broker():
    """Tasks go through the broker whenever one is configured, in-process otherwise.

    The settings already say so; this keeps the Celery app's own configuration in step
    with them, whatever was read before the test session started.
    """
    from django.conf import settings

    from tan_tracker.celery import app as celery_app

    celery_app.conf.task_always_eager = settings.CELERY_BROKER_URL is None
    return celery_app


class CeleryWorkerProcess:
    """A real `celery worker` subprocess, in its own process group, that tests can stop,
    kill and start again."""

    def __init__(self, env: dict[str, str], log_path: Path, pidfile: Path | None):
        self.env = env
        self.log_path = log_path
        self.pidfile = pidfile
        self.nodename = f"test-worker@{socket.gethostname()}"
        self.command = [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "tan_tracker",
            "worker",
            "-c",
            "1",
            "--pool",
            "solo",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
            "-Q",
            "celery",
            "-n",
            "test-worker@%h",
            "--loglevel=INFO",
        ]
        self.process: subprocess.Popen | None = None

    @property
    def pid(self) -> int:
        assert self.process is not None, "the Celery worker is not started"
        return self.process.pid

    def is_running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def start(self, timeout: float = WORKER_READY_TIMEOUT) -> "CeleryWorkerProcess":
        if self.is_running():
            return self
        with self.log_path.open("ab") as log:
            log.write(f"\n===== starting worker at {time.strftime('%X')} =====\n".encode())
            log.flush()
            self.process = subprocess.Popen(
                self.command,
                cwd=ROOT,
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        if self.pidfile is not None:
            self.pidfile.write_text(f"{self.process.pid}\n")
        self.wait_until_ready(timeout)
        return self

    def wait_until_ready(self, timeout: float = WORKER_READY_TIMEOUT) -> None:
        from tan_tracker.celery import app as celery_app

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.is_running():
                pytest.fail(
                    f"The Celery worker exited with code {self.process.returncode} while "
                    f"starting.\n{self.log_tail()}",
                    pytrace=False,
                )
            try:
                if celery_app.control.ping(destination=[self.nodename], timeout=1):
                    return
            except Exception:  # the broker may refuse while the worker connects
                time.sleep(0.5)
        self.kill()
        pytest.fail(
            f"The Celery worker did not answer a ping within {timeout:.0f} s.\n{self.log_tail()}",
            pytrace=False,
        )

    def _signal_group(self, signum: int) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signum)

    def stop(self, timeout: float = 20) -> None:
        """Warm shutdown (SIGTERM: finish the current task), SIGKILL after `timeout`."""
        if not self.is_running():
            return
        self._signal_group(signal.SIGTERM)
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.kill()

    def kill(self) -> None:
        """SIGKILL, as by the OOM killer: the current task is not acknowledged."""
        if self.process is None:
            return
        self._signal_group(signal.SIGKILL)
        self.process.wait()

    def settle(self, timeout: float = 30) -> None:
        """Drop what is queued, revoke what the worker holds for later, and wait until it
        runs no task: a test that committed rows (a live server's writes queue the
        dashboard's recomputation) ends with a flush of every table, whose TRUNCATE deadlocks
        with a task reading them meanwhile. A task due in a few seconds (`countdown`) is
        already held by the worker, where purging does not reach it; unrevoked, it would run
        during the next test."""
        from tan_tracker.celery import app as celery_app

        celery_app.control.purge()
        inspector = celery_app.control.inspect(timeout=2, limit=1)
        held = [
            *(
                entry["request"]["id"]
                for tasks in (inspector.scheduled() or {}).values()
                for entry in tasks
            ),
            *(
                request["id"]
                for tasks in (inspector.reserved() or {}).values()
                for request in tasks
            ),
        ]
        if held:
            celery_app.control.revoke(held)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and self.is_running():
            replies = celery_app.control.inspect(timeout=2, limit=1).active() or {}
            if replies and not any(replies.values()):
                return
            time.sleep(0.2)

    def wait_for_tasks(self, task_ids: list[str], timeout: float = 60) -> str:
        """Wait until the worker's log says each task succeeded; return the log."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            log = self.log_path.read_text(errors="replace")
            if all(f"[{task_id}] succeeded" in log for task_id in task_ids):
                return log
            time.sleep(0.3)
        pytest.fail(f"the worker did not run the tasks\n{self.log_tail()}")

    def log_tail(self, lines: int = 40) -> str:
        try:
            text = self.log_path.read_text(errors="replace").splitlines()
        except FileNotFoundError:
            return f"(no log at {self.log_path})"
        return f"--- last lines of {self.log_path} ---\n" + "\n".join(text[-lines:])


def _url_with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


# The session's worker once a test has started it (tests that commit wait for it to be idle).
RUNNING_WORKERS: list = []


@pytest.fixture(scope="session")
def celery_worker_process(django_db_setup):
    """One real Celery worker for the session, working on pytest-django's test database
    through the configured broker (scripts/test.sh provides PostgreSQL and Redis)."""
    from django.conf import settings

    from tan_tracker.celery import app as celery_app

    if not database_url_is_postgres():
        if os.environ.get("CI"):
            pytest.fail(
                "CI must run the worker tests on PostgreSQL: set DATABASE_URL to a "
                "postgres:// URL (scripts/test.sh does).",
                pytrace=False,
            )
        pytest.skip("the worker tests need PostgreSQL and Redis: run scripts/test.sh")
    if not settings.CELERY_BROKER_URL:
        pytest.fail(
            "The worker tests need a broker: set CELERY_BROKER_URL or REDIS_URL "
            "(scripts/test.sh starts a private Redis).",
            pytrace=False,
        )
    assert celery_app.conf.task_always_eager is False

    env = dict(os.environ)
    env["DATABASE_URL"] = _url_with_database(
        os.environ["DATABASE_URL"], settings.DATABASES["default"]["NAME"]
    )
    env["CELERY_BROKER_URL"] = settings.CELERY_BROKER_URL
    env["PYTHONUNBUFFERED"] = "1"
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # only the browser tests need it, not the worker

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    log_path = ARTIFACTS / "celery-worker.log"
    log_path.write_bytes(b"")
    run_dir = os.environ.get("TAN_TEST_RUN_DIR")
    pidfile = Path(run_dir) / "celery-worker.pid" if run_dir else None

    celery_app.control.purge()
    worker = CeleryWorkerProcess(env, log_path, pidfile)
    try:
        worker.start()
        RUNNING_WORKERS.append(worker)
        yield worker
    finally:
        RUNNING_WORKERS.clear()
        worker.stop()
        if pidfile is not None:
            pidfile.unlink(missing_ok=True)


@pytest.fixture
def worker(celery_worker_process, transactional_db):
    """The running Celery worker. With `transactional_db` the rows a test writes are
    committed, so the worker (another process) sees them."""
    if not celery_worker_process.is_running():
        celery_worker_process.start()
    return celery_worker_process


# --- Reference data across transactional tests ----------------------------------------------
def pytest_collection_modifyitems(items):
    """Tests that commit (live server, worker, transaction=True) end with a flush of every
    table, which would also remove the reference data loaded by the migrations. Serialized
    rollback restores it, so tests may run in any order."""
    for item in items:
        names = getattr(item, "fixturenames", None)
        if names is None or "django_db_serialized_rollback" in names:
            continue
        marker = item.get_closest_marker("django_db")
        commits = (
            "transactional_db" in names
            or "live_server" in names
            or (marker is not None and marker.kwargs.get("transaction", False))
        )
        if commits:
            names.append("django_db_serialized_rollback")


@pytest.fixture(autouse=True)
def _reference_data_after_flush(request):
    """Backs up serialized rollback for tests that commit: Django keeps the serialized copy
    on the connection object of the context that created the test database, and tests run
    after Playwright has started get another connection object (asgiref keeps one per
    context) without it, so they would find the reference tables flushed. Before the flush
    that ends such a test, the session's worker (if started) is left idle."""
    if "django_db_serialized_rollback" not in request.fixturenames:
        yield
        return
    request.getfixturevalue("transactional_db")
    _load_reference_data_if_flushed()
    yield
    # Set up after transactional_db, so this runs before its flush.
    for worker in RUNNING_WORKERS:
        if worker.is_running():
            worker.settle()


def _load_reference_data_if_flushed() -> None:
    from reviews.models import Chapter

    if Chapter.objects.exists():
        return
    from reviews.reference import load_reference
    from translations.lookup import bump_version
    from translations.models import ReferenceTranslation
    from translations.reference_data import load_translations

    load_reference()
    load_translations(ReferenceTranslation)
    bump_version()
