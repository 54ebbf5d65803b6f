#!/usr/bin/env bash
# Runs the benchmarks against the release build and writes JSON results to bench/results/.
# Each prints its figure next to a raw baseline measured in the same run, and the ratio.
# Usage: bench/run.sh [BUILD_DIR]   (make bench builds first)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build/release}
mkdir -p bench/results
stamp=$(date -u +%Y%m%dT%H%M%SZ)
quiet() { grep -v ' info request_id=' || true; }  # the access log stays on, but off the screen

echo "== micro (Google Benchmark; $(nproc) cores, $(uname -m)) =="
"$build/bench/micro_benchmark" --benchmark_min_time=0.2 \
  --benchmark_out="bench/results/micro-$stamp.json" --benchmark_out_format=json

echo "== HTTP: card status read vs a bare server (same process, loopback) =="
"$build/bench/http_benchmark" --connections 64 --seconds 5 --out "bench/results/http-$stamp.json" 2>&1 | quiet

echo "== instant operation on SQLite vs the same writes as raw SQL =="
"$build/bench/instant_benchmark" --clients 32 --seconds 5 --out "bench/results/instant-sqlite-$stamp.json" 2>&1 | quiet

echo "== instant operation on PostgreSQL vs a pgbench script of the same writes =="
eval "$(scripts/pg-cluster.sh start)"
trap 'scripts/pg-cluster.sh stop "$SSCARD_PG_DIR"' EXIT
"$build/bench/instant_benchmark" --clients 32 --seconds 5 --db "$SSCARD_TEST_PG_URL" \
  --out "bench/results/instant-postgresql-$stamp.json" 2>&1 | quiet

echo "== bulk import of 1 000 000 persons vs raw batched inserts =="
"$build/bench/import_benchmark" --persons 1000000 --out "bench/results/import-$stamp.json"

echo "== sweeps over 1 000 000 cards vs one indexed scan =="
"$build/bench/sweep_benchmark" --cards 1000000 --out "bench/results/sweeps-$stamp.json"
echo "results: bench/results/*-$stamp.json"
