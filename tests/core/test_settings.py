"""A bad value in the environment stops start-up with a message naming the variable."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CONFIG_VARIABLES = (
    "DEBUG",
    "SECRET_KEY",
    "DATABASE_URL",
    "CELERY_BROKER_URL",
    "REDIS_URL",
    "CACHE_URL",
    "ALLOWED_HOSTS",
    "NEED_STALE_AFTER_DAYS",
)


def manage(*arguments: str, **variables: str | None) -> subprocess.CompletedProcess:
    """`manage.py <arguments>` in a fresh process with a production-like environment plus
    changes (None removes a variable)."""
    env = {k: v for k, v in os.environ.items() if k not in CONFIG_VARIABLES}
    env.update(DEBUG="false", SECRET_KEY="a-secret-for-this-test")
    for name, value in variables.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return subprocess.run(
        [sys.executable, "manage.py", *arguments],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def manage_check(**variables: str | None) -> subprocess.CompletedProcess:
    return manage("check", **variables)


def last_line(text: str) -> str:
    return text.strip().splitlines()[-1]


def test_a_good_environment_starts():
    result = manage_check(
        DATABASE_URL="postgres://app@127.0.0.1:5432/app", CELERY_BROKER_URL="redis://127.0.0.1/0"
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("DEBUG", "maybe"),
        ("DATABASE_URL", "mysql://x"),
        ("CELERY_BROKER_URL", "http://x"),
        ("REDIS_URL", "http://x"),
        ("CACHE_URL", "memcached://x"),
        ("NEED_STALE_AFTER_DAYS", "abc"),
        ("NEED_STALE_AFTER_DAYS", "0"),
        ("ALLOWED_HOSTS", ","),
        ("HEARTBEAT_TASK_TIME_LIMIT", "0"),
        # A soft time limit after the hard one would never let the task stop cleanly.
        ("IMPORT_TASK_SOFT_TIME_LIMIT", "700"),
    ],
)
def test_a_bad_value_stops_start_up_naming_the_variable(variable, value):
    result = manage_check(**{variable: value})
    assert result.returncode != 0
    # The last line is the error itself; the traceback above it quotes settings.py, which
    # mentions every variable anyway.
    assert f"The environment variable {variable} " in last_line(result.stderr)
    assert "ImproperlyConfigured" in last_line(result.stderr)


def test_without_debug_the_secret_key_is_required():
    result = manage_check(SECRET_KEY=None, DEBUG="false")
    assert result.returncode != 0
    assert "The environment variable SECRET_KEY must be set." in last_line(result.stderr)


def manage_shell(command: str, **variables: str) -> str:
    result = manage("shell", "--no-imports", "-c", command, **variables)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_with_cache_url_every_process_shares_the_cache():
    """A translation corrected in one gunicorn worker moves the version every other process
    reads the translations under (translations.lookup): with CACHE_URL they share it."""
    redis_url = os.environ.get("REDIS_URL") or os.environ.get("CELERY_BROKER_URL")
    if not redis_url:
        pytest.skip("needs Redis: run scripts/test.sh")
    # The last of Redis's 16 databases: apart from the broker's and from any deployment's.
    cache_url = redis_url.rsplit("/", 1)[0] + "/15"
    lookup = "from translations.lookup import VERSION_KEY as K, bump_version; "
    backend = manage_shell(
        "from django.core.cache import caches; print(type(caches['default']).__name__)",
        CACHE_URL=cache_url,
    )
    assert backend == "RedisCache"
    moved = manage_shell(
        lookup + "from django.core.cache import cache; bump_version(); print(cache.get(K))",
        CACHE_URL=cache_url,
    )
    seen = manage_shell(
        lookup + "from django.core.cache import cache; print(cache.get(K))", CACHE_URL=cache_url
    )
    assert len(moved) == 32 and seen == moved
    alone = manage_shell(lookup + "from django.core.cache import cache; print(cache.get(K))")
    assert alone == "None"  # without CACHE_URL, a process of its own
