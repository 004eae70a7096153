// Reads C2PA-signed images with two independent verifiers and prints one
// JSON line per file, for tests/provenance/sign_verify_node_test.cc:
//   c2pa_node: the reference implementation (c2pa-rs, through
//     @contentauth/c2pa-node) without trust settings: validation_state, the
//     failure and success codes, the actions and the claim generator;
//   c2pa_node_trusted: the same with --trust-anchors PEM as user anchors;
//   c2pa_ts: @trustnxt/c2pa-ts reading and validating the manifest store:
//     whether it succeeded, and its error codes.
// Usage: node c2pa_verify.mjs [--trust-anchors PEM] FILE...
import { readFileSync } from 'node:fs';
import {
  Reader, createTrustSettings, settingsToJson,
} from '@contentauth/c2pa-node';
import { JPEG, PNG } from '@trustnxt/c2pa-ts/asset';
import { SuperBox } from '@trustnxt/c2pa-ts/jumbf';
import { ManifestStore, ValidationResult } from '@trustnxt/c2pa-ts/manifest';

function mimeType(bytes) {
  if (bytes[0] === 0xff && bytes[1] === 0xd8) return 'image/jpeg';
  if (bytes[0] === 0x89 && bytes[1] === 0x50) return 'image/png';
  throw new Error('neither JPEG nor PNG');
}

// validation_state plus every code c2pa-rs reports as a failure.
async function readWithC2paNode(bytes, settings) {
  try {
    const reader = await Reader.fromAsset(
      { buffer: bytes, mimeType: mimeType(bytes) }, settings);
    if (!reader) return { state: 'NoManifest', failures: [] };
    const store = reader.json();
    const failures = new Set(
      (store.validation_status ?? []).map((s) => s.code));
    for (const s of store.validation_results?.activeManifest?.failure ?? []) {
      failures.add(s.code);
    }
    const active = store.manifests[store.active_manifest];
    const actions = (active?.assertions ?? [])
      .filter((a) => a.label.startsWith('c2pa.actions'))
      .flatMap((a) => a.data.actions);
    const successes = (store.validation_results?.activeManifest?.success ?? [])
      .map((s) => s.code);
    return {
      state: store.validation_state,
      failures: [...failures].sort(),
      successes: [...new Set(successes)].sort(),
      actions: actions.map((a) => a.action),
      digital_source_types: actions.map((a) => a.digitalSourceType),
      generator: active?.claim_generator_info?.[0]?.name ?? null,
      alg: active?.signature_info?.alg ?? null,
    };
  } catch (e) {
    return { state: 'Error', failures: [], error: String(e) };
  }
}

async function readWithC2paTs(bytes) {
  let result;
  try {
    const asset = JPEG.canRead(bytes) ? new JPEG(bytes) : new PNG(bytes);
    const jumbf = asset.getManifestJUMBF();
    if (!jumbf) return { ok: false, errors: ['no manifest store found'] };
    const store = ManifestStore.read(SuperBox.fromBuffer(jumbf));
    result = await store.validate(asset);
  } catch (e) {
    result = ValidationResult.fromError(e);
  }
  const errors = result.statusEntries
    .filter((s) => s.success === false)
    .map((s) => s.code);
  return { ok: result.isValid && errors.length === 0, errors };
}

const args = process.argv.slice(2);
let anchors = null;
if (args[0] === '--trust-anchors') {
  anchors = readFileSync(args[1], 'utf8');
  args.splice(0, 2);
}
for (const file of args) {
  const bytes = readFileSync(file);
  const line = {
    file,
    c2pa_node: await readWithC2paNode(bytes),
    c2pa_ts: await readWithC2paTs(bytes),
  };
  if (anchors) {
    line.c2pa_node_trusted = await readWithC2paNode(
      bytes,
      // Reader takes the settings as given; c2pa-rs reads snake_case keys.
      settingsToJson(createTrustSettings(
        { verifyTrustList: true, userAnchors: anchors })));
  }
  console.log(JSON.stringify(line));
}
