// Run-log scrubber throughput on 1 MB and 10 MB step outputs.
// Run: node --import tsx bench/scrub.ts
// Prints one Markdown table; figures are for a person to read, nothing fails on them.
import { performance } from "node:perf_hooks";
import { createScrubber } from "../lib/scrub";

const secrets = [
  "sk-live-connection-api-key-0123456789",
  "ya29.oauth-access-token-abcdef",
  "1//refresh-token-xyz987",
  "hunter2-basic",
  "whsec_signing0123456789abcdef",
  "4821",
];
const scrubber = createScrubber({ secrets });

// A JSON array of API-response-like records; every 50th carries secrets in
// several forms, the rest is ordinary data.
function buildRecords(targetBytes: number): unknown[] {
  const records: unknown[] = [];
  let bytes = 0;
  for (let i = 0; bytes < targetBytes; i++) {
    const record =
      i % 50 === 0
        ? {
            id: `rec_${i}`,
            headers: { authorization: `Bearer ${secrets[1]}`, "content-type": "application/json" },
            url: `https://api.example.test/v1/items?api_key=${secrets[0]}&page=${i}`,
            note: `retrying with ${Buffer.from(`user:${secrets[3]}`).toString("base64")} after 429`,
            pin: secrets[5],
          }
        : {
            id: `rec_${i}`,
            name: `Item number ${i}`,
            price: i * 1.25,
            tags: ["alpha", "beta", "gamma"],
            created: "2026-01-02T03:04:05.000Z",
            description: "An ordinary description with words, numbers 12345 and punctuation: nothing secret here.",
          };
    records.push(record);
    bytes += JSON.stringify(record).length + 1;
  }
  return records;
}

function time(run: () => unknown): number {
  run(); // warm-up
  const runs = 3;
  const start = performance.now();
  for (let i = 0; i < runs; i++) run();
  return (performance.now() - start) / runs;
}

const rows: string[] = [];
for (const megabytes of [1, 10]) {
  const records = buildRecords(megabytes * 1024 * 1024);
  const json = JSON.stringify(records);
  const text = json.replaceAll('"', " ").replaceAll(",", "\n");
  const size = json.length / (1024 * 1024);
  const cases: [string, () => unknown][] = [
    ["scrubValue(JSON string)", () => scrubber.scrubValue(json)],
    ["scrubValue(parsed value)", () => scrubber.scrubValue(records)],
    ["scrubText(log text)", () => scrubber.scrubText(text)],
  ];
  for (const [name, run] of cases) {
    const ms = time(run);
    rows.push(`| ${megabytes} MB | ${name} | ${ms.toFixed(0)} ms | ${(size / (ms / 1000)).toFixed(1)} MB/s |`);
  }
}

// Inputs built to trip backtracking or quadratic scans.
const pathological: [string, string][] = [
  ["'a' × 100k + '!'", "a".repeat(100_000) + "!"],
  ["'-----BEGIN' × 200k", "-----BEGIN ".repeat(200_000)],
  ["'eyJ' × 1M", "eyJ".repeat(1_000_000)],
  ["'xoxb-' × 500k", "xoxb-".repeat(500_000)],
  ["'token=' × 500k", "token=".repeat(500_000)],
  ["'Bearer ' × 500k", "Bearer ".repeat(500_000)],
  // The caseless forms (hex, nested percent-encoding) run in the same pass as the rest.
  ["hex '736B2D6C' × 500k", "736B2D6c".repeat(500_000)],
  ["'%2525' × 500k", "%2525".repeat(500_000)],
];
for (const [name, input] of pathological) {
  const ms = time(() => scrubber.scrubText(input));
  rows.push(
    `| ${(input.length / 1e6).toFixed(1)} MB | scrubText(${name}) | ${ms.toFixed(0)} ms | ${(input.length / 1024 / 1024 / (ms / 1000)).toFixed(1)} MB/s |`,
  );
}

console.log("| input | operation | time | throughput |\n|---|---|---|---|");
console.log(rows.join("\n"));
