#!/usr/bin/env bash
# End-to-end throughput of the `bulwark hash` command, single core: files
# read from the page cache, decoded and hashed, one output line each.
# Usage: bench/hash_cli.sh [path/to/bulwark] [runs]
# Uses the shared test set's 1.6 MP and 12 MP photos when present, each
# listed N times on stdin; prints the median images/s of `runs` runs per mode.
set -euo pipefail
bin=${1:-build/bulwark}
runs=${2:-5}
root=$(cd "$(dirname "$0")/.." && pwd)
shared="$root/../shared/testdata/pdq/images"
if [ ! -d "$shared" ]; then
  echo "hash_cli.sh: $shared not found; nothing to measure" >&2
  exit 0
fi

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

measure() {  # file count mode
  local file=$1 count=$2 mode=$3 list
  list=$(mktemp)
  for _ in $(seq "$count"); do echo "$file"; done >"$list"
  "$bin" hash --jobs 1 -a pdq -f pdq --pdq-mode "$mode" - <"$list" >/dev/null  # warm cache
  for _ in $(seq "$runs"); do
    local t0 t1
    t0=$(date +%s.%N)
    "$bin" hash --jobs 1 -a pdq -f pdq --pdq-mode "$mode" - <"$list" >/dev/null
    t1=$(date +%s.%N)
    awk -v n="$count" -v a="$t0" -v b="$t1" 'BEGIN {print n / (b - a)}'
  done | median
  rm -f "$list"
}

printf '%-32s %-7s %s\n' image mode images/s
for spec in "te-bridge-original.jpg 200" "te-desk-12mp-exif6.jpg 20"; do
  set -- $spec
  for mode in cli512 full fast; do
    printf '%-32s %-7s %.1f\n' "$1" "$mode" "$(measure "$shared/$1" "$2" "$mode")"
  done
done
