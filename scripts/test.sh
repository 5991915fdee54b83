#!/usr/bin/env bash
# Run the whole test suite on SQLite, then on PostgreSQL in a throwaway cluster started here and removed after.
# Extra arguments go to pytest (e.g. scripts/test.sh -k audit).
set -euo pipefail
cd "$(dirname "$0")/.."
export DJANGO_ALLOW_ASYNC_UNSAFE=true   # Playwright's sync API next to live_server
unset DATABASE_URL

workers="${SIAGA_TEST_WORKERS:-2}"

# A throwaway Redis for the job tests on the RQ backend (both passes), on a free port, stopped on exit.
redis_dir=$(mktemp -d /tmp/siaga-redis.XXXXXX)
redis_port=$(.venv/bin/python -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
stop_redis() { [ -f "$redis_dir/pid" ] && kill "$(cat "$redis_dir/pid")" 2>/dev/null || true; rm -rf "$redis_dir"; }
trap stop_redis EXIT
command -v redis-server >/dev/null || { echo "Redis is not installed (scripts/bootstrap.sh test installs it)" >&2; exit 1; }
redis-server --port "$redis_port" --bind 127.0.0.1 --save "" --appendonly no --dir "$redis_dir" \
  --daemonize yes --pidfile "$redis_dir/pid" --logfile "$redis_dir/log" >/dev/null
export SIAGA_TEST_REDIS_URL="redis://127.0.0.1:$redis_port"
# Schemathesis over every API operation and role (marker `fuzz`) runs once, in the PostgreSQL pass, where the
# server errors it guards against were found. Examples per operation: SIAGA_FUZZ_EXAMPLES, 25 here: at 100 the
# PostgreSQL pass took 17.7 min and the whole run would pass CI's 30 minutes (docs/security.md);
# `SIAGA_FUZZ_EXAMPLES=100 make test` is the issue's figure and `make reliability` runs the long version.
export SIAGA_FUZZ_EXAMPLES="${SIAGA_FUZZ_EXAMPLES:-25}"
echo "== Tes pada SQLite / Tests on SQLite"
.venv/bin/python -m pytest -n "$workers" -p no:cacheprovider -m "not fuzz" "$@"

echo "== Tes pada PostgreSQL / Tests on PostgreSQL"
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -z "$PGBIN" ]; then echo "PostgreSQL is not installed (scripts/bootstrap.sh test installs it)" >&2; exit 1; fi
tmp=$(mktemp -d /tmp/siaga-pg.XXXXXX)
port="${SIAGA_TEST_PG_PORT:-55432}"
as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
[ "$(id -u)" -eq 0 ] && chown postgres "$tmp"
cleanup() { as_pg "$PGBIN/pg_ctl" -D "$tmp/data" -m immediate stop >/dev/null 2>&1 || true; rm -rf "$tmp"; stop_redis; }
trap cleanup EXIT
as_pg "$PGBIN/initdb" -D "$tmp/data" -A trust -U siaga -E UTF8 >/dev/null
as_pg "$PGBIN/pg_ctl" -D "$tmp/data" -w -l "$tmp/log" \
  -o "-p $port -k $tmp -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" start >/dev/null
export DATABASE_URL="postgres://siaga@/siaga?host=$tmp&port=$port"
.venv/bin/python -m pytest -n "$workers" -p no:cacheprovider "$@"
