#!/usr/bin/env bash
# Puts the default classifier model (data/models/nsfwjs.toml) in place:
# nsfwjs 4.4.0's MobileNetV2 (MIT), fetched as the pinned npm tarball,
# checked against its sha512 integrity, converted from TF.js to ONNX by
# scripts/tfjs_to_onnx.py and checked against the SHA-256 its manifest pins.
# Idempotent and quiet: when the model file is in place with the pinned
# SHA-256 it does nothing (and needs no network). Nothing is ever fetched at
# run time; the service only reads data/models.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
models="$root/data/models"
manifest="$models/nsfwjs.toml"

PACKAGE="nsfwjs@4.4.0"
INTEGRITY="sha512-krC1fgeTLXtZwgdpKJ0jm7hqv0gTSRQQRL+FhOaxaJ9Wj92t42BO3csO2odwgTAgZgf2RvkwPtp0R8Aa7dc+MA=="
MODEL_DIR="package/dist/models/mobilenet_v2"

die() {
  echo "install-models: $*" >&2
  exit 1
}

# The manifest's `file` and `sha256` (in its [model] table).
manifest_value() {
  sed -n "s/^[[:space:]]*$1[[:space:]]*=[[:space:]]*\"\([^\"]*\)\".*/\1/p" "$manifest" | head -n 1
}
file="$(manifest_value file)"
pinned="$(manifest_value sha256)"
[ -n "$file" ] && [ -n "$pinned" ] || die "$manifest: no file or sha256"
onnx="$models/$file"

sha256_of() { sha256sum "$1" | cut -d' ' -f1; }

if [ -f "$onnx" ] && [ "$(sha256_of "$onnx")" = "$pinned" ]; then
  exit 0
fi

echo "install-models: building $onnx from $PACKAGE"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

(cd "$work" && npm pack "$PACKAGE" --silent >/dev/null) || die "npm pack $PACKAGE failed"
tarball="$(ls "$work"/*.tgz)"
actual="$(/usr/bin/python3 -c 'import base64, hashlib, sys
print("sha512-" + base64.b64encode(hashlib.sha512(open(sys.argv[1], "rb").read()).digest()).decode())' "$tarball")"
[ "$actual" = "$INTEGRITY" ] || die "$PACKAGE from npm has integrity $actual, expected $INTEGRITY"

tar -xzf "$tarball" -C "$work" package/dist/models/package.json "$MODEL_DIR"

# nsfwjs 4.x ships each model as CommonJS modules: model.min.js exports the
# TF.js model.json object, each group1-shardNofM.min.js a base64 string of
# that shard's weight bytes. Write them back out in TF.js's own format.
node - "$work/$MODEL_DIR" "$work/tfjs" <<'EOF' || die "cannot unpack the TF.js model from $PACKAGE"
const fs = require("fs");
const path = require("path");
const [from, to] = process.argv.slice(2);
const model = require(path.join(from, "model.min.js"));
fs.mkdirSync(to);
fs.writeFileSync(path.join(to, "model.json"), JSON.stringify(model));
for (const group of model.weightsManifest) {
  for (const shard of group.paths) {
    const base64 = require(path.join(from, shard + ".min.js"));
    fs.writeFileSync(path.join(to, shard), Buffer.from(base64, "base64"));
  }
}
EOF

/usr/bin/python3 "$root/scripts/tfjs_to_onnx.py" "$work/tfjs/model.json" "$work/model.onnx"
converted="$(sha256_of "$work/model.onnx")"
[ "$converted" = "$pinned" ] ||
  die "converted model has SHA-256 $converted, but $manifest pins $pinned"
mkdir -p "$models"
mv "$work/model.onnx" "$onnx.tmp"
mv "$onnx.tmp" "$onnx"
