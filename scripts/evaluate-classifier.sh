#!/usr/bin/env bash
# The image classifier's flag rate on benign images (docs/EVALUATION.md):
# every image in the given directories through `bulwark check image` with
# the default policy, as a generated output and as an upload, without a
# prompt. Prints one line per image (its sexual score and verdicts) and
# the share of images any image rule flagged.
# Usage: bash scripts/evaluate-classifier.sh BUILD_DIR IMAGE_DIR...
set -euo pipefail
build=${1:?usage: evaluate-classifier.sh BUILD_DIR IMAGE_DIR...}
shift
[ $# -gt 0 ] || { echo "usage: evaluate-classifier.sh BUILD_DIR IMAGE_DIR..." >&2; exit 2; }
tmp=$(mktemp -d /tmp/bulwark_eval_classifier.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
for dir in "$@"; do
  for f in "$dir"/*; do
    for direction in output input; do
      # Exit 3 (held or refused) is a result here, not a failure.
      out=$("$build/bulwark" check image "$f" --direction "$direction" \
        --data "$tmp/data" --format json 2>/dev/null) || [ $? -eq 3 ] || true
      printf '%s\t%s\t%s\n' "$(basename "$f")" "$direction" "$out"
    done
  done
done >"$tmp/results.tsv"
python3 - "$tmp/results.tsv" <<'PY'
import json, sys
rows, flagged, images = {}, {"output": 0, "input": 0}, 0
for line in open(sys.argv[1]):
    name, direction, out = line.rstrip("\n").split("\t", 2)
    if not out:
        print(f"{name}: no answer", file=sys.stderr); sys.exit(1)
    d = json.loads(out)
    image_rules = [r for r in d["reasons"] if "sexual score" in r]
    scores = {s["category"]: s["score"] for s in d["signals"] if s["kind"] == "image.class"}
    row = rows.setdefault(name, {"scores": scores})
    row[direction] = (d["verdict"], bool(image_rules))
    if image_rules: flagged[direction] += 1
print("| image | porn | hentai | sexy | drawing | output | input |")
print("|---|---|---|---|---|---|---|")
for name, r in sorted(rows.items()):
    s = r["scores"]
    cell = lambda k: f"{s[k]:.3f}" if k in s else "error"
    verdict = lambda d: r[d][0] + (" (image rule)" if r[d][1] else "")
    print(f"| {name} | {cell('nsfw.porn')} | {cell('nsfw.hentai')} | {cell('nsfw.sexy')} | {cell('nsfw.drawing')} | {verdict('output')} | {verdict('input')} |")
n = len(rows)
top = max((max(r["scores"].get("nsfw.porn", 0), r["scores"].get("nsfw.hentai", 0)), name) for name, r in rows.items())
print(f"\nimages: {n}; flagged by an image rule: output {flagged['output']} ({100*flagged['output']/n:.1f}%), "
      f"input {flagged['input']} ({100*flagged['input']/n:.1f}%); highest sexual score {top[0]:.3f} ({top[1]})")
PY
