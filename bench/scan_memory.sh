#!/usr/bin/env bash
# Peak memory of `bulwark scan` over 100 shards, for two shard sizes: the
# pipeline bounds memory, so the peak should not follow the shard size.
# The 100 shards are hard links to one shard (no extra disk, read from the
# page cache); the bank holds 1,000,000 PDQ hashes.
# Usage: bash bench/scan_memory.sh [BUILD_DIR]   (needs /usr/bin/time)
set -euo pipefail
build=${1:-build}
tmp=$(mktemp -d /tmp/bulwark_scan_memory.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
for per_shard in 50 1000; do
  "$build/bulwark_scan_bench" --write-dataset "$tmp/ds" --sizes 0.6 \
    --images "$per_shard" --per-shard "$per_shard" >/dev/null
  mkdir -p "$tmp/links"
  for i in $(seq -w 0 99); do ln "$tmp/ds/shards/00000.tar" "$tmp/links/$i.tar"; done
  size=$(du -m "$tmp/ds/shards/00000.tar" | cut -f1)
  if [ "$per_shard" -le 50 ]; then  # the same command on nothing: the index
    mkdir -p "$tmp/empty"
    /usr/bin/time -f "%M KiB peak, %e s" "$build/bulwark" scan -q \
      --data "$tmp/ds/data" --out "$tmp/out0" "$tmp/empty" 2>"$tmp/time" || true
    echo "an empty directory (the bank and index alone): $(tail -1 "$tmp/time")"
  fi
  /usr/bin/time -f "%M KiB peak, %e s" "$build/bulwark" scan -q \
    --data "$tmp/ds/data" --out "$tmp/out" "$tmp"/links/*.tar 2>"$tmp/time" || true
  echo "100 shards of $per_shard samples (${size} MB each): $(tail -1 "$tmp/time")"
  if [ "$per_shard" -le 50 ]; then  # the copies take disk space
    /usr/bin/time -f "%M KiB peak, %e s" "$build/bulwark" scan -q --force \
      --data "$tmp/ds/data" --out "$tmp/out" --write-filtered "$tmp/filtered" \
      "$tmp"/links/*.tar 2>"$tmp/time" || true
    echo "  with --write-filtered: $(tail -1 "$tmp/time")"
  fi
  rm -rf "$tmp/ds" "$tmp/links" "$tmp/out" "$tmp/filtered"
done
