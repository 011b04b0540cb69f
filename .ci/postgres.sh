#!/usr/bin/env bash
# Starts a throwaway PostgreSQL cluster on 127.0.0.1 for the tests and
# prints its URL. Needs Debian's postgresql package; runs as root (the
# cluster itself runs as the postgres user).
set -euo pipefail
PORT=${PGPORT:-54329}
DATA=${PGDATA_DIR:-/tmp/herald-pg}
BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
if ! "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1 && ! su postgres -c "$BIN/pg_ctl -D $DATA status" >/dev/null 2>&1; then
  rm -rf "$DATA"
  mkdir -p "$DATA"
  chown postgres:postgres "$DATA"
  su postgres -c "$BIN/initdb -D $DATA -U postgres --auth=trust -E UTF8 --locale=C.UTF-8" >/dev/null
  su postgres -c "$BIN/pg_ctl -D $DATA -l $DATA/log -w -o '-h 127.0.0.1 -p $PORT -k /tmp -c max_connections=300 -c fsync=off -c synchronous_commit=off -c full_page_writes=off' start" >/dev/null
fi
echo "postgres://postgres@127.0.0.1:$PORT/postgres?sslmode=disable"
