#!/usr/bin/env bash
# The test command. From a fresh checkout on a fresh machine:
#   1. creates .venv and installs the dependencies with their dev extra (uv),
#   2. lints (ruff format --check, ruff check) and checks that no app imports an app above it
#      (lint-imports, the layers of docs/ARCHITECTURE.md, configured in pyproject.toml),
#   3. uses PostgreSQL from DATABASE_URL and Redis from REDIS_URL / CELERY_BROKER_URL when
#      they are set, otherwise starts private throwaway servers on free loopback ports
#      (installing the Debian packages only when the binaries are missing),
#   4. runs Django's checks (check, makemigrations --check, check --deploy) and
#   5. pytest; extra arguments are passed to pytest:  scripts/test.sh -k heartbeat
# Everything the script starts is stopped on exit, also when a step fails.
# The exit code is the exit code of the first failing step (pytest's 5, "no tests ran",
# counts as a failure).
set -Eeuo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

RUN_DIR=$(mktemp -d "${TMPDIR:-/tmp}/tan-tracker-test.XXXXXX")
REDIS_PORT=""
REDIS_STARTED=""
STEP_REPORT=()
CURRENT_STEP=""
STEP_START=""
SCRIPT_START=$EPOCHREALTIME

# shellcheck source=scripts/lib.sh
. "$ROOT/scripts/lib.sh"

elapsed_since() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }'; }

print_report() {
    [ "${#STEP_REPORT[@]}" -gt 0 ] || return 0
    printf '\n==> Timings\n'
    printf '  %s\n' "${STEP_REPORT[@]}"
    printf '  %-52s %7ss\n' "total" "$(elapsed_since "$SCRIPT_START")"
}

compile_messages() {
    # The .mo catalogues are built from the committed .po files (msgfmt, Debian gettext).
    command -v msgfmt >/dev/null 2>&1 || apt_install gettext
    python manage.py compilemessages --ignore=.venv --verbosity 0
}

