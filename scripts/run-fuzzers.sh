#!/usr/bin/env bash
# Runs every fuzz target built in BUILD_DIR for SECONDS each, starting from
# the committed seeds (read-only): fuzz/seeds/<format> for
# fuzz_decode_<format>, fuzz/seeds/import for fuzz_bank_import,
# fuzz/seeds/tar for fuzz_tar_shard, fuzz/seeds/service for
# fuzz_service_inputs, fuzz/seeds/text for fuzz_text_check,
# fuzz/seeds/provenance for fuzz_provenance_manifest, every image format's for the others; and a scratch
# corpus in BUILD_DIR/corpus/<name>. Fails on the first crash, leak or
# timeout.
set -euo pipefail
build_dir=${1:?usage: run-fuzzers.sh BUILD_DIR SECONDS}
seconds=${2:?usage: run-fuzzers.sh BUILD_DIR SECONDS}
root=$(cd "$(dirname "$0")/.." && pwd)

targets=$(find "$build_dir" -maxdepth 1 -type f -name 'fuzz_*' -perm -u+x | sort)
if [ -z "$targets" ]; then
  echo "run-fuzzers: no fuzz targets in $build_dir" >&2
  exit 1
fi
for t in $targets; do
  name=$(basename "$t")
  corpus="$build_dir/corpus/$name"
  artifacts="$build_dir/artifacts/$name/"
  mkdir -p "$corpus" "$artifacts"
  seeds=()
  case "$name" in
    fuzz_decode_*) seeds+=("$root/fuzz/seeds/${name#fuzz_decode_}") ;;
    fuzz_bank_import) seeds+=("$root/fuzz/seeds/import") ;;
    fuzz_tar_shard) seeds+=("$root/fuzz/seeds/tar") ;;
    fuzz_service_inputs) seeds+=("$root/fuzz/seeds/service") ;;
    fuzz_text_check) seeds+=("$root/fuzz/seeds/text") ;;
    fuzz_provenance_manifest) seeds+=("$root/fuzz/seeds/provenance") ;;
    *) for d in "$root"/fuzz/seeds/*/; do
         case "$d" in */import/|*/tar/|*/service/) ;; *) seeds+=("${d%/}") ;; esac
       done ;;
  esac
  echo "== $name for ${seconds}s"
  "$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
       -artifact_prefix="$artifacts" -print_final_stats=1 \
       "$corpus" "${seeds[@]}" 2>"$build_dir/$name.log" || {
    tail -50 "$build_dir/$name.log" >&2
    echo "run-fuzzers: $name failed; see $build_dir/$name.log and $artifacts" >&2
    exit 1
  }
  grep -E 'stat::number_of_executed_units|stat::peak_rss_mb' "$build_dir/$name.log" | tr '\n' ' '
  echo
done
echo "run-fuzzers: all targets ran ${seconds}s clean"
