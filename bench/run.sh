#!/usr/bin/env bash
# Runs the benchmarks against the release build and writes JSON results to bench/results/.
# Usage: bench/run.sh [BUILD_DIR]   (make bench builds first)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build/release}
mkdir -p bench/results
stamp=$(date -u +%Y%m%dT%H%M%SZ)
echo "== micro (Google Benchmark; $(nproc) cores, $(uname -m)) =="
"$build/bench/micro_benchmark" --benchmark_min_time=0.2 \
  --benchmark_out="bench/results/micro-$stamp.json" --benchmark_out_format=json
echo "results: bench/results/micro-$stamp.json"

echo "== HTTP: card status read vs a bare server (same process, loopback) =="
"$build/bench/http_benchmark" --connections 64 --seconds 5 --out "bench/results/http-$stamp.json"
