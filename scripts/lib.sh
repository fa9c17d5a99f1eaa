# Shell functions shared by scripts/run.sh, scripts/test.sh and scripts/benchmark.sh:
# root and postgres commands, Debian packages, the Python environment and a private
# throwaway PostgreSQL cluster. Sourced, not run; the caller sets ROOT (and RUN_DIR, a
# scratch directory, before start_private_postgres).

# Progress lines, and the error that stops the calling script (named by its file name).
log() { printf '\n==> %s\n' "$*"; }
die() {
    printf '%s: %s\n' "$(basename "$0")" "$*" >&2
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

# setup_python [uv pip install options...]: .venv (created when missing or broken) with the
# dependencies of pyproject.toml, e.g. `setup_python --extra dev`.
setup_python() {
    if [ ! -x .venv/bin/python ] || ! .venv/bin/python -c '' 2>/dev/null; then
        local python
        python=$(find_python) || die "Python 3.11 or newer is needed (set PYTHON=/path/to/python3.11)"
        if ! "$python" -c 'import ensurepip, venv' 2>/dev/null; then
            apt_install python3-venv # Debian ships venv separately
        fi
        rm -rf .venv
        "$python" -m venv .venv
    fi
    if [ ! -x .venv/bin/uv ]; then
        .venv/bin/python -m pip install --quiet --disable-pip-version-check uv
    fi
    VIRTUAL_ENV="$ROOT/.venv" .venv/bin/uv pip install --quiet --python .venv/bin/python \
        -r pyproject.toml "$@"
    # uv installs without bytecode; compiled once here, every later Python start (checks,
    # pytest, the Celery worker, the server) saves ~10 s of recompiling the libraries.
    .venv/bin/python -m compileall -q -j 0 .venv/lib/python3*/site-packages >/dev/null || true
}

# --- A private PostgreSQL cluster ---------------------------------------------------------
is_postgres_url() {
    case "${1:-}" in
        postgres://* | postgresql://* | pgsql://*) return 0 ;;
        *) return 1 ;;
    esac
}

PG_BIN=""
PG_DATA=""
PG_STARTED=""

# start_private_postgres: a throwaway cluster on a free 127.0.0.1 port (installing the
# Debian package when missing), with a role and database `app`; exports DATABASE_URL.
start_private_postgres() {
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
    # No durability needed; the server's other settings stay at their defaults
    # (BENCHMARKS.md records them).
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

# stop_private_postgres: stops and deletes the cluster start_private_postgres made, if any.
stop_private_postgres() {
    if [ -n "$PG_STARTED" ]; then
        as_postgres "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w -t 30 stop >/dev/null 2>&1 ||
            as_postgres "$PG_BIN/pg_ctl" -D "$PG_DATA" -m immediate -w stop >/dev/null 2>&1
    fi
    [ -n "$PG_DATA" ] && rm -rf "$PG_DATA"
    return 0
}
