#!/usr/bin/env bash
# Installs every build, test, benchmark and fuzz dependency: Debian
# bookworm's packages, and the npm packages the tests run (pinned by
# tests/node/package-lock.json). Idempotent and non-interactive: when
# everything is present it does nothing (and needs no network).
set -euo pipefail

PACKAGES=(
  build-essential cmake ninja-build pkg-config g++
  clang-14 libclang-rt-14-dev clang-format-14
  libjpeg62-turbo-dev libpng-dev libwebp-dev libgif-dev libtiff-dev
  libssl-dev libcli11-dev libsqlite3-dev libexpat1-dev libboost1.81-all-dev
  libtomlplusplus-dev libsodium-dev libhyperscan-dev libicu-dev libfaiss-dev libarchive-dev libopenmpi-dev openmpi-bin
  libopencv-dnn-dev python3-onnx python3-numpy
  libgtest-dev libgmock-dev libbenchmark-dev time wrk curl
)
# Node.js runs third-party clients against the service in the tests (the
# official openai package); a Node.js already on the machine is used.
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  PACKAGES+=(nodejs npm)
fi

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -gt 0 ]; then
  echo "install-deps: installing ${missing[*]}"
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# npm packages, exactly as locked (integrity-checked by npm ci); redone only
# when the lock file changes. package.json pins cbor-extract (an optional
# native helper of c2pa-ts's CBOR library) to 2.2.2 by an override: 2.2.3
# names platform packages the registry does not have, which npm leaves out
# of the lock file and npm ci then refuses.
node_dir="$(cd "$(dirname "$0")/.." && pwd)/tests/node"
stamp="$node_dir/node_modules/.bulwark-lock"
if ! cmp -s "$node_dir/package-lock.json" "$stamp" 2>/dev/null; then
  echo "install-deps: npm ci in tests/node"
  (cd "$node_dir" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
  cp "$node_dir/package-lock.json" "$stamp"
fi
