#!/usr/bin/env bash
# Installs every build, test, benchmark and fuzz dependency from Debian
# bookworm's packages. Idempotent and non-interactive: when every package is
# already present it does nothing (and needs no network).
set -euo pipefail

PACKAGES=(
  build-essential cmake ninja-build pkg-config g++
  clang-14 libclang-rt-14-dev clang-format-14
  libjpeg62-turbo-dev libpng-dev libwebp-dev libgif-dev libtiff-dev
  libssl-dev libcli11-dev libsqlite3-dev libexpat1-dev libboost-json1.81-dev
  libfaiss-dev libarchive-dev libopenmpi-dev openmpi-bin time
  libgtest-dev libgmock-dev libbenchmark-dev
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
