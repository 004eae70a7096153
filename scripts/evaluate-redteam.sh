#!/usr/bin/env bash
# The prompt-text red-team evaluation (docs/EVALUATION.md): Bulwark's built-in
# target at converter depth 1 and depth 2, the npm matcher obscenity over the
# very same variants, and a side-by-side comparison.
#
#   bash scripts/evaluate-redteam.sh [BUILD_DIR] [OUT_DIR]
#
# BUILD_DIR holds the bulwark binary (default: build); reports go to OUT_DIR
# (default: BUILD_DIR/redteam):
#   bulwark-depth{1,2}.{json,md,xml}   Bulwark's reports (JSON, Markdown, JUnit)
#   variants-depth{1,2}.jsonl          every text checked (contains the
#                                      expanded seed prompts: test data, keep
#                                      it out of docs and tickets)
#   obscenity-depth{1,2}.json          the peer's results over those texts
#   comparison.md, comparison.json     the two side by side
#   *.log                              each step's own output
#
# Exit status: non-zero when a Bulwark floor is missed (its exit status is
# passed on), when Bulwark is below obscenity on any depth-1 chain, when
# Bulwark's overall block rate is less than 25 points above obscenity's (in
# the depth-1 run or the depth-2 run), or when a step cannot run (missing
# binary, Node.js or tests/node/node_modules: run scripts/install-deps.sh).
set -uo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BUILD_DIR="${1:-$ROOT/build}"
OUT_DIR="${2:-$BUILD_DIR/redteam}"
BULWARK="$BUILD_DIR/bulwark"
LEXICONS="$ROOT/data/lexicons"
NODE_DIR="$ROOT/tests/node"

die() {
  echo "evaluate-redteam: $*" >&2
  exit 1
}

[ -x "$BULWARK" ] || die "no bulwark binary at $BULWARK (build first: make build)"
command -v python3 >/dev/null 2>&1 || die "python3 not found"
command -v node >/dev/null 2>&1 ||
  die "node not found; the peer comparison needs Node.js (run scripts/install-deps.sh)"
[ -f "$NODE_DIR/node_modules/obscenity/package.json" ] ||
  die "tests/node/node_modules/obscenity is missing; run scripts/install-deps.sh (npm ci in tests/node)"

mkdir -p "$OUT_DIR" || die "cannot create $OUT_DIR"
OUT_DIR="$(cd "$OUT_DIR" && pwd)"

# Shows a step's log and stops.
fail_step() {
  local what="$1" log="$2"
  echo "evaluate-redteam: $what failed; its output ($log):" >&2
  sed 's/^/  /' "$log" >&2
  exit 1
}

bulwark_status=0
for depth in 1 2; do
  base="$OUT_DIR/bulwark-depth$depth"
  rm -f "$base.json"
  # --lexicons: the exact lexicon files obscenity is loaded with below.
  # --data: where the built-in target caches its compiled lexicons.
  "$BULWARK" redteam text --depth "$depth" --seed 0 --lexicons "$LEXICONS" \
    --data "$OUT_DIR/data" \
    --json "$base.json" --markdown "$base.md" --junit "$base.xml" \
    --emit-variants "$OUT_DIR/variants-depth$depth.jsonl" >"$base.log" 2>&1
  rc=$?
  # 1 = a floor missed (reports written) or a run/report failure; 2 = usage.
  if [ "$rc" -ne 0 ] && { [ "$rc" -ne 1 ] || [ ! -s "$base.json" ]; }; then
    fail_step "bulwark redteam text --depth $depth (exit $rc)" "$base.log"
  fi
  if [ "$rc" -ne 0 ]; then
    bulwark_status=$rc
    echo "evaluate-redteam: Bulwark misses a floor at depth $depth:" >&2
    sed 's/^/  /' "$base.log" >&2
  fi
done

# The peer over each run's own variants (the depth-2 file also holds the
# depth-1 chains, but each Bulwark report is paired with a peer result over
# exactly the texts it checked).
for depth in 1 2; do
  log="$OUT_DIR/obscenity-depth$depth.log"
  (cd "$NODE_DIR" && node obscenity_eval.mjs \
    --variants "$OUT_DIR/variants-depth$depth.jsonl" --lexicons "$LEXICONS" \
    --out "$OUT_DIR/obscenity-depth$depth.json") >"$log" 2>&1 ||
    fail_step "obscenity_eval.mjs over the depth-$depth variants" "$log"
done

python3 "$ROOT/scripts/compare_redteam.py" \
  --bulwark-depth1 "$OUT_DIR/bulwark-depth1.json" \
  --bulwark-depth2 "$OUT_DIR/bulwark-depth2.json" \
  --peer-depth1 "$OUT_DIR/obscenity-depth1.json" \
  --peer-depth2 "$OUT_DIR/obscenity-depth2.json" \
  --out "$OUT_DIR/comparison.md" --json "$OUT_DIR/comparison.json"
compare_status=$?
[ "$compare_status" -le 1 ] || exit "$compare_status"

echo "reports: $OUT_DIR/comparison.md, bulwark-depth{1,2}.{md,json,xml}, obscenity-depth{1,2}.json"
if [ "$bulwark_status" -ne 0 ]; then
  echo "evaluate-redteam: FAIL (a Bulwark floor is missed)" >&2
  exit "$bulwark_status"
fi
if [ "$compare_status" -ne 0 ]; then
  echo "evaluate-redteam: FAIL (Bulwark vs obscenity)" >&2
  exit "$compare_status"
fi
echo "evaluate-redteam: all floors hold; Bulwark ahead of obscenity"
