#!/usr/bin/env bash
# The long harnesses behind `make soak` (make test runs a short version of each):
#   the kill -9 crash harness, 1 000 cycles on SQLite and 200 on PostgreSQL, 32 writers;
#   the idempotency storm, 1 000 requests per route and phase, and the card-operation race,
#   10 000 races of 16 clients, on each engine (scripts/race-soak.mjs).
# Prints each harness's figures; exits non-zero on the first failure.
set -euo pipefail
cd "$(dirname "$0")/.."
sscard=${1:-build/release/sscard}
node scripts/crash-soak.mjs "$sscard" sqlite "${SOAK_SQLITE_CYCLES:-1000}" 32
node scripts/race-soak.mjs "$sscard" storm sqlite "${SOAK_STORM_REQUESTS:-1000}"
node scripts/race-soak.mjs "$sscard" race sqlite "${SOAK_RACES:-10000}" 16
eval "$(scripts/pg-cluster.sh start)"
trap 'scripts/pg-cluster.sh stop "$SSCARD_PG_DIR"' EXIT
node scripts/crash-soak.mjs "$sscard" postgresql "${SOAK_PG_CYCLES:-200}" 32
node scripts/race-soak.mjs "$sscard" storm postgresql "${SOAK_STORM_REQUESTS:-1000}"
node scripts/race-soak.mjs "$sscard" race postgresql "${SOAK_RACES:-10000}" 16
