#!/usr/bin/env bash
# A throwaway PostgreSQL 15 cluster for the tests: initdb in a temp folder as an
# unprivileged user (root runs it as `postgres`), listening on a free loopback port.
#   eval "$(scripts/pg-cluster.sh start)"   # exports SSCARD_TEST_PG_URL and SSCARD_PG_DIR
#   scripts/pg-cluster.sh stop "$SSCARD_PG_DIR"
set -euo pipefail
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[[ -x "$bin/initdb" ]] || { echo "pg-cluster: PostgreSQL server binaries not found (apt-get install postgresql)" >&2; exit 1; }

as_owner() {
  if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case ${1:-} in
  start)
    dir=$(mktemp -d /tmp/sscard-pg.XXXXXX)
    [[ $(id -u) -eq 0 ]] && chown postgres:postgres "$dir"
    as_owner "$bin/initdb" -D "$dir/data" -U sscard -A trust -E UTF8 --locale=C.UTF-8 --no-sync >"$dir/initdb.log" 2>&1 \
      || { cat "$dir/initdb.log" >&2; exit 1; }
    for _ in $(seq 1 20); do
      port=$((20000 + RANDOM % 20000))
      (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && continue  # taken
      if as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start \
          -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c max_connections=200" \
          >/dev/null 2>&1; then
        as_owner "$bin/createdb" -h 127.0.0.1 -p "$port" -U sscard sscard
        echo "export SSCARD_PG_DIR=$dir"
        echo "export SSCARD_TEST_PG_URL=postgresql://sscard@127.0.0.1:$port/sscard"
        exit 0
      fi
    done
    cat "$dir/server.log" >&2 || true
    echo "pg-cluster: could not start PostgreSQL" >&2
    exit 1
    ;;
  stop)
    dir=${2:?directory}
    as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
    rm -rf "$dir"
    ;;
  *)
    echo "usage: $0 start | stop DIR" >&2
    exit 2
    ;;
esac
