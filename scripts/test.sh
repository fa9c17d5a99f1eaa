#!/usr/bin/env bash
# The test command. From a fresh checkout on a fresh machine:
#   1. creates .venv and installs the dependencies with their dev extra (uv),
#   2. lints (ruff format --check, ruff check),
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
PG_DATA=""
PG_BIN=""
PG_STARTED=""
REDIS_PORT=""
REDIS_STARTED=""
STEP_REPORT=()
CURRENT_STEP=""
STEP_START=""
SCRIPT_START=$EPOCHREALTIME

log() { printf '\n==> %s\n' "$*"; }
die() {
    printf 'test.sh: %s\n' "$*" >&2
    exit 1
}

elapsed_since() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }'; }

print_report() {
    [ "${#STEP_REPORT[@]}" -gt 0 ] || return 0
    printf '\n==> Timings\n'
    printf '  %s\n' "${STEP_REPORT[@]}"
    printf '  %-52s %7ss\n' "total" "$(elapsed_since "$SCRIPT_START")"
}

as_root() {
    if [ "$(id -u)" -eq 0 ]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo "$@"
    else
        die "need root (or sudo) to run: $*"
    fi
}

as_postgres() {
    # initdb refuses to run as root; as another user the cluster simply belongs to that user.
    if [ "$(id -u)" -eq 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

APT_UPDATED=""
apt_install() {
    command -v apt-get >/dev/null 2>&1 || die "cannot install $* (no apt-get); install it yourself"
    if [ -z "$APT_UPDATED" ]; then
        as_root apt-get update -qq
        APT_UPDATED=1
    fi
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@"
}

compile_messages() {
    # The .mo catalogues are built from the committed .po files (msgfmt, Debian gettext).
    command -v msgfmt >/dev/null 2>&1 || apt_install gettext
    python manage.py compilemessages --ignore=.venv --verbosity 0
}

free_port() {
    python3 -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()'
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
    if [ -n "$PG_STARTED" ]; then
        as_postgres "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w -t 30 stop >/dev/null 2>&1 ||
            as_postgres "$PG_BIN/pg_ctl" -D "$PG_DATA" -m immediate -w stop >/dev/null 2>&1
    fi
    [ -n "$PG_DATA" ] && rm -rf "$PG_DATA"
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

# --- Python environment -------------------------------------------------------------------
find_python() {
    local candidate
    for candidate in "${PYTHON:-}" python3 python3.13 python3.12 python3.11; do
        [ -n "$candidate" ] || continue
        command -v "$candidate" >/dev/null 2>&1 || continue
        if "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
            echo "$candidate"
            return 0
        fi
    done
    return 1
}

setup_python() {
    if [ ! -x .venv/bin/python ] || ! .venv/bin/python -c '' 2>/dev/null; then
        local python
        python=$(find_python) || die "Python 3.11 or newer is needed (set PYTHON=/path/to/python3.11)"
        if ! "$python" -c 'import ensurepip, venv' 2>/dev/null; then
            apt_install python3-venv
        fi
        rm -rf .venv
        "$python" -m venv .venv
    fi
    if [ ! -x .venv/bin/uv ]; then
        .venv/bin/python -m pip install --quiet --disable-pip-version-check uv
    fi
    VIRTUAL_ENV="$ROOT/.venv" .venv/bin/uv pip install --quiet --python .venv/bin/python \
        -r pyproject.toml --extra dev
    # uv installs without bytecode; compiled once here, every later Python start (checks,
    # pytest, the Celery worker) saves ~10 s of recompiling the libraries.
    .venv/bin/python -m compileall -q -j 0 .venv/lib/python3*/site-packages >/dev/null || true
}

# --- Services -----------------------------------------------------------------------------
is_postgres_url() {
    case "${1:-}" in
        postgres://* | postgresql://* | pgsql://*) return 0 ;;
        *) return 1 ;;
    esac
}

start_postgres() {
    if is_postgres_url "${DATABASE_URL:-}"; then
        echo "PostgreSQL: using DATABASE_URL from the environment"
        return 0
    fi
    [ -n "${DATABASE_URL:-}" ] && echo "DATABASE_URL is not PostgreSQL; starting a private PostgreSQL instead"
    PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
    if [ -z "$PG_BIN" ] || [ ! -x "$PG_BIN/initdb" ]; then
        apt_install postgresql
        PG_BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
    fi
    local port
    port=$(free_port)
    PG_DATA=$(mktemp -d "${TMPDIR:-/tmp}/tan-tracker-pg.XXXXXX")
    chmod 700 "$PG_DATA"
    if [ "$(id -u)" -eq 0 ]; then
        chown postgres:postgres "$PG_DATA"
    fi
    as_postgres "$PG_BIN/initdb" -D "$PG_DATA" -U postgres -A trust --no-sync -E UTF8 \
        --locale=C.UTF-8 >"$RUN_DIR/initdb.log" 2>&1 ||
        {
            cat "$RUN_DIR/initdb.log"
            return 1
        }
    PG_STARTED=1
    as_postgres "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$PG_DATA/server.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $port -k $PG_DATA -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
        start >/dev/null ||
        {
            cat "$PG_DATA/server.log"
            return 1
        }
    "$PG_BIN/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 -qX \
        -c "CREATE ROLE app LOGIN PASSWORD 'app' CREATEDB" \
        -c "CREATE DATABASE app OWNER app"
    export DATABASE_URL="postgres://app:app@127.0.0.1:$port/app"
    echo "PostgreSQL: private cluster on 127.0.0.1:$port ($("$PG_BIN/postgres" --version))"
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
step "Python environment (.venv, uv, dependencies + dev)" setup_python
PATH="$ROOT/.venv/bin:$PATH"
export PATH
step "ruff format --check ." ruff format --check .
step "ruff check ." ruff check .
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
# codes the database holds: it runs, as in production, against a migrated database (a
# scratch SQLite file, so that no database given through DATABASE_URL is touched).
deploy_check() {
    local scratch="sqlite:///$RUN_DIR/deploy-check.sqlite3"
    DATABASE_URL=$scratch python manage.py migrate --noinput -v 0 &&
        DATABASE_URL=$scratch DEBUG=false python manage.py check --deploy --fail-level WARNING
}
step "manage.py migrate + check --deploy --fail-level WARNING" deploy_check
# The tests talk to the live server over plain http, so no redirect to https there; the
# deploy check above ran with the production default (redirect on).
step "pytest" env SECURE_SSL_REDIRECT=false python -m pytest -x --no-header -q "$@"
