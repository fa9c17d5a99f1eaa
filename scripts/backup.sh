#!/usr/bin/env bash
# Back up the tracker's database into one file (docs/OPERATIONS.md, "Backup and restore").
#
#   scripts/backup.sh [FILE]
#
# The database is the one the app uses: DATABASE_URL, or the embedded SQLite db.sqlite3.
#  - PostgreSQL: `pg_dump --format=custom` (a consistent snapshot, taken while the app runs;
#    restore it with scripts/restore.sh or pg_restore). FILE defaults to
#    backups/tan-tracker-YYYYmmdd-HHMMSS.dump.
#  - SQLite: `manage.py dumpdata` of every table but the ones `migrate` rebuilds (content
#    types, permissions) and the sessions, gzip-compressed. FILE defaults to
#    backups/tan-tracker-YYYYmmdd-HHMMSS.json.gz.
# The file is written next to its final name and renamed at the end, so a failed backup
# never leaves a truncated file behind under the final name. Prints the file's path.
set -Eeuo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=scripts/lib/database.sh
. "$ROOT/scripts/lib/database.sh"

die() {
    printf 'backup.sh: %s\n' "$*" >&2
    exit 1
}

[ $# -le 1 ] || die "usage: scripts/backup.sh [FILE]"
GIVEN_FILE=${1:+$(realpath -m "$1")}
# From the checkout, as the app runs: a relative SQLite path means the same file.
cd "$ROOT"
URL=$(database_url)
STAMP=$(date -u +%Y%m%d-%H%M%S)

if is_postgres_url "$URL"; then
    FILE=${GIVEN_FILE:-$ROOT/backups/tan-tracker-$STAMP.dump}
else
    FILE=${GIVEN_FILE:-$ROOT/backups/tan-tracker-$STAMP.json.gz}
    case "$FILE" in
        *.json.gz) ;;
        *) die "an SQLite backup is a .json.gz file (dumpdata compresses by the name): $FILE" ;;
    esac
fi
mkdir -p "$(dirname "$FILE")"
PARTIAL="$(dirname "$FILE")/.partial-$(basename "$FILE")"
trap 'rm -f "$PARTIAL"' EXIT

if is_postgres_url "$URL"; then
    PG_DUMP=$(postgres_tool pg_dump) || die "pg_dump not found (apt-get install postgresql-client)"
    "$PG_DUMP" --format=custom --no-owner --no-privileges --dbname "$(libpq_url "$URL")" \
        --file "$PARTIAL"
else
    "$(project_python)" manage.py dumpdata --natural-foreign --exclude contenttypes \
        --exclude auth.permission --exclude sessions --output "$PARTIAL" --verbosity 0
fi
mv "$PARTIAL" "$FILE"
echo "$FILE"
