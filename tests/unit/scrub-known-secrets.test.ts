// The scrubber's "known-secrets" rules (what an HTTP step applies to its answer and a
// Respond step to its reply) and the caseless forms: hex and percent-escapes in any case,
// URL-encoding nested up to three times.
import { describe, expect, it } from "vitest";
import { buildAhoCorasick } from "@/lib/scrub/aho-corasick";
import { createScrubber, REDACTED } from "@/lib/scrub";

const KEY = "Vf9/Kq+Zr=Tw&Ly7Mx3Pn~8Hd";
const hex = Buffer.from(KEY).toString("hex");

describe("caseless forms", () => {
  const scrubber = createScrubber({ secrets: [KEY] });

  it("finds hex in upper, lower and mixed case", () => {
    let letter = 0;
    const mixed = [...hex].map((c) => (/[a-f]/.test(c) && letter++ % 2 === 0 ? c.toUpperCase() : c)).join("");
    for (const form of [hex, hex.toUpperCase(), mixed]) expect(scrubber.scrubText(`id=7 data ${form} end`)).toBe(`id=7 data ${REDACTED} end`);
  });

  it("finds URL-encoding nested two and three times, escapes in either case", () => {
    const once = encodeURIComponent(KEY);
    const forms = [
      encodeURIComponent(once),
      encodeURIComponent(encodeURIComponent(once)),
      encodeURIComponent(once.replace(/%[0-9A-F]{2}/g, (escape) => escape.toLowerCase())),
      new URLSearchParams([["next", `https://a.example/?k=${once}`]]).toString(),
    ];
    for (const form of forms) expect(scrubber.scrubText(`go ${form} now`), form).not.toMatch(/Vf9|Ly7Mx3Pn/);
  });

  it("matches a short secret's hex only as a whole token", () => {
    const short = createScrubber({ secrets: ["a1!"] });
    const shortHex = Buffer.from("a1!").toString("hex"); // "613121"
    expect(short.scrubText(`pin ${shortHex.toUpperCase()} ok`)).toBe(`pin ${REDACTED} ok`);
    expect(short.scrubText("order 96131219 shipped")).toBe("order 96131219 shipped");
  });

  it("keeps base64 case-sensitive: a case-changed blob is other data", () => {
    const base64 = Buffer.from(KEY).toString("base64");
    expect(scrubber.scrubText(base64)).toBe(REDACTED);
    expect(scrubber.scrubText(base64.toLowerCase())).toBe(base64.toLowerCase());
  });
});

describe("a case-insensitive automaton", () => {
  it("folds ASCII letters only, in one pass", () => {
    const automaton = buildAhoCorasick([{ text: "4b2f", tag: 0 }], { isCaseInsensitive: true });
    const hits: number[] = [];
    automaton.scan("x4B2Fy 4b2F 4c2f", (start) => hits.push(start));
    expect(hits).toEqual([1, 7]);
  });
});

describe("known-secrets rules", () => {
  const scrubber = createScrubber({ secrets: [KEY], rules: "known-secrets" });

  it("removes the given secret in every encoding", () => {
    const echoed = {
      raw: KEY,
      hex: hex.toUpperCase(),
      base64url: Buffer.from(KEY).toString("base64url"),
      blob: Buffer.from(`{"k":"${KEY}"}`).toString("base64"),
      twice: encodeURIComponent(encodeURIComponent(KEY)),
      header: ["x-echo", `Bearer ${KEY}`],
    };
    const text = JSON.stringify(scrubber.scrubValue(echoed));
    expect(text).not.toMatch(/Vf9|Ly7Mx3Pn/);
    expect(text.toLowerCase()).not.toContain(hex);
    expect(text).not.toContain(Buffer.from(KEY).toString("base64url").slice(2, 20));
  });

  it("leaves data the flow goes on using: tokens it fetched, credential-named keys, token shapes", () => {
    const answer = {
      access_token: "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl",
      refresh_token: "rt-0123456789",
      headers: { authorization: "Bearer other-token-123456", "set-cookie": "sid=abc123; HttpOnly" },
      stripe: "sk_live_0123456789abcdefghij",
      url: "https://user:pass@db.example/x",
    };
    expect(scrubber.scrubValue(answer)).toEqual(answer);
  });

  it("differs from the run log's rules, which still redact all of that", () => {
    const log = createScrubber({ secrets: [KEY] });
    expect(log.scrubValue({ access_token: "rt-0123456789" })).toEqual({ access_token: REDACTED });
  });
});
