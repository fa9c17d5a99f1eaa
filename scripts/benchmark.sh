#!/usr/bin/env bash
# The benchmark command. From a fresh checkout on a fresh machine:
#   1. creates .venv and installs the dependencies (uv), and wrk when it is missing,
#   2. uses the PostgreSQL server of DATABASE_URL when it is set (its role must be allowed
#      to create databases), otherwise starts a private throwaway cluster on a free
#      loopback port (installing the Debian package only when the binaries are missing),
#   3. runs `python -m benchmarks`: throwaway databases <name>_s1 and <name>_s100 filled by
#      `manage.py generate_scale_data`, pages and API calls, dashboard recomputation next to
#      bare SQL, an import of 10,000 needs next to COPY, gunicorn + wrk throughput next to
#      /healthz; prints the table and writes it to BENCHMARKS.md.
# Extra arguments go to `python -m benchmarks` (e.g. --scales 1 10 --requests 10).
# Exit code 1 when a target is missed. Everything the script starts is stopped on exit.
set -Eeuo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

RUN_DIR=$(mktemp -d "${TMPDIR:-/tmp}/tan-tracker-benchmark.XXXXXX")
PG_DATA=""
PG_BIN=""
PG_STARTED=""
STARTED_AT=$EPOCHREALTIME

log() { printf '\n==> %s\n' "$*"; }
die() {
    printf 'benchmark.sh: %s\n' "$*" >&2
    exit 1
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
    if [ -n "$PG_STARTED" ]; then
        as_postgres "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w -t 30 stop >/dev/null 2>&1 ||
            as_postgres "$PG_BIN/pg_ctl" -D "$PG_DATA" -m immediate -w stop >/dev/null 2>&1
    fi
    [ -n "$PG_DATA" ] && rm -rf "$PG_DATA"
    rm -rf "$RUN_DIR"
    printf '\n==> benchmark.sh finished in %ss (exit code %s)\n' \
        "$(awk -v a="$STARTED_AT" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.0f", b - a }')" "$rc"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- Python environment (as scripts/test.sh, without the dev extra) -----------------------
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
        -r pyproject.toml
}

# --- PostgreSQL ---------------------------------------------------------------------------
is_postgres_url() {
    case "${1:-}" in
        postgres://* | postgresql://* | pgsql://*) return 0 ;;
        *) return 1 ;;
    esac
}

start_postgres() {
    if is_postgres_url "${DATABASE_URL:-}"; then
        echo "PostgreSQL: the server of DATABASE_URL (throwaway databases named after its database)"
        return 0
    fi
    PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
    if [ -z "$PG_BIN" ] || [ ! -x "$PG_BIN/initdb" ]; then
        apt_install postgresql
        PG_BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
    fi
    local port
    port=$(free_port)
    PG_DATA=$(mktemp -d "${TMPDIR:-/tmp}/tan-tracker-benchmark-pg.XXXXXX")
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
    # A throwaway cluster: no durability needed, the server's other settings left at their
    # defaults (BENCHMARKS.md records them).
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

log "Python environment (.venv, uv, dependencies)"
setup_python
log "wrk"
command -v wrk >/dev/null 2>&1 || apt_install wrk
wrk -v 2>&1 | head -n 1 || true
log "PostgreSQL"
start_postgres

log "Benchmark (python -m benchmarks $*)"
command_line="scripts/benchmark.sh${*:+ $*}"
.venv/bin/python -m benchmarks --command "$command_line" "$@"
