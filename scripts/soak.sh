#!/usr/bin/env bash
# The long harnesses behind `make soak` (make test runs a short version of each):
#   the kill -9 crash harness, 1 000 cycles on SQLite and 200 on PostgreSQL, 32 writers.
# Prints each harness's figures; exits non-zero on the first failure.
set -euo pipefail
cd "$(dirname "$0")/.."
sscard=${1:-build/release/sscard}
node scripts/crash-soak.mjs "$sscard" sqlite "${SOAK_SQLITE_CYCLES:-1000}" 32
eval "$(scripts/pg-cluster.sh start)"
trap 'scripts/pg-cluster.sh stop "$SSCARD_PG_DIR"' EXIT
node scripts/crash-soak.mjs "$sscard" postgresql "${SOAK_PG_CYCLES:-200}" 32
