// The official `openai` npm package, pointed at `bulwark serve`: calls
// moderations.create with a string, an array of strings, and text + image
// parts, and prints what the client parsed as one JSON line per call.
// Usage: BULWARK_URL=http://127.0.0.1:PORT/v1 BULWARK_KEY=... \
//        node moderations_client.mjs KNOWN.jpg UNRELATED.jpg
import { readFileSync } from "node:fs";
import OpenAI from "openai";

const [known, unrelated] = process.argv.slice(2);
const client = new OpenAI({
  baseURL: process.env.BULWARK_URL,
  apiKey: process.env.BULWARK_KEY,
  maxRetries: 0,
});

const dataUri = (path) =>
  "data:image/jpeg;base64," + readFileSync(path).toString("base64");

function summary(name, response) {
  return {
    call: name,
    id: response.id,
    model: response.model,
    results: response.results.map((r) => ({
      flagged: r.flagged,
      minors: r.categories["sexual/minors"],
      keys: Object.keys(r.categories).length,
      verdict: r.bulwark?.verdict,
      matches: r.bulwark?.matches?.length ?? 0,
    })),
  };
}

const calls = [
  ["string", { input: "a photo of a harbour at dusk" }],
  ["array", { input: ["first text", "second text"] }],
  ["known-image", {
    model: "omni-moderation-latest",
    input: [
      { type: "text", text: "describe this" },
      { type: "image_url", image_url: { url: dataUri(known) } },
    ],
  }],
  ["unrelated-image", {
    input: [{ type: "image_url", image_url: { url: dataUri(unrelated) } }],
  }],
];
for (const [name, body] of calls) {
  const response = await client.moderations.create(body);
  console.log(JSON.stringify(summary(name, response)));
}
// An error in OpenAI's shape comes back as the client's own error type.
try {
  await client.moderations.create({
    input: [{ type: "image_url", image_url: { url: "http://169.254.169.254/x" } }],
  });
  console.log(JSON.stringify({ call: "remote-url", error: null }));
} catch (e) {
  console.log(JSON.stringify({
    call: "remote-url", status: e.status, type: e.type ?? e.error?.type,
    isApiError: e instanceof OpenAI.APIError,
  }));
}
