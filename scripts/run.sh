#!/usr/bin/env bash
# The run command. From a fresh checkout: creates .venv, installs the dependencies (uv),
# migrates an SQLite database (db.sqlite3), loads the demo data once, collects the static
# files and serves the app on http://127.0.0.1:8000 with the development server. Tasks run
# in-process (no Redis, no worker). Safe to run again: every step is idempotent.
# PORT=8001 scripts/run.sh serves on another port.
set -Eeuo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

PORT=${PORT:-8000}

# The embedded defaults: SQLite and eager tasks, whatever the shell had set.
unset DATABASE_URL REDIS_URL CELERY_BROKER_URL
export DEBUG=true

die() {
    printf 'run.sh: %s\n' "$*" >&2
    exit 1
}

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

if [ ! -x .venv/bin/python ] || ! .venv/bin/python -c '' 2>/dev/null; then
    echo "==> Creating .venv"
    PY=$(find_python) || die "Python 3.11 or newer is needed (set PYTHON=/path/to/python3.11)"
    if ! "$PY" -c 'import ensurepip, venv' 2>/dev/null; then
        # Debian ships venv separately.
        if [ "$(id -u)" -eq 0 ]; then SUDO=(); else SUDO=(sudo); fi
        "${SUDO[@]}" apt-get update -qq
        "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv
    fi
    rm -rf .venv
    "$PY" -m venv .venv
fi
if [ ! -x .venv/bin/uv ]; then
    .venv/bin/python -m pip install --quiet --disable-pip-version-check uv
fi
echo "==> Installing dependencies"
VIRTUAL_ENV="$ROOT/.venv" .venv/bin/uv pip install --quiet --python .venv/bin/python -r pyproject.toml
# uv installs without bytecode; compiled once here, every later start saves ~10 s.
.venv/bin/python -m compileall -q -j 0 .venv/lib/python3*/site-packages >/dev/null || true

PYTHON_BIN="$ROOT/.venv/bin/python"
echo "==> Migrating the SQLite database (db.sqlite3)"
"$PYTHON_BIN" manage.py migrate --noinput
echo "==> Loading the demo data (skipped when already loaded)"
"$PYTHON_BIN" manage.py load_demo
echo "==> Compiling the message catalogues (locale/*/LC_MESSAGES/django.mo)"
if ! command -v msgfmt >/dev/null 2>&1; then
    if [ "$(id -u)" -eq 0 ]; then SUDO=(); else SUDO=(sudo); fi
    "${SUDO[@]}" apt-get update -qq
    "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext
fi
"$PYTHON_BIN" manage.py compilemessages --ignore=.venv --verbosity 0
echo "==> Collecting static files"
"$PYTHON_BIN" manage.py collectstatic --noinput --verbosity 0

echo "==> Serving on http://127.0.0.1:$PORT/  (Ctrl-C stops)"
exec "$PYTHON_BIN" manage.py runserver "127.0.0.1:$PORT"
