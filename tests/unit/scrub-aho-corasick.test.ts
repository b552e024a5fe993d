// The multi-pattern matcher against a naive search over random small alphabets, where
// overlaps, shared prefixes and patterns inside patterns are common.
import { describe, expect, it } from "vitest";
import { buildAhoCorasick } from "@/lib/scrub/aho-corasick";

function randomString(random: () => number, alphabet: string, length: number): string {
  let text = "";
  for (let i = 0; i < length; i++) text += alphabet[Math.floor(random() * alphabet.length)];
  return text;
}

// Deterministic, so a failure reproduces.
function seededRandom(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

describe("buildAhoCorasick", () => {
  it("reports, per end position and tag, the longest pattern a naive search finds", () => {
    const random = seededRandom(7);
    for (let round = 0; round < 300; round++) {
      const patterns = Array.from({ length: 1 + Math.floor(random() * 6) }, () => ({
        text: randomString(random, "abc", 1 + Math.floor(random() * 4)),
        tag: Math.floor(random() * 3),
      }));
      const text = randomString(random, "abcd", 40);
      const expected = new Set<string>();
      for (let end = 1; end <= text.length; end++) {
        for (const tag of [0, 1, 2]) {
          const lengths = patterns.filter((p) => p.tag === tag && text.slice(0, end).endsWith(p.text)).map((p) => p.text.length);
          if (lengths.length > 0) expected.add(`${end - Math.max(...lengths)}-${end}-${tag}`);
        }
      }
      const found = new Set<string>();
      buildAhoCorasick(patterns).scan(text, (start, end, tag) => found.add(`${start}-${end}-${tag}`));
      expect([...found].sort()).toEqual([...expected].sort());
    }
  });

  it("matches non-ASCII patterns and ignores empty ones", () => {
    const found: string[] = [];
    buildAhoCorasick([
      { text: "", tag: 0 },
      { text: "pässwörd😀", tag: 1 },
    ]).scan("x pässwörd😀 y", (start, end, tag) => found.push(`${start}-${end}-${tag}`));
    expect(found).toEqual(["2-12-1"]);
  });
});
