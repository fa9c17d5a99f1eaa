# Shared by scripts/backup.sh and scripts/restore.sh (sourced, not run): which database the
# app uses and which PostgreSQL client to reach it with. Expects ROOT (the checkout).

# The app's database URL, with the same default as tan_tracker/settings.py.
database_url() {
    printf '%s\n' "${DATABASE_URL:-sqlite:///$ROOT/db.sqlite3}"
}

is_postgres_url() {
    case "$1" in
        postgres://* | postgresql://* | pgsql://*) return 0 ;;
        *) return 1 ;;
    esac
}

# libpq reads postgres:// and postgresql:// URLs, not dj-database-url's pgsql:// alias.
libpq_url() {
    case "$1" in
        pgsql://*) printf 'postgresql://%s\n' "${1#pgsql://}" ;;
        *) printf '%s\n' "$1" ;;
    esac
}

# sqlite:////abs/path and sqlite:///relative/path, as dj-database-url reads them.
sqlite_path() {
    printf '%s\n' "${1#sqlite://}" | sed 's|^/||'
}

# A PostgreSQL client program: from PG_BIN if set, else the newest installed server version
# (pg_dump must be at least as new as the server), else PATH.
postgres_tool() {
    local name=$1 candidate
    for candidate in "${PG_BIN:+$PG_BIN/$name}" \
        "$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)/$name"; do
        if [ -n "$candidate" ] && [ -x "$candidate" ]; then
            printf '%s\n' "$candidate"
            return 0
        fi
    done
    command -v "$name"
}

project_python() {
    if [ -x "$ROOT/.venv/bin/python" ]; then
        printf '%s\n' "$ROOT/.venv/bin/python"
    else
        command -v python3
    fi
}
