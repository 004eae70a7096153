// The reference for Bulwark's classifier fidelity test: nsfwjs 4.4.0 itself
// (its bundled MobileNetV2, its own preprocessing) on TF.js 4.22.0's pure
// JavaScript CPU backend.
//
//   node nsfwjs_reference.mjs OUT.jsonl IMAGE.ppm...
//
// Each IMAGE is a binary PPM (P6, maxval 255) of an upright RGB image. For
// each, one line of OUT.jsonl: {"file": IMAGE, "scores": {"Drawing": p, ...},
// "input": IMAGE.input.f32} with nsfwjs's class names and probabilities, and
// the model input nsfwjs made from the image (its "input_1" endpoint: its
// own scaling and resizing) written to IMAGE.input.f32 as little-endian
// float32 in [224][224][3] order. Exit status 0 when every image was
// classified, 1 otherwise.
import { readFileSync, writeFileSync } from "node:fs";

import * as tf from "@tensorflow/tfjs";
import * as nsfwjs from "nsfwjs";

// nsfwjs and TF.js greet on stdout; keep it for results only.
console.info = console.warn = console.log = (...args) => console.error(...args);

function readPpm(path) {
  const bytes = readFileSync(path);
  // Header: "P6", width, height, maxval, each followed by one whitespace byte.
  const fields = [];
  let at = 0;
  while (fields.length < 4) {
    while (at < bytes.length && /\s/.test(String.fromCharCode(bytes[at]))) at++;
    const start = at;
    while (at < bytes.length && !/\s/.test(String.fromCharCode(bytes[at]))) at++;
    if (start === at) throw new Error(`${path}: truncated PPM header`);
    fields.push(bytes.subarray(start, at).toString("latin1"));
  }
  at++;
  const [magic, width, height, maxval] = [fields[0], +fields[1], +fields[2], +fields[3]];
  if (magic !== "P6" || maxval !== 255 || !(width > 0) || !(height > 0)) {
    throw new Error(`${path}: not an 8-bit binary PPM`);
  }
  const pixels = bytes.subarray(at);
  if (pixels.length !== width * height * 3) {
    throw new Error(`${path}: expected ${width * height * 3} pixel bytes, found ${pixels.length}`);
  }
  return { width, height, pixels };
}

const [out, ...images] = process.argv.slice(2);
if (!out || images.length === 0) {
  console.error("usage: node nsfwjs_reference.mjs OUT.jsonl IMAGE.ppm...");
  process.exit(2);
}

// The versions the fidelity claim is about (package-lock.json pins them).
const nsfwjsVersion = JSON.parse(
  readFileSync(new URL("./node_modules/nsfwjs/package.json", import.meta.url))).version;
if (nsfwjsVersion !== "4.4.0" || tf.version.tfjs !== "4.22.0") {
  throw new Error(`expected nsfwjs 4.4.0 and TF.js 4.22.0, found ${nsfwjsVersion} and ${tf.version.tfjs}`);
}
await tf.setBackend("cpu");
if (tf.getBackend() !== "cpu") throw new Error("TF.js CPU backend unavailable");
const model = await nsfwjs.load("MobileNetV2");

const lines = [];
for (const file of images) {
  const { width, height, pixels } = readPpm(file);
  // An int32 tensor, as tf.browser.fromPixels gives: nsfwjs then does its
  // own scaling and resizing.
  const image = tf.tensor3d(new Int32Array(pixels), [height, width, 3], "int32");
  const predictions = await model.classify(image, 5);
  const input = model.infer(image, "input_1");
  const tensorFile = `${file}.input.f32`;
  writeFileSync(tensorFile, Buffer.from((await input.data()).buffer));
  input.dispose();
  image.dispose();
  const scores = {};
  for (const { className, probability } of predictions) scores[className] = probability;
  lines.push(JSON.stringify({ file, scores, input: tensorFile }));
}
writeFileSync(out, lines.join("\n") + "\n");
