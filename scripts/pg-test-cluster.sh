#!/usr/bin/env bash
# Starts or stops a throwaway PostgreSQL 15 cluster for the tests (initdb refuses root, so it
# runs as the postgres user). Usage:
#   eval "$(scripts/pg-test-cluster.sh start)"   # exports DOSSIER_TEST_PG_{HOST,PORT,USER,DIR}
#   scripts/pg-test-cluster.sh stop DIR
set -euo pipefail
BIN=/usr/lib/postgresql/15/bin
as_pg() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
case "${1:-}" in
  start)
    DIR=$(mktemp -d /tmp/dossier-pg.XXXXXX)
    [ "$(id -u)" -eq 0 ] && chown postgres: "$DIR"
    as_pg "$BIN/initdb" -D "$DIR/data" -U test -A trust -E UTF8 --locale=C.UTF-8 >"$DIR/initdb.log" 2>&1 \
      || { cat "$DIR/initdb.log" >&2; exit 1; }
    for attempt in 1 2 3 4 5 6 7 8; do
      PORT=$(( 40000 + RANDOM % 20000 ))
      if as_pg "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/log" -w -t 30 \
           -o "-p $PORT -k $DIR -c listen_addresses='' -c fsync=off -c max_connections=200" start >/dev/null 2>&1; then
        echo "export DOSSIER_TEST_PG_HOST=$DIR DOSSIER_TEST_PG_PORT=$PORT DOSSIER_TEST_PG_USER=test DOSSIER_TEST_PG_DIR=$DIR"
        exit 0
      fi
    done
    cat "$DIR/log" >&2 || true
    exit 1
    ;;
  stop)
    DIR="${2:?cluster dir}"
    as_pg "$BIN/pg_ctl" -D "$DIR/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$DIR"
    ;;
  *) echo "usage: $0 start | stop DIR" >&2; exit 2 ;;
esac