cleanup() {
    local rc=$?
    set +e
    trap - EXIT INT TERM
    if [ "$CURRENT_STEP" = pytest ] && [ "$rc" -eq 5 ]; then
        echo "test.sh: pytest collected no tests (exit code 5), which counts as a failure"
    fi
    if [ -n "$CURRENT_STEP" ]; then
        STEP_REPORT+=("$(printf '%-52s %7ss  FAILED (exit %s)' "$CURRENT_STEP" \
            "$(elapsed_since "$STEP_START")" "$rc")")
    fi
    # The Celery worker is started by the pytest session (tests/conftest.py), which records
    # its pid here; normally pytest has stopped it already.
    local pidfile="$RUN_DIR/celery-worker.pid"
    if [ -s "$pidfile" ]; then
        local pid
        pid=$(cat "$pidfile")
        if kill -0 "$pid" 2>/dev/null && grep -qa celery "/proc/$pid/cmdline" 2>/dev/null; then
            echo "test.sh: stopping the leftover Celery worker (pid $pid)"
            kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null
            for _ in 1 2 3 4 5 6 7 8 9 10; do
                kill -0 "$pid" 2>/dev/null || break
                sleep 0.5
            done
            kill -KILL -- "-$pid" 2>/dev/null
        fi
    fi
    if [ -n "$REDIS_STARTED" ]; then
        redis-cli -h 127.0.0.1 -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1
        local rpid
        rpid=$(cat "$RUN_DIR/redis.pid" 2>/dev/null)
        if [ -n "$rpid" ] && kill -0 "$rpid" 2>/dev/null; then
            sleep 0.5
            kill -KILL "$rpid" 2>/dev/null
        fi
    fi
    stop_private_postgres
    rm -rf "$RUN_DIR"
    print_report
    if [ "$rc" -eq 0 ]; then
        printf '\n==> All steps passed\n'
    else
        printf '\n==> FAILED (exit code %s)\n' "$rc"
    fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# step NAME COMMAND...: runs COMMAND with errexit on and records its time. When COMMAND
# fails, errexit ends the script with COMMAND's exit code and cleanup() reports the step.
# (Not "COMMAND || ...": bash would switch errexit off inside the step's functions.)
step() {
    CURRENT_STEP=$1
    shift
    log "$CURRENT_STEP"
    STEP_START=$EPOCHREALTIME
    "$@"
    STEP_REPORT+=("$(printf '%-52s %7ss  ok' "$CURRENT_STEP" "$(elapsed_since "$STEP_START")")")
    CURRENT_STEP=""
}

# --- Services -----------------------------------------------------------------------------
start_postgres() {
    if is_postgres_url "${DATABASE_URL:-}"; then
        echo "PostgreSQL: using DATABASE_URL from the environment"
        return 0
    fi
    [ -n "${DATABASE_URL:-}" ] && echo "DATABASE_URL is not PostgreSQL; starting a private PostgreSQL instead"
    start_private_postgres
}

start_redis() {
    local url=${CELERY_BROKER_URL:-${REDIS_URL:-}}
    if [ -n "$url" ]; then
        export CELERY_BROKER_URL=$url REDIS_URL=${REDIS_URL:-$url}
        echo "Redis: using the broker from CELERY_BROKER_URL / REDIS_URL"
        return 0
    fi
    command -v redis-server >/dev/null 2>&1 || apt_install redis-server
    REDIS_PORT=$(free_port)
    redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --daemonize yes --save '' \
        --appendonly no --dir "$RUN_DIR" --pidfile "$RUN_DIR/redis.pid" \
        --logfile "$RUN_DIR/redis.log"
    REDIS_STARTED=1
    local _
    for _ in $(seq 1 50); do
        [ "$(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null)" = PONG ] && break
        sleep 0.1
    done
    [ "$(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null)" = PONG ] ||
        {
            cat "$RUN_DIR/redis.log"
            return 1
        }
    export REDIS_URL="redis://127.0.0.1:$REDIS_PORT/0" CELERY_BROKER_URL="redis://127.0.0.1:$REDIS_PORT/0"
    echo "Redis: private server on 127.0.0.1:$REDIS_PORT ($(redis-server --version | cut -d' ' -f1-3))"
}

ensure_chromium() {
    if [ -x /usr/bin/chromium ]; then
        /usr/bin/chromium --version 2>/dev/null || true
    else
        apt_install chromium chromium-driver
    fi
    # Without a CJK font the Chinese pages' screenshots show empty boxes.
    dpkg -s fonts-wqy-zenhei >/dev/null 2>&1 || apt_install fonts-wqy-zenhei
}

start_services() {
    start_postgres
    start_redis
    ensure_chromium
}

# --- The steps ----------------------------------------------------------------------------
step "Python environment (.venv, uv, dependencies + dev)" setup_python --extra dev
PATH="$ROOT/.venv/bin:$PATH"
export PATH
step "ruff format --check ." ruff format --check .
step "ruff check ." ruff check .
step "lint-imports (apps import only the apps below them)" lint-imports --no-cache
step "Services (PostgreSQL, Redis, Chromium)" start_services

SECRET_KEY=$(python -c 'import secrets; print(secrets.token_urlsafe(64))')
export SECRET_KEY
export DEBUG=false
export ALLOWED_HOSTS=127.0.0.1,localhost,testserver
export PYTHONDONTWRITEBYTECODE=1
# Read by tests/conftest.py: where the Celery worker's pid is recorded for the cleanup above.
export TAN_TEST_RUN_DIR=$RUN_DIR

step "manage.py compilemessages" compile_messages
step "manage.py check" python manage.py check
step "manage.py makemigrations --check --dry-run" python manage.py makemigrations --check --dry-run
# The deploy check generates the OpenAPI schema, whose filter parameters list the reference
# codes the database holds. It runs as a deployment may: before `migrate` (no tables yet; the
# schema then lists no codes) and after it, on a scratch SQLite file, so that no database
# given through DATABASE_URL is touched.
deploy_check() {
    local scratch="sqlite:///$RUN_DIR/deploy-check.sqlite3"
    DATABASE_URL=$scratch python manage.py check --deploy --fail-level WARNING &&
        DATABASE_URL=$scratch python manage.py migrate --noinput -v 0 &&
        DATABASE_URL=$scratch python manage.py check --deploy --fail-level WARNING
}
step "manage.py check --deploy, before and after migrate" deploy_check
# The tests talk to the live server over plain http, so no redirect to https there; the
# deploy check above ran with the production default (redirect on).
# The slowest tests are listed at the end, to keep the suite well under CI's 20 minutes.
step "pytest" env SECURE_SSL_REDIRECT=false python -m pytest -x --no-header -q --durations=25 "$@"
