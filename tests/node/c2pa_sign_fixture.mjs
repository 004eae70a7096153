// The C2PA reference implementation (c2pa-rs, through @contentauth/c2pa-node)
// as a fixture maker and second opinion for Bulwark's verifier tests.
//
//   node c2pa_sign_fixture.mjs sign IN OUT CHAIN.pem KEY.pem [ALG] [FILLER_BYTES]
//     signs IN (JPEG or PNG) into OUT with a local signer: a created,
//     trainedAlgorithmicMedia manifest without thumbnail; FILLER_BYTES > 0
//     adds a CBOR assertion of that size, so the store spans several JPEG
//     APP11 segments.
//   node c2pa_sign_fixture.mjs read FILE [ANCHORS.pem]
//     prints {"state": "None|Valid|Trusted|Invalid", "failures": [codes]}; with
//     ANCHORS the root is a user trust anchor.
import { Builder, LocalSigner, Reader } from "@contentauth/c2pa-node";
import { readFileSync } from "node:fs";

const [mode, ...args] = process.argv.slice(2);
const mimeOf = (path) => (path.endsWith(".png") ? "image/png" : "image/jpeg");

if (mode === "sign") {
  const [input, output, chain, key, alg = "es256", filler = "0"] = args;
  const builder = Builder.withJson(
    {
      claim_generator_info: [{ name: "bulwark-fixture", version: "1.0" }],
      title: "fixture",
      format: mimeOf(input),
    },
    { builder: { thumbnail: { enabled: false } } },
  );
  builder.setIntent({
    create:
      "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia",
  });
  if (Number(filler) > 0) {
    builder.addAssertion(
      "org.bulwark.test.filler",
      { filler: "x".repeat(Number(filler)) },
      "Cbor",
    );
  }
  const signer = LocalSigner.newSigner(
    readFileSync(chain),
    readFileSync(key),
    alg,
  );
  builder.sign(signer, { path: input }, { path: output });
} else if (mode === "read") {
  const [file, anchors] = args;
  const settings = anchors
    ? {
        trust: {
          verify_trust_list: true,
          user_anchors: readFileSync(anchors, "utf8"),
        },
        verify: { verify_trust: true },
      }
    : undefined;
  let state = "Invalid";
  let failures = [];
  try {
    const reader = await Reader.fromAsset({ path: file }, settings);
    if (reader === null) {
      state = "None";
    } else {
      const store = reader.json();
      state = store.validation_state;
      failures = (store.validation_results?.activeManifest?.failure ?? []).map(
        (s) => s.code,
      );
    }
  } catch (e) {
    // c2pa-rs refuses stores it cannot parse at all: invalid.
    failures = ["error: " + String(e.message ?? e).split("\n")[0]];
  }
  console.log(JSON.stringify({ state, failures }));
} else {
  console.error("usage: c2pa_sign_fixture.mjs sign|read ...");
  process.exit(2);
}
