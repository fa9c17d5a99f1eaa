#!/usr/bin/env bash
# Restore a backup made by scripts/backup.sh (docs/OPERATIONS.md, "Backup and restore").
#
#   scripts/restore.sh [--clean] FILE
#
# Into the database the app uses: DATABASE_URL, or the embedded SQLite db.sqlite3. Stop the
# web, worker and beat processes first. All or nothing: a restore that fails leaves the
# target as it was.
#  - PostgreSQL: `pg_restore` of a .dump file in one transaction into an EMPTY database
#    (createdb it first). With --clean the tables already there are dropped and replaced.
#  - SQLite: a .json.gz file is loaded (`loaddata`) into a freshly migrated database file,
#    which then takes the place of the old one. The target must not exist yet; with --clean
#    the old file is kept as FILE.before-restore-YYYYmmdd-HHMMSS.
set -Eeuo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=scripts/lib/database.sh
. "$ROOT/scripts/lib/database.sh"

die() {
    printf 'restore.sh: %s\n' "$*" >&2
    exit 1
}

CLEAN=""
if [ "${1:-}" = --clean ]; then
    CLEAN=1
    shift
fi
[ $# -eq 1 ] || die "usage: scripts/restore.sh [--clean] FILE"
FILE=$(realpath -m "$1")
[ -f "$FILE" ] && [ -r "$FILE" ] || die "no readable backup file at $FILE"
# From the checkout, as the app runs: a relative SQLite path means the same file.
cd "$ROOT"
URL=$(database_url)

restore_postgres() {
    local pg_restore psql target tables
    pg_restore=$(postgres_tool pg_restore) || die "pg_restore not found (apt-get install postgresql-client)"
    psql=$(postgres_tool psql) || die "psql not found (apt-get install postgresql-client)"
    target=$(libpq_url "$URL")
    "$pg_restore" --list "$FILE" >/dev/null 2>&1 ||
        die "$FILE is not a PostgreSQL custom-format dump (make one with scripts/backup.sh)"
    tables=$("$psql" --dbname "$target" -qtAX -v ON_ERROR_STOP=1 \
        -c "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'") ||
        die "cannot connect to the target database (is it created? createdb NAME)"
    local options=(--no-owner --no-privileges --exit-on-error --single-transaction)
    if [ "$tables" -gt 0 ]; then
        [ -n "$CLEAN" ] || die "the target database already has $tables tables; restore into \
an empty database (createdb NAME), or pass --clean to replace what is there"
        options+=(--clean --if-exists)
    fi
    "$pg_restore" "${options[@]}" --dbname "$target" "$FILE"
    echo "Restored $FILE into the PostgreSQL database ($tables tables replaced)."
}

restore_sqlite() {
    local target python stamp
    case "$FILE" in
        *.json.gz) ;;
        *) die "an SQLite restore reads a .json.gz file made by scripts/backup.sh, not $FILE" ;;
    esac
    target=$(sqlite_path "$URL")
    if [ -s "$target" ] && [ -z "$CLEAN" ]; then
        die "$target already exists; move it away, or pass --clean (the old file is kept)"
    fi
    # Global, for the EXIT trap: a restore that fails midway leaves no half-loaded file.
    FRESH="$target.restoring-$$"
    trap 'rm -f "$FRESH"' EXIT
    python=$(project_python)
    # migrate builds the tables (and loads reference data, which flush removes so that the
    # database holds exactly what the backup holds); loaddata runs in one transaction.
    local fresh_url
    fresh_url="sqlite:///$(realpath -m "$FRESH")"
    DATABASE_URL=$fresh_url "$python" manage.py migrate --noinput --verbosity 0
    DATABASE_URL=$fresh_url "$python" manage.py flush --noinput --verbosity 0
    DATABASE_URL=$fresh_url "$python" manage.py loaddata "$FILE" --verbosity 1
    if [ -e "$target" ]; then
        stamp=$(date -u +%Y%m%d-%H%M%S)
        mv "$target" "$target.before-restore-$stamp"
        echo "The previous database is kept as $target.before-restore-$stamp."
    fi
    mv "$FRESH" "$target"
    echo "Restored $FILE into $target."
}

if is_postgres_url "$URL"; then
    restore_postgres
else
    restore_sqlite
fi
