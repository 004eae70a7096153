#!/usr/bin/env bash
# Load on `bulwark serve` with wrk over loopback (docs/PERFORMANCE.md):
# GET /healthz (the server's own ceiling), POST /v1/match with one PDQ hash
# against a 1,000,000-hash bank, and POST /v1/check with a ~120 KB JPEG
# (0.6 MP), each at 64 connections; then a soak of /v1/check sampling the
# server's memory every 10 s.
# Usage: bash bench/serve_load.sh [BUILD_DIR] [SECONDS_PER_RUN] [SOAK_SECONDS]
# The server listens on 127.0.0.1:$BULWARK_BENCH_PORT (default 18080).
set -euo pipefail
build=${1:-build}
secs=${2:-20}
soak=${3:-300}
port=${BULWARK_BENCH_PORT:-18080}
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d /tmp/bulwark_serve_load.XXXXXX)
pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT

# A 1M-hash bank plus the hashes of a few of the images, and one JPEG.
"$build/bulwark_scan_bench" --write-dataset "$tmp/ds" --sizes 0.6 \
  --images 200 --per-shard 200 >/dev/null
tar -xf "$tmp/ds/shards/00000.tar" -C "$tmp" 000000000.jpg 000000007.jpg
key=bwk_load_test_key_0123456789abcdef
sha=$(printf %s "$key" | sha256sum | cut -d' ' -f1)
cat >"$tmp/serve.toml" <<TOML
[server]
listen = "127.0.0.1:$port"
[[keys]]
name = "load"
sha256 = "$sha"
role = "client"
TOML
"$build/bulwark" serve --config "$tmp/serve.toml" --data "$tmp/ds/data" \
  >"$tmp/serve.log" 2>&1 &
pid=$!
for _ in $(seq 600); do
  # A server that exited (port taken) must not let the load hit another.
  kill -0 "$pid" 2>/dev/null || { cat "$tmp/serve.log" >&2; exit 1; }
  curl -sf http://127.0.0.1:$port/readyz >/dev/null 2>&1 && break
  sleep 0.1
done
curl -sf http://127.0.0.1:$port/readyz

pdq=$(curl -sf -H "Authorization: Bearer $key" --data-binary @"$tmp/000000007.jpg" \
  http://127.0.0.1:$port/v1/hash | sed 's/.*"pdq":"\([0-9a-f]*\)".*/\1/')
printf '{"signals":[{"type":"pdq","value":"%s"}]}' "$pdq" >"$tmp/match.json"
printf '{"direction":"output","image":"%s"}' "$(base64 -w0 "$tmp/000000000.jpg")" \
  >"$tmp/check.json"
echo "check body: $(stat -c %s "$tmp/000000000.jpg") bytes of JPEG, $(stat -c %s "$tmp/check.json") bytes of JSON"

export BULWARK_KEY=$key
run() {  # name, target, body file ("" for GET)
  echo "== $1"
  BODY_FILE=$3 wrk -t2 -c64 -d"${secs}s" --latency -s "$here/wrk_request.lua" \
    "http://127.0.0.1:$port$2" | grep -E 'Requests/sec|Latency |50%|99%|Non-2xx|Socket errors|requests in'
  grep -E '^bulwark_http_request_duration_seconds_(sum|count)\{route="'"$2"'"' \
    <(curl -s http://127.0.0.1:$port/metrics) || true
}
run healthz /healthz ""
run match /v1/match "$tmp/match.json"
cpu0=$(awk '{print $14+$15}' /proc/$pid/stat)
run check /v1/check "$tmp/check.json"
cpu1=$(awk '{print $14+$15}' /proc/$pid/stat)
echo "server CPU during the check run: $(( (cpu1 - cpu0) * 1000 / $(getconf CLK_TCK) )) ms"

echo "== soak: /v1/check for ${soak}s, server RSS every 10 s (KiB)"
BODY_FILE="$tmp/check.json" wrk -t2 -c64 -d"${soak}s" -s "$here/wrk_request.lua" \
  http://127.0.0.1:$port/v1/check >"$tmp/soak.txt" &
wrk_pid=$!
rss=()
while kill -0 "$wrk_pid" 2>/dev/null; do
  rss+=("$(awk '/VmRSS/{print $2}' /proc/$pid/status)")
  sleep 10
done
echo "${rss[*]}"
grep -E 'Requests/sec|Non-2xx|Socket errors|requests in' "$tmp/soak.txt" || true
