#!/usr/bin/env bash
# Builds and runs every test of the project with the given CMake preset (default: release),
# on every storage engine: the in-memory store, SQLite, and a throwaway PostgreSQL cluster
# started here and removed afterwards, also when tests fail.
# Exits non-zero on any failure. Used by `make test` and therefore by CI.
set -euo pipefail
cd "$(dirname "$0")/.."
preset=${1:-release}
jobs=$(nproc)

cmake --preset "$preset" >/dev/null
cmake --build --preset "$preset" -j "$jobs"
# The fuzz targets (clang, instrumented) are built here, before the tests run side by side.
FUZZ_BUILD_ONLY=1 scripts/fuzz.sh 0 "build/$preset/fuzz"
npm --prefix web run build --silent

eval "$(scripts/pg-cluster.sh start)"
trap 'scripts/pg-cluster.sh stop "$SSCARD_PG_DIR"' EXIT
echo "test: PostgreSQL on ${SSCARD_TEST_PG_URL}"
ctest --preset "$preset" -j "$jobs" --timeout 600
