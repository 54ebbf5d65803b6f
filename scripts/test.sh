#!/usr/bin/env bash
# Builds and runs every test of the project with the given CMake preset (default: release).
# Exits non-zero on any failure. Used by `make test` and therefore by CI.
set -euo pipefail
cd "$(dirname "$0")/.."
preset=${1:-release}
jobs=$(nproc)

cmake --preset "$preset" >/dev/null
cmake --build --preset "$preset" -j "$jobs"
ctest --preset "$preset" -j "$jobs" --timeout 300
