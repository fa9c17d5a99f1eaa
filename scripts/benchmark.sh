#!/usr/bin/env bash
# The benchmark command. From a fresh checkout on a fresh machine:
#   1. creates .venv and installs the dependencies (uv), and wrk when it is missing,
#   2. uses the PostgreSQL server of DATABASE_URL when it is set (its role must be allowed
#      to create databases), otherwise starts a private throwaway cluster on a free
#      loopback port (installing the Debian package only when the binaries are missing),
#   3. runs `python -m benchmarks`: throwaway databases <name>_s1 and <name>_s100 filled by
#      `manage.py generate_scale_data`, pages and API calls, dashboard recomputation next to
#      bare SQL, an import of 100,000 needs next to COPY, gunicorn + wrk throughput next to
#      /healthz; prints the table and writes it to BENCHMARKS.md.
# Extra arguments go to `python -m benchmarks` (e.g. --scales 1 10 --requests 10).
# Exit code 1 when a target is missed. Everything the script starts is stopped on exit.
set -Eeuo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

RUN_DIR=$(mktemp -d "${TMPDIR:-/tmp}/tan-tracker-benchmark.XXXXXX")
STARTED_AT=$EPOCHREALTIME

log() { printf '\n==> %s\n' "$*"; }
die() {
    printf 'benchmark.sh: %s\n' "$*" >&2
    exit 1
}
# shellcheck source=scripts/lib.sh
. "$ROOT/scripts/lib.sh"

cleanup() {
    local rc=$?
    set +e
    trap - EXIT INT TERM
    stop_private_postgres
    rm -rf "$RUN_DIR"
    printf '\n==> benchmark.sh finished in %ss (exit code %s)\n' \
        "$(awk -v a="$STARTED_AT" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.0f", b - a }')" "$rc"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- PostgreSQL ---------------------------------------------------------------------------
start_postgres() {
    if is_postgres_url "${DATABASE_URL:-}"; then
        echo "PostgreSQL: the server of DATABASE_URL (throwaway databases named after its database)"
        return 0
    fi
    start_private_postgres
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
