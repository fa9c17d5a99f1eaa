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

# shellcheck source=scripts/lib.sh
. "$ROOT/scripts/lib.sh"

echo "==> Python environment (.venv) and dependencies"
setup_python

PYTHON_BIN="$ROOT/.venv/bin/python"
echo "==> Migrating the SQLite database (db.sqlite3)"
"$PYTHON_BIN" manage.py migrate --noinput
echo "==> Loading the demo data (skipped when already loaded)"
"$PYTHON_BIN" manage.py load_demo
echo "==> Compiling the message catalogues (locale/*/LC_MESSAGES/django.mo)"
command -v msgfmt >/dev/null 2>&1 || apt_install gettext
"$PYTHON_BIN" manage.py compilemessages --ignore=.venv --verbosity 0
echo "==> Collecting static files"
"$PYTHON_BIN" manage.py collectstatic --noinput --verbosity 0

echo "==> Serving on http://127.0.0.1:$PORT/  (Ctrl-C stops)"
exec "$PYTHON_BIN" manage.py runserver "127.0.0.1:$PORT"
